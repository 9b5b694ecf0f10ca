package com.example.fraud.detector.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.model.Transaction;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * After a restore the consumer sets its watermark from the shards that delivered so far; this operator holds it
 * until the shards read before the checkpoint have delivered, or the idle timeout has passed.
 */
class HoldWatermarkUntilShardsResumeTest {
    private static final long IDLE = 5_000;

    @Test
    void aFreshStartHoldsNothing() throws Exception {
        try (OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h = harness()) {
            h.open();
            h.processElement(record("shard-a", 1_000), 1_000);
            h.processWatermark(new Watermark(500));
            assertThat(watermarks(h)).containsExactly(500L);
        }
    }

    @Test
    void afterARestoreTheWatermarkWaitsForEveryShardReadBefore() throws Exception {
        try (OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h = restoredAtAndReadFromB()) {
            h.processWatermark(new Watermark(55_000)); // shard b alone: a's replayed records would be late
            assertThat(watermarks(h)).isEmpty();
            assertThat(records(h)).hasSize(1); // records are never held

            h.processElement(record("shard-a", 40_000), 40_000);
            h.processWatermark(new Watermark(35_000)); // both have delivered: the consumer's minimum again
            assertThat(watermarks(h)).containsExactly(35_000L);
        }
    }

    @Test
    void aShardThatDoesNotDeliverIsNotWaitedForLongerThanTheIdleTimeout() throws Exception {
        try (OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h = restoredAtAndReadFromB()) {
            h.setProcessingTime(100_000 + IDLE - 1);
            h.processWatermark(new Watermark(55_000));
            assertThat(watermarks(h)).isEmpty();
            h.setProcessingTime(100_000 + IDLE);
            h.processWatermark(new Watermark(55_001));
            assertThat(watermarks(h)).containsExactly(55_001L);
        }
    }

    @Test
    void aShardQuietAtTheCheckpointIsWaitedForUpToTheIdleTimeout() throws Exception {
        // It may have been written to during the outage: its records must not come back late.
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h = harness()) {
            h.open();
            h.setProcessingTime(1_000);
            h.processElement(record("shard-quiet", 1_000), 1_000);
            h.setProcessingTime(1_000 + IDLE + 1);
            h.processElement(record("shard-b", 9_000), 9_000);
            snapshot = h.snapshot(1, 1_000 + IDLE + 1);
        }
        OperatorSubtaskState next;
        try (OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h = harness()) {
            h.setProcessingTime(50_000);
            h.initializeState(snapshot);
            h.open();
            h.processElement(record("shard-b", 10_000), 10_000);
            h.processWatermark(new Watermark(9_500));
            assertThat(watermarks(h)).isEmpty();
            h.setProcessingTime(50_000 + IDLE); // still silent: released, as idleness would at any time
            h.processWatermark(new Watermark(9_600));
            assertThat(watermarks(h)).containsExactly(9_600L);
            next = h.snapshot(2, 50_000 + IDLE);
        }
        try (OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h = harness()) {
            h.initializeState(next); // silent for a whole idle timeout: not waited for again
            h.open();
            h.processElement(record("shard-b", 11_000), 11_000);
            h.processWatermark(new Watermark(10_500));
            assertThat(watermarks(h)).containsExactly(10_500L);
        }
    }

    @Test
    void aCheckpointTakenWhileHoldingStillWaitsForTheShardsNotHeardFrom() throws Exception {
        OperatorSubtaskState first = snapshotAfterReading("shard-a", "shard-b");
        OperatorSubtaskState second;
        try (OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h = harness()) {
            h.initializeState(first);
            h.open();
            h.processElement(record("shard-b", 60_000), 60_000);
            second = h.snapshot(2, 0);
        }
        try (OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h = harness()) {
            h.initializeState(second);
            h.open();
            h.processElement(record("shard-b", 61_000), 61_000);
            h.processWatermark(new Watermark(56_000));
            assertThat(watermarks(h)).isEmpty();
            h.processElement(record("shard-a", 41_000), 41_000);
            h.processWatermark(new Watermark(36_000));
            assertThat(watermarks(h)).containsExactly(36_000L);
        }
    }

    /** Restored at processing time 100,000 from a checkpoint after shards a and b delivered; b has delivered since. */
    private static OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> restoredAtAndReadFromB()
            throws Exception {
        OperatorSubtaskState snapshot = snapshotAfterReading("shard-a", "shard-b");
        OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h = harness();
        h.setProcessingTime(100_000);
        h.initializeState(snapshot);
        h.open();
        h.processElement(record("shard-b", 60_000), 60_000);
        return h;
    }

    @Test
    void anIdleStatusWhileHoldingWaitsForTheRelease() throws Exception {
        try (OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h = restoredAtAndReadFromB()) {
            h.processWatermarkStatus(WatermarkStatus.IDLE); // shard a has not delivered: downstream must wait
            assertThat(statuses(h)).isEmpty();
            h.setProcessingTime(100_000 + IDLE); // the hold's timer
            assertThat(statuses(h)).containsExactly(WatermarkStatus.IDLE);
        }
    }

    @Test
    void anIdleStatusHeldIsPassedOnWhenTheLastAwaitedShardDelivers() throws Exception {
        // Found by HoldWatermarkUntilShardsResumeProperties: the release by delivery used to drop the held status.
        try (OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h = restoredAtAndReadFromB()) {
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            h.processElement(record("shard-a", 40_000), 40_000);
            assertThat(statuses(h)).containsExactly(WatermarkStatus.IDLE);
        }
    }

    @Test
    void theEndOfInputWatermarkIsNeverHeld() throws Exception {
        try (OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h = restoredAtAndReadFromB()) {
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(watermarks(h)).containsExactly(Long.MAX_VALUE);
        }
    }

    @Test
    void atTheSameParallelismEachSubtaskWaitsForItsOwnShardsOnly() throws Exception {
        OperatorSubtaskState state = AbstractStreamOperatorTestHarness.repackageState(
                snapshotOfSubtask(0, "shard-a"), snapshotOfSubtask(1, "shard-b"));
        try (OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h = harness(2, 0)) {
            h.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(state, 128, 2, 2, 0));
            h.open();
            h.processElement(record("shard-a", 60_000), 60_000);
            h.processWatermark(new Watermark(55_000));
            assertThat(watermarks(h)).containsExactly(55_000L);
        }
    }

    @Test
    void afterARescaleEverySubtaskWaitsForEveryShardOfTheCheckpoint() throws Exception {
        OperatorSubtaskState state = AbstractStreamOperatorTestHarness.repackageState(
                snapshotOfSubtask(0, "shard-a"), snapshotOfSubtask(1, "shard-b"));
        try (OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h = harness(1, 0)) {
            h.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(state, 128, 2, 1, 0));
            h.open();
            h.processElement(record("shard-a", 60_000), 60_000);
            h.processWatermark(new Watermark(55_000)); // shard b is this subtask's now
            assertThat(watermarks(h)).isEmpty();
            h.processElement(record("shard-b", 40_000), 40_000);
            h.processWatermark(new Watermark(35_000));
            assertThat(watermarks(h)).containsExactly(35_000L);
        }
    }

    @Test
    void aCheckpointTakenWhileHoldingAfterARescaleDoesNotMakeTheNextRestoreWaitForOtherSubtasksShards()
            throws Exception {
        OperatorSubtaskState atOne = snapshotAfterReading("shard-a", "shard-b");
        OperatorSubtaskState[] atTwo = new OperatorSubtaskState[2];
        String[] own = {"shard-a", "shard-b"};
        for (int i = 0; i < 2; i++) { // rescaled to 2: each waits for both, hears from its own, checkpoints
            try (OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h = harness(2, i)) {
                h.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(atOne, 128, 1, 2, i));
                h.open();
                h.processElement(record(own[i], 60_000), 60_000);
                h.processWatermark(new Watermark(55_000));
                assertThat(watermarks(h)).isEmpty();
                atTwo[i] = h.snapshot(2, 0);
            }
        }
        OperatorSubtaskState state = AbstractStreamOperatorTestHarness.repackageState(atTwo);
        try (OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h = harness(2, 0)) {
            h.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(state, 128, 2, 2, 0));
            h.open();
            h.processElement(record("shard-a", 61_000), 61_000); // shard b is subtask 1's, which heard from it
            h.processWatermark(new Watermark(56_000));
            assertThat(watermarks(h)).containsExactly(56_000L);
        }
    }

    private static OperatorSubtaskState snapshotOfSubtask(int index, String shard) throws Exception {
        try (OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h = harness(2, index)) {
            h.open();
            h.processElement(record(shard, 1_000), 1_000);
            return h.snapshot(1, 0);
        }
    }

    private static OperatorSubtaskState snapshotAfterReading(String... shards) throws Exception {
        try (OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h = harness()) {
            h.open();
            for (String shard : shards) {
                h.processElement(record(shard, 1_000), 1_000);
            }
            return h.snapshot(1, 0);
        }
    }

    private static OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> harness() throws Exception {
        return harness(1, 0);
    }

    private static OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> harness(int parallelism, int index)
            throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new HoldWatermarkUntilShardsResume(IDLE), 128, parallelism,
                index);
    }

    private static ParsedRecord record(String shard, long time) {
        ParsedRecord r = ParsedRecord.valid(new Transaction("t-" + shard + time, "ACC-1", 100, time));
        r.shardId = shard;
        return r;
    }

    static List<Long> watermarks(OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h) {
        List<Long> marks = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof Watermark) {
                marks.add(((Watermark) o).getTimestamp());
            }
        }
        return marks;
    }

    static List<WatermarkStatus> statuses(OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h) {
        List<WatermarkStatus> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof WatermarkStatus) {
                out.add((WatermarkStatus) o);
            }
        }
        return out;
    }

    static List<Object> records(OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h) {
        List<Object> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord) {
                out.add(o);
            }
        }
        return out;
    }
}
