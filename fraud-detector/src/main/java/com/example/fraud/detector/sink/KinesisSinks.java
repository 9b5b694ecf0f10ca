package com.example.fraud.detector.sink;

import com.example.fraud.detector.config.StreamSettings;
import com.example.fraud.model.Alert;
import com.example.fraud.model.AlertCodec;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.DeadLetterCodec;
import com.example.fraud.rules.RuleAck;
import java.time.Duration;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.kinesis.sink.KinesisStreamsSink;
import org.apache.flink.connector.kinesis.sink.KinesisStreamsSinkBuilder;
import org.apache.flink.connector.kinesis.sink.PartitionKeyGenerator;

/**
 * Kinesis sinks for alerts, shadow alerts, rule acknowledgements and dead letters. At-least-once: after a restore
 * a consumer can see an alert twice, with the same alert_id. The buffer time is short because every alert waits for it.
 *
 * <p>The connector retries failed entries forever and says so only at DEBUG; each sink is therefore wrapped
 * in a {@link MonitoredSink}: failed entries count into kinesisanalytics.sinkFailedEntries and a WARN is
 * logged at most every {@link #WARN_INTERVAL} per writer.
 */
public final class KinesisSinks {
    static final Duration WARN_INTERVAL = Duration.ofSeconds(30);

    private KinesisSinks() {}

    /** The connector's default: alerts are small, and a full buffer should hold the source back, not drop. */
    static final int ALERT_MAX_BUFFERED = 10_000;
    /**
     * Dead letters can be a thousand times larger than alerts (a FULL payload of up to record.max.bytes, at most 4/3
     * of it plus 256 bytes in the JSON): this bounds what a flood against a slow dead-letter stream can hold in memory
     * and in checkpoints to about 1,000 x 4/3 x record.max.bytes (88 MB with the 64 KiB default; a few MB for
     * ordinary records).
     */
    static final int DEAD_LETTER_MAX_BUFFERED = 1_000;
    /** The longest Kinesis partition key. */
    static final int MAX_PARTITION_KEY_CHARS = 256;

    /**
     * Keyed by {@code group_key}: a key's alerts, and the revisions of one alert, go to one shard. Not necessarily in
     * order: the sink sends requests concurrently and retries failed entries, and a restore can send one again;
     * consumers keep the highest {@code revision}.
     */
    public static Sink<Alert> alerts(StreamSettings stream, Duration maxBufferTime) {
        return sink(stream, maxBufferTime, ALERT_MAX_BUFFERED, AlertCodec::encode, alert -> alert.groupKey);
    }

    /**
     * Alerts of SHADOW rules: the same JSON as alerts ({@code mode: SHADOW}), on a stream of their own. A rule under
     * trial may alert far more than the stream takes, and its alerts are for evaluation: they must never hold back
     * the rules (this sink is chained to them) and with them the live alerts. The connector's writer waits in three
     * places, none of them here ({@link MonitoredSink} with shedding): on a full buffer ({@link ShedWhenFullWriter}
     * drops past {@code maxBuffered}, counted in kinesisanalytics.sinkDroppedEntries); in its buffer timeout, which
     * sends until the buffer is empty (run without waiting); and before a checkpoint, until no request is in flight
     * (at most {@link #SHADOW_CHECKPOINT_WAIT}). Batches of one: each alert goes out at once, and what the rate limit
     * holds back goes as requests complete, never stranded below a batch's size.
     */
    public static Sink<Alert> shadowAlerts(StreamSettings stream, Duration maxBufferTime, int maxBuffered) {
        KinesisStreamsSink<Alert> sink = builder(stream, AlertCodec::encode, alert -> alert.groupKey)
                .setMaxBatchSize(1)
                .setMaxTimeInBufferMS(maxBufferTime.toMillis())
                .setMaxBufferedRequests(maxBuffered)
                .build();
        return new MonitoredSink<>(sink, stream.streamName(), WARN_INTERVAL, maxBuffered, SHADOW_CHECKPOINT_WAIT);
    }

    /** How long a checkpoint waits for shadow requests in flight (the connector would wait until none is). */
    static final Duration SHADOW_CHECKPOINT_WAIT = Duration.ofSeconds(1);

    /** One acknowledgement per control-stream record, keyed by rule id so that a rule's acks stay in order. */
    public static Sink<RuleAck> ruleAcks(StreamSettings stream, Duration maxBufferTime) {
        return sink(stream, maxBufferTime, ALERT_MAX_BUFFERED, RuleAck::encode, KinesisSinks::ruleAckKey);
    }

    /** A Kinesis partition key is 1 to 256 characters; a rejected record may have no rule id, or a huge one. */
    static String ruleAckKey(RuleAck ack) {
        String id = ack.ruleId;
        if (id == null || id.isEmpty()) {
            return "no-rule-id";
        }
        return id.length() <= MAX_PARTITION_KEY_CHARS ? id : id.substring(0, MAX_PARTITION_KEY_CHARS);
    }

    public static Sink<DeadLetter> deadLetters(StreamSettings stream, Duration maxBufferTime) {
        return sink(stream, maxBufferTime, DEAD_LETTER_MAX_BUFFERED, DeadLetterCodec::encode,
                KinesisSinks::deadLetterKey);
    }

    /**
     * Spread by reason and the hash of the record's bytes (always set, whatever the payload policy), never by
     * account: one account's records (one producer's clock skew, an attacker's own account) would all land on one
     * dead-letter shard, and its throttling holds back the sink and with it the whole job. The same record dead-
     * lettered twice keeps one key; order across dead letters is not kept by the sink anyway.
     */
    static String deadLetterKey(DeadLetter d) {
        String hash = d.payloadSha256 != null ? d.payloadSha256 : Integer.toHexString(String.valueOf(d.payload).hashCode());
        String key = d.reason + "-" + hash.substring(0, Math.min(16, hash.length()));
        return key.length() <= MAX_PARTITION_KEY_CHARS ? key : key.substring(0, MAX_PARTITION_KEY_CHARS);
    }

    private static <T> Sink<T> sink(StreamSettings stream, Duration maxBufferTime, int maxBufferedRequests,
            SerializationSchema<T> serializer, PartitionKeyGenerator<T> partitionKey) {
        KinesisStreamsSink<T> sink = builder(stream, serializer, partitionKey)
                .setMaxTimeInBufferMS(maxBufferTime.toMillis())
                .setMaxBufferedRequests(maxBufferedRequests)
                .build();
        return new MonitoredSink<>(sink, stream.streamName(), WARN_INTERVAL);
    }

    private static <T> KinesisStreamsSinkBuilder<T> builder(StreamSettings stream, SerializationSchema<T> serializer,
            PartitionKeyGenerator<T> partitionKey) {
        return KinesisStreamsSink.<T>builder()
                .setStreamArn(stream.streamArn())
                .setKinesisClientProperties(stream.clientProperties())
                .setSerializationSchema(serializer)
                .setPartitionKeyGenerator(partitionKey)
                .setFailOnError(false); // retry failed entries instead of failing the job
    }
}
