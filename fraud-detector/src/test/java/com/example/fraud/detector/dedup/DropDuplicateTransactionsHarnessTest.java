package com.example.fraud.detector.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.rules.RuleCommands;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleCodec;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Duplicate detection's state and timers, keyed by account. Window 60 s + allowed lateness 30 s: a txn_id is kept
 * until its window's end plus 30 s.
 */
class DropDuplicateTransactionsHarnessTest {
    private static final DetectionSettings SETTINGS = DetectionSettings.builder()
            .window(Duration.ofSeconds(60)).allowedLateness(Duration.ofSeconds(30)).build();

    private KeyedBroadcastOperatorTestHarness<String, Transaction, byte[], Transaction> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        start(harness, null);
    }

    /** The default rule (60 s tumbling), as the job has it without a rules file. */
    private static KeyedBroadcastOperatorTestHarness<String, Transaction, byte[], Transaction> newHarness()
            throws Exception {
        return newHarness(SETTINGS.defaultRules());
    }

    private static KeyedBroadcastOperatorTestHarness<String, Transaction, byte[], Transaction> newHarness(
            List<Rule> rules) throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new DropDuplicateTransactions(SETTINGS, rules), List.of(RuleCommands.BROADCAST_STATE)),
                t -> t.accountId, Types.STRING, 128, 1, 0);
    }

    /** Opens (after a restore, if given) with the command input idle, as RuleCommands makes it. */
    private static void start(KeyedBroadcastOperatorTestHarness<String, Transaction, byte[], Transaction> h,
            OperatorSubtaskState restore) throws Exception {
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        h.getTwoInputOperator().processWatermarkStatus2(WatermarkStatus.IDLE);
    }

    private int stateEntries() {
        return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void txn(String id, String account, long cents, long time) throws Exception {
        harness.processElement(new Transaction(id, account, cents, time), time);
    }

    private List<String> passed() {
        return harness.extractOutputValues().stream().map(t -> t.txnId + "/" + t.amountCents)
                .collect(Collectors.toList());
    }

    private List<DeadLetter> conflicts() {
        return harness.getSideOutput(DropDuplicateTransactions.CONFLICTS) == null ? List.of()
                : harness.getSideOutput(DropDuplicateTransactions.CONFLICTS).stream().map(StreamRecord::getValue)
                        .collect(Collectors.toList());
    }

    @Test
    void aRetryIsDroppedAndAConflictIsDeadLetteredWithTheFieldsThatDiffer() throws Exception {
        txn("t-1", "A", 200_000, 1_000);
        txn("t-1", "A", 200_000, 1_000); // a producer retry
        txn("t-2", "A", 50_000, 2_000);
        txn("t-2", "A", 90_000, 2_500); // same id, other amount and time
        txn("t-3", "A", 10_000, 3_000);
        txn("t-3", "B", 10_000, 3_000); // the same id on another account is another transaction
        txn("t-4", "A", 10_000, 4_000);
        txn("t-4", "A", 10_000, 4_500); // same amount, other time

        assertThat(passed()).containsExactly("t-1/200000", "t-2/50000", "t-3/10000", "t-3/10000", "t-4/10000");
        assertThat(conflicts()).extracting(d -> d.reason, d -> d.accountId, d -> d.detail).containsExactly(
                org.assertj.core.groups.Tuple.tuple("DUPLICATE_TXN_ID", "A",
                        "txn_id t-2 was first seen with a different amount, txn_time; the first one was counted"),
                org.assertj.core.groups.Tuple.tuple("DUPLICATE_TXN_ID", "A",
                        "txn_id t-4 was first seen with a different txn_time; the first one was counted"));
        assertThat(conflicts().get(0).payload).contains("\"amount\":900.00").contains("\"txn_id\":\"t-2\"");
    }

    @Test
    void aReusedIdWithAnotherCardOrLocationIsAConflictNotARetry() throws Exception {
        Transaction first = new Transaction("t-1", "A", 10_000, 1_000);
        first.cardId = "K1";
        first.lat = 52.52;
        first.lon = 13.405;
        Transaction otherCard = new Transaction("t-1", "A", 10_000, 1_000);
        otherCard.cardId = "K2";
        otherCard.lat = 52.52;
        otherCard.lon = 13.405;
        Transaction retry = new Transaction("t-1", "A", 10_000, 1_000);
        retry.cardId = "K1";
        retry.lat = 52.52;
        retry.lon = 13.405;
        for (Transaction t : new Transaction[] {first, otherCard, retry}) {
            harness.processElement(t, t.txnTimeMillis);
        }
        assertThat(passed()).containsExactly("t-1/10000");
        assertThat(conflicts()).extracting(d -> d.detail).containsExactly("txn_id t-1 was first seen with a different "
                + "card_id, merchant_id, country, location or channel; the first one was counted");
    }

    @Test
    void aTxnIdIsForgottenWithItsWindowAndNothingIsLeftBehind() throws Exception {
        txn("t-1", "A", 100, 1_000);
        txn("t-2", "A", 100, 50_000); // same window: shares t-1's timer
        txn("t-3", "A", 100, 61_000); // next window
        txn("t-4", "B", 100, 2_000);
        assertThat(harness.numEventTimeTimers()).isEqualTo(3);

        harness.processWatermark(60_000 + 30_000 - 2);
        txn("t-1", "A", 100, 1_000); // still remembered: dropped
        assertThat(passed()).containsExactly("t-1/100", "t-2/100", "t-3/100", "t-4/100");

        harness.processWatermark(60_000 + 30_000 - 1); // the window can no longer count it
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        txn("t-3", "A", 100, 61_000); // the next window's id is still remembered
        assertThat(passed()).hasSize(4);
        harness.processWatermark(120_000 + 30_000);
        assertThat(stateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /**
     * Not only the Detection window: a retry is dropped for as long as any rule in force could still count the
     * transaction (a 10-minute tumbling window here), and the id is forgotten as soon as none can.
     */
    @Test
    void aTxnIdIsRememberedForAsLongAsAnyRuleInForceCouldCountIt() throws Exception {
        harness.close();
        harness = newHarness(List.of(
                RuleCodec.parse("{\"rule_id\":\"sum-10m\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
                        + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT10M\"},\"threshold\":3000.00}"),
                RuleCodec.parse("{\"rule_id\":\"velocity\",\"version\":1,\"type\":\"COUNT_OVER_THRESHOLD\","
                        + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT1M\"},\"min_count\":5}")));
        start(harness, null);
        txn("t-1", "A", 100, 1_000);
        harness.processWatermark(600_000 + 30_000 - 2); // long past the 60 s Detection window plus lateness
        txn("t-1", "A", 100, 1_000);
        assertThat(passed()).containsExactly("t-1/100");

        harness.processWatermark(600_000 + 30_000 - 1);
        assertThat(stateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /**
     * A rule change reaches this operator and the rules independently, so a transaction that passed here under the
     * old horizon may be counted by a new rule with a longer one. Its id is then kept for the new horizon: a later
     * retry is dropped, not counted a second time. Forgotten with the new horizon, nothing left behind.
     */
    @Test
    void aRuleWithALongerHorizonKeepsTheIdsAlreadyRememberedForIt() throws Exception {
        longerHorizonKeepsRememberedIds();
    }

    /** The same on RocksDB (MSF's backend), whose scan iterates keys while the ids are written back. */
    @Test
    void aRuleWithALongerHorizonKeepsTheIdsAlreadyRememberedForItOnRocksDb() throws Exception {
        harness.close();
        harness = newHarness();
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        start(harness, null);
        longerHorizonKeepsRememberedIds();
    }

    private void longerHorizonKeepsRememberedIds() throws Exception {
        txn("t-1", "A", 100, 1_000); // remembered until 60 s + 30 s under the default rule
        txn("t-2", "B", 100, 2_000);
        harness.processBroadcastElement(("{\"rule_id\":\"sum-10m\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
                + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT10M\"},\"threshold\":3000.00}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), 0);

        harness.processWatermark(60_000 + 30_000); // the timers set at the first sightings fire, and set the next
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);
        harness.processWatermark(600_000 + 30_000 - 2);
        txn("t-1", "A", 100, 1_000); // a retry the 10-minute rule could still count
        assertThat(passed()).containsExactly("t-1/100", "t-2/100");

        harness.processWatermark(600_000 + 30_000 - 1);
        assertThat(harness.getOperator().getKeyedStateBackend().getKeys("seen", VoidNamespace.INSTANCE)).isEmpty();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aRestoredOperatorStillKnowsWhatItSaw() throws Exception {
        txn("t-1", "A", 100, 1_000);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = newHarness();
        start(harness, snapshot);
        txn("t-1", "A", 100, 1_000);
        txn("t-1", "A", 999, 1_000);

        assertThat(passed()).isEmpty();
        assertThat(conflicts()).hasSize(1);
        harness.processWatermark(60_000 + 30_000);
        assertThat(stateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
