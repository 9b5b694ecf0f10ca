package com.example.fraud.detector.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.FraudDetectionPipeline;
import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.testing.Script;
import com.example.fraud.model.Alert;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.RuleMode;
import com.example.fraud.rules.FiringMode;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleCodec;
import com.example.fraud.rules.RuleException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every rule type and window kind through the whole graph on a MiniCluster, fed by scripted shards with explicit
 * transaction times (T0 = 2026-11-25T10:00:00Z, seconds after it below). Out-of-orderness 5 s, allowed lateness 60 s.
 */
class RuleTypesPipelineTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String BERLIN = "\"lat\":52.52,\"lon\":13.405";
    private static final String NEW_YORK = "\"lat\":40.7128,\"lon\":-74.006";
    private static final String PARIS = "\"lat\":48.8566,\"lon\":2.3522";

    private static final DetectionSettings SETTINGS = DetectionSettings.builder()
            .thresholdCents(300_000)
            .window(Duration.ofSeconds(60))
            .maxOutOfOrderness(Duration.ofSeconds(5))
            .allowedLateness(Duration.ofSeconds(60))
            .idleTimeout(Duration.ofMinutes(10))
            .firing(FiringMode.EARLY)
            .build();

    private static Rule rule(String json) throws RuleException {
        return RuleCodec.parse(json);
    }

    private static List<Rule> everyType() throws RuleException {
        return List.of(
                rule("{\"rule_id\":\"sum-tumbling\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
                        + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},\"threshold\":3000.00}"),
                rule("{\"rule_id\":\"sum-sliding\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
                        + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT1M\"},\"threshold\":3000.00}"),
                rule("{\"rule_id\":\"velocity\",\"version\":1,\"type\":\"COUNT_OVER_THRESHOLD\",\"group_by\":\"card_id\","
                        + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT1M\"},\"min_count\":3}"),
                rule("{\"rule_id\":\"countries\",\"version\":1,\"type\":\"DISTINCT_COUNT_OVER_THRESHOLD\","
                        + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT10M\"},\"distinct\":\"country\","
                        + "\"min_distinct\":3}"),
                rule("{\"rule_id\":\"card-testing\",\"version\":1,\"type\":\"SMALL_THEN_LARGE\",\"group_by\":\"card_id\","
                        + "\"small_max\":2.00,\"large_min\":500.00,\"within\":\"PT10M\"}"),
                rule("{\"rule_id\":\"travel\",\"version\":1,\"type\":\"IMPOSSIBLE_TRAVEL\",\"max_speed_kmh\":900,"
                        + "\"within\":\"PT6H\",\"mode\":\"SHADOW\"}"));
    }

    /** What a run produced. */
    private static final class Result {
        final List<Alert> alerts = new ArrayList<>();
        final List<Alert> shadowAlerts = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();

        List<String> ids(List<Alert> alerts) {
            return alerts.stream().map(a -> a.alertId).sorted().collect(Collectors.toList());
        }
    }

    private static Result run(Script script, List<Rule> rules) throws Exception {
        return run(script, rules, false);
    }

    private static Result run(Script script, List<Rule> rules, boolean rocksDb) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (rocksDb) {
            env.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        env.setParallelism(2);
        env.getConfig().setAutoWatermarkInterval(10);
        FraudDetectionPipeline.Outputs outputs = FraudDetectionPipeline.build(env, script.bounded(SETTINGS),
                "scripted shards", SETTINGS, rules, RuleCommands.none(env));
        Result result = new Result();
        try (CloseableIterator<Alert> alerts = outputs.alerts.collectAsync();
                CloseableIterator<Alert> shadow = outputs.shadowAlerts.collectAsync();
                CloseableIterator<DeadLetter> deadLetters = outputs.deadLetters.collectAsync()) {
            env.execute("rule types test");
            alerts.forEachRemaining(result.alerts::add);
            shadow.forEachRemaining(result.shadowAlerts::add);
            deadLetters.forEachRemaining(result.deadLetters::add);
        }
        return result;
    }

    @Test
    void everyRuleTypeFlagsItsScenariosAndNotItsNearMisses() throws Exception {
        Result r = run(everyTypeScript(), everyType());
        assertEveryTypeFlagged(r);
    }

    /** RocksDB (MSF's backend) reads a copy of the state and needs every change written back: same alerts. */
    @Test
    void theSameWithRocksDbState() throws Exception {
        assertEveryTypeFlagged(run(everyTypeScript(), everyType(), true));
    }

    private static Script everyTypeScript() {
        return Script.shards("s0", "s1")
                // sums: exactly at the threshold (no), one cent over (both windows), a burst across a tumbling
                // boundary (sliding only)
                .txn("s0", "e1", "EXACT", "1500.00", 10).txn("s1", "c1", "CENT", "1500.00", 10)
                .txn("s0", "e2", "EXACT", "1500.00", 20).txn("s1", "c2", "CENT", "1500.01", 20)
                .txn("s0", "b1", "BURST", "1600.00", 50).txn("s0", "b2", "BURST", "1600.00", 70)
                // velocity by card: three in a minute (yes), two (no), none without a card; out of order (yes)
                .txnWith("s1", "k1a", "V1", "10.00", 100, "\"card_id\":\"K1\"")
                .txnWith("s0", "k2a", "V2", "10.00", 100, "\"card_id\":\"K2\"")
                .txn("s1", "v1x", "V1", "10.00", 105)
                .txnWith("s1", "k1b", "V1", "10.00", 110, "\"card_id\":\"K1\"")
                .txnWith("s1", "k1c", "V1", "10.00", 120, "\"card_id\":\"K1\"")
                .txnWith("s0", "k2b", "V2", "10.00", 200, "\"card_id\":\"K2\"")
                .txnWith("s1", "k6a", "V3", "10.00", 400, "\"card_id\":\"K6\"")
                .txnWith("s1", "k6c", "V3", "10.00", 404, "\"card_id\":\"K6\"")
                .txnWith("s1", "k6b", "V3", "10.00", 402, "\"card_id\":\"K6\"") // completes the window ending at 404
                // distinct countries in a 10-minute tumbling window: three (yes), two (no)
                .txnWith("s0", "d1a", "D1", "5.00", 600, "\"country\":\"DE\"")
                .txnWith("s1", "d2a", "D2", "5.00", 600, "\"country\":\"DE\"")
                .txnWith("s0", "d1b", "D1", "5.00", 620, "\"country\":\"FR\"")
                .txnWith("s1", "d2b", "D2", "5.00", 620, "\"country\":\"DE\"")
                .txnWith("s0", "d1c", "D1", "5.00", 640, "\"country\":\"IT\"")
                .txnWith("s1", "d2c", "D2", "5.00", 640, "\"country\":\"FR\"")
                // card testing: small then large within 10 min (yes), too late (no), not small (no), and a large
                // one that arrives before its small one
                .txnWith("s0", "t3s", "CT1", "1.00", 700, "\"card_id\":\"K3\"")
                .txnWith("s1", "t4s", "CT2", "1.00", 700, "\"card_id\":\"K4\"")
                .txnWith("s0", "t5s", "CT3", "2.50", 700, "\"card_id\":\"K5\"")
                .txnWith("s0", "t5l", "CT3", "600.00", 800, "\"card_id\":\"K5\"")
                .txnWith("s1", "t7l", "CT4", "600.00", 904, "\"card_id\":\"K7\"")
                .txnWith("s1", "t7s", "CT4", "1.00", 902, "\"card_id\":\"K7\"")
                .txnWith("s0", "t3l", "CT1", "600.00", 1000, "\"card_id\":\"K3\"")
                .txnWith("s1", "t4l", "CT2", "600.00", 1400, "\"card_id\":\"K4\"")
                // travel: Berlin to New York in 10 min (yes, shadow rule), Berlin to Paris in 3 h (no)
                .txnWith("s0", "f1a", "TR1", "20.00", 1500, BERLIN)
                .txnWith("s1", "f2a", "TR2", "20.00", 1500, BERLIN)
                .txnWith("s0", "f1b", "TR1", "20.00", 2100, NEW_YORK)
                .txnWith("s1", "f2b", "TR2", "20.00", 1500 + 3 * 3600, PARIS);
    }

    private static void assertEveryTypeFlagged(Result r) {
        assertThat(r.ids(r.alerts)).containsExactly(
                "card-testing:K3:t3l",
                "card-testing:K7:t7l",
                "countries:D1:2026-11-25T10:10:00Z",
                "sum-sliding:BURST:2026-11-25T10:01:10Z",
                "sum-sliding:CENT:2026-11-25T10:00:20Z",
                "sum-tumbling:CENT:2026-11-25T10:00:00Z",
                "velocity:K1:2026-11-25T10:02:00Z",
                "velocity:K6:2026-11-25T10:06:44Z");
        assertThat(r.alerts).allMatch(a -> a.mode == RuleMode.ACTIVE);
        assertThat(r.shadowAlerts).singleElement().satisfies(a -> {
            assertThat(a.alertId).isEqualTo("travel:TR1:f1b");
            assertThat(a.mode).isEqualTo(RuleMode.SHADOW);
            assertThat(a.distanceKm).isBetween(6300.0, 6450.0);
            assertThat(a.speedKmh).isGreaterThan(900);
            assertThat(a.first.txnId).isEqualTo("f1a");
        });
        Alert cardTesting = r.alerts.stream().filter(a -> a.alertId.equals("card-testing:K7:t7l")).findFirst()
                .orElseThrow();
        assertThat(cardTesting.first.txnId).isEqualTo("t7s");
        assertThat(cardTesting.groupKey).isEqualTo("K7");
        assertThat(cardTesting.accountId).isEqualTo("CT4");
        Alert burst = r.alerts.stream().filter(a -> a.alertId.startsWith("sum-sliding:BURST")).findFirst()
                .orElseThrow();
        assertThat(burst.txnIds).containsExactly("b1", "b2");
        assertThat(burst.windowStartMillis).isEqualTo(Script.at(10.001));
        assertThat(burst.windowEndMillis).isEqualTo(Script.at(70.001));
        assertThat(r.deadLetters).isEmpty();
    }

    @Test
    void transactionsWithOnlyTheRequiredFieldsAreSkippedByRulesThatNeedMore() throws Exception {
        Script s = Script.shards("s0")
                .txn("s0", "a1", "A", "1.00", 10).txn("s0", "a2", "A", "600.00", 20)
                .txn("s0", "a3", "A", "10.00", 30).txn("s0", "a4", "A", "2400.00", 40);
        Result r = run(s, everyType());
        // no card, country or location: only the account sums decide, exactly as the detector always did
        assertThat(r.ids(r.alerts)).containsExactly("sum-sliding:A:2026-11-25T10:00:40Z",
                "sum-tumbling:A:2026-11-25T10:00:00Z");
        assertThat(r.shadowAlerts).isEmpty();
        assertThat(r.deadLetters).isEmpty();
    }

    /**
     * A producer's retry is a duplicate for as long as any rule could still count its transaction, not only for the
     * Detection window: here the retry comes when the default 60 s window plus 60 s of lateness have passed, but the
     * 10-minute window is open. Counted twice, 2,000.00 would alert.
     */
    @Test
    void aRetryIsNotCountedTwiceByARuleWithALongerHorizonThanTheDetectionWindow() throws Exception {
        List<Rule> rules = List.of(
                rule("{\"rule_id\":\"sum-10m\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
                        + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT10M\"},\"threshold\":3000.00}"),
                rule("{\"rule_id\":\"sum-sliding-5m\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
                        + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT5M\"},\"threshold\":3000.00}"));
        Script s = Script.shards("s0", "s1")
                .txn("s0", "r1", "R", "2000.00", 10)
                .txn("s0", "o1", "OTHER", "1.00", 200).txn("s1", "o2", "OTHER", "1.00", 200)
                .pause() // both shards' watermarks pass 10 s + 60 s + 60 s
                .txn("s0", "r1", "R", "2000.00", 10) // the retry: same id, amount and time
                .txn("s0", "r2", "R", "1500.00", 205); // R's real total in both windows: 3,500.00
        Result r = run(s, rules);
        assertThat(r.ids(r.alerts)).containsExactly("sum-10m:R:2026-11-25T10:00:00Z",
                "sum-sliding-5m:R:2026-11-25T10:03:25Z");
        assertThat(r.alerts).allSatisfy(a -> assertThat(a.totalCents).isEqualTo(350_000));
        assertThat(r.deadLetters).isEmpty();
    }

    /**
     * Regression: the command stream once emitted the maximum watermark, so as soon as the transaction input went
     * idle, the connected operators' watermark jumped to the end of time and every later transaction was LATE.
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // fails, rather than hangs, if stalled
    void aQuietTransactionStreamDoesNotEndEventTime() throws Exception {
        DetectionSettings quick = SETTINGS.toBuilder().idleTimeout(Duration.ofMillis(500)).build();
        Script script = Script.shards("s0").txn("s0", "a1", "A", "2000.00", 10);
        for (int i = 0; i < 6; i++) {
            script.pause(); // 1.8 s without records: the shard, and so the source, is idle
        }
        script.txn("s0", "a2", "A", "1000.01", 20).txn("s0", "b1", "B", "3000.01", 21);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.getConfig().setAutoWatermarkInterval(10);
        FraudDetectionPipeline.Outputs outputs = FraudDetectionPipeline.build(env, script.unbounded(quick),
                "scripted shards", quick, quick.defaultRules(), RuleCommands.none(env));
        CloseableIterator<Alert> alerts = outputs.alerts.collectAsync();
        JobClient job = env.executeAsync("quiet input test");
        try {
            assertThat(alerts.hasNext()).isTrue();
            assertThat(alerts.next().alertId).isEqualTo("sum-over-threshold:A:2026-11-25T10:00:00Z");
        } finally {
            job.cancel().get();
            alerts.close();
        }
    }
}
