package com.example.fraud.it;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import com.example.fraud.tools.kinesis.RecordWriter;
import com.example.fraud.tools.generator.TransactionGenerator;
import com.example.fraud.tools.generator.KinesisTarget;
import com.example.fraud.tools.generator.GeneratorConfig;
import com.example.fraud.tools.generator.GeneratorClock;
import com.example.fraud.tools.generator.DetectionConfigFile;
import com.example.fraud.tools.emulator.LocalKinesis;
import com.example.fraud.tools.emulator.StreamNames;
import com.example.fraud.tools.evaluate.EvaluationReport;
import com.example.fraud.tools.evaluate.EvaluationResult;
import com.example.fraud.tools.evaluate.StreamCollector;
import com.example.fraud.tools.generator.GroundTruth;
import com.example.fraud.tools.generator.ScenarioMix;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** What the integration tests share: where things are, the emulator, the config file, waiting for results. */
final class TestEnvironment {
    private TestEnvironment() {}

    static Path emulatorDir() {
        return Paths.get(System.getProperty("emulator.dir", "../emulator")).toAbsolutePath().normalize();
    }

    static Path appJar() {
        Path jar = Paths.get(System.getProperty("app.jar", "")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Application jar " + jar + " is missing: run the tests with `mvn verify`"
                    + " from the root, which packages fraud-detector first");
        }
        return jar;
    }

    /** A fresh emulator on a free port with every stream of the job, the input on two shards. */
    static LocalKinesis startKinesis(Path logDir) throws IOException {
        Files.createDirectories(logDir);
        return LocalKinesis.start(emulatorDir(), 0, logDir.resolve("kinesis-local.log"),
                StreamNames.withInputShards(2));
    }

    /** A fresh emulator on a free port with the input stream on the given number of shards. */
    static LocalKinesis startKinesis(Path logDir, int inputShards) throws IOException {
        Files.createDirectories(logDir);
        return LocalKinesis.start(emulatorDir(), 0, logDir.resolve("kinesis-local.log"),
                StreamNames.withInputShards(inputShards));
    }

    /**
     * The job's property groups for this emulator, in the same format as config/ and MSF. Short windows so
     * that the tests see windows close within seconds.
     */
    static Path writeConfig(Path file, URI endpoint, String firing) throws IOException {
        return writeConfig(file, endpoint, firing, Map.of("initial.position", "TRIM_HORIZON"));
    }

    /** As {@link #writeConfig(Path, URI, String)}, with exactly these extra InputStream properties (none: defaults). */
    static Path writeConfig(Path file, URI endpoint, String firing, Map<String, String> inputExtras)
            throws IOException {
        Map<String, String> detection = new LinkedHashMap<>();
        detection.put("threshold", "3000.00");
        detection.put("window.size", "10 s");
        detection.put("watermark.max.out.of.orderness", "5 s");
        detection.put("watermark.idle.timeout", "5 s");
        detection.put("allowed.lateness", "5 s");
        detection.put("max.clock.skew", "5 s"); // at most allowed.lateness
        detection.put("firing", firing);
        String json = "[" + String.join(",",
                group("InputStream", stream(StreamNames.INPUT, endpoint, inputExtras)),
                group("AlertStream", stream(StreamNames.ALERTS, endpoint, Map.of("max.buffer.time", "100 ms"))),
                group("DeadLetterStream", stream(StreamNames.DEAD_LETTERS, endpoint, Map.of())),
                group("RuleStream", stream(StreamNames.RULES, endpoint, Map.of())),
                group("RuleAckStream", stream(StreamNames.RULE_ACKS, endpoint, Map.of("max.buffer.time", "100 ms"))),
                group("ShadowAlertStream", stream(StreamNames.SHADOW_ALERTS, endpoint,
                        Map.of("max.buffer.time", "100 ms"))),
                group("Detection", detection)) + "]";
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return file;
    }

    /** Adds a Rules group naming {@code rulesFile} (the job's rule set) to the config file. */
    static Path withRules(Path config, Path rulesFile) throws IOException {
        String json = Files.readString(config).trim();
        Files.writeString(config, json.substring(0, json.lastIndexOf(']'))
                + ",{\"PropertyGroupId\":\"Rules\",\"PropertyMap\":{\"file\":\"" + rulesFile + "\"}}]");
        return config;
    }

    /**
     * The shard idleness of the job's default (30 s) instead of the tests' 5 s. For the tests that stop and resume
     * under load: the emulator can leave a shard unread for more than 5 s, and once its records are LATE against a
     * window the others closed, the test's exact totals would fail for a reason that is not the one under test.
     */
    static Path withDefaultIdleness(Path config) throws IOException {
        String json = Files.readString(config);
        String shorter = "\"watermark.idle.timeout\":\"5 s\"";
        if (!json.contains(shorter)) {
            throw new IllegalStateException("no 5 s idle timeout in " + config);
        }
        Files.writeString(config, json.replace(shorter, "\"watermark.idle.timeout\":\"30 s\""));
        return config;
    }

    private static Map<String, String> stream(String name, URI endpoint, Map<String, String> extra) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("stream.arn", StreamNames.localArn(name));
        m.put("aws.endpoint", endpoint.toString());
        m.put("aws.credentials.provider", "BASIC");
        m.put("aws.credentials.provider.basic.accesskeyid", "local");
        m.put("aws.credentials.provider.basic.secretkey", "local");
        m.putAll(extra);
        return m;
    }

    private static String group(String id, Map<String, String> properties) {
        return "{\"PropertyGroupId\":\"" + id + "\",\"PropertyMap\":{" + properties.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"").collect(Collectors.joining(",")) + "}}";
    }

    /** Reads the alert and dead-letter streams until everything the truth expects is there, or the time is up. */
    static StreamCollector collectUntilComplete(LocalKinesis kinesis, GroundTruth truth, Duration timeout)
            throws InterruptedException {
        StreamCollector collector = new StreamCollector(kinesis.client(), StreamNames.ALERTS, StreamNames.DEAD_LETTERS);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            collector.poll();
            EvaluationResult r = com.example.fraud.tools.evaluate.Evaluation.evaluate(
                    truth, collector.alerts(), collector.deadLetters());
            if (collector.caughtUp() && r.missed.isEmpty() && r.deadLettersComplete()) {
                // One more pass after a pause: extra or duplicate alerts would show up here.
                Thread.sleep(2_000);
                collector.poll();
                return collector;
            }
            Thread.sleep(500);
        }
        return collector;
    }

    static void print(EvaluationResult result) {
        PrintWriter out = new PrintWriter(System.out, true);
        EvaluationReport.print(result, out);
        out.flush();
    }

    /**
     * Default mix without beyond-lateness records: after a restore the watermark starts again from the backlog, so
     * whether such a record is late depends on read timing. DetectorEndToEndTest covers them.
     */
    static ScenarioMix mixWithoutLateRecords() {
        ScenarioMix defaults = ScenarioMix.defaults();
        return new ScenarioMix(defaults.over, defaults.under, defaults.exact, defaults.delayed, 0, 0.01);
    }

    /** Exactly the expected alerts after alert_id dedup, no malformed record lost; shared by the recovery tests. */
    static void assertExactAfterDedup(GroundTruth truth, EvaluationResult result, int minExpectedAlerts) {
        org.assertj.core.api.Assertions.assertThat(truth.totals.expectedAlerts)
                .isGreaterThanOrEqualTo(minExpectedAlerts);
        org.assertj.core.api.Assertions.assertThat(truth.totals.failed).isZero();
        org.assertj.core.api.Assertions.assertThat(result.missed).isEmpty();
        org.assertj.core.api.Assertions.assertThat(result.extra).isEmpty();
        org.assertj.core.api.Assertions.assertThat(result.flaggedAtThreshold).isEmpty();
        org.assertj.core.api.Assertions.assertThat(result.totalMismatches).isEmpty();
        org.assertj.core.api.Assertions.assertThat(result.precision).isEqualTo(1.0);
        org.assertj.core.api.Assertions.assertThat(result.recall).isEqualTo(1.0);
        org.assertj.core.api.Assertions.assertThat(result.malformedMissing).isEmpty();
    }

    /** A seeded generator writing its scenario to the input stream, with the rule read from the job's config. */
    static TransactionGenerator generator(LocalKinesis kinesis, Path config, ScenarioMix mix, int accounts,
            double rate, Duration duration, long seed) throws IOException {
        GeneratorConfig scenario = GeneratorConfig.builder().rule(DetectionConfigFile.read(config)).mix(mix)
                .accounts(accounts).rate(rate).duration(duration).seed(seed).build();
        return new TransactionGenerator(scenario,
                new KinesisTarget(new RecordWriter(kinesis.client(), StreamNames.INPUT)), GeneratorClock.system());
    }

    /** Runs the generator on another thread, so a test can stop, kill or reshard while transactions flow. */
    static CompletableFuture<GroundTruth> runAsync(TransactionGenerator generator) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return generator.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        });
    }
}
