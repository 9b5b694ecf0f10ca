package com.example.fraud.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.FraudDetectorJob;
import com.example.fraud.detector.config.ApplicationProperties;
import com.example.fraud.detector.config.JobConfig;
import com.example.fraud.model.InvalidRecordException;
import com.example.fraud.model.Transaction;
import com.example.fraud.model.TransactionCodec;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleAck;
import com.example.fraud.rules.RuleSets;
import com.example.fraud.tools.emulator.LocalKinesis;
import com.example.fraud.tools.emulator.StreamNames;
import com.example.fraud.tools.evaluate.Evaluation;
import com.example.fraud.tools.evaluate.EvaluationResult;
import com.example.fraud.tools.evaluate.RuleResult;
import com.example.fraud.tools.evaluate.StreamCollector;
import com.example.fraud.tools.generator.DetectionConfigFile;
import com.example.fraud.tools.generator.GeneratorClock;
import com.example.fraud.tools.generator.GeneratorConfig;
import com.example.fraud.tools.generator.GroundTruth;
import com.example.fraud.tools.generator.KinesisTarget;
import com.example.fraud.tools.generator.RecordTarget;
import com.example.fraud.tools.generator.RuleReplay;
import com.example.fraud.tools.generator.RuleSettings;
import com.example.fraud.tools.generator.ScenarioMix;
import com.example.fraud.tools.generator.TransactionGenerator;
import com.example.fraud.tools.kinesis.OutgoingRecord;
import com.example.fraud.tools.kinesis.RecordWriter;
import com.example.fraud.tools.kinesis.WriteReport;
import com.example.fraud.tools.probe.PipelineProbe;
import com.example.fraud.tools.rules.RuleControl;
import com.example.fraud.tools.rules.RuleSetFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job, configured with a rule set of every type (one in shadow mode), against the emulator; the generator's
 * scenarios for that same rule set and its ground truth from the shared rule logic. Per rule: precision = recall = 1.0,
 * every rule with alerts expected, shadow alerts on their own stream only. Then, on the same job, two rules changed
 * through the control stream and a second phase of scenarios: the per-rule report holds each version's alerts apart,
 * and what only the old versions would have flagged is not flagged.
 */
class EveryRuleTypeEndToEndTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static final String SUM = "{\"rule_id\":\"sum\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
            + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT10S\"},\"threshold\":3000.00}";
    static final String VELOCITY = "{\"rule_id\":\"velocity\",\"version\":1,\"type\":\"COUNT_OVER_THRESHOLD\","
            + "\"group_by\":\"card_id\",\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT10S\"},\"min_count\":12}";
    static final String MERCHANTS = "{\"rule_id\":\"merchants\",\"version\":1,"
            + "\"type\":\"DISTINCT_COUNT_OVER_THRESHOLD\",\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT10S\"},"
            + "\"distinct\":\"merchant_id\",\"min_distinct\":10,\"firing\":\"WINDOW_CLOSE\"}";
    static final String COUNTRIES = "{\"rule_id\":\"countries\",\"version\":1,"
            + "\"type\":\"DISTINCT_COUNT_OVER_THRESHOLD\",\"mode\":\"SHADOW\","
            + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT10S\"},\"distinct\":\"country\",\"min_distinct\":3}";
    static final String CARD_TESTING = "{\"rule_id\":\"card-testing\",\"version\":1,\"type\":\"SMALL_THEN_LARGE\","
            + "\"group_by\":\"card_id\",\"small_max\":2.00,\"large_min\":500.00,\"within\":\"PT10S\"}";
    static final String TRAVEL = "{\"rule_id\":\"travel\",\"version\":1,\"type\":\"IMPOSSIBLE_TRAVEL\","
            + "\"max_speed_kmh\":5000,\"min_distance_km\":50,\"within\":\"PT5M\"}";
    static final String RULES = "[\n" + String.join(",\n", SUM, VELOCITY, MERCHANTS, COUNTRIES, CARD_TESTING, TRAVEL)
            + "\n]";

    /** The change made mid-run: a higher threshold for sum, and merchants put on trial (shadow). */
    static final String SUM_V2 = SUM.replace("\"version\":1", "\"version\":2").replace("3000.00", "5000.00");
    static final String MERCHANTS_V2 = MERCHANTS.replace("\"version\":1", "\"version\":2")
            .replace("\"type\"", "\"mode\":\"SHADOW\",\"type\"");
    static final String RULES_AFTER = "[\n" + String.join(",\n", SUM_V2, VELOCITY, MERCHANTS_V2, COUNTRIES,
            CARD_TESTING, TRAVEL) + "\n]";

    private static final Duration ACK_WAIT = Duration.ofSeconds(30);

    @Test
    @Timeout(420)
    void everyRuleTypeIsDetectedExactlyPerRuleAndARuleChangedMidRunShowsPerVersion() throws Exception {
        Path work = Paths.get("target", "every-rule-type-it").toAbsolutePath();
        try (LocalKinesis kinesis = TestEnvironment.startKinesis(work)) {
            Path rulesFile = Files.writeString(work.resolve("rules.json"), RULES);
            Path config = TestEnvironment.writeConfig(work.resolve("application-properties.json"), kinesis.endpoint(),
                    "EARLY", Map.of());
            TestEnvironment.withRules(config, rulesFile);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            env.enableCheckpointing(2_000);
            FraudDetectorJob.define(env, JobConfig.fromPropertyGroups(ApplicationProperties.fromFile(config)), false);
            JobClient job = env.executeAsync("fraud-detector, every rule type");
            try {
                DetectorEndToEndTest.awaitRunning(job);
                PipelineProbe.await(kinesis.client(), StreamNames.INPUT, StreamNames.DEAD_LETTERS,
                        Duration.ofSeconds(90));
                RuleSettings settings = DetectionConfigFile.read(config);
                List<Rule> before = RuleSetFile.read(rulesFile);
                GeneratorConfig scenario = GeneratorConfig.builder()
                        .rule(settings)
                        .rules(before)
                        .mix(new ScenarioMix(0, 0, 0, 0.05, 0, 0))
                        .accounts(60)
                        .rate(40)
                        .duration(Duration.ofSeconds(40))
                        .scenariosPerMinute(6)
                        .seed(11)
                        .build();
                GroundTruth truth = new TransactionGenerator(scenario,
                        new KinesisTarget(new RecordWriter(kinesis.client(), StreamNames.INPUT)),
                        GeneratorClock.system()).run();

                EvaluationResult result = collect(kinesis, truth, Duration.ofSeconds(90));
                TestEnvironment.print(result);
                assertEveryRuleExact(truth, result);

                aRuleChangedMidRunShowsPerVersion(kinesis, settings, before, truth);
            } finally {
                job.cancel().get();
            }
        }
    }

    private static void assertEveryRuleExact(GroundTruth truth, EvaluationResult result) {
        assertThat(truth.totals.failed).isZero();
        assertThat(result.rules).extracting(r -> r.ruleId).containsExactlyInAnyOrder("sum", "velocity",
                "merchants", "card-testing", "travel");
        assertThat(result.shadowRules).extracting(r -> r.ruleId).containsExactly("countries");
        for (RuleResult r : result.rules) {
            assertThat(r.expected).as(r.ruleId + " expected").isPositive();
            assertThat(r.missed).as(r.ruleId + " missed").isEmpty();
            assertThat(r.extra).as(r.ruleId + " extra").isEmpty();
            assertThat(r.precision()).as(r.ruleId).isEqualTo(1.0);
            assertThat(r.recall()).as(r.ruleId).isEqualTo(1.0);
            assertThat(r.timeToFlag.count()).isEqualTo(r.expected);
        }
        RuleResult shadow = result.shadowRules.get(0);
        assertThat(shadow.expected).isPositive();
        assertThat(shadow.precision()).isEqualTo(1.0);
        assertThat(shadow.recall()).isEqualTo(1.0);
        assertThat(result.nearMissesFlagged).isEmpty();
        assertThat(truth.nearMisses.stream().map(m -> m.ruleId).collect(Collectors.toSet()))
                .contains("sum", "velocity", "merchants", "countries", "card-testing", "travel");
        assertThat(result.passed()).isTrue();
    }

    /**
     * Second phase on the same job, once the first one's alerts are all in and its windows closed: sum gets a higher
     * threshold (version 2) and merchants goes on trial (version 2, SHADOW), put with the `rules` command's own code
     * and acknowledged by the job. Then the generator again, with the changed rule set, on keys of its own ("B-"), so
     * that neither phase adds to what the other's rules count. The per-rule report over both phases must hold each
     * version's alerts exactly: version 1 those of phase 1 only, version 2 those of phase 2 only (merchants' on the
     * shadow stream, none live). And the change must have an effect: what the old sum and merchants would have flagged
     * on phase 2's records (the same replay as the ground truth) but the new ones must not, never arrived.
     */
    private static void aRuleChangedMidRunShowsPerVersion(LocalKinesis kinesis, RuleSettings settings,
            List<Rule> before, GroundTruth first) throws Exception {
        RuleControl control = new RuleControl(kinesis.client(), StreamNames.RULES, StreamNames.RULE_ACKS);
        RuleAck sumAck = control.put(SUM_V2.getBytes(StandardCharsets.UTF_8), ACK_WAIT);
        RuleAck merchantsAck = control.put(MERCHANTS_V2.getBytes(StandardCharsets.UTF_8), ACK_WAIT);
        assertThat(List.of(sumAck, merchantsAck)).extracting(a -> a.ruleId + " v" + a.version + " " + a.status + " "
                + a.mode).containsExactly("sum v2 APPLIED ACTIVE", "merchants v2 APPLIED SHADOW");

        List<Rule> after = RuleSets.parse(RULES_AFTER);
        StoredTransactions stored = new StoredTransactions(
                new KinesisTarget(new RecordWriter(kinesis.client(), StreamNames.INPUT)));
        GeneratorConfig scenario = GeneratorConfig.builder()
                .rule(settings)
                .rules(after)
                .mix(new ScenarioMix(0, 0, 0, 0.05, 0, 0))
                .accounts(60)
                .rate(40)
                .duration(Duration.ofSeconds(20))
                .scenariosPerMinute(6)
                .seed(12)
                .idPrefix("B-")
                .build();
        GroundTruth second = new TransactionGenerator(scenario, stored, GeneratorClock.system()).run();
        GroundTruth both = GroundTruth.combine(List.of(first, second));

        StreamCollector streams = new StreamCollector(kinesis.client(), StreamNames.ALERTS, null,
                StreamNames.SHADOW_ALERTS);
        EvaluationResult result = collect(streams, both, Duration.ofSeconds(90));
        System.out.println("---- both phases, rule changed in between:");
        TestEnvironment.print(result);

        assertThat(second.totals.failed).isZero();
        Map<String, Long> firstCounts = counts(first);
        Map<String, Long> secondCounts = counts(second);
        assertThat(secondCounts.get("sum v2 ACTIVE")).isPositive();
        assertThat(secondCounts.get("merchants v2 SHADOW")).isPositive();
        // Every row exact; each version holds exactly its own phase's alerts.
        assertThat(result.rules).extracting(r -> r.ruleId + " v" + r.version + " " + r.expected + "/" + r.received
                + "/" + r.matched).containsExactly(
                        row("card-testing", 1, firstCounts, secondCounts, "ACTIVE"),
                        row("merchants", 1, firstCounts, Map.of(), "ACTIVE"),
                        row("sum", 1, firstCounts, Map.of(), "ACTIVE"),
                        row("sum", 2, Map.of(), secondCounts, "ACTIVE"),
                        row("travel", 1, firstCounts, secondCounts, "ACTIVE"),
                        row("velocity", 1, firstCounts, secondCounts, "ACTIVE"));
        assertThat(result.shadowRules).extracting(r -> r.ruleId + " v" + r.version + " " + r.expected + "/"
                + r.received + "/" + r.matched).containsExactly(
                        row("countries", 1, firstCounts, secondCounts, "SHADOW"),
                        row("merchants", 2, Map.of(), secondCounts, "SHADOW"));
        for (RuleResult r : concat(result.rules, result.shadowRules)) {
            assertThat(r.missed).as(r.ruleId + " v" + r.version + " missed").isEmpty();
            assertThat(r.extra).as(r.ruleId + " v" + r.version + " extra").isEmpty();
            assertThat(r.passed()).as(r.ruleId + " v" + r.version).isTrue();
        }
        assertThat(result.nearMissesFlagged).isEmpty();
        assertThat(result.passed()).isTrue();

        // No alert of an old version on the second phase's keys, on either stream.
        assertThat(concat(streams.alerts(), streams.shadowAlerts()).stream().map(a -> a.alert)
                .filter(a -> a.groupKey.startsWith("B-")).map(a -> a.ruleId + " v" + a.ruleVersion + " " + a.mode)
                .distinct()).doesNotContain("sum v1 ACTIVE", "merchants v1 ACTIVE", "merchants v2 ACTIVE")
                .contains("sum v2 ACTIVE", "merchants v2 SHADOW");

        // The effect: the old rules over phase 2's records, replayed as the ground truth is.
        List<GroundTruth.ExpectedAlert> oldRules = RuleReplay.alertsOf(before, settings, stored.transactions());
        Set<String> oldSum = ids(oldRules, "sum");
        Set<String> newSum = ids(second.expectedAlerts, "sum");
        Set<String> flaggedOnlyBefore = new TreeSet<>(oldSum);
        flaggedOnlyBefore.removeAll(newSum);
        assertThat(oldSum).containsAll(newSum);
        System.out.println("phase 2: sum alerts the old threshold would have raised, the new one not: "
                + flaggedOnlyBefore);
        assertThat(flaggedOnlyBefore).as("sum alerts of the old threshold only").isNotEmpty();
        Set<String> received = concat(streams.alerts(), streams.shadowAlerts()).stream().map(a -> a.alert.alertId)
                .collect(Collectors.toSet());
        assertThat(received).doesNotContainAnyElementsOf(flaggedOnlyBefore);
        // Among them the new threshold's near misses: just under and exactly at 5000.00, both over 3000.00.
        Set<String> nearMissKeys = second.nearMisses.stream().filter(m -> m.ruleId.equals("sum")
                && (m.scenario.equals("just-under") || m.scenario.equals("exactly-at"))).map(m -> m.groupKey)
                .collect(Collectors.toSet());
        assertThat(nearMissKeys).isNotEmpty();
        assertThat(oldRules.stream().filter(a -> a.ruleId.equals("sum")).map(a -> a.groupKey)
                .collect(Collectors.toSet())).containsAll(nearMissKeys);
        // merchants: what the old version would have flagged live came on the shadow stream only.
        Set<String> oldMerchants = ids(oldRules, "merchants");
        assertThat(oldMerchants).isNotEmpty().isEqualTo(ids(second.expectedAlerts, "merchants"));
        assertThat(streams.alerts().stream().map(a -> a.alert.alertId)).doesNotContainAnyElementsOf(oldMerchants);
        assertThat(streams.shadowAlerts().stream().map(a -> a.alert.alertId).collect(Collectors.toSet()))
                .containsAll(oldMerchants);
    }

    /** Expected alerts per "rule vN MODE". */
    private static Map<String, Long> counts(GroundTruth truth) {
        return truth.expectedAlerts.stream().collect(Collectors.groupingBy(
                e -> e.ruleId + " v" + e.ruleVersion + " " + e.mode, Collectors.counting()));
    }

    /** "rule vN expected/received/matched", all equal to what the phases expect of that version. */
    private static String row(String ruleId, long version, Map<String, Long> first, Map<String, Long> second,
            String mode) {
        String key = ruleId + " v" + version + " " + mode;
        long n = first.getOrDefault(key, 0L) + second.getOrDefault(key, 0L);
        return ruleId + " v" + version + " " + n + "/" + n + "/" + n;
    }

    private static Set<String> ids(List<GroundTruth.ExpectedAlert> alerts, String ruleId) {
        return alerts.stream().filter(a -> a.ruleId.equals(ruleId)).map(a -> a.alertId)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Reads the three streams until every expected alert, live and shadow, is in (then once more), or time is up. */
    private static EvaluationResult collect(LocalKinesis kinesis, GroundTruth truth, Duration timeout)
            throws InterruptedException {
        return collect(new StreamCollector(kinesis.client(), StreamNames.ALERTS, null, StreamNames.SHADOW_ALERTS),
                truth, timeout);
    }

    private static EvaluationResult collect(StreamCollector c, GroundTruth truth, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            c.poll();
            EvaluationResult r = Evaluation.evaluate(truth, c.alerts(), c.shadowAlerts(), c.deadLetters());
            if (c.caughtUp() && r.missed.isEmpty() && r.shadowRules.stream().allMatch(x -> x.missed.isEmpty())) {
                Thread.sleep(2_000); // extra or duplicate alerts would show up here
                c.poll();
                break;
            }
            Thread.sleep(500);
        }
        return Evaluation.evaluate(truth, c.alerts(), c.shadowAlerts(), c.deadLetters());
    }

    /** Sends to Kinesis and keeps the transactions stored, in the order stored, for a replay under other rules. */
    private static final class StoredTransactions implements RecordTarget {
        private final RecordTarget target;
        private final List<Transaction> stored = new ArrayList<>();

        StoredTransactions(RecordTarget target) {
            this.target = target;
        }

        @Override
        public WriteReport send(List<OutgoingRecord> records) {
            WriteReport report = target.send(records);
            Integer[] order = new Integer[records.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingLong(report::ackCall)); // as the generator's truth takes them
            for (int i : order) {
                if (report.isAcked(i)) {
                    try {
                        stored.add(TransactionCodec.decode(records.get(i).data()));
                    } catch (InvalidRecordException e) {
                        throw new IllegalStateException("this mix sends no malformed record", e);
                    }
                }
            }
            return report;
        }

        List<Transaction> transactions() {
            return stored;
        }

        @Override
        public long sent() {
            return target.sent();
        }

        @Override
        public long retried() {
            return target.retried();
        }

        @Override
        public long failed() {
            return target.failed();
        }

        @Override
        public String describe() {
            return target.describe();
        }

        @Override
        public void close() {
            target.close();
        }
    }
}
