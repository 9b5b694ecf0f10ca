package com.example.fraud.tools.probe;

import com.example.fraud.tools.DurationText;
import com.example.fraud.tools.emulator.StreamNames;
import com.example.fraud.tools.kinesis.EndpointOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** CLI for {@link PipelineProbe}: the demo waits on it before it starts the generator. */
@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Put one invalid record on the input stream and wait until the detector dead-letters it.")
public final class ProbeCommand implements Callable<Integer> {
    @Mixin
    EndpointOption endpoint;

    @Option(names = "--stream", paramLabel = "NAME", description = "Input stream (default: ${DEFAULT-VALUE}).")
    String inputStream = StreamNames.INPUT;

    @Option(names = "--dead-letter-stream", paramLabel = "NAME", description = "Default: ${DEFAULT-VALUE}.")
    String deadLetterStream = StreamNames.DEAD_LETTERS;

    @Option(names = "--wait", paramLabel = "DURATION", converter = DurationText.Converter.class,
            description = "How long to wait (default: 60s).")
    Duration wait = Duration.ofSeconds(60);

    @Override
    public Integer call() throws Exception {
        Duration took = PipelineProbe.await(endpoint.client(), inputStream, deadLetterStream, wait);
        System.out.println("detector is reading: probe dead-lettered after " + took.toMillis() + " ms");
        return 0;
    }
}
