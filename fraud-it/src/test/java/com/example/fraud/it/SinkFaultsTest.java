package com.example.fraud.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.fraud.detector.FraudDetectorJob;
import com.example.fraud.detector.config.ApplicationProperties;
import com.example.fraud.detector.config.JobConfig;
import com.example.fraud.detector.sink.MonitoredSink;
import com.example.fraud.it.faults.FaultInjectingProxy;
import com.example.fraud.it.faults.FaultInjectingProxy.Fault;
import com.example.fraud.tools.emulator.LocalKinesis;
import com.example.fraud.tools.emulator.StreamNames;
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
import com.example.fraud.tools.kinesis.StreamReader;
import com.example.fraud.tools.rules.RuleControl;
import com.example.fraud.rules.RuleAck;
import java.nio.charset.StandardCharsets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The alert sink behind a proxy that throttles, fails, slows and drops its PutRecords calls (the input and
 * dead-letter streams reach the emulator directly). No alert may be lost or invented, and the failures must be
 * visible: a metric and a rate-limited WARN.
 */
class SinkFaultsTest {
    private static final String WARN_LOGGER = "com.example.fraud.detector.sink";
    private static final String WARN_PREFIX = "Kinesis sink to stream " + StreamNames.ALERTS + ":";
    // Retained: a restart replaces the writer and its counters, and the test sums over all of them.
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private WarnCapture capture;

    @BeforeEach
    void captureWarnings() {
        capture = new WarnCapture(warnings);
        capture.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        LoggerConfig logger = new LoggerConfig(WARN_LOGGER, Level.WARN, true);
        logger.addAppender(capture, Level.WARN, null);
        context.getConfiguration().addLogger(WARN_LOGGER, logger);
        context.updateLoggers();
    }

    @AfterEach
    void stopCapturing() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().removeLogger(WARN_LOGGER);
        context.updateLoggers();
        capture.stop();
    }

    @Test
    @Timeout(240)
    void noAlertIsLostWhileTheAlertStreamFailsAndTheFailuresShow() throws Exception {
        Path work = Paths.get("target", "sink-faults").toAbsolutePath();
        LocalKinesis kinesis = TestEnvironment.startKinesis(work);
        try (kinesis; FaultInjectingProxy proxy = FaultInjectingProxy.start(kinesis.endpoint())) {
            Path config = alertsThrough(proxy.endpoint(), TestEnvironment.writeConfig(
                    work.resolve("application-properties.json"), kinesis.endpoint(), "EARLY"));
            JobClient job = startJob(kinesis, config);
            try {
                CompletableFuture<GroundTruth> generated = CompletableFuture.supplyAsync(() -> generate(kinesis, config,
                        Duration.ofSeconds(30)));
                long faultsStarted = System.nanoTime();
                // Each fault stays on until it has answered a few PutRecords calls: alerts fail, stay buffered,
                // and meet the next fault on their retries.
                for (Fault fault : List.of(Fault.THROTTLE, Fault.THROTTLE_ENTRIES, Fault.ERROR_500, Fault.ERROR_503,
                        Fault.SLOW, Fault.DROP)) {
                    proxy.fault(fault);
                    System.out.println("[faults] now " + fault + "; so far " + callsPerFault(proxy));
                    if (fault == Fault.DROP) {
                        // Dropped on every SDK attempt (3): an SdkClientException, fatal to the connector.
                        await().atMost(Duration.ofSeconds(40))
                                .until(() -> counterOrGauge(job.getJobID(), "numRestarts") >= 1);
                    } else {
                        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(40))
                                .until(() -> proxy.putRecords(fault) >= 2);
                    }
                    if (fault == Fault.THROTTLE) {
                        // The gauge the CloudFormation template alarms on: failing within the last minute.
                        await().atMost(Duration.ofSeconds(10)).until(() -> "1".equals(
                                value(job.getJobID(), MonitoredSink.FAILING, StreamNames.ALERTS)));
                    }
                }
                proxy.fault(Fault.NONE);
                long faultSeconds = Duration.ofNanos(System.nanoTime() - faultsStarted).toSeconds();
                GroundTruth truth = generated.get();

                StreamCollector collected =
                        TestEnvironment.collectUntilComplete(kinesis, truth, Duration.ofSeconds(90));
                EvaluationResult result = Evaluation.evaluate(truth, collected.alerts(), collected.deadLetters());
                TestEnvironment.print(result);
                long failedEntries = counter(job.getJobID(), "sinkFailedEntries", StreamNames.ALERTS);
                System.out.println("[faults] PutRecords content types " + proxy.contentTypes() + "; calls per fault: "
                        + callsPerFault(proxy) + "; failed entries " + failedEntries + " over " + faultSeconds
                        + " s of faults; restarts " + counterOrGauge(job.getJobID(), "numRestarts") + "; WARN lines "
                        + warnings.size() + "; alerts received " + collected.alerts().size() + ", expected "
                        + truth.totals.expectedAlerts + ", duplicates " + result.duplicatesDropped);

                // No alert lost, none invented, after dedup by alert_id.
                assertThat(truth.totals.expectedAlerts).isGreaterThanOrEqualTo(5);
                assertThat(result.missed).isEmpty();
                assertThat(result.extra).isEmpty();
                assertThat(result.precision).isEqualTo(1.0);
                assertThat(result.recall).isEqualTo(1.0);
                // The failures show: in the CloudWatch metric, equal to Flink's own error counter.
                assertThat(failedEntries).isPositive();
                assertThat(counter(job.getJobID(), "numRecordsOutErrors", StreamNames.ALERTS))
                        .isEqualTo(failedEntries);
                // ...and in a WARN at most every 30 s per writer, not one per failure. The dropped connections
                // restarted the job from its last checkpoint, with a new writer.
                long restarts = counterOrGauge(job.getJobID(), "numRestarts");
                List<String> alertWarnings = warningsFor(WARN_PREFIX);
                assertThat(alertWarnings).isNotEmpty();
                assertThat((long) alertWarnings.size()).isLessThanOrEqualTo((1 + restarts) * (1 + faultSeconds / 30))
                        .isLessThan(failedEntries);
            } finally {
                job.cancel().get();
            }
        }
    }

    /**
     * A shadow rule that alerts on every transaction while its stream refuses them (every PutRecords throttled, then
     * every entry of each): once the shadow sink's buffer is full its alerts are dropped and counted, and the live
     * rule loses nothing. Without it, the shadow sink blocks the rules (it is chained to them) and live alerts stop.
     * When the stream takes writes again, what was buffered arrives and no more is dropped.
     */
    @Test
    @Timeout(240)
    void aThrottledShadowStreamDropsShadowAlertsAndHoldsBackNoLiveOne() throws Exception {
        Path work = Paths.get("target", "sink-faults-shadow").toAbsolutePath();
        LocalKinesis kinesis = TestEnvironment.startKinesis(work);
        try (kinesis; FaultInjectingProxy proxy = FaultInjectingProxy.start(kinesis.endpoint())) {
            Path config = streamThrough("ShadowAlertStream", proxy.endpoint(), Map.of("max.buffered.entries", "100"),
                    TestEnvironment.writeConfig(work.resolve("application-properties.json"), kinesis.endpoint(),
                            "EARLY"));
            proxy.fault(Fault.THROTTLE);
            JobClient job = startJob(kinesis, config);
            try {
                RuleAck ack = new RuleControl(kinesis.client(), StreamNames.RULES, StreamNames.RULE_ACKS)
                        .put(EVERY_TRANSACTION.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));
                assertThat(ack.status).isEqualTo(RuleAck.Status.APPLIED);
                CompletableFuture<GroundTruth> generated = CompletableFuture.supplyAsync(() -> generate(kinesis, config,
                        Duration.ofSeconds(20)));
                Thread.sleep(10_000);
                proxy.fault(Fault.THROTTLE_ENTRIES); // each entry refused: the connector's partial-failure path
                GroundTruth truth = generated.get();

                StreamCollector collected =
                        TestEnvironment.collectUntilComplete(kinesis, truth, Duration.ofSeconds(90));
                EvaluationResult result = Evaluation.evaluate(truth, collected.alerts(), collected.deadLetters());
                TestEnvironment.print(result);
                long dropped = counter(job.getJobID(), "sinkDroppedEntries", StreamNames.SHADOW_ALERTS);
                long failed = counter(job.getJobID(), "sinkFailedEntries", StreamNames.SHADOW_ALERTS);
                System.out.println("[faults] shadow stream throttled: " + proxy.putRecords(Fault.THROTTLE)
                        + " PutRecords calls, failed entries " + failed + ", dropped " + dropped + " of "
                        + truth.totals.valid + " transactions; live alerts " + collected.alerts().size()
                        + ", expected " + truth.totals.expectedAlerts);

                assertThat(truth.totals.expectedAlerts).isGreaterThanOrEqualTo(5);
                assertThat(result.missed).isEmpty();
                assertThat(result.extra).isEmpty();
                assertThat(result.precision).isEqualTo(1.0);
                assertThat(result.recall).isEqualTo(1.0);
                // The shadow alerts beyond the 100 buffered and those in flight were dropped and counted.
                assertThat(proxy.putRecords(Fault.THROTTLE)).isPositive();
                assertThat(failed).isPositive();
                assertThat(dropped).isGreaterThan(truth.totals.valid / 2);
                assertThat(warningsFor("Kinesis sink to stream " + StreamNames.SHADOW_ALERTS + ": buffer full"))
                        .isNotEmpty();

                // The stream takes writes again: the alerts still buffered arrive, and nothing more is dropped.
                proxy.fault(Fault.NONE);
                StreamReader shadow = new StreamReader(kinesis.client(), StreamNames.SHADOW_ALERTS,
                        StreamReader.Start.TRIM_HORIZON);
                List<String> received = new java.util.ArrayList<>();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    shadow.poll().forEach(rec -> received.add(rec.partitionKey()));
                    return received.size() >= 100;
                });
                // New shadow alerts go out too: none is dropped once the buffer has drained.
                GroundTruth more = generate(kinesis, config, Duration.ofSeconds(3), 12);
                // At least half: the rule alerts once per transaction it has not spent yet, and some are delayed.
                long expected = received.size() + more.totals.valid / 2;
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    shadow.poll().forEach(rec -> received.add(rec.partitionKey()));
                    return received.size() >= expected;
                });
                System.out.println("[faults] shadow stream healed: " + received.size() + " shadow alerts received, "
                        + more.totals.valid + " transactions after it healed");
                assertThat(more.totals.valid).isPositive();
                Thread.sleep(3_000);
                assertThat(counter(job.getJobID(), "sinkDroppedEntries", StreamNames.SHADOW_ALERTS))
                        .isEqualTo(dropped);
            } finally {
                job.cancel().get();
            }
        }
    }

    /** On trial: a shadow rule that alerts on each transaction of an account (a count of 1 in any 10 s). */
    private static final String EVERY_TRANSACTION = "{\"rule_id\":\"every-transaction\",\"version\":1,"
            + "\"type\":\"COUNT_OVER_THRESHOLD\",\"mode\":\"SHADOW\","
            + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT10S\"},\"min_count\":1}";

    /**
     * Measures what happens when the alert stream fails for longer than any retry: 60 s of 503s mid-run.
     * Off by default (~2 min): {@code -Dsink.faults.outlast=true}, optionally {@code -Dsink.faults.outlast.fault=DROP}
     * and {@code -Dsink.faults.outlast.seconds=60}. Prints one line every 5 s.
     */
    @Test
    @Timeout(420)
    @EnabledIfSystemProperty(named = "sink.faults.outlast", matches = "true")
    void aFaultThatOutlastsTheRetries() throws Exception {
        Path work = Paths.get("target", "sink-faults-outlast").toAbsolutePath();
        LocalKinesis kinesis = TestEnvironment.startKinesis(work);
        try (kinesis; FaultInjectingProxy proxy = FaultInjectingProxy.start(kinesis.endpoint())) {
            Path config = alertsThrough(proxy.endpoint(), TestEnvironment.writeConfig(
                    work.resolve("application-properties.json"), kinesis.endpoint(), "EARLY"));
            JobClient job = startJob(kinesis, config);
            try {
                long outage = Long.getLong("sink.faults.outlast.seconds", 60);
                Fault fault = Fault.valueOf(System.getProperty("sink.faults.outlast.fault", "ERROR_503"));
                CompletableFuture<GroundTruth> generated = CompletableFuture.supplyAsync(() -> generate(kinesis, config,
                        Duration.ofSeconds(outage + 20)));
                await().atMost(Duration.ofSeconds(60)).until(() -> proxy.putRecords(Fault.NONE) >= 2);
                sample(job.getJobID(), "before", proxy, fault);
                proxy.fault(fault);
                long start = System.nanoTime();
                for (int s = 5; s <= outage; s += 5) {
                    Thread.sleep(Math.max(0, start + s * 1_000_000_000L - System.nanoTime()) / 1_000_000);
                    sample(job.getJobID(), fault + " +" + s + "s", proxy, fault);
                    assertThat(job.getJobStatus().get().isGloballyTerminalState()).isFalse();
                }
                proxy.fault(Fault.NONE);
                long healed = System.nanoTime();
                GroundTruth truth = generated.get();
                StreamCollector collected =
                        TestEnvironment.collectUntilComplete(kinesis, truth, Duration.ofSeconds(120));
                sample(job.getJobID(), "healed +" + Duration.ofNanos(System.nanoTime() - healed).toSeconds() + "s",
                        proxy, fault);
                EvaluationResult result = Evaluation.evaluate(truth, collected.alerts(), collected.deadLetters());
                TestEnvironment.print(result);
                System.out.println("[outlast] job " + job.getJobStatus().get() + ", WARN lines " + warnings.size()
                        + ": " + warnings);
                assertThat(result.missed).isEmpty();
                assertThat(result.extra).isEmpty();
            } finally {
                job.cancel().get();
            }
        }
    }

    private void sample(JobID job, String label, FaultInjectingProxy proxy, Fault fault) {
        System.out.printf("[outlast] %-22s faulted calls %4d | failed entries %5d | WARN lines %d | restarts %s"
                        + " | checkpoints completed %s failed %s, last %s ms | source backpressured %s ms/s"
                        + " | alert writer sent %s%n",
                label, proxy.putRecords(fault), counter(job, "sinkFailedEntries", StreamNames.ALERTS),
                warnings.size(), value(job, "numRestarts", ""), value(job, "numberOfCompletedCheckpoints", ""),
                value(job, "numberOfFailedCheckpoints", ""), value(job, "lastCheckpointDuration", ""),
                value(job, "backPressuredTimeMsPerSecond", "Source"),
                value(job, "numRecordsSend", StreamNames.ALERTS));
    }

    private static Path alertsThrough(URI endpoint, Path config) throws Exception {
        return streamThrough("AlertStream", endpoint, Map.of(), config);
    }

    /** The sink of this property group through the proxy, with these extra properties. */
    private static Path streamThrough(String groupId, URI endpoint, Map<String, String> extras, Path config)
            throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode groups = json.readTree(config.toFile());
        for (JsonNode group : groups) {
            if (groupId.equals(group.path("PropertyGroupId").asText())) {
                ObjectNode properties = (ObjectNode) group.get("PropertyMap");
                extras.forEach(properties::put);
                properties.put("aws.endpoint", endpoint.toString());
                // The sink's client speaks HTTP/2 by default, in clear text here (prior knowledge): the proxy only
                // speaks HTTP/1.1. The faults are the same at the SDK's level.
                properties.put("aws.http.protocol.version", "HTTP1_1");
            }
        }
        json.writeValue(config.toFile(), groups);
        assertThat(Files.readString(config)).contains(endpoint.toString());
        return config;
    }

    private static JobClient startJob(LocalKinesis kinesis, Path config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(2_000);
        FraudDetectorJob.define(env, JobConfig.fromPropertyGroups(ApplicationProperties.fromFile(config)), false);
        JobClient job = env.executeAsync("fraud-detector sink faults");
        DetectorEndToEndTest.awaitRunning(job);
        PipelineProbe.await(kinesis.client(), StreamNames.INPUT, StreamNames.DEAD_LETTERS, Duration.ofSeconds(90));
        return job;
    }

    private static GroundTruth generate(LocalKinesis kinesis, Path config, Duration duration) {
        return generate(kinesis, config, duration, 11);
    }

    private static GroundTruth generate(LocalKinesis kinesis, Path config, Duration duration, long seed) {
        try {
            GeneratorConfig scenario = GeneratorConfig.builder()
                    .rule(DetectionConfigFile.read(config))
                    .mix(ScenarioMix.defaults())
                    .accounts(120)
                    .rate(80)
                    .duration(duration)
                    .seed(seed)
                    .idPrefix(seed == 11 ? "" : "s" + seed + "-") // ids and keys of their own: no duplicates
                    .build();
            return new TransactionGenerator(scenario,
                    new KinesisTarget(new RecordWriter(kinesis.client(), StreamNames.INPUT)), GeneratorClock.system())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String callsPerFault(FaultInjectingProxy proxy) {
        StringBuilder s = new StringBuilder();
        for (Fault f : Fault.values()) {
            s.append(s.length() == 0 ? "" : ", ").append(f).append('=').append(proxy.putRecords(f));
        }
        return s.toString();
    }

    private List<String> warningsFor(String prefix) {
        return warnings.stream().filter(w -> w.startsWith(prefix)).collect(java.util.stream.Collectors.toList());
    }

    /** Sum of the job's counters with this name whose identifier mentions {@code scope}, over all writers. */
    private static long counter(JobID job, String name, String scope) {
        long sum = 0;
        for (Metric metric : metrics(job, name, scope)) {
            if (metric instanceof Counter) {
                sum += ((Counter) metric).getCount();
            }
        }
        return sum;
    }

    /** The job-level gauge or counter with this name, 0 if absent. */
    private static long counterOrGauge(JobID job, String name) {
        String v = value(job, name, "");
        return "-".equals(v) ? 0 : Long.parseLong(v);
    }

    /** Counters summed over all task attempts, numeric gauges at their maximum; "-" if absent. */
    private static String value(JobID job, String name, String scope) {
        Long result = null;
        for (Metric metric : metrics(job, name, scope)) {
            if (metric instanceof Counter) {
                result = (result == null ? 0 : result) + ((Counter) metric).getCount();
            } else if (metric instanceof Gauge && ((Gauge<?>) metric).getValue() instanceof Number) {
                long v = ((Number) ((Gauge<?>) metric).getValue()).longValue();
                result = result == null ? v : Math.max(result, v);
            }
        }
        return result == null ? "-" : String.valueOf(result);
    }

    /** The job's metrics with this name whose identifier mentions {@code scope}, old task attempts included. */
    private static List<Metric> metrics(JobID job, String name, String scope) {
        List<Metric> found = new java.util.ArrayList<>();
        for (Map.Entry<MetricGroup, Map<String, Metric>> g : METRICS.getMetricsByGroup().entrySet()) {
            Metric metric = g.getValue().get(name);
            if (metric != null && job.toString().equals(g.getKey().getAllVariables().get("<job_id>"))
                    && g.getKey().getMetricIdentifier(name).contains(scope)) {
                found.add(metric);
            }
        }
        return found;
    }

    /** Keeps the formatted WARN lines of the sink package. */
    private static final class WarnCapture extends AbstractAppender {
        private final List<String> lines;

        WarnCapture(List<String> lines) {
            super("sink-warnings", null, null, true, Property.EMPTY_ARRAY);
            this.lines = lines;
        }

        @Override
        public void append(LogEvent event) {
            if (event.getLevel().isMoreSpecificThan(Level.WARN)) {
                lines.add(event.getMessage().getFormattedMessage());
            }
        }
    }
}
