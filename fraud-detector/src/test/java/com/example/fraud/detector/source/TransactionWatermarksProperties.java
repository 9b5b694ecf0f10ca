package com.example.fraud.detector.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;

/**
 * Searches for a run in which a shard's watermark passes its valid transactions, or a shard goes idle too early
 * (while valid transactions still arrive) or never (after only rejected records for the timeout): random valid and
 * rejected records, any event times, wall-clock steps and periodic emits, through both shapes of the rule (the
 * Kinesis consumer's per-shard assigner and the FLIP-27 generator). The expectations are stated from the outside:
 * the watermark is the largest valid event time minus the bound minus 1; idleness is judged on the wall-clock time
 * since the last valid record.
 */
class TransactionWatermarksProperties {
    private static final long BOUND = 5_000;
    private static final long IDLE = 30_000;

    /** One step: a record (valid with its event time, or rejected), then a wall-clock step; or a periodic emit. */
    static final class Step {
        final boolean emit;
        final boolean valid;
        final long txnTime;
        final long clockStep;

        Step(boolean emit, boolean valid, long txnTime, long clockStep) {
            this.emit = emit;
            this.valid = valid;
            this.txnTime = txnTime;
            this.clockStep = clockStep;
        }

        @Override
        public String toString() {
            return (emit ? "emit" : valid ? "valid@" + txnTime : "rejected") + " +" + clockStep + "ms";
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Long> times = Arbitraries.oneOf(Arbitraries.longs().between(-1_000_000, 1_000_000),
                Arbitraries.of(Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, 0L));
        Arbitrary<Long> clockSteps = Arbitraries.oneOf(Arbitraries.longs().between(0, 2_000),
                Arbitraries.of(IDLE - 1, IDLE, IDLE + 1), Arbitraries.longs().between(0, 3 * IDLE));
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 9), times, clockSteps)
                .as((kind, t, dt) -> new Step(kind < 3, kind >= 3 && kind < 6, t, dt));
        return step.list().ofMaxSize(80);
    }

    @Property(tries = 1000)
    void theConsumersPerShardAssignerNeverPassesValidTimeAndIsIdleExactlyAfterTheTimeoutOfRejectedRecordsOnly(
            @ForAll("steps") List<Step> steps) {
        AtomicLong now = new AtomicLong(1_000_000);
        TransactionWatermarks.PerShardAssigner shard =
                new TransactionWatermarks.PerShardAssigner(BOUND, IDLE).withClock(now::get);
        long maxValid = Long.MIN_VALUE;
        boolean lastWasRejected = false;
        long firstRejectedSinceValid = Long.MIN_VALUE; // wall time of the first rejected record after the last valid
        long lastRejectedAt = Long.MIN_VALUE; // the assigner reads the clock on rejected records only
        for (Step s : steps) {
            if (!s.emit) {
                if (s.valid) {
                    shard.extractTimestamp(TransactionWatermarksTest.valid(s.txnTime), Long.MIN_VALUE);
                    maxValid = Math.max(maxValid, s.txnTime);
                    lastWasRejected = false;
                    firstRejectedSinceValid = Long.MIN_VALUE;
                } else {
                    shard.extractTimestamp(TransactionWatermarksTest.rejected(), Long.MIN_VALUE);
                    if (firstRejectedSinceValid == Long.MIN_VALUE) {
                        firstRejectedSinceValid = now.get();
                    }
                    lastRejectedAt = now.get();
                    lastWasRejected = true;
                }
            }
            long watermark = shard.getCurrentWatermark().getTimestamp();
            boolean idleExpected = lastWasRejected && lastRejectedAt - firstRejectedSinceValid >= IDLE;
            if (idleExpected) {
                assertThat(watermark).as("idle after %s", steps).isEqualTo(Long.MAX_VALUE);
            } else {
                assertThat(watermark).as("the valid records' watermark after %s", steps)
                        .isEqualTo(watermarkOf(maxValid));
            }
            now.addAndGet(s.clockStep);
        }
    }

    @Property(tries = 1000)
    void theFlip27GeneratorNeverPassesValidTimeGoesIdleOnlyAfterTheTimeoutAndAlwaysEventually(
            @ForAll("steps") List<Step> steps) {
        ManualClock clock = new ManualClock(1_000_000_000_000L);
        TransactionWatermarks.IdleWithoutValidRecords split = new TransactionWatermarks.IdleWithoutValidRecords(
                new TransactionWatermarks.BoundedOutOfOrderness(BOUND), IDLE, clock);
        Recording out = new Recording();
        long maxValid = Long.MIN_VALUE;
        long lastValidAt = clock.relativeTimeMillis(); // the start counts as activity, as Flink's idleness does
        int emitsSinceValid = 0;
        long secondEmitSinceValidAt = Long.MIN_VALUE;
        boolean idle = false;
        for (Step s : steps) {
            if (s.emit) {
                out.reset();
                split.onPeriodicEmit(out);
                emitsSinceValid++;
                if (emitsSinceValid == 2) {
                    secondEmitSinceValidAt = clock.relativeTimeMillis();
                }
                if (out.markedIdle) {
                    idle = true;
                    assertThat(clock.relativeTimeMillis() - lastValidAt).as("idle too early after %s", steps)
                            .isGreaterThan(IDLE);
                }
                if (out.watermark != null) {
                    assertThat(idle).as("a watermark while idle after %s", steps).isFalse();
                    assertThat(out.watermark).as("the valid records' watermark after %s", steps)
                            .isEqualTo(watermarkOf(maxValid));
                }
                if (emitsSinceValid >= 3 && clock.relativeTimeMillis() - secondEmitSinceValidAt > IDLE) {
                    assertThat(idle).as("never idle after %s", steps).isTrue();
                }
            } else if (s.valid) {
                split.onEvent(TransactionWatermarksTest.valid(s.txnTime), s.txnTime, out);
                maxValid = Math.max(maxValid, s.txnTime);
                lastValidAt = clock.relativeTimeMillis();
                emitsSinceValid = 0;
                idle = false;
            } else {
                split.onEvent(TransactionWatermarksTest.rejected(), 0, out);
            }
            clock.advanceTime(java.time.Duration.ofMillis(s.clockStep));
        }
    }

    /** The largest valid event time minus the bound minus 1; Long.MIN_VALUE before (or as low as) the bound allows. */
    private static long watermarkOf(long maxValid) {
        return Math.max(maxValid, Long.MIN_VALUE + BOUND + 1) - BOUND - 1;
    }

    private static final class Recording implements WatermarkOutput {
        Long watermark;
        boolean markedIdle;

        void reset() {
            watermark = null;
            markedIdle = false;
        }

        @Override
        public void emitWatermark(Watermark w) {
            watermark = w.getTimestamp();
        }

        @Override
        public void markIdle() {
            markedIdle = true;
        }

        @Override
        public void markActive() {}
    }
}
