package com.example.fraud.detector.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.RejectReason;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.FiringMode;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The LATE dead letters: judged against the watermark, and across a restore against the watermark reached before
 * it. Default rule: 60 s tumbling, no allowed lateness.
 */
class RouteByGroupingHarnessTest {
    private static final long MIN = 60_000;

    private final DetectionSettings settings = DetectionSettings.builder()
            .thresholdCents(300_000)
            .window(Duration.ofMinutes(1))
            .allowedLateness(Duration.ZERO)
            .maxClockSkew(Duration.ZERO)
            .firing(FiringMode.WINDOW_CLOSE)
            .maxTxnIds(3)
            .build();
    private BroadcastOperatorTestHarness<Transaction, byte[], GroupedTransaction> harness;

    private BroadcastOperatorTestHarness<Transaction, byte[], GroupedTransaction> open(OperatorSubtaskState restore,
            int parallelism, int subtask) throws Exception {
        BroadcastOperatorTestHarness<Transaction, byte[], GroupedTransaction> h = new BroadcastOperatorTestHarness<>(
                new RouteByGroupingOperator(new RouteByGrouping(settings, settings.defaultRules())), 128, parallelism,
                subtask);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        h.getTwoInputOperator().processWatermarkStatus2(WatermarkStatus.IDLE); // as RuleCommands does
        return h;
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private static void txn(BroadcastOperatorTestHarness<Transaction, byte[], GroupedTransaction> h, String id,
            long time) throws Exception {
        h.processElement(new Transaction(id, "A", 100_000, time), time);
    }

    private static List<String> late(BroadcastOperatorTestHarness<Transaction, byte[], GroupedTransaction> h) {
        java.util.Collection<StreamRecord<DeadLetter>> out = h.getSideOutput(RouteByGrouping.LATE);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue)
                .peek(d -> assertThat(d.reason).isEqualTo(RejectReason.LATE.name()))
                .peek(d -> assertThat(d.payload).contains("\"txn_id\":\"" // the detail names the transaction
                        + d.detail.substring("txn_id ".length(), d.detail.indexOf(" is late for every rule")) + "\""))
                .map(d -> d.payload).collect(Collectors.toList());
    }

    private static List<String> routed(BroadcastOperatorTestHarness<Transaction, byte[], GroupedTransaction> h) {
        return h.extractOutputValues().stream().map(g -> g.txn.txnId).collect(Collectors.toList());
    }

    @Test
    void aTransactionForAClosedWindowIsDeadLetteredLateNotRouted() throws Exception {
        harness = open(null, 1, 0);
        txn(harness, "on-time", 10_000);
        harness.processWatermark(MIN - 1);
        txn(harness, "late", 20_000);
        txn(harness, "next-window", MIN);
        // not sent on: the evaluator's watermark may be behind this one, and it would count what is dead-lettered
        assertThat(routed(harness)).containsExactly("on-time", "next-window");
        assertThat(late(harness)).singleElement().asString().contains("\"txn_id\":\"late\"");
    }

    /**
     * The floor comes from every watermark reached, not only those seen with a transaction: the evaluator sees the
     * watermark with its timers too, so a floor taken from transactions alone could be below the evaluator's, and a
     * transaction on time here late there, neither counted nor dead-lettered.
     */
    @Test
    void aRestoredJobDeadLettersWhatWasLateBeforeTheSnapshotAlsoAfterAQuietSpell() throws Exception {
        harness = open(null, 1, 0);
        txn(harness, "seen", 10_000);
        harness.processWatermark(2 * MIN - 1); // no transaction after it
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = open(snapshot, 1, 0);
        txn(harness, "unread", MIN + 30_000);
        assertThat(late(harness)).singleElement().asString().contains("\"txn_id\":\"unread\"");
        assertThat(routed(harness)).isEmpty();
    }

    @Test
    void aRestoredJobStillDeadLettersWhatWasLateBeforeTheSnapshot() throws Exception {
        harness = open(null, 1, 0);
        harness.processWatermark(MIN - 1);
        txn(harness, "seen", MIN + 1_000); // the operator learns its watermark with a record
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        // Flink restarts watermarks from the lowest after a restore; a record unread at the snapshot, from the
        // window the state has closed, must still be LATE rather than counted as on time.
        harness = open(snapshot, 1, 0);
        txn(harness, "unread", 30_000);
        txn(harness, "open-window", MIN + 2_000);
        assertThat(late(harness)).singleElement().asString().contains("\"txn_id\":\"unread\"");
    }

    /**
     * stop --drain: the end of input passes before the savepoint. The floor is the watermark before it, as the
     * evaluator's is: not the end of time (everything later late) and not nothing (below the evaluator's floor).
     */
    @Test
    void aSavepointTakenWhileDrainingKeepsTheWatermarkBeforeTheEnd() throws Exception {
        harness = open(null, 1, 0);
        harness.processWatermark(2 * MIN - 1);
        harness.processWatermark(Long.MAX_VALUE);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = open(snapshot, 1, 0);
        txn(harness, "closed-window", MIN + 30_000);
        txn(harness, "later", 5 * MIN);
        assertThat(late(harness)).singleElement().asString().contains("\"txn_id\":\"closed-window\"");
        assertThat(routed(harness)).containsExactly("later");
    }

    @Test
    void afterARescaleTheFloorIsTheLowestWatermarkAnySubtaskHadReached() throws Exception {
        BroadcastOperatorTestHarness<Transaction, byte[], GroupedTransaction> ahead = open(null, 2, 0);
        BroadcastOperatorTestHarness<Transaction, byte[], GroupedTransaction> behind = open(null, 2, 1);
        ahead.processWatermark(2 * MIN - 1);
        txn(ahead, "a", 2 * MIN);
        behind.processWatermark(MIN - 1);
        txn(behind, "b", MIN);
        OperatorSubtaskState merged = AbstractStreamOperatorTestHarness.repackageState(
                ahead.snapshot(1L, 1L), behind.snapshot(1L, 1L));
        ahead.close();
        behind.close();

        harness = open(AbstractStreamOperatorTestHarness.repartitionOperatorState(merged, 128, 2, 1, 0), 1, 0);
        txn(harness, "first-window", 30_000); // closed on both subtasks: late
        txn(harness, "second-window", MIN + 30_000); // closed only where the watermark was ahead: not late
        assertThat(late(harness)).singleElement().asString().contains("\"txn_id\":\"first-window\"");
    }
}
