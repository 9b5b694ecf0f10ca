package com.example.fraud.detector.source;

import com.example.fraud.detector.config.DetectionSettings;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.streaming.api.functions.AssignerWithPeriodicWatermarks;
import org.apache.flink.util.clock.Clock;
import org.apache.flink.util.clock.SystemClock;

/**
 * Event time is the transaction's {@code txn_time}, never the Kinesis arrival time, and watermarks are kept per
 * shard, so a shard that is read ahead of another cannot make the other's records late: the watermark is the
 * minimum over shards, and an idle shard stops holding it back after the idle timeout. A shard counts as idle when
 * it has delivered no valid transaction for the idle timeout, even if rejected records keep arriving: otherwise a
 * trickle of malformed or clock-skewed records on a quiet shard would pin the watermark of the whole job (no
 * WINDOW_CLOSE alert, no LATE dead letter, no state expiry). One rule,
 * {@link BoundedOutOfOrderness}, in the two shapes Flink's sources take it: a {@link WatermarkStrategy} for FLIP-27
 * sources (run once per split) and a per-shard assigner for the Kinesis consumer (cloned once per shard).
 */
public final class TransactionWatermarks {
    private TransactionWatermarks() {}

    public static WatermarkStrategy<ParsedRecord> strategy(DetectionSettings settings) {
        return strategy(settings, Boundedness.CONTINUOUS_UNBOUNDED);
    }

    /**
     * Only an unbounded source's splits can go idle. Flink 1.19's idleness is wall-clock time without records, so it
     * also fires on a split that is merely held back (back pressure, a stall); a bounded source's finished subtask
     * sends the maximum watermark, and once the other subtasks counted as idle that maximum became the keyed
     * operators' watermark, making every record still unread LATE. A bounded input never waits for data: no idleness.
     */
    public static WatermarkStrategy<ParsedRecord> strategy(DetectionSettings settings, Boundedness boundedness) {
        long bound = settings.maxOutOfOrdernessMillis();
        long idleTimeout = settings.idleTimeoutMillis();
        return WatermarkStrategy.<ParsedRecord>forGenerator(ctx -> boundedness == Boundedness.BOUNDED
                        ? new BoundedOutOfOrderness(bound)
                        : new IdleWithoutValidRecords(new BoundedOutOfOrderness(bound), idleTimeout,
                                SystemClock.getInstance()))
                .withTimestampAssigner((record, arrivalTime) ->
                        record.isValid() ? record.transaction.txnTimeMillis : arrivalTime);
    }

    /** For {@code FlinkKinesisConsumer.setPeriodicWatermarkAssigner}; idleness is the consumer's own setting. */
    @SuppressWarnings("deprecation")
    public static AssignerWithPeriodicWatermarks<ParsedRecord> perShardAssigner(DetectionSettings settings) {
        return new PerShardAssigner(settings.maxOutOfOrdernessMillis(), settings.idleTimeoutMillis());
    }

    /**
     * Flink's bounded out-of-orderness generator, except that rejected records do not move it: a
     * malformed record must not push the watermark past valid transactions.
     */
    static final class BoundedOutOfOrderness implements WatermarkGenerator<ParsedRecord> {
        private final long bound;
        private long maxTimestamp;

        BoundedOutOfOrderness(long bound) {
            this.bound = bound;
            this.maxTimestamp = Long.MIN_VALUE + bound + 1;
        }

        @Override
        public void onEvent(ParsedRecord record, long timestamp, WatermarkOutput output) {
            if (record.isValid() && timestamp > maxTimestamp) {
                maxTimestamp = timestamp;
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(currentWatermark()));
        }

        long currentWatermark() {
            return maxTimestamp - bound - 1;
        }
    }

    /**
     * Flink's {@code withIdleness}, except that only valid transactions count as activity (Flink's counts every
     * record). Same timer and the same wall clock: idle once periodic checks have seen no valid record for longer than
     * the timeout.
     */
    static final class IdleWithoutValidRecords implements WatermarkGenerator<ParsedRecord> {
        private final BoundedOutOfOrderness watermarks;
        private final long timeoutMillis;
        private final Clock clock;
        private long validRecords;
        private long validRecordsAtCheck;
        private boolean quiet; // no valid record at the last check
        private long quietSince;
        private boolean idle;

        IdleWithoutValidRecords(BoundedOutOfOrderness watermarks, long timeoutMillis, Clock clock) {
            this.watermarks = watermarks;
            this.timeoutMillis = timeoutMillis;
            this.clock = clock;
        }

        @Override
        public void onEvent(ParsedRecord record, long timestamp, WatermarkOutput output) {
            watermarks.onEvent(record, timestamp, output);
            if (record.isValid()) {
                validRecords++;
                idle = false;
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            if (validRecords != validRecordsAtCheck) {
                validRecordsAtCheck = validRecords;
                quiet = false;
            } else if (!quiet) {
                quiet = true;
                quietSince = clock.relativeTimeMillis();
            } else if (!idle && clock.relativeTimeMillis() - quietSince > timeoutMillis) {
                idle = true;
                output.markIdle();
            }
            if (!idle) {
                watermarks.onPeriodicEmit(output);
            }
        }
    }

    /**
     * The same generator behind the consumer's assigner interface. The consumer asks for the shard's watermark after
     * each record and leaves out of its minimum only a shard that has delivered no record at all for
     * {@code flink.shard.idle.interval}; so after {@code idleTimeoutMillis} of rejected records only, this shard's
     * watermark is {@link Long#MAX_VALUE}, which the minimum ignores (and a subtask whose shards all say so is marked
     * idle by the consumer, as when they are silent). The clock is read on rejected records only. A rejected record
     * is given the shard's previous record's timestamp by the consumer; nothing reads it.
     */
    @SuppressWarnings("deprecation")
    static final class PerShardAssigner implements AssignerWithPeriodicWatermarks<ParsedRecord> {
        private static final long serialVersionUID = 1L;

        private final long bound;
        private final long idleTimeoutMillis;
        private transient BoundedOutOfOrderness generator;
        private transient LongSupplier clock;
        private transient boolean validSinceClockRead;
        private transient long validAround = Long.MIN_VALUE; // when a valid record was last known, roughly
        private transient boolean quiet;

        PerShardAssigner(long bound, long idleTimeoutMillis) {
            this.bound = bound;
            this.idleTimeoutMillis = idleTimeoutMillis;
        }

        /** Tests: a clock of their own instead of the wall clock. */
        PerShardAssigner withClock(LongSupplier millis) {
            this.clock = millis;
            return this;
        }

        private BoundedOutOfOrderness generator() {
            if (generator == null) {
                generator = new BoundedOutOfOrderness(bound);
            }
            return generator;
        }

        @Override
        public long extractTimestamp(ParsedRecord record, long arrivalTime) {
            if (record.isValid()) {
                validSinceClockRead = true;
                quiet = false;
            } else {
                long now = clock == null ? System.currentTimeMillis() : clock.getAsLong();
                // At most later than the last valid record: idleness comes late rather than early.
                if (validSinceClockRead || validAround == Long.MIN_VALUE) {
                    validAround = now;
                    validSinceClockRead = false;
                }
                quiet = now - validAround >= idleTimeoutMillis;
            }
            long timestamp = record.isValid() ? record.transaction.txnTimeMillis : arrivalTime;
            generator().onEvent(record, timestamp, null);
            return timestamp;
        }

        @Override
        public org.apache.flink.streaming.api.watermark.Watermark getCurrentWatermark() {
            return new org.apache.flink.streaming.api.watermark.Watermark(
                    quiet ? Long.MAX_VALUE : generator().currentWatermark());
        }
    }
}
