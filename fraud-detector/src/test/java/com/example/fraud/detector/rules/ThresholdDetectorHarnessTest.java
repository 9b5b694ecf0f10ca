package com.example.fraud.detector.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.config.FiringMode;
import com.example.fraud.model.Alert;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.Transaction;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The rule's state and timers, driven by hand-set watermarks. Window 60 s, threshold 3000.00. */
class ThresholdDetectorHarnessTest {
    private static final long MIN = 60_000;

    private KeyedOneInputStreamOperatorTestHarness<String, Transaction, Alert> harness;

    private void open(FiringMode firing, Duration allowedLateness) throws Exception {
        DetectionSettings settings = DetectionSettings.builder()
                .thresholdCents(300_000)
                .window(Duration.ofMinutes(1))
                .allowedLateness(allowedLateness)
                .firing(firing)
                .maxTxnIds(3)
                .build();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ThresholdDetector(settings)), t -> t.accountId, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void txn(String id, String account, long cents, long time) throws Exception {
        harness.processElement(new StreamRecord<>(new Transaction(id, account, cents, time), time));
    }

    private List<Alert> alerts() {
        return harness.extractOutputValues();
    }

    private List<DeadLetter> late() {
        return harness.getSideOutput(ThresholdDetector.LATE) == null ? List.of()
                : harness.getSideOutput(ThresholdDetector.LATE).stream().map(StreamRecord::getValue)
                        .collect(Collectors.toList());
    }

    @Test
    void exactlyTheThresholdIsNotFlaggedOneCentMoreIs() throws Exception {
        open(FiringMode.EARLY, Duration.ZERO);
        txn("a1", "A", 150_000, 1_000);
        txn("a2", "A", 150_000, 2_000); // A: 3000.00
        txn("b1", "B", 150_000, 1_000);
        txn("b2", "B", 150_001, 2_000); // B: 3000.01
        assertThat(alerts()).extracting(a -> a.accountId, a -> a.totalCents, a -> a.txnCount, a -> a.trigger)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("B", 300_001L, 2, "CROSSING"));
    }

    @Test
    void earlyFiringAlertsOnceOnTheCrossingTransactionAndLeavesNoStateBehind() throws Exception {
        open(FiringMode.EARLY, Duration.ZERO);
        txn("t1", "A", 200_000, 10_000);
        txn("t2", "A", 100_001, 20_000); // crosses
        txn("t3", "A", 500_000, 30_000); // same window: no second alert
        assertThat(alerts()).hasSize(1);
        Alert a = alerts().get(0);
        assertThat(a.alertId).isEqualTo("sum-over-threshold:A:1970-01-01T00:00:00Z");
        assertThat(a.windowStartMillis).isZero();
        assertThat(a.windowEndMillis).isEqualTo(MIN);
        assertThat(a.txnIds).containsExactly("t1", "t2");
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(MIN - 1); // window end, zero lateness: cleanup
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
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
                .containsExactly(org.assertj.core.groups.Tuple.tuple(300_001L, 2, "WINDOW_CLOSE"));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1); // the second window, still open

        harness.processWatermark(2 * MIN - 1);
        assertThat(alerts()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
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
    void transactionsBeyondTheAllowedLatenessGoToTheLateOutputNotTheSum() throws Exception {
        open(FiringMode.EARLY, Duration.ofSeconds(30));
        txn("t1", "A", 200_000, 10_000);
        harness.processWatermark(MIN - 1 + 30_000); // window closed, lateness over: state gone
        assertThat(harness.numKeyedStateEntries()).isZero();

        txn("late", "A", 200_000, 20_000);
        assertThat(alerts()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(late()).singleElement().satisfies(d -> {
            assertThat(d.reason).isEqualTo("LATE");
            assertThat(d.accountId).isEqualTo("A");
            assertThat(d.payload).contains("\"txn_id\":\"late\"").contains("\"amount\":2000.00");
            assertThat(d.detail).contains("window [1970-01-01T00:00:00Z, 1970-01-01T00:01:00Z) closed");
        });
    }

    @Test
    void aLateTransactionWithinTheAllowedLatenessStillRaisesTheWindowsOneAlert() throws Exception {
        open(FiringMode.WINDOW_CLOSE, Duration.ofSeconds(30));
        txn("t1", "A", 200_000, 10_000);
        harness.processWatermark(MIN + 10_000); // window closed at 2000.00: no alert
        assertThat(alerts()).isEmpty();

        txn("t2", "A", 100_001, 50_000); // late but allowed: crosses
        txn("t3", "A", 100_000, 55_000); // no second alert
        assertThat(alerts()).extracting(a -> a.totalCents, a -> a.trigger)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(300_001L, "LATE_TRANSACTION"));
        assertThat(late()).isEmpty();

        harness.processWatermark(MIN - 1 + 30_000);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(alerts()).hasSize(1);
    }

    @Test
    void stateSurvivesASnapshotAndRestoreWithoutDoubleCounting() throws Exception {
        open(FiringMode.WINDOW_CLOSE, Duration.ZERO);
        txn("t1", "A", 200_000, 10_000);
        var snapshot = harness.snapshot(1L, 1L);
        harness.close();

        DetectionSettings settings = DetectionSettings.builder().thresholdCents(300_000)
                .window(Duration.ofMinutes(1)).allowedLateness(Duration.ZERO).firing(FiringMode.WINDOW_CLOSE).build();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ThresholdDetector(settings)), t -> t.accountId, Types.STRING);
        harness.initializeState(snapshot);
        harness.open();
        txn("t2", "A", 100_001, 20_000);
        harness.processWatermark(MIN - 1);
        // t1 restored and counted once: neither lost (no alert) nor doubled (5000.01)
        assertThat(alerts()).extracting(a -> a.totalCents, a -> a.txnCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(300_001L, 2));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
