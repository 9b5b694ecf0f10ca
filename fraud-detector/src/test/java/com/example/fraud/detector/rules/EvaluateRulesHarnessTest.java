package com.example.fraud.detector.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.model.Alert;
import com.example.fraud.model.Alert.Trigger;
import com.example.fraud.model.Grouping;
import com.example.fraud.model.RuleMode;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.DefaultRules;
import com.example.fraud.rules.FiringMode;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleAck;
import com.example.fraud.rules.RuleCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rule evaluator's state and timers, driven by hand-set watermarks, and its rule set changed by control records
 * while it runs. Default rule: 60 s tumbling, threshold 3000.00, as configured before rules were data.
 */
class EvaluateRulesHarnessTest {
    private static final long MIN = 60_000;

    private KeyedBroadcastOperatorTestHarness<String, GroupedTransaction, byte[], Alert> harness;
    private DetectionSettings settings;
    private List<Rule> initial;
    private boolean rocksDb;

    private void open(FiringMode firing, Duration allowedLateness) throws Exception {
        open(firing, allowedLateness, null);
    }

    private void open(FiringMode firing, Duration allowedLateness, OperatorSubtaskState restore) throws Exception {
        settings = DetectionSettings.builder()
                .thresholdCents(300_000)
                .window(Duration.ofMinutes(1))
                .allowedLateness(allowedLateness)
                .maxClockSkew(Duration.ZERO)
                .firing(firing)
                .maxTxnIds(3)
                .build();
        if (initial == null) {
            initial = settings.defaultRules();
        }
        harness = new KeyedBroadcastOperatorTestHarness<>(
                new EvaluateRulesOperator(new EvaluateRules(settings, initial)),
                GroupedTransaction::stateKey, Types.STRING, 128, 1, 0);
        if (rocksDb) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
        harness.getTwoInputOperator().processWatermarkStatus2(WatermarkStatus.IDLE); // as RuleCommands does
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void txn(String id, String account, long cents, long time) throws Exception {
        harness.processElement(new GroupedTransaction(Grouping.ACCOUNT_ID, account,
                new Transaction(id, account, cents, time)), time);
    }

    private void command(String json) throws Exception {
        harness.processBroadcastElement(json.getBytes(StandardCharsets.UTF_8), 0);
    }

    /** Rule states kept (one map entry per key holding any). */
    private int stateEntries() {
        return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    private int timers() {
        return harness.numEventTimeTimers();
    }

    private List<Alert> alerts() {
        return harness.extractOutputValues();
    }

    private List<Alert> shadowAlerts() {
        return values(harness.getSideOutput(EvaluateRules.SHADOW_ALERTS));
    }

    private List<RuleAck> acks() {
        return values(harness.getSideOutput(EvaluateRules.ACKS));
    }

    private static <T> List<T> values(java.util.Collection<StreamRecord<T>> records) {
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    private static String sum(String id, int version, String threshold, String extra) {
        return "{\"rule_id\":\"" + id + "\",\"version\":" + version + ",\"type\":\"SUM_OVER_THRESHOLD\","
                + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},\"threshold\":" + threshold + extra + "}";
    }

    // ---- the default rule, as the detector always ran it

    @Test
    void exactlyTheThresholdIsNotFlaggedOneCentMoreIs() throws Exception {
        open(FiringMode.EARLY, Duration.ZERO);
        txn("a1", "A", 150_000, 1_000);
        txn("a2", "A", 150_000, 2_000); // A: 3000.00
        txn("b1", "B", 150_000, 1_000);
        txn("b2", "B", 150_001, 2_000); // B: 3000.01
        assertThat(alerts()).extracting(a -> a.accountId, a -> a.totalCents, a -> a.txnCount, a -> a.trigger)
                .containsExactly(tuple("B", 300_001L, 2, Trigger.CROSSING));
    }

    @Test
    void earlyFiringAlertsOnceOnTheCrossingTransactionAndLeavesNoStateBehind() throws Exception {
        open(FiringMode.EARLY, Duration.ZERO);
        txn("t1", "A", 200_000, 10_000);
        txn("t2", "A", 100_001, 20_000); // crosses
        txn("t3", "A", 500_000, 30_000); // same window: no second alert
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.alertId).isEqualTo("sum-over-threshold:A:1970-01-01T00:00:00Z");
            assertThat(a.ruleId).isEqualTo(DefaultRules.SUM_OVER_THRESHOLD);
            assertThat(a.ruleVersion).isEqualTo(1);
            assertThat(a.mode).isEqualTo(RuleMode.ACTIVE);
            assertThat(a.groupBy).isEqualTo(Grouping.ACCOUNT_ID);
            assertThat(a.groupKey).isEqualTo("A");
            assertThat(a.windowStartMillis).isZero();
            assertThat(a.windowEndMillis).isEqualTo(MIN);
            assertThat(a.threshold).isEqualTo(300_000);
            assertThat(a.txnIds).containsExactly("t1", "t2");
        });
        assertThat(stateEntries()).isEqualTo(1);
        assertThat(timers()).isEqualTo(1);

        harness.processWatermark(MIN - 1); // window end, zero lateness: cleanup
        assertThat(stateEntries()).isZero();
        assertThat(timers()).isZero();
        assertThat(alerts()).hasSize(1);
    }

    @Test
    void windowCloseFiringWaitsForTheWatermarkAndCleansUp() throws Exception {
        open(FiringMode.WINDOW_CLOSE, Duration.ZERO);
        txn("t1", "A", 200_000, 10_000);
        txn("t2", "A", 100_001, 20_000);
        txn("t3", "A", 1, 70_000); // next window
        assertThat(alerts()).isEmpty();

        harness.processWatermark(MIN - 2);
        assertThat(alerts()).isEmpty();
        harness.processWatermark(MIN - 1);
        assertThat(alerts()).extracting(a -> a.totalCents, a -> a.txnCount, a -> a.trigger)
                .containsExactly(tuple(300_001L, 2, Trigger.WINDOW_CLOSE));
        assertThat(stateEntries()).isEqualTo(1); // the second window, still open

        harness.processWatermark(2 * MIN - 1);
        assertThat(alerts()).hasSize(1);
        assertThat(stateEntries()).isZero();
        assertThat(timers()).isZero();
    }

    @Test
    void evidenceIsCappedButCountAndSumAreNot() throws Exception {
        open(FiringMode.WINDOW_CLOSE, Duration.ZERO);
        for (int i = 1; i <= 5; i++) {
            txn("t" + i, "A", 100_000, i * 1_000);
        }
        harness.processWatermark(MIN - 1);
        Alert a = alerts().get(0);
        assertThat(a.txnCount).isEqualTo(5);
        assertThat(a.totalCents).isEqualTo(500_000);
        assertThat(a.txnIds).containsExactly("t1", "t2", "t3");
    }

    @Test
    void transactionsBeyondTheAllowedLatenessAreNotCounted() throws Exception {
        open(FiringMode.EARLY, Duration.ofSeconds(30));
        txn("t1", "A", 200_000, 10_000);
        harness.processWatermark(MIN - 1 + 30_000); // window closed, lateness over: state gone
        assertThat(stateEntries()).isZero();

        txn("late", "A", 200_000, 20_000); // RouteByGrouping dead-letters it, not sent on; were it sent, it must not count here
        assertThat(alerts()).isEmpty();
        assertThat(stateEntries()).isZero();
        assertThat(timers()).isZero();
    }

    @Test
    void aLateTransactionWithinTheAllowedLatenessStillRaisesTheWindowsOneAlertAndRevisesIt() throws Exception {
        open(FiringMode.WINDOW_CLOSE, Duration.ofSeconds(30));
        txn("t1", "A", 200_000, 10_000);
        harness.processWatermark(MIN + 10_000); // window closed at 2000.00: no alert
        assertThat(alerts()).isEmpty();

        txn("t2", "A", 100_001, 50_000); // late but allowed: crosses
        txn("t3", "A", 100_000, 55_000); // the same alert, revised to the window's new total at the next timer
        assertThat(alerts()).hasSize(1);
        harness.processWatermark(MIN + 11_000);
        assertThat(alerts()).extracting(a -> a.alertId, a -> a.totalCents, a -> a.trigger, a -> a.revision)
                .containsExactly(tuple("sum-over-threshold:A:1970-01-01T00:00:00Z", 300_001L,
                                Trigger.LATE_TRANSACTION, 0),
                        tuple("sum-over-threshold:A:1970-01-01T00:00:00Z", 400_001L, Trigger.LATE_TRANSACTION, 1));

        harness.processWatermark(MIN - 1 + 30_000);
        assertThat(stateEntries()).isZero();
        assertThat(timers()).isZero();
        assertThat(alerts()).hasSize(2);
    }

    @Test
    void stateAndRulesSurviveASnapshotAndRestoreWithoutDoubleCounting() throws Exception {
        open(FiringMode.WINDOW_CLOSE, Duration.ZERO);
        command(sum("big", 4, "2500.00", ",\"firing\":\"WINDOW_CLOSE\""));
        txn("t1", "A", 200_000, 10_000);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        open(FiringMode.WINDOW_CLOSE, Duration.ZERO, snapshot);
        command(sum("big", 3, "1.00", ",\"firing\":\"WINDOW_CLOSE\"")); // older version re-read: rejected
        txn("t2", "A", 100_001, 20_000);
        harness.processWatermark(MIN - 1);
        // t1 restored and counted once by each rule: neither lost nor doubled (5000.01)
        assertThat(alerts()).extracting(a -> a.ruleId, a -> a.ruleVersion, a -> a.totalCents, a -> a.txnCount)
                .containsExactlyInAnyOrder(tuple("sum-over-threshold", 1L, 300_001L, 2), tuple("big", 4L, 300_001L, 2));
        assertThat(acks()).extracting(a -> a.status, a -> a.version).containsExactly(tuple(RuleAck.Status.REJECTED, 3L));
        assertThat(stateEntries()).isZero();
    }

    @Test
    void aWindowClosedBeforeASnapshotStaysClosedAfterTheRestore() throws Exception {
        open(FiringMode.WINDOW_CLOSE, Duration.ZERO);
        txn("t1", "A", 200_000, 10_000);
        txn("t2", "A", 100_001, 20_000);
        harness.processWatermark(MIN - 1);
        assertThat(alerts()).extracting(a -> a.totalCents).containsExactly(300_001L);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        // The restored operator's watermark starts again from the lowest. Without the floor, this record of the
        // closed window (unread at the snapshot) would open it again and alert a second time at the next watermark.
        open(FiringMode.WINDOW_CLOSE, Duration.ZERO, snapshot);
        txn("unread", "B", 400_000, 30_000);
        txn("unread", "A", 400_000, 30_000);
        harness.processWatermark(MIN);
        assertThat(alerts()).isEmpty();
        assertThat(stateEntries()).isZero();
        assertThat(timers()).isZero();
    }

    @Test
    void aSavepointTakenWhileDrainingDoesNotMakeEveryLaterTransactionLate() throws Exception {
        open(FiringMode.EARLY, Duration.ZERO);
        txn("t1", "A", 100_000, 10_000);
        // stop --drain: the maximum watermark passes before the savepoint, and fires every timer
        harness.processWatermark(Long.MAX_VALUE);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        // Resumed from that savepoint, later transactions must still be decided, not all skipped as late.
        open(FiringMode.EARLY, Duration.ZERO, snapshot);
        txn("t2", "A", 200_000, 5 * MIN + 1_000);
        txn("t3", "A", 100_001, 5 * MIN + 2_000);
        assertThat(alerts()).extracting(a -> a.totalCents, a -> a.txnIds)
                .containsExactly(tuple(300_001L, new String[] {"t2", "t3"}));
    }

    @Test
    void aRuntimeChangeThatAConfiguredRuleOfTheSameVersionReplacedAtARestoreIsDroppedFromBroadcastState()
            throws Exception {
        initial = List.of(DefaultRules.sumOverThreshold(300_000, MIN, FiringMode.EARLY));
        open(FiringMode.EARLY, Duration.ZERO);
        command(sum("x", 2, "1000.00", "")); // a runtime change
        OperatorSubtaskState first = harness.snapshot(1L, 1L);
        harness.close();

        // the next release configures x at the same version with another document: it wins, as on a fresh start
        initial = List.of(DefaultRules.sumOverThreshold(300_000, MIN, FiringMode.EARLY),
                RuleCodec.parse(sum("x", 2, "4000.00", "")));
        open(FiringMode.EARLY, Duration.ZERO, first);
        assertThat(storedRuleIds()).doesNotContain("x");
        txn("t1", "A", 150_000, 1_000);
        assertThat(alerts()).isEmpty();
        OperatorSubtaskState second = harness.snapshot(2L, 2L);
        harness.close();

        // and a later one without x leaves it out, rather than bringing back the document it replaced
        initial = List.of(DefaultRules.sumOverThreshold(300_000, MIN, FiringMode.EARLY));
        open(FiringMode.EARLY, Duration.ZERO, second);
        txn("t2", "B", 150_000, 2_000);
        assertThat(alerts()).isEmpty();
    }

    private java.util.Set<String> storedRuleIds() throws Exception {
        java.util.Set<String> ids = new java.util.HashSet<>();
        harness.getOperator().getOperatorStateBackend().getBroadcastState(BroadcastRuleSet.DESCRIPTOR).entries()
                .forEach(e -> ids.add(e.getKey()));
        return ids;
    }

    @Test
    void aRuleDroppedFromTheConfigurationBeforeARestoreLeavesNoStateBehind() throws Exception {
        Rule big = com.example.fraud.rules.RuleCodec.parse(sum("big", 1, "2500.00", ""));
        Rule cards = com.example.fraud.rules.RuleCodec.parse(sum("cards", 1, "2500.00", ",\"group_by\":\"card_id\""));
        initial = List.of(DefaultRules.sumOverThreshold(300_000, MIN, FiringMode.EARLY), big);
        open(FiringMode.EARLY, Duration.ZERO);
        txn("t1", "A", 100_000, 10_000);
        txn("t2", "B", 100_000, 70_000);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        // Restored with a configuration without "big": its states on A and B are no rule's any more.
        initial = List.of(DefaultRules.sumOverThreshold(300_000, MIN, FiringMode.EARLY), cards);
        open(FiringMode.EARLY, Duration.ZERO, snapshot);
        harness.processWatermark(MIN - 1);
        assertThat(stateEntries()).isEqualTo(1); // B's window is still open
        harness.processWatermark(2 * MIN);
        assertThat(stateEntries()).isZero();
        assertThat(timers()).isZero();
        assertThat(alerts()).isEmpty();
    }

    // ---- rules changed while the job runs

    @Test
    void aRuleAddedWhileRunningIsAcknowledgedAndDecidesFromTheNextTransaction() throws Exception {
        open(FiringMode.EARLY, Duration.ZERO);
        txn("t1", "A", 50_000, 1_000);
        command(sum("small-spend", 1, "600.00", ""));
        assertThat(acks()).singleElement().satisfies(a -> {
            assertThat(a.status).isEqualTo(RuleAck.Status.APPLIED);
            assertThat(a.ruleId).isEqualTo("small-spend");
            assertThat(a.version).isEqualTo(1);
        });
        txn("t2", "A", 20_000, 2_000); // 700.00: over the new rule's 600.00; t1 came before the rule existed
        assertThat(alerts()).isEmpty();
        txn("t3", "A", 50_000, 3_000); // 1200.00 in the new rule's own state (t2 + t3)
        assertThat(alerts()).extracting(a -> a.ruleId, a -> a.totalCents).containsExactly(tuple("small-spend", 70_000L));
    }

    @Test
    void aChangedThresholdAppliesToTheOpenWindow() throws Exception {
        open(FiringMode.EARLY, Duration.ZERO);
        txn("t1", "A", 200_000, 1_000); // 2000.00 under 3000.00
        command(sum("sum-over-threshold", 2, "2500.00", ""));
        txn("t2", "A", 60_000, 2_000); // 2600.00: over the new threshold, in the same window
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.ruleVersion).isEqualTo(2);
            assertThat(a.threshold).isEqualTo(250_000);
            assertThat(a.totalCents).isEqualTo(260_000);
            assertThat(a.alertId).isEqualTo("sum-over-threshold:A:1970-01-01T00:00:00Z");
        });
    }

    @Test
    void aLoweredThresholdAlertsAnOpenWindowAlreadyOverItAtTheChangeNotOnTheNextTransaction() throws Exception {
        open(FiringMode.EARLY, Duration.ofSeconds(30));
        txn("b1", "B", 200_000, 1_000); // window [0, 60 s): closed below, within the lateness
        harness.processWatermark(MIN + 5_000);
        txn("a1", "A", 200_000, MIN + 10_000); // 2000.00 in the open window [60 s, 120 s)
        txn("c1", "C", 100_000, MIN + 10_000); // 1000.00: under the new threshold too
        command(sum("sum-over-threshold", 2, "1500.00", ""));
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.groupKey).isEqualTo("A");
            assertThat(a.ruleVersion).isEqualTo(2);
            assertThat(a.trigger).isEqualTo(Trigger.CROSSING);
            assertThat(a.totalCents).isEqualTo(200_000);
            assertThat(a.txnIds).containsExactly("a1");
            assertThat(a.alertId).isEqualTo("sum-over-threshold:A:1970-01-01T00:01:00Z");
        });
        txn("a2", "A", 10_000, MIN + 11_000); // the window has its one alert
        assertThat(alerts()).hasSize(1);

        harness.processWatermark(3 * MIN + 30_000); // past every horizon
        assertThat(alerts()).hasSize(1);
        assertThat(stateEntries()).isZero();
        assertThat(timers()).isZero();
    }

    @Test
    void aChangeFromWindowCloseToEarlyAlertsAnOpenWindowOverTheLimitAtOnceAndOnlyOnce() throws Exception {
        open(FiringMode.WINDOW_CLOSE, Duration.ZERO);
        txn("a1", "A", 350_000, 1_000); // over 3000.00; WINDOW_CLOSE waits for the end
        assertThat(alerts()).isEmpty();
        command(sum("sum-over-threshold", 2, "3000.00", ",\"firing\":\"EARLY\""));
        assertThat(alerts()).extracting(a -> a.groupKey, a -> a.ruleVersion, a -> a.trigger)
                .containsExactly(tuple("A", 2L, Trigger.CROSSING));
        harness.processWatermark(2 * MIN);
        assertThat(alerts()).hasSize(1);
        assertThat(stateEntries()).isZero();
        assertThat(timers()).isZero();
    }

    @Test
    void aSlidingRuleWithALoweredLimitEvaluatesTheLatestLookBackAtTheChangeAndAShadowVersionAlertsOnItsOutput()
            throws Exception {
        initial = List.of(RuleCodec.parse("{\"rule_id\":\"slide\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
                + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT1M\"},\"threshold\":3000}"));
        open(FiringMode.EARLY, Duration.ZERO);
        txn("a1", "A", 100_000, 1_000);
        txn("a2", "A", 100_000, 2_000); // 2000.00 in the look-back ending at 2 s
        command("{\"rule_id\":\"slide\",\"version\":2,\"type\":\"SUM_OVER_THRESHOLD\",\"mode\":\"SHADOW\","
                + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT1M\"},\"threshold\":1500}");
        assertThat(alerts()).isEmpty();
        assertThat(shadowAlerts()).singleElement().satisfies(a -> {
            assertThat(a.ruleVersion).isEqualTo(2);
            assertThat(a.totalCents).isEqualTo(200_000);
            assertThat(a.txnIds).containsExactly("a1", "a2");
            assertThat(a.windowEndMillis).isEqualTo(2_001);
        });
        txn("a3", "A", 100_000, 3_000); // the alert spent a1 and a2: 1000.00 alone is under 1500.00
        assertThat(shadowAlerts()).hasSize(1);
        harness.processWatermark(3 * MIN);
        assertThat(stateEntries()).isZero();
        assertThat(timers()).isZero();
    }

    @Test
    void aSlidingRuleActivatedAfterAShadowAlertAlertsLiveWithWhatTheShadowAlertSpent() throws Exception {
        initial = List.of(RuleCodec.parse("{\"rule_id\":\"slide\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
                + "\"mode\":\"SHADOW\",\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT1M\"},\"threshold\":3000}"));
        open(FiringMode.EARLY, Duration.ZERO);
        txn("a1", "A", 200_000, 1_000);
        txn("a2", "A", 100_001, 2_000); // crosses: a shadow alert, which spends a1 and a2 in the shadow view only
        txn("a3", "A", 10_000, 3_000);
        assertThat(shadowAlerts()).singleElement().satisfies(a -> assertThat(a.txnIds).containsExactly("a1", "a2"));
        command("{\"rule_id\":\"slide\",\"version\":2,\"type\":\"SUM_OVER_THRESHOLD\","
                + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT1M\"},\"threshold\":3000}"); // `rules activate`
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.ruleVersion).isEqualTo(2);
            assertThat(a.totalCents).isEqualTo(310_001);
            assertThat(a.txnIds).containsExactly("a1", "a2", "a3");
            assertThat(a.windowEndMillis).isEqualTo(3_001);
        });
        txn("a4", "A", 10_000, 4_000); // spent live now: no second alert
        assertThat(alerts()).hasSize(1);
        assertThat(shadowAlerts()).hasSize(1);
        harness.processWatermark(3 * MIN);
        assertThat(stateEntries()).isZero();
        assertThat(timers()).isZero();
    }

    @Test
    void aShadowRulePromotedThroughTheConfigurationAcrossARestoreAlertsLiveForItsShadowAlertedWindows()
            throws Exception {
        initial = List.of(RuleCodec.parse(sum("early", 1, "3000.00", ",\"mode\":\"SHADOW\"")),
                RuleCodec.parse(sum("close", 1, "3000.00", ",\"mode\":\"SHADOW\",\"firing\":\"WINDOW_CLOSE\"")));
        open(FiringMode.EARLY, Duration.ofSeconds(30));
        txn("a1", "A", 300_001, 1_000); // the EARLY rule's shadow alert
        assertThat(shadowAlerts()).extracting(a -> a.ruleId).containsExactly("early");
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        // a new release of the configuration makes both ACTIVE (a higher version than the one stored)
        initial = List.of(RuleCodec.parse(sum("early", 2, "3000.00", "")),
                RuleCodec.parse(sum("close", 2, "3000.00", ",\"firing\":\"WINDOW_CLOSE\"")));
        open(FiringMode.EARLY, Duration.ofSeconds(30), snapshot);
        txn("b1", "B", 10_000, 2_000); // the first input after the restore, on another key: A's window alerts live
        assertThat(alerts()).extracting(a -> a.ruleId, a -> a.ruleVersion, a -> a.groupKey, a -> a.totalCents,
                a -> a.trigger).containsExactly(tuple("early", 2L, "A", 300_001L, Trigger.CROSSING));
        txn("a2", "A", 10_000, 3_000); // its live alert is out
        harness.processWatermark(MIN - 1); // the WINDOW_CLOSE one alerts at close
        assertThat(alerts()).extracting(a -> a.ruleId, a -> a.totalCents, a -> a.trigger).containsExactly(
                tuple("early", 300_001L, Trigger.CROSSING), tuple("close", 310_001L, Trigger.WINDOW_CLOSE));
        harness.processWatermark(4 * MIN);
        assertThat(alerts()).hasSize(2);
        assertThat(stateEntries()).isZero();
        assertThat(timers()).isZero();
    }

    @Test
    void onRocksDbAConfigurationChangedWithoutANewVersionDecidesOpenWindowsWhenTheTaskRunsWithoutInput()
            throws Exception {
        rocksDb = true;
        initial = List.of(RuleCodec.parse(sum("sum", 1, "3000.00", "")));
        open(FiringMode.EARLY, Duration.ofSeconds(30));
        txn("a1", "A", 250_000, 1_000);
        txn("b1", "B", 260_000, 2_000);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        // the same version with another document (the configuration wins a tie, or was edited in place)
        initial = List.of(RuleCodec.parse(sum("sum", 1, "2000.00", "")));
        open(FiringMode.EARLY, Duration.ofSeconds(30), snapshot);
        harness.setProcessingTime(1); // the task runs; no input at all
        assertThat(alerts()).extracting(a -> a.groupKey, a -> a.totalCents).containsExactlyInAnyOrder(
                tuple("A", 250_000L), tuple("B", 260_000L));
        command(sum("other", 1, "5000.00", "")); // a control record next: keys and timers as they should be
        txn("a2", "A", 10_000, 3_000);
        harness.processWatermark(MIN - 1);
        assertThat(alerts()).hasSize(2);
        harness.processWatermark(4 * MIN);
        assertThat(timers()).isZero();
    }

    @Test
    void aShadowEarlyRuleConfiguredActiveWindowCloseAcrossARestoreAlertsAtTheClose() throws Exception {
        initial = List.of(RuleCodec.parse(sum("r", 1, "3000.00", ",\"mode\":\"SHADOW\"")));
        open(FiringMode.EARLY, Duration.ofSeconds(30));
        txn("a1", "A", 300_001, 1_000); // a shadow alert; EARLY's only timer is the state's expiry, 89.999 s
        assertThat(shadowAlerts()).hasSize(1);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        initial = List.of(RuleCodec.parse(sum("r", 2, "3000.00", ",\"firing\":\"WINDOW_CLOSE\"")));
        open(FiringMode.EARLY, Duration.ofSeconds(30), snapshot);
        harness.processWatermark(MIN - 1); // A sends nothing more: the restore's scan scheduled the close
        assertThat(alerts()).extracting(a -> a.groupKey, a -> a.ruleVersion, a -> a.totalCents, a -> a.trigger)
                .containsExactly(tuple("A", 2L, 300_001L, Trigger.WINDOW_CLOSE));
        harness.processWatermark(4 * MIN);
        assertThat(alerts()).hasSize(1);
        assertThat(stateEntries()).isZero();
        assertThat(timers()).isZero();
    }

    @Test
    void aThresholdLoweredByTheConfigurationAcrossARestoreDecidesOpenWindowsBeforeTheFirstInput() throws Exception {
        initial = List.of(RuleCodec.parse(sum("sum", 1, "3000.00", "")));
        open(FiringMode.EARLY, Duration.ofSeconds(30));
        txn("a1", "A", 250_000, 1_000); // under 3000.00
        txn("b1", "B", 150_000, 1_000); // under either
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        initial = List.of(RuleCodec.parse(sum("sum", 2, "2000.00", "")));
        open(FiringMode.EARLY, Duration.ofSeconds(30), snapshot);
        OperatorSubtaskState beforeAnyInput = harness.snapshot(2L, 2L); // then a failure: the change is still due
        harness.close();

        open(FiringMode.EARLY, Duration.ofSeconds(30), beforeAnyInput);
        assertThat(alerts()).isEmpty();
        harness.processWatermark(5_000); // any first input: A has gone quiet, its window is still open
        assertThat(alerts()).extracting(a -> a.groupKey, a -> a.ruleVersion, a -> a.totalCents, a -> a.trigger)
                .containsExactly(tuple("A", 2L, 250_000L, Trigger.CROSSING));
        OperatorSubtaskState again = harness.snapshot(3L, 3L);
        harness.close();

        // the same configuration once more: nothing changed, nothing decided again
        open(FiringMode.EARLY, Duration.ofSeconds(30), again);
        harness.processWatermark(6_000);
        txn("a2", "A", 10_000, 7_000);
        assertThat(alerts()).isEmpty();
        harness.processWatermark(4 * MIN);
        assertThat(stateEntries()).isZero();
        assertThat(timers()).isZero();
    }

    @Test
    void aRuleActivatedFromShadowAlertsLiveForAnOpenWindowThatAlertedInShadowWithTheWholeWindowsTotal()
            throws Exception {
        open(FiringMode.EARLY, Duration.ofSeconds(30));
        command(sum("sum-over-threshold", 2, "3000.00", ",\"mode\":\"SHADOW\""));
        txn("a1", "A", 300_001, 1_000); // crosses: a shadow alert
        txn("a2", "A", 50_000, 2_000); // same window, after the shadow alert
        txn("b1", "B", 300_001, 3_000); // crosses too, in a window closed before the activation
        assertThat(shadowAlerts()).extracting(a -> a.groupKey).containsExactly("A", "B");
        harness.processWatermark(10_000);
        txn("b2", "B", 300_001, MIN + 1_000); // B's next window: another shadow alert
        harness.processWatermark(MIN - 1 + 1); // B's first window and A's are closed now
        txn("a3", "A", 300_001, MIN + 2_000); // A's next window: a shadow alert
        assertThat(shadowAlerts()).hasSize(4);

        command(sum("sum-over-threshold", 3, "3000.00", "")); // `rules activate`
        assertThat(alerts()).extracting(a -> a.groupKey, a -> a.ruleVersion, a -> a.totalCents, a -> a.txnCount,
                a -> a.trigger).containsExactlyInAnyOrder(tuple("A", 3L, 300_001L, 1, Trigger.CROSSING),
                        tuple("B", 3L, 300_001L, 1, Trigger.CROSSING)); // in the state backend's key order
        assertThat(alerts()).extracting(a -> a.alertId).containsExactlyInAnyOrder("sum-over-threshold:A:1970-01-01T00:01:00Z",
                "sum-over-threshold:B:1970-01-01T00:01:00Z");
        txn("a4", "A", 300_001, MIN + 3_000); // the window's live alert is out
        assertThat(alerts()).hasSize(2);
        assertThat(shadowAlerts()).hasSize(4);

        harness.processWatermark(4 * MIN);
        assertThat(stateEntries()).isZero();
        assertThat(timers()).isZero();
    }

    @Test
    void anOpenWindowThatAlertedInShadowKeepsCountingSoItsLiveAlertHasTheWholeTotal() throws Exception {
        open(FiringMode.EARLY, Duration.ZERO);
        command(sum("sum-over-threshold", 2, "3000.00", ",\"mode\":\"SHADOW\""));
        txn("a1", "A", 300_001, 1_000);
        txn("a2", "A", 50_000, 2_000);
        command(sum("sum-over-threshold", 3, "3000.00", ",\"mode\":\"PAUSED\""));
        command(sum("sum-over-threshold", 4, "3000.00", ""));
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.ruleVersion).isEqualTo(4);
            assertThat(a.totalCents).isEqualTo(350_001);
            assertThat(a.txnIds).containsExactly("a1", "a2");
        });
        assertThat(shadowAlerts()).hasSize(1);
        harness.processWatermark(2 * MIN);
        assertThat(stateEntries()).isZero();
        assertThat(timers()).isZero();
    }

    @Test
    void aChangeToWindowCloseFiresAtTheWindowsCloseNotAtTheOldExpiryTimer() throws Exception {
        open(FiringMode.EARLY, Duration.ofSeconds(30));
        txn("a1", "A", 250_000, 1_000); // under 3000.00; EARLY's only timer is the state's expiry, 89.999 s
        command(sum("sum-over-threshold", 2, "2000.00", ",\"firing\":\"WINDOW_CLOSE\""));
        assertThat(alerts()).isEmpty();
        harness.processWatermark(MIN - 1); // the window's close: the key has gone quiet
        assertThat(alerts()).extracting(a -> a.groupKey, a -> a.ruleVersion, a -> a.totalCents, a -> a.trigger)
                .containsExactly(tuple("A", 2L, 250_000L, Trigger.WINDOW_CLOSE));
        harness.processWatermark(3 * MIN);
        assertThat(stateEntries()).isZero();
        assertThat(timers()).isZero();
    }

    @Test
    void onRocksDbTheChangesStateScanRegistersEachKeysCloseForThatKey() throws Exception {
        rocksDb = true; // the backend MSF uses; its key iteration differs from the heap's
        open(FiringMode.EARLY, Duration.ofSeconds(30));
        txn("a1", "A", 250_000, 1_000);
        txn("b1", "B", 260_000, 2_000);
        txn("c1", "C", 150_000, MIN + 2_000); // another window, under the new threshold
        command(sum("sum-over-threshold", 2, "2000.00", ",\"firing\":\"WINDOW_CLOSE\""));
        harness.processWatermark(MIN - 1);
        assertThat(alerts()).extracting(a -> a.groupKey, a -> a.totalCents, a -> a.trigger).containsExactlyInAnyOrder(
                tuple("A", 250_000L, Trigger.WINDOW_CLOSE), tuple("B", 260_000L, Trigger.WINDOW_CLOSE));
        harness.processWatermark(4 * MIN);
        assertThat(alerts()).hasSize(2);
        assertThat(timers()).isZero();
    }

    @Test
    void aChangeToWindowCloseLeavesTheWindowsClosedBeforeItDecidedAndClosesTheOpenOneOnTime() throws Exception {
        open(FiringMode.EARLY, Duration.ofSeconds(30));
        txn("a1", "A", 250_000, 1_000); // window [0, 60 s): under 3000.00, its expiry timer is 89.999 s
        harness.processWatermark(MIN + 1_000); // [0, 60 s) closed under EARLY, kept for the lateness
        txn("a2", "A", 210_000, MIN + 5_000); // window [60 s, 120 s)
        command(sum("sum-over-threshold", 2, "2000.00", ",\"firing\":\"WINDOW_CLOSE\""));
        harness.processWatermark(2 * MIN - 1); // the open window's close (and past the old expiry timer)
        assertThat(alerts()).extracting(a -> a.windowStartMillis, a -> a.totalCents, a -> a.trigger)
                .containsExactly(tuple(MIN, 210_000L, Trigger.WINDOW_CLOSE));
        harness.processWatermark(4 * MIN);
        assertThat(alerts()).hasSize(1);
        assertThat(stateEntries()).isZero();
        assertThat(timers()).isZero();
    }

    @Test
    void aWindowThatAlertedInShadowAlertsLiveAtCloseWhenAPauseStepLeadsToActiveWindowClose() throws Exception {
        open(FiringMode.EARLY, Duration.ofSeconds(30));
        command(sum("sum-over-threshold", 2, "3000.00", ",\"mode\":\"SHADOW\""));
        txn("a1", "A", 300_001, 1_000); // a shadow alert; the window keeps its totals
        command(sum("sum-over-threshold", 3, "3000.00", ",\"mode\":\"PAUSED\",\"firing\":\"WINDOW_CLOSE\""));
        command(sum("sum-over-threshold", 4, "3000.00", ",\"firing\":\"WINDOW_CLOSE\""));
        txn("a2", "A", 10_000, 2_000); // into the open window: counted, no revision of the shadow alert
        assertThat(alerts()).isEmpty();
        harness.processWatermark(MIN + 5_000); // the live stream's one alert for the window, with its whole total
        assertThat(alerts()).extracting(a -> a.groupKey, a -> a.ruleVersion, a -> a.totalCents, a -> a.trigger,
                a -> a.revision).containsExactly(tuple("A", 4L, 310_001L, Trigger.WINDOW_CLOSE, 0));
        assertThat(shadowAlerts()).hasSize(1);
        harness.processWatermark(4 * MIN);
        assertThat(alerts()).hasSize(1);
        assertThat(stateEntries()).isZero();
        assertThat(timers()).isZero();
    }

    @Test
    void aWindowThatAlertedInShadowUnderEarlyHasItsOneShadowAlertAfterAChangeToWindowCloseAndALiveOneLater()
            throws Exception {
        open(FiringMode.EARLY, Duration.ofSeconds(30));
        command(sum("sum-over-threshold", 2, "3000.00", ",\"mode\":\"SHADOW\""));
        txn("a1", "A", 300_001, 1_000); // a shadow alert; the window keeps counting
        txn("b1", "B", 300_001, 1_000);
        command(sum("sum-over-threshold", 3, "3000.00", ",\"mode\":\"SHADOW\",\"firing\":\"WINDOW_CLOSE\""));
        txn("a2", "A", 10_000, 2_000); // open window: not a revision of the EARLY alert
        harness.processWatermark(MIN + 5_000); // closed: no WINDOW_CLOSE alert either, the window has its one alert
        assertThat(shadowAlerts()).extracting(a -> a.groupKey, a -> a.revision).containsExactly(tuple("A", 0),
                tuple("B", 0));
        command(sum("sum-over-threshold", 4, "3000.00", ",\"firing\":\"WINDOW_CLOSE\""));
        assertThat(alerts()).isEmpty(); // closed windows stay decided at the activation
        txn("b2", "B", 10_000, 3_000); // late, within the lateness, into B's closed window
        harness.processWatermark(MIN + 10_000);
        // the live stream never had B's window: the late transaction decides it, as for a window never alerted
        assertThat(alerts()).extracting(a -> a.groupKey, a -> a.totalCents, a -> a.trigger, a -> a.revision)
                .containsExactly(tuple("B", 310_001L, Trigger.LATE_TRANSACTION, 0));
        assertThat(shadowAlerts()).hasSize(2);
        harness.processWatermark(4 * MIN);
        assertThat(stateEntries()).isZero();
        assertThat(timers()).isZero();
    }

    @Test
    void aChangedWindowStartsFreshOnEveryKey() throws Exception {
        open(FiringMode.EARLY, Duration.ZERO);
        txn("t1", "A", 200_000, 1_000);
        txn("u1", "B", 200_000, 1_000);
        assertThat(stateEntries()).isEqualTo(2);
        command("{\"rule_id\":\"sum-over-threshold\",\"version\":2,\"type\":\"SUM_OVER_THRESHOLD\","
                + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT1M\"},\"threshold\":3000.00}");
        assertThat(stateEntries()).isZero(); // dropped at once, not on next use
        txn("t2", "A", 200_000, 2_000); // 4000.00 with t1, but t1 belonged to the old window shape
        assertThat(alerts()).isEmpty();
        txn("t3", "A", 100_001, 3_000);
        assertThat(alerts()).extracting(a -> a.ruleVersion, a -> a.totalCents).containsExactly(tuple(2L, 300_001L));
    }

    @Test
    void shadowAlertsGoToTheirOwnOutputOnlyAndPausedRulesDecideNothing() throws Exception {
        open(FiringMode.EARLY, Duration.ZERO);
        command(sum("sum-over-threshold", 2, "3000.00", ",\"mode\":\"SHADOW\""));
        txn("t1", "A", 300_001, 1_000);
        assertThat(alerts()).isEmpty();
        assertThat(shadowAlerts()).singleElement().satisfies(a -> {
            assertThat(a.mode).isEqualTo(RuleMode.SHADOW);
            assertThat(a.ruleVersion).isEqualTo(2);
        });

        command(sum("sum-over-threshold", 3, "3000.00", ",\"mode\":\"PAUSED\""));
        txn("t2", "B", 300_001, 2_000);
        assertThat(alerts()).isEmpty();
        assertThat(shadowAlerts()).hasSize(1);

        command(sum("sum-over-threshold", 4, "3000.00", ""));
        // A's window, open and alerted in shadow only, alerts live at the activation; B's came while paused
        assertThat(alerts()).extracting(a -> a.groupKey, a -> a.ruleVersion, a -> a.mode)
                .containsExactly(tuple("A", 4L, RuleMode.ACTIVE));
        txn("t3", "C", 300_001, 3_000);
        assertThat(alerts()).extracting(a -> a.groupKey, a -> a.ruleVersion, a -> a.mode)
                .containsExactly(tuple("A", 4L, RuleMode.ACTIVE), tuple("C", 4L, RuleMode.ACTIVE));
        assertThat(acks()).extracting(a -> a.status, a -> a.version, a -> a.mode).containsExactly(
                tuple(RuleAck.Status.APPLIED, 2L, RuleMode.SHADOW), tuple(RuleAck.Status.APPLIED, 3L, RuleMode.PAUSED),
                tuple(RuleAck.Status.APPLIED, 4L, RuleMode.ACTIVE));
    }

    @Test
    void aDeletedRuleLeavesNoStateAndNoTimersBehind() throws Exception {
        open(FiringMode.EARLY, Duration.ofSeconds(30));
        txn("t1", "A", 100_000, 1_000);
        txn("u1", "B", 100_000, 1_000);
        assertThat(stateEntries()).isEqualTo(2);
        command("{\"rule_id\":\"sum-over-threshold\",\"version\":2,\"delete\":true}");
        assertThat(acks()).extracting(a -> a.status, a -> a.deleted).containsExactly(tuple(RuleAck.Status.APPLIED, true));
        assertThat(stateEntries()).isZero();
        txn("t2", "A", 300_001, 2_000);
        assertThat(alerts()).isEmpty();

        harness.processWatermark(MIN - 1 + 30_000); // past the old horizon: the old timers fire and find nothing
        assertThat(timers()).isZero();
        assertThat(stateEntries()).isZero();

        command(sum("sum-over-threshold", 1, "3000.00", "")); // older than the deletion: rejected
        assertThat(acks().get(1).status).isEqualTo(RuleAck.Status.REJECTED);
        assertThat(acks().get(1).reason).contains("not newer than version 2 (deleted)");
    }

    @Test
    void anInvalidRuleIsRejectedWithItsReasonAndChangesNothing() throws Exception {
        open(FiringMode.EARLY, Duration.ZERO);
        command("{\"rule_id\":\"sum-over-threshold\",\"version\":2,\"type\":\"SUM_OVER_THRESHOLD\","
                + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},\"treshold\":1.00}");
        command("not json at all");
        assertThat(acks()).extracting(a -> a.status).containsExactly(RuleAck.Status.REJECTED, RuleAck.Status.REJECTED);
        assertThat(acks().get(0).reason).contains("rule 'sum-over-threshold'").contains("threshold");
        assertThat(acks().get(1).reason).contains("not a JSON document");
        txn("t1", "A", 300_000, 1_000); // exactly 3000.00: the version-1 rule still decides
        txn("t2", "A", 1, 2_000);
        assertThat(alerts()).extracting(a -> a.ruleVersion, a -> a.totalCents).containsExactly(tuple(1L, 300_001L));
    }

    @Test
    void everyRuleTypeLeavesNoStateOrTimersOnceItsHorizonHasPassed() throws Exception {
        initial = List.of(
                RuleCodec.parse(sum("sum", 1, "100.00", "")),
                RuleCodec.parse("{\"rule_id\":\"count\",\"version\":1,\"type\":\"COUNT_OVER_THRESHOLD\","
                        + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT10M\"},\"min_count\":3}"),
                RuleCodec.parse("{\"rule_id\":\"distinct\",\"version\":1,\"type\":\"DISTINCT_COUNT_OVER_THRESHOLD\","
                        + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT5M\"},\"distinct\":\"merchant_id\","
                        + "\"min_distinct\":3,\"firing\":\"WINDOW_CLOSE\"}"),
                RuleCodec.parse("{\"rule_id\":\"testing\",\"version\":1,\"type\":\"SMALL_THEN_LARGE\","
                        + "\"small_max\":2.00,\"large_min\":500.00,\"within\":\"PT15M\"}"),
                RuleCodec.parse("{\"rule_id\":\"travel\",\"version\":1,\"type\":\"IMPOSSIBLE_TRAVEL\","
                        + "\"max_speed_kmh\":900,\"within\":\"PT6H\"}"));
        open(FiringMode.EARLY, Duration.ofSeconds(30));
        long t = 1_000;
        for (int i = 0; i < 20; i++) {
            Transaction txn = new Transaction("t" + i, "A" + (i % 3), i % 2 == 0 ? 100 : 60_000, t + i * 20_000);
            txn.merchantId = "M" + i;
            txn.lat = i % 2 == 0 ? 52.52 : 40.71;
            txn.lon = i % 2 == 0 ? 13.40 : -74.0;
            harness.processElement(new GroupedTransaction(Grouping.ACCOUNT_ID, txn.accountId, txn), txn.txnTimeMillis);
        }
        assertThat(stateEntries()).isEqualTo(3);

        harness.processWatermark(t + 20 * 20_000 + Duration.ofHours(6).toMillis() + 30_000);
        assertThat(alerts()).extracting(a -> a.ruleId).contains("sum", "count", "distinct", "testing", "travel");
        assertThat(stateEntries()).isZero();
        assertThat(timers()).isZero();
    }
}
