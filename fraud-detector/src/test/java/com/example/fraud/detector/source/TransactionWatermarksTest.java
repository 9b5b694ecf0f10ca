package com.example.fraud.detector.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.model.DeadLetterPayload;
import com.example.fraud.model.RejectReason;
import com.example.fraud.model.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

/**
 * A shard that keeps delivering only rejected records (malformed, clock-skewed) is idle for the watermark, as a silent
 * one is: otherwise a trickle of bad records on one quiet shard pins the whole job's event time.
 */
class TransactionWatermarksTest {
    private static final long BOUND = 5_000;
    private static final long IDLE = 30_000;

    @Test
    void aKinesisShardDeliveringOnlyRejectedRecordsForTheIdleTimeoutStopsHoldingTheWatermark() {
        AtomicLong now = new AtomicLong(1_000_000);
        TransactionWatermarks.PerShardAssigner shard =
                new TransactionWatermarks.PerShardAssigner(BOUND, IDLE).withClock(now::get);

        shard.extractTimestamp(valid(100_000), Long.MIN_VALUE);
        assertThat(shard.getCurrentWatermark().getTimestamp()).isEqualTo(100_000 - BOUND - 1);

        for (int i = 0; i < 30; i++) { // a rejected record a second, for 29 s: still within the timeout
            now.addAndGet(1_000);
            shard.extractTimestamp(rejected(), 100_000);
        }
        assertThat(shard.getCurrentWatermark().getTimestamp()).isEqualTo(100_000 - BOUND - 1);

        now.addAndGet(1_000); // 30 s of rejected records only
        shard.extractTimestamp(rejected(), 100_000);
        assertThat(shard.getCurrentWatermark().getTimestamp()).isEqualTo(Long.MAX_VALUE);

        shard.extractTimestamp(valid(90_000), 100_000); // a valid record again: the shard counts, where it was
        assertThat(shard.getCurrentWatermark().getTimestamp()).isEqualTo(100_000 - BOUND - 1);
        now.addAndGet(1_000);
        shard.extractTimestamp(rejected(), 90_000);
        assertThat(shard.getCurrentWatermark().getTimestamp()).isEqualTo(100_000 - BOUND - 1);
    }

    @Test
    void aKinesisShardWithValidRecordsBetweenTheRejectedOnesKeepsItsWatermark() {
        AtomicLong now = new AtomicLong(0);
        TransactionWatermarks.PerShardAssigner shard =
                new TransactionWatermarks.PerShardAssigner(BOUND, IDLE).withClock(now::get);
        for (int i = 0; i < 100; i++) { // 100 s; a valid record every 20 s, rejected ones every second
            now.addAndGet(1_000);
            shard.extractTimestamp(i % 20 == 0 ? valid(i * 1_000L) : rejected(), 0);
            assertThat(shard.getCurrentWatermark().getTimestamp()).isEqualTo((i / 20) * 20_000L - BOUND - 1);
        }
    }

    @Test
    void aKinesisShardWhoseFirstRecordsAreAllRejectedTurnsIdleAfterTheTimeout() {
        AtomicLong now = new AtomicLong(0);
        TransactionWatermarks.PerShardAssigner shard =
                new TransactionWatermarks.PerShardAssigner(BOUND, IDLE).withClock(now::get);
        shard.extractTimestamp(rejected(), Long.MIN_VALUE);
        assertThat(shard.getCurrentWatermark().getTimestamp()).isLessThan(0);
        now.addAndGet(IDLE);
        shard.extractTimestamp(rejected(), Long.MIN_VALUE);
        assertThat(shard.getCurrentWatermark().getTimestamp()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aSplitDeliveringOnlyRejectedRecordsIsMarkedIdleOnceAndResumesWithAValidOne() {
        ManualClock clock = new ManualClock();
        TransactionWatermarks.IdleWithoutValidRecords split = new TransactionWatermarks.IdleWithoutValidRecords(
                new TransactionWatermarks.BoundedOutOfOrderness(BOUND), IDLE, clock);
        RecordingOutput out = new RecordingOutput();

        split.onEvent(valid(100_000), 100_000, out);
        split.onPeriodicEmit(out);
        assertThat(out.events).containsExactly("watermark " + (100_000 - BOUND - 1));

        for (int i = 0; i < 40; i++) { // a rejected record and a periodic check each second, for 40 s
            clock.advanceTime(java.time.Duration.ofSeconds(1));
            split.onEvent(rejected(), 100_000, out);
            split.onPeriodicEmit(out);
        }
        assertThat(out.events).containsOnlyOnce("idle");
        int idleAt = out.events.indexOf("idle");
        // the first quiet check starts the timer; idle once more than the timeout has passed since
        assertThat(idleAt).isEqualTo(1 + 31);
        assertThat(out.events.subList(idleAt + 1, out.events.size())).isEmpty();

        split.onEvent(valid(120_000), 120_000, out);
        split.onPeriodicEmit(out);
        assertThat(out.events.get(out.events.size() - 1)).isEqualTo("watermark " + (120_000 - BOUND - 1));
    }

    @Test
    void aSplitWithValidRecordsBetweenTheRejectedOnesIsNeverIdle() {
        ManualClock clock = new ManualClock();
        TransactionWatermarks.IdleWithoutValidRecords split = new TransactionWatermarks.IdleWithoutValidRecords(
                new TransactionWatermarks.BoundedOutOfOrderness(BOUND), IDLE, clock);
        RecordingOutput out = new RecordingOutput();
        for (int i = 0; i < 200; i++) { // a valid record every 20 s
            clock.advanceTime(java.time.Duration.ofSeconds(1));
            if (i % 20 == 0) {
                split.onEvent(valid(i * 1_000L), i * 1_000L, out);
            } else {
                split.onEvent(rejected(), 0, out);
            }
            split.onPeriodicEmit(out);
        }
        assertThat(out.events).doesNotContain("idle").hasSize(200)
                .endsWith("watermark " + (180_000 - BOUND - 1));
    }

    static ParsedRecord valid(long txnTime) {
        return ParsedRecord.valid(new Transaction("t-" + txnTime, "A", 100, txnTime));
    }

    static ParsedRecord rejected() {
        return ParsedRecord.rejected(DeadLetterPayload.full().deadLetter(RejectReason.MALFORMED_JSON, "not JSON",
                "not json".getBytes(StandardCharsets.UTF_8), null, 0));
    }

    private static final class RecordingOutput implements WatermarkOutput {
        final List<String> events = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            events.add("watermark " + watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            events.add("idle");
        }

        @Override
        public void markActive() {
            events.add("active");
        }
    }
}
