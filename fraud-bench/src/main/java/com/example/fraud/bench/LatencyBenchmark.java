package com.example.fraud.bench;

import com.example.fraud.detector.FraudDetectorJob;
import com.example.fraud.detector.config.ApplicationProperties;
import com.example.fraud.detector.config.JobConfig;
import com.example.fraud.tools.emulator.LocalKinesis;
import com.example.fraud.tools.emulator.StreamNames;
import com.example.fraud.tools.emulator.StreamSpec;
import com.example.fraud.tools.evaluate.Evaluation;
import com.example.fraud.tools.evaluate.EvaluationResult;
import com.example.fraud.tools.evaluate.StreamCollector;
import com.example.fraud.tools.generator.DetectionConfigFile;
import com.example.fraud.tools.generator.GeneratorClock;
import com.example.fraud.tools.generator.GeneratorConfig;
import com.example.fraud.tools.generator.GroundTruth;
import com.example.fraud.tools.generator.KinesisTarget;
import com.example.fraud.tools.generator.ScenarioMix;
import com.example.fraud.tools.generator.TransactionGenerator;
import com.example.fraud.tools.kinesis.RecordWriter;
import com.example.fraud.tools.probe.PipelineProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Time to flag, measured end to end on the local emulator: from the moment the crossing transaction's
 * PutRecords call returned to the alert's arrival on the output stream (its Kinesis arrival timestamp),
 * for early firing and for window-close firing, in one run, on the same generated scenario.
 */
public final class LatencyBenchmark {
    private LatencyBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path work = Paths.get(ThroughputBenchmark.stringArg(args, "--dir", "target/latency-bench")).toAbsolutePath();
        Path emulatorDir = Paths.get(ThroughputBenchmark.stringArg(args, "--emulator-dir", "emulator")).toAbsolutePath();
        long seconds = ThroughputBenchmark.longArg(args, "--duration", 120);
        int accounts = (int) ThroughputBenchmark.longArg(args, "--accounts", 300);
        String window = ThroughputBenchmark.stringArg(args, "--window", "60 s");
        double over = Double.parseDouble(ThroughputBenchmark.stringArg(args, "--over", "0.5"));
        Files.createDirectories(work);

        List<String> rows = new ArrayList<>();
        for (String firing : new String[] {"EARLY", "WINDOW_CLOSE"}) {
            System.out.printf("%n== %s: %d accounts, %d s, window %s ...%n", firing, accounts, seconds, window);
            EvaluationResult r = run(work, emulatorDir, firing, window, accounts, seconds, over);
            rows.add(String.format(Locale.ROOT, "%-14s %7d %9d %9d %9d %9d   precision %.2f recall %.2f", firing,
                    r.latency.count(), r.latency.p50(), r.latency.p95(), r.latency.p99(), r.latency.max(),
                    r.precision, r.recall));
        }
        System.out.printf("%nTime to flag on the local emulator (ms, crossing PutRecords returned -> alert on the "
                + "output stream), sink buffer 100 ms%n");
        System.out.printf("%-14s %7s %9s %9s %9s %9s%n", "firing", "alerts", "p50", "p95", "p99", "max");
        rows.forEach(System.out::println);
    }

    private static EvaluationResult run(Path work, Path emulatorDir, String firing, String window, int accounts,
            long seconds, double over) throws Exception {
        try (LocalKinesis kinesis = LocalKinesis.start(emulatorDir, 0, work.resolve("kinesis-local-" + firing + ".log"),
                List.of(StreamSpec.of(StreamNames.INPUT, 2), StreamSpec.of(StreamNames.ALERTS, 1),
                        StreamSpec.of(StreamNames.DEAD_LETTERS, 1)))) {
            Path config = work.resolve("application-properties-" + firing + ".json");
            Files.writeString(config, properties(kinesis.endpoint().toString(), firing, window));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
            env.enableCheckpointing(10_000);
            FraudDetectorJob.define(env, JobConfig.fromPropertyGroups(ApplicationProperties.fromFile(config)), false);
            JobClient job = env.executeAsync("latency " + firing);
            try {
                PipelineProbe.await(kinesis.client(), StreamNames.INPUT, StreamNames.DEAD_LETTERS, Duration.ofSeconds(120));
                // Many bursts, so that one run gives a few hundred alerts.
                ScenarioMix mix = new ScenarioMix(over, 0.01, 0.005, 0.05, 0, 0);
                GeneratorConfig scenario = GeneratorConfig.builder().rule(DetectionConfigFile.read(config)).mix(mix)
                        .accounts(accounts).rate(100).duration(Duration.ofSeconds(seconds)).seed(5).build();
                GroundTruth truth = new TransactionGenerator(scenario,
                        new KinesisTarget(new RecordWriter(kinesis.client(), StreamNames.INPUT)), GeneratorClock.system())
                        .run();
                StreamCollector collector = new StreamCollector(kinesis.client(), StreamNames.ALERTS, StreamNames.DEAD_LETTERS);
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                EvaluationResult result;
                do {
                    Thread.sleep(500);
                    collector.poll();
                    result = Evaluation.evaluate(truth, collector.alerts(), collector.deadLetters());
                } while (!result.missed.isEmpty() && System.nanoTime() < deadline);
                printByMinute(truth, collector);
                return result;
            } finally {
                job.cancel().get();
            }
        }
    }

    /** p99 per minute of the run: shows whether the tail comes from warm-up or from a filling emulator shard. */
    private static void printByMinute(GroundTruth truth, StreamCollector collector) {
        java.util.Map<String, Long> sentAt = new java.util.HashMap<>();
        truth.expectedAlerts.forEach(a -> sentAt.put(a.alertId, a.crossingSentAtMs));
        java.util.TreeMap<Long, List<Long>> byMinute = new java.util.TreeMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (var received : collector.alerts()) {
            Long sent = sentAt.get(received.alert.alertId);
            if (sent != null && seen.add(received.alert.alertId)) {
                byMinute.computeIfAbsent((sent - truth.run.startedAtMs) / 60_000, k -> new ArrayList<>())
                        .add(received.arrivalMillis - sent);
            }
        }
        byMinute.forEach((minute, latencies) -> {
            latencies.sort(null);
            System.out.printf(Locale.ROOT, "  minute %d: %3d alerts, p50 %5d ms, p99 %5d ms, max %5d ms%n", minute,
                    latencies.size(), latencies.get(latencies.size() / 2),
                    latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1), latencies.get(latencies.size() - 1));
        });
    }

    private static String properties(String endpoint, String firing, String window) {
        String aws = "\"aws.endpoint\":\"" + endpoint + "\",\"aws.credentials.provider\":\"BASIC\","
                + "\"aws.credentials.provider.basic.accesskeyid\":\"local\","
                + "\"aws.credentials.provider.basic.secretkey\":\"local\"";
        return "[{\"PropertyGroupId\":\"InputStream\",\"PropertyMap\":{\"stream.arn\":\"" + StreamNames.localArn(StreamNames.INPUT)
                + "\",\"initial.position\":\"TRIM_HORIZON\"," + aws + "}},"
                + "{\"PropertyGroupId\":\"AlertStream\",\"PropertyMap\":{\"stream.arn\":\"" + StreamNames.localArn(StreamNames.ALERTS)
                + "\",\"max.buffer.time\":\"100 ms\"," + aws + "}},"
                + "{\"PropertyGroupId\":\"DeadLetterStream\",\"PropertyMap\":{\"stream.arn\":\""
                + StreamNames.localArn(StreamNames.DEAD_LETTERS) + "\",\"max.buffer.time\":\"100 ms\"," + aws + "}},"
                + "{\"PropertyGroupId\":\"Detection\",\"PropertyMap\":{\"window.size\":\"" + window
                + "\",\"watermark.idle.timeout\":\"5 s\",\"firing\":\"" + firing + "\"}}]";
    }
}
