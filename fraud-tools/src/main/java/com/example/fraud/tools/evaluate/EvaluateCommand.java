package com.example.fraud.tools.evaluate;

import com.example.fraud.tools.DurationText;
import com.example.fraud.tools.emulator.StreamNames;
import com.example.fraud.tools.generator.GroundTruth;
import com.example.fraud.tools.generator.GroundTruthFile;
import com.example.fraud.tools.kinesis.EndpointOption;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** {@code evaluate}: reads alerts and dead letters, compares them with the ground truth; exit 0 on a pass. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reads all alerts (from TRIM_HORIZON until caught up) and dead letters, compares them with "
                + "the ground truth of 'generate', and prints precision, recall, misses, extras, duplicates, "
                + "detection latency and the dead-letter check.",
            "Per rule id and version: expected, received, missed and extra alerts, precision, recall and"
                    + " time-to-flag p50/p95/p99; shadow alerts (the shadow-alert stream) apart from live ones.",
            "Exit code 0 when precision = recall = 1.0 for every active rule, else 1."},
        footer = {"", "Example:",
            "  evaluate --endpoint http://127.0.0.1:4568 --truth target/truth.json --wait 90s"})
public final class EvaluateCommand implements Callable<Integer> {
    private static final long CAUGHT_UP_PAUSE_MILLIS = 500;
    private static final long BEHIND_PAUSE_MILLIS = 100;
    /**
     * How long reading may go on past the wait while the streams are still behind: a backlog (records of earlier runs
     * included, at 1,000 per shard and poll) is read to its end, but a stream written without pause, never caught
     * up, still ends.
     */
    static final Duration MAX_CATCH_UP_AFTER_WAIT = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Mixin
    EndpointOption endpoint;

    @Option(names = "--truth", required = true, paramLabel = "FILE", description = "Ground truth from 'generate'.")
    Path truthFile;

    @Option(names = "--alerts-stream", paramLabel = "NAME", description = "Alert stream (default: ${DEFAULT-VALUE}).")
    String alertsStream = StreamNames.ALERTS;

    @Option(names = "--dead-letter-stream", paramLabel = "NAME",
            description = "Dead-letter stream (default: ${DEFAULT-VALUE}).")
    String deadLetterStream = StreamNames.DEAD_LETTERS;

    @Option(names = "--no-dead-letters", description = "Do not read the dead-letter stream.")
    boolean noDeadLetters;

    @Option(names = "--shadow-alerts-stream", paramLabel = "NAME",
            description = "Shadow-alert stream, reported apart from live alerts (default: ${DEFAULT-VALUE}).")
    String shadowStream = StreamNames.SHADOW_ALERTS;

    @Option(names = "--no-shadow", description = "Do not read the shadow-alert stream.")
    boolean noShadow;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE ('-' for "
            + "stdout, instead of the text report).")
    String jsonFile;

    @Option(names = "--wait", paramLabel = "DURATION", converter = DurationText.Converter.class,
            description = "Keep polling until every expected alert and dead letter arrived, or this time is up "
                    + "(default: stop once caught up).")
    Duration waitFor = Duration.ZERO;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        GroundTruth truth = GroundTruthFile.read(truthFile);
        long deadline = System.nanoTime() + waitFor.toNanos();
        EvaluationResult result;
        try (KinesisClient client = endpoint.client()) {
            StreamCollector collector = new StreamCollector(client, alertsStream, noDeadLetters ? null : deadLetterStream,
                    noShadow ? null : shadowStream);
            while (true) {
                boolean any = collector.poll();
                boolean timeUp = System.nanoTime() >= deadline;
                if (collector.caughtUp()) {
                    result = Evaluation.evaluate(truth, collector.alerts(), collector.shadowAlerts(),
                            collector.deadLetters());
                    boolean complete = result.recall == 1.0
                            && result.shadowRules.stream().allMatch(r -> r.recall() == 1.0)
                            && (noDeadLetters || result.deadLettersComplete());
                    if (complete || timeUp) {
                        break;
                    }
                    Thread.sleep(CAUGHT_UP_PAUSE_MILLIS);
                } else {
                    // Behind: read on past the wait, but a stream written without pause never reads as caught up.
                    if (System.nanoTime() - deadline >= MAX_CATCH_UP_AFTER_WAIT.toNanos()) {
                        result = Evaluation.evaluate(truth, collector.alerts(), collector.shadowAlerts(),
                            collector.deadLetters());
                        spec.commandLine().getErr().println("evaluate: warning: still behind on some shard "
                                + MAX_CATCH_UP_AFTER_WAIT.toSeconds() + " s after the wait ended (a stream still "
                                + "being written?): the report covers what was read");
                        break;
                    }
                    if (!any) {
                        Thread.sleep(BEHIND_PAUSE_MILLIS);
                    }
                }
            }
            if ("-".equals(jsonFile)) {
                out = new PrintWriter(java.io.Writer.nullWriter()); // stdout holds the JSON
            }
            out.println("evaluate: " + truthFile + " against " + alertsStream
                    + (noDeadLetters ? "" : " and " + deadLetterStream) + " on " + endpoint.describe() + " ("
                    + collector.alerts().size() + " alert records, " + collector.deadLetters().size() + " dead letters"
                    + (collector.unreadable() > 0 ? ", " + collector.unreadable() + " unreadable" : "") + ")");
        }
        EvaluationReport.print(result, out);
        if (jsonFile != null) {
            com.fasterxml.jackson.databind.ObjectWriter json = new com.fasterxml.jackson.databind.ObjectMapper()
                    .writerWithDefaultPrettyPrinter();
            if ("-".equals(jsonFile)) {
                PrintWriter stdout = spec.commandLine().getOut();
                stdout.println(json.writeValueAsString(EvaluationReport.toJson(result)));
                stdout.flush();
            } else {
                json.writeValue(new java.io.File(jsonFile), EvaluationReport.toJson(result));
            }
        }
        return result.passed() ? 0 : 1;
    }
}
