package com.example.fraud.detector.source;

import com.example.fraud.detector.config.DetectionSettings;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time is the transaction's {@code txn_time}, never the Kinesis arrival time. Given to
 * {@code env.fromSource(...)}, the strategy runs once per shard (split), so a shard that is read ahead
 * of another cannot make the other's records late; the watermark is the minimum over shards, and an
 * idle shard stops holding it back after the idle timeout.
 */
public final class TransactionWatermarks {
    private TransactionWatermarks() {}

    public static WatermarkStrategy<ParsedRecord> strategy(DetectionSettings settings) {
        long bound = settings.maxOutOfOrdernessMillis();
        return WatermarkStrategy.<ParsedRecord>forGenerator(ctx -> new BoundedOutOfOrderness(bound))
                .withTimestampAssigner((record, arrivalTime) ->
                        record.isValid() ? record.transaction.txnTimeMillis : arrivalTime)
                .withIdleness(Duration.ofMillis(settings.idleTimeoutMillis()));
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
            output.emitWatermark(new Watermark(maxTimestamp - bound - 1));
        }
    }
}
