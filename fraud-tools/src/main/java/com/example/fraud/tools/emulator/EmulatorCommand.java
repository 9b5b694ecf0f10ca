package com.example.fraud.tools.emulator;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code emulator}: starts local Kinesis with the job's streams and runs until killed. */
@Command(name = "emulator", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts the local Kinesis emulator (npm kinesis-local; installed with npm ci if needed) on "
                + "plain HTTP 127.0.0.1:PORT, creates the input, alert, dead-letter, rules, rule-ack and shadow-alert "
                + "streams, prints a ready line and runs until killed (Ctrl-C or SIGTERM stops the emulator too).",
            "Persistence is off: every start begins with empty streams."},
        footer = {"", "Examples:", "  emulator --port 4568 --dir emulator",
            "  emulator --port 4568 --existing      (someone else runs it: just create the streams)"})
public final class EmulatorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", description = "Plain HTTP port (default: ${DEFAULT-VALUE}).")
    int port = LocalKinesis.DEFAULT_PORT;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Emulator folder with package.json and package-lock.json (default: ${DEFAULT-VALUE}).")
    Path dir = Paths.get("emulator");

    @Option(names = "--log", paramLabel = "FILE", description = "Emulator output (default: DIR/kinesis-local.log).")
    Path log;

    @Option(names = "--existing", description = "Start nothing: create the streams on the emulator already "
            + "listening on --port (existing streams are kept), then exit.")
    boolean existing;

    @Option(names = "--input-stream", paramLabel = "NAME", description = "Default: ${DEFAULT-VALUE}.")
    String inputStream = StreamNames.INPUT;

    @Option(names = "--input-shards", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int inputShards = StreamNames.INPUT_SHARDS;

    @Option(names = "--output-stream", paramLabel = "NAME", description = "Alert stream. Default: ${DEFAULT-VALUE}.")
    String outputStream = StreamNames.ALERTS;

    @Option(names = "--output-shards", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int outputShards = StreamNames.ALERTS_SHARDS;

    @Option(names = "--dlq-stream", paramLabel = "NAME", description = "Dead-letter stream. Default: ${DEFAULT-VALUE}.")
    String dlqStream = StreamNames.DEAD_LETTERS;

    @Option(names = "--dlq-shards", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int dlqShards = StreamNames.DEAD_LETTERS_SHARDS;

    @Option(names = "--rules-stream", paramLabel = "NAME",
            description = "Rules control stream (one shard). Default: ${DEFAULT-VALUE}.")
    String rulesStream = StreamNames.RULES;

    @Option(names = "--rule-acks-stream", paramLabel = "NAME",
            description = "Rule acknowledgement stream (one shard). Default: ${DEFAULT-VALUE}.")
    String ruleAcksStream = StreamNames.RULE_ACKS;

    @Option(names = "--shadow-alerts-stream", paramLabel = "NAME",
            description = "Shadow-alert stream (one shard). Default: ${DEFAULT-VALUE}.")
    String shadowAlertsStream = StreamNames.SHADOW_ALERTS;

    @Override
    public Integer call() throws Exception {
        Path logFile = log != null ? log : dir.resolve("kinesis-local.log");
        List<StreamSpec> streams = List.of(StreamSpec.of(inputStream, inputShards),
                StreamSpec.of(outputStream, outputShards), StreamSpec.of(dlqStream, dlqShards),
                StreamSpec.of(rulesStream, StreamNames.RULES_SHARDS),
                StreamSpec.of(ruleAcksStream, StreamNames.RULE_ACKS_SHARDS),
                StreamSpec.of(shadowAlertsStream, StreamNames.SHADOW_ALERTS_SHARDS));
        if (existing) {
            LocalKinesis.createStreams(LocalKinesis.endpointFor(port), streams);
            spec.commandLine().getOut().println("Streams " + streams + " ready on " + LocalKinesis.endpointFor(port));
            spec.commandLine().getOut().flush();
            return 0;
        }
        LocalKinesis emulator = LocalKinesis.start(dir, port, logFile, streams);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("emulator: stopping kinesis-local (pid " + emulator.pid() + ")");
            emulator.close();
        }, "emulator-command-shutdown"));
        System.out.println("Local Kinesis ready on " + emulator.endpoint() + " with streams " + streams
                + " (ARN " + StreamNames.localArn(inputStream) + ", ...); log: " + emulator.logFile()
                + "; Ctrl-C to stop");
        System.out.flush();
        int code = emulator.waitFor();
        System.err.println("emulator: kinesis-local exited by itself with code " + code + "; see " + emulator.logFile());
        return 1;
    }
}
