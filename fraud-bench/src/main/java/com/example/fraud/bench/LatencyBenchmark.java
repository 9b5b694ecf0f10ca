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
import com.example.fraud.tools.rules.RuleSetFile;
import com.example.fraud.model.DeadLetterCodec;
import com.example.fraud.tools.kinesis.StreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import software.amazon.awssdk.services.kinesis.model.Record;

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
        // --rules FILE|default: one EARLY run with a rule set and the generator's scenarios for each of its rules.
        String rulesArg = ThroughputBenchmark.stringArg(args, "--rules", null);
        long seconds = ThroughputBenchmark.longArg(args, "--duration", rulesArg != null ? 150 : 120); // >= 200 a type
        int accounts = (int) ThroughputBenchmark.longArg(args, "--accounts", 300);
        String window = ThroughputBenchmark.stringArg(args, "--window", "60 s");
        double over = Double.parseDouble(ThroughputBenchmark.stringArg(args, "--over", "0.5"));
        // --flood RATE: EARLY without, then EARLY with RATE bad records/s written next to the 100 good ones/s.
        double flood = Double.parseDouble(ThroughputBenchmark.stringArg(args, "--flood", "0"));
        // --dead-letters-apart: the dead-letter stream on an emulator process of its own, as its shards are
        // independent of the input's on AWS, so that its capacity is not shared with the flood's writes.
        boolean apart = java.util.Arrays.asList(args).contains("--dead-letters-apart");
        double perMinute = Double.parseDouble(ThroughputBenchmark.stringArg(args, "--scenarios-per-minute", "140"));
        int background = (int) ThroughputBenchmark.longArg(args, "--rate", rulesArg != null ? 20 : 100);
        // The emulator (kinesis-mock 0.6.2) costs O(records already in the shard) for every record written (its
        // PutRecords groups the batch by a key that holds the shard's whole record vector), so a filling shard
        // slows every write and every reader queued behind it. The per-rule run writes ~15 k records and ~2.5 k
        // alerts: spread over shards, as a real stream is scaled to its load.
        int inputShards = (int) ThroughputBenchmark.longArg(args, "--input-shards", rulesArg != null ? 16 : 2);
        int alertShards = (int) ThroughputBenchmark.longArg(args, "--alert-shards", rulesArg != null ? 4 : 1);
        List<StreamSpec> streams = streams(inputShards, alertShards);
        Files.createDirectories(work);
        if (rulesArg != null) {
            perRule(work, emulatorDir, streams, rulesArg, accounts, seconds, perMinute, background);
            return;
        }

        String[] firings = flood > 0 ? new String[] {"EARLY", "EARLY"} : new String[] {"EARLY", "WINDOW_CLOSE"};
        List<String> rows = new ArrayList<>();
        List<String> loads = new ArrayList<>();
        for (int i = 0; i < firings.length; i++) {
            String firing = firings[i];
            double rate = flood > 0 && i == 1 ? flood : 0;
            String label = rate > 0 ? firing + "+flood" : firing;
            System.out.printf("%n== %s: %d accounts, %d s, window %s ...%n", label, accounts, seconds, window);
            StringBuilder load = new StringBuilder();
            EvaluationResult r = run(work.resolve(label), emulatorDir, streams, firing, window, accounts, seconds,
                    over, rate, apart, load);
            rows.add(String.format(Locale.ROOT, "%-14s %7d %9d %9d %9d %9d   precision %.2f recall %.2f", label,
                    r.latency.count(), r.latency.p50(), r.latency.p95(), r.latency.p99(), r.latency.max(),
                    r.precision, r.recall));
            loads.add(label + ":\n" + load);
        }
        System.out.printf("%nTime to flag on the local emulator (ms, crossing PutRecords returned -> alert on the "
                + "output stream), sink buffer 100 ms%n");
        System.out.printf("%-14s %7s %9s %9s %9s %9s%n", "firing", "alerts", "p50", "p95", "p99", "max");
        rows.forEach(System.out::println);
        System.out.println();
        loads.forEach(System.out::print);
    }

    /**
     * Time to flag per rule: one run with the rule set in the job's Rules group and the generator's scenarios for
     * every rule (each on keys of its own), evaluated per rule id.
     */
    private static void perRule(Path work, Path emulatorDir, List<StreamSpec> streams, String rulesArg, int accounts,
            long seconds, double perMinute, int rate) throws Exception {
        Path rulesFile = work.resolve("rules.json");
        if ("default".equals(rulesArg)) {
            try (java.io.InputStream in = LatencyBenchmark.class.getResourceAsStream("/rules-latency.json")) {
                Files.write(rulesFile, in.readAllBytes());
            }
        } else {
            Files.copy(Paths.get(rulesArg), rulesFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<com.example.fraud.rules.Rule> rules = RuleSetFile.read(rulesFile);
        System.out.printf("%n== per rule: %d rules from %s, %d accounts, %d s, %.0f scenarios per rule and minute, "
                + "background %d/s, input shards %d, alert shards %d%n", rules.size(),
                "default".equals(rulesArg) ? "rules-latency.json" : rulesArg, accounts, seconds, perMinute, rate,
                streams.get(0).shards(), streams.get(1).shards());
        StringBuilder load = new StringBuilder();
        EvaluationResult r = run(work.resolve("per-rule"), emulatorDir, streams, "EARLY", "10 s", accounts, seconds,
                0, 0, false, load, rulesFile, rules, perMinute, rate);
        System.out.printf("%nTime to flag per rule on the local emulator (ms, deciding record's PutRecords returned "
                + "-> alert on the output stream), sink buffer 100 ms%n");
        System.out.printf("%-14s %-24s %7s %9s %9s %9s %9s   %s%n", "rule", "type", "alerts", "p50", "p95", "p99",
                "max", "precision / recall");
        java.util.Map<String, String> types = new java.util.HashMap<>();
        rules.forEach(rule -> types.put(rule.id(), rule.type().name()));
        List<com.example.fraud.tools.evaluate.RuleResult> all = new ArrayList<>(r.rules);
        all.addAll(r.shadowRules);
        for (com.example.fraud.tools.evaluate.RuleResult rr : all) {
            System.out.printf(Locale.ROOT, "%-14s %-24s %7d %9d %9d %9d %9d   %.2f / %.2f%s%n", rr.ruleId,
                    types.get(rr.ruleId), rr.timeToFlag.count(), rr.timeToFlag.p50(), rr.timeToFlag.p95(),
                    rr.timeToFlag.p99(), rr.timeToFlag.max(), rr.precision(), rr.recall(),
                    "SHADOW".equals(rr.mode) ? " (shadow stream)" : "");
        }
        // Per rule type: the time-to-flag of all its rules' alerts together.
        java.util.Map<String, com.example.fraud.tools.evaluate.LatencySummary> byType = new java.util.TreeMap<>();
        for (com.example.fraud.tools.evaluate.RuleResult rr : all) {
            byType.computeIfAbsent(types.get(rr.ruleId), k -> new com.example.fraud.tools.evaluate.LatencySummary())
                    .addAll(rr.timeToFlag);
        }
        System.out.printf("%nper rule type:%n");
        byType.forEach((type, l) -> System.out.printf(Locale.ROOT, "%-39s %7d %9d %9d %9d %9d%n", type, l.count(),
                l.p50(), l.p95(), l.p99(), l.max()));
        System.out.println();
        System.out.print(load);
    }


    private static EvaluationResult run(Path work, Path emulatorDir, List<StreamSpec> streams, String firing,
            String window, int accounts, long seconds, double over, double flood, boolean apart, StringBuilder load)
            throws Exception {
        return run(work, emulatorDir, streams, firing, window, accounts, seconds, over, flood, apart, load, null, null,
                0, 100);
    }

    /** {@code streams}: the input first, then the alerts. */
    private static EvaluationResult run(Path work, Path emulatorDir, List<StreamSpec> streams, String firing,
            String window, int accounts, long seconds, double over, double flood, boolean apart, StringBuilder load,
            Path rulesFile, List<com.example.fraud.rules.Rule> rules, double perMinute, int rate) throws Exception {
        Files.createDirectories(work);
        try (LocalKinesis kinesis = LocalKinesis.start(emulatorDir, 0, work.resolve("kinesis-local-" + firing + ".log"),
                streams);
                LocalKinesis dlq = apart ? LocalKinesis.start(emulatorDir, 0,
                        work.resolve("kinesis-local-dead-letters-" + firing + ".log"),
                        List.of(StreamSpec.of(StreamNames.DEAD_LETTERS, 2))) : null) {
            LocalKinesis deadLetterKinesis = dlq != null ? dlq : kinesis;
            Path config = work.resolve("application-properties-" + firing + ".json");
            Files.writeString(config, properties(kinesis.endpoint().toString(),
                    deadLetterKinesis.endpoint().toString(), firing, window, rulesFile));
            Configuration flinkConf = new Configuration();
            int restPort = LocalKinesis.freePort();
            flinkConf.set(RestOptions.PORT, restPort);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flinkConf);
            env.setParallelism(1);
            env.enableCheckpointing(10_000);
            FraudDetectorJob.define(env, JobConfig.fromPropertyGroups(ApplicationProperties.fromFile(config)), false);
            JobClient job = env.executeAsync("latency " + firing);
            ScheduledExecutorService sampling = Executors.newSingleThreadScheduledExecutor();
            Thread floodThread = null;
            FloodWriter floodWriter = null;
            try {
                PipelineProbe.await(kinesis.client(), StreamNames.INPUT, deadLetterKinesis.client(),
                        StreamNames.DEAD_LETTERS, Duration.ofSeconds(120));
                StreamReader deadLetterReader = new StreamReader(deadLetterKinesis.client(), StreamNames.DEAD_LETTERS,
                        StreamReader.Start.TRIM_HORIZON);
                Map<String, Integer> deadLetters = new TreeMap<>();
                countDeadLetters(deadLetterReader, deadLetters); // the probe's own
                deadLetters.clear();
                LoadSampler sampler = new LoadSampler("http://127.0.0.1:" + restPort, job.getJobID().toString(),
                        kinesis.pid());
                sampler.start();
                sampling.scheduleWithFixedDelay(sampler::sample, 2, 3, TimeUnit.SECONDS);
                if (flood > 0) {
                    floodWriter = new FloodWriter(new RecordWriter(kinesis.client(), StreamNames.INPUT), flood);
                    floodThread = new Thread(floodWriter, "flood");
                    floodThread.start();
                }
                // Many bursts, so that one run gives a few hundred alerts.
                ScenarioMix mix = new ScenarioMix(over, 0.01, 0.005, 0.05, 0, 0);
                GeneratorConfig.Builder builder = GeneratorConfig.builder().rule(DetectionConfigFile.read(config))
                        .mix(mix).accounts(accounts).rate(rate).duration(Duration.ofSeconds(seconds)).seed(5);
                if (rules != null) { // the rules' own scenarios, not the default rule's bursts
                    builder.rules(rules).mix(new ScenarioMix(0, 0, 0, 0.05, 0, 0)).scenariosPerMinute(perMinute);
                }
                GeneratorConfig scenario = builder.build();
                GroundTruth truth = new TransactionGenerator(scenario,
                        new KinesisTarget(new RecordWriter(kinesis.client(), StreamNames.INPUT)), GeneratorClock.system())
                        .run();
                if (floodThread != null) {
                    floodWriter.stop();
                    floodThread.join();
                }
                sampling.shutdown();
                // Dead letters are counted apart: the flood's are not part of the generator's ground truth.
                StreamCollector collector = new StreamCollector(kinesis.client(), StreamNames.ALERTS, null,
                        StreamNames.SHADOW_ALERTS);
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                EvaluationResult result;
                do {
                    Thread.sleep(500);
                    collector.poll();
                    result = Evaluation.evaluate(truth, collector.alerts(), collector.shadowAlerts(),
                            collector.deadLetters());
                } while ((!result.missed.isEmpty() || result.shadowRules.stream().anyMatch(x -> !x.missed.isEmpty()))
                        && System.nanoTime() < deadline);
                sampling.awaitTermination(10, TimeUnit.SECONDS);
                load.append(sampler.report());
                long expected = floodWriter == null ? 0 : floodWriter.stored();
                long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                int total;
                int idle = 0;
                do {
                    int got = countDeadLetters(deadLetterReader, deadLetters);
                    total = deadLetters.values().stream().mapToInt(Integer::intValue).sum();
                    idle = got == 0 && deadLetterReader.caughtUp() ? idle + 1 : 0;
                    if (got == 0) {
                        Thread.sleep(500);
                    }
                } while (total < expected && idle < 10 && System.nanoTime() < until);
                if (floodWriter != null) {
                    load.append(String.format(Locale.ROOT, "  flood: %d bad records stored (%.0f/s achieved of %.0f/s "
                            + "asked, %d failed) next to %d good ones%n", floodWriter.stored(),
                            floodWriter.achievedRate(), flood, floodWriter.failed(), truth.totals.stored));
                }
                load.append("  records stored on the input stream: ").append(truth.totals.stored).append('\n');
                load.append("  dead letters on the stream: ").append(total).append(' ').append(deadLetters)
                        .append('\n');
                printByMinute(truth, collector);
                return result;
            } finally {
                sampling.shutdownNow();
                if (floodWriter != null) {
                    floodWriter.stop();
                }
                job.cancel().get();
            }
        }
    }

    /** Every stream of the job: the input first, then the alerts; shadow alerts as many shards as alerts. */
    private static List<StreamSpec> streams(int inputShards, int alertShards) {
        return List.of(StreamSpec.of(StreamNames.INPUT, inputShards), StreamSpec.of(StreamNames.ALERTS, alertShards),
                StreamSpec.of(StreamNames.DEAD_LETTERS, StreamNames.DEAD_LETTERS_SHARDS),
                StreamSpec.of(StreamNames.RULES, StreamNames.RULES_SHARDS),
                StreamSpec.of(StreamNames.RULE_ACKS, StreamNames.RULE_ACKS_SHARDS),
                StreamSpec.of(StreamNames.SHADOW_ALERTS, alertShards));
    }

    /** Reads what the dead-letter stream has now; counts by reason. Returns how many records it read. */
    private static int countDeadLetters(StreamReader reader, Map<String, Integer> byReason) {
        List<Record> records = reader.poll();
        for (Record r : records) {
            String reason;
            try {
                reason = DeadLetterCodec.decode(r.data().asByteArrayUnsafe()).reason;
            } catch (RuntimeException e) {
                reason = "unreadable";
            }
            byReason.merge(reason, 1, Integer::sum);
        }
        return records.size();
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

    private static String properties(String endpoint, String deadLetterEndpoint, String firing, String window,
            Path rulesFile) {
        String aws = aws(endpoint);
        return "[{\"PropertyGroupId\":\"InputStream\",\"PropertyMap\":{\"stream.arn\":\"" + StreamNames.localArn(StreamNames.INPUT)
                + "\",\"initial.position\":\"TRIM_HORIZON\"," + aws + "}},"
                + "{\"PropertyGroupId\":\"AlertStream\",\"PropertyMap\":{\"stream.arn\":\"" + StreamNames.localArn(StreamNames.ALERTS)
                + "\",\"max.buffer.time\":\"100 ms\"," + aws + "}},"
                + "{\"PropertyGroupId\":\"DeadLetterStream\",\"PropertyMap\":{\"stream.arn\":\""
                + StreamNames.localArn(StreamNames.DEAD_LETTERS) + "\",\"max.buffer.time\":\"100 ms\","
                + aws(deadLetterEndpoint) + "}},"
                + stream("RuleStream", StreamNames.RULES, "", aws)
                + stream("RuleAckStream", StreamNames.RULE_ACKS, "\"max.buffer.time\":\"100 ms\",", aws)
                + stream("ShadowAlertStream", StreamNames.SHADOW_ALERTS, "\"max.buffer.time\":\"100 ms\",", aws)
                + (rulesFile == null ? "" : "{\"PropertyGroupId\":\"Rules\",\"PropertyMap\":{\"file\":\""
                        + rulesFile.toAbsolutePath() + "\"}},")
                + "{\"PropertyGroupId\":\"Detection\",\"PropertyMap\":{\"window.size\":\"" + window
                + "\",\"watermark.idle.timeout\":\"5 s\",\"firing\":\"" + firing + "\"}}]";
    }

    private static String stream(String group, String name, String extra, String aws) {
        return "{\"PropertyGroupId\":\"" + group + "\",\"PropertyMap\":{\"stream.arn\":\"" + StreamNames.localArn(name)
                + "\"," + extra + aws + "}},";
    }

    private static String aws(String endpoint) {
        return "\"aws.endpoint\":\"" + endpoint + "\",\"aws.credentials.provider\":\"BASIC\","
                + "\"aws.credentials.provider.basic.accesskeyid\":\"local\","
                + "\"aws.credentials.provider.basic.secretkey\":\"local\"";
    }
}
