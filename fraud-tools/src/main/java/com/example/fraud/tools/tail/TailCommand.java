package com.example.fraud.tools.tail;

import com.example.fraud.model.AlertCodec;
import com.example.fraud.model.DeadLetterCodec;
import com.example.fraud.tools.DurationText;
import com.example.fraud.tools.emulator.StreamNames;
import com.example.fraud.tools.kinesis.EndpointOption;
import com.example.fraud.tools.kinesis.StreamReader;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;

/** {@code tail}: prints alerts (and optionally dead letters) as they arrive. */
@Command(name = "tail", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prints alerts from the output stream as they arrive, one line each; with --dead-letters "
                + "also the dead-letter stream (invalid and LATE records).",
        footer = {"", "Examples:",
            "  tail --endpoint http://127.0.0.1:4568",
            "  tail --endpoint http://127.0.0.1:4568 --from-start --dead-letters --duration 30s"})
public final class TailCommand implements Callable<Integer> {
    private static final Duration IDLE_PAUSE = Duration.ofMillis(250);

    @Spec
    CommandSpec spec;

    @Mixin
    EndpointOption endpoint;

    @Option(names = "--alerts-stream", paramLabel = "NAME", description = "Alert stream (default: ${DEFAULT-VALUE}).")
    String alertsStream = StreamNames.ALERTS;

    @Option(names = "--dead-letters", description = "Also show the dead-letter stream.")
    boolean deadLetters;

    @Option(names = "--dead-letter-stream", paramLabel = "NAME",
            description = "Dead-letter stream (default: ${DEFAULT-VALUE}).")
    String deadLetterStream = StreamNames.DEAD_LETTERS;

    @Option(names = "--from-start", description = "Start at TRIM_HORIZON instead of LATEST.")
    boolean fromStart;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationText.Converter.class,
            description = "Stop after this long (default: until killed).")
    Duration duration;

    @Option(names = "--max-records", paramLabel = "N", description = "Stop after printing N records.")
    long maxRecords;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        StreamReader.Start start = fromStart ? StreamReader.Start.TRIM_HORIZON : StreamReader.Start.LATEST;
        long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        long printed = 0;
        try (KinesisClient client = endpoint.client()) {
            List<Source> sources = new ArrayList<>();
            sources.add(new Source(new StreamReader(client, alertsStream, start), false));
            if (deadLetters) {
                sources.add(new Source(new StreamReader(client, deadLetterStream, start), true));
            }
            spec.commandLine().getErr().println("tail: " + alertsStream + (deadLetters ? " and " + deadLetterStream : "") + " on "
                    + endpoint.describe() + " from " + start + "; Ctrl-C to stop");
            while (System.nanoTime() < deadline && (maxRecords <= 0 || printed < maxRecords)) {
                boolean any = false;
                for (Source s : sources) {
                    for (Record r : s.reader.poll()) {
                        any = true;
                        out.println(s.format(r));
                        if (maxRecords > 0 && ++printed >= maxRecords) {
                            out.flush();
                            return 0;
                        }
                    }
                }
                out.flush();
                if (!any) {
                    sleep(IDLE_PAUSE);
                }
            }
        }
        return 0;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Source {
        final StreamReader reader;
        final boolean deadLetters;

        Source(StreamReader reader, boolean deadLetters) {
            this.reader = reader;
            this.deadLetters = deadLetters;
        }

        String format(Record r) {
            byte[] data = r.data().asByteArrayUnsafe();
            try {
                return deadLetters ? AlertLines.deadLetter(DeadLetterCodec.decode(data))
                        : AlertLines.alert(AlertCodec.decode(data));
            } catch (RuntimeException e) {
                return AlertLines.unreadable(reader.streamName(), r.sequenceNumber(), e.getMessage());
            }
        }
    }
}
