package com.example.fraud.detector.source;

import com.example.fraud.detector.config.DetectionSettings;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.streaming.api.functions.AssignerWithPeriodicWatermarks;

/**
 * Event time is the transaction's {@code txn_time}, never the Kinesis arrival time, and watermarks are kept per
 * shard, so a shard that is read ahead of another cannot make the other's records late: the watermark is the
 * minimum over shards, and an idle shard stops holding it back after the idle timeout. One rule,
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
        WatermarkStrategy<ParsedRecord> strategy =
                WatermarkStrategy.<ParsedRecord>forGenerator(ctx -> new BoundedOutOfOrderness(bound))
                        .withTimestampAssigner((record, arrivalTime) ->
                                record.isValid() ? record.transaction.txnTimeMillis : arrivalTime);
        return boundedness == Boundedness.BOUNDED ? strategy
                : strategy.withIdleness(Duration.ofMillis(settings.idleTimeoutMillis()));
    }

    /** For {@code FlinkKinesisConsumer.setPeriodicWatermarkAssigner}; idleness is the consumer's own setting. */
    @SuppressWarnings("deprecation")
    public static AssignerWithPeriodicWatermarks<ParsedRecord> perShardAssigner(DetectionSettings settings) {
        return new PerShardAssigner(settings.maxOutOfOrdernessMillis());
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

    /** The same generator behind the consumer's assigner interface; rejections keep their arrival time. */
    @SuppressWarnings("deprecation")
    static final class PerShardAssigner implements AssignerWithPeriodicWatermarks<ParsedRecord> {
        private static final long serialVersionUID = 1L;

        private final long bound;
        private transient BoundedOutOfOrderness generator;

        PerShardAssigner(long bound) {
            this.bound = bound;
        }

        private BoundedOutOfOrderness generator() {
            if (generator == null) {
                generator = new BoundedOutOfOrderness(bound);
            }
            return generator;
        }

        @Override
        public long extractTimestamp(ParsedRecord record, long arrivalTime) {
            long timestamp = record.isValid() ? record.transaction.txnTimeMillis : arrivalTime;
            generator().onEvent(record, timestamp, null);
            return timestamp;
        }

        @Override
        public org.apache.flink.streaming.api.watermark.Watermark getCurrentWatermark() {
            return new org.apache.flink.streaming.api.watermark.Watermark(generator().currentWatermark());
        }
    }
}
