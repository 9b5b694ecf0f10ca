package com.example.fraud.tools;

import com.example.fraud.tools.emulator.LocalKinesis;
import com.example.fraud.tools.emulator.StreamSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/** Starts the emulator for a test class on free ports, logging to target/. The caller closes it. */
public final class TestEmulator {
    private TestEmulator() {}

    public static Path emulatorDir() {
        return Paths.get(System.getProperty("fraud.emulator.dir", "../emulator"));
    }

    public static LocalKinesis start(Class<?> testClass, List<StreamSpec> streams) throws IOException {
        Path log = Paths.get("target", "emulator-" + testClass.getSimpleName() + ".log");
        return LocalKinesis.start(emulatorDir(), 0, log, streams);
    }
}
