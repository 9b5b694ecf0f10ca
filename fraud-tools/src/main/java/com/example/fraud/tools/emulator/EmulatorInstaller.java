package com.example.fraud.tools.emulator;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Installs kinesis-local from the committed package-lock.json when node_modules is missing. */
final class EmulatorInstaller {
    static final String MAIN_JS = "node_modules/kinesis-local/main.js";
    static final String CERT = "node_modules/kinesis-local/server.json";
    private static final long NPM_TIMEOUT_MINUTES = 5;

    private EmulatorInstaller() {}

    static boolean isInstalled(Path emulatorDir) {
        return Files.isRegularFile(emulatorDir.resolve(MAIN_JS)) && Files.isRegularFile(emulatorDir.resolve(CERT));
    }

    /** Runs {@code npm ci --no-audit --no-fund} in the emulator folder unless kinesis-local is already there. */
    static void ensureInstalled(Path emulatorDir, Path logFile) throws IOException {
        if (isInstalled(emulatorDir)) {
            return;
        }
        if (!Files.isRegularFile(emulatorDir.resolve("package-lock.json"))) {
            throw new IOException("No package-lock.json in " + emulatorDir.toAbsolutePath()
                    + ": is --dir the emulator folder of the repository?");
        }
        // Two test JVMs may start at once: npm ci deletes node_modules first, so never run two together.
        Path lockFile = Paths.get(System.getProperty("java.io.tmpdir"), "fraud-tools-npm-ci.lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            if (isInstalled(emulatorDir)) {
                return; // the other JVM installed it while we waited
            }
            runNpmCi(emulatorDir, logFile);
        }
        if (!isInstalled(emulatorDir)) {
            throw new IOException("npm ci finished but " + MAIN_JS + " is missing; see " + logFile);
        }
    }

    private static void runNpmCi(Path emulatorDir, Path logFile) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of("npm", "ci", "--no-audit", "--no-fund"))
                .directory(emulatorDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Process npm;
        try {
            npm = pb.start();
        } catch (IOException e) {
            throw new IOException("Cannot run npm (is Node.js installed?): " + e.getMessage(), e);
        }
        try {
            if (!npm.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new IOException("npm ci did not finish in " + NPM_TIMEOUT_MINUTES + " min; see " + logFile);
            }
        } catch (InterruptedException e) {
            npm.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while installing the emulator", e);
        }
        if (npm.exitValue() != 0) {
            throw new IOException("npm ci failed with exit code " + npm.exitValue() + "; see " + logFile);
        }
    }
}
