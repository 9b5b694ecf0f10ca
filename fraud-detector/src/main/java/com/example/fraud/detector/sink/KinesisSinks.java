package com.example.fraud.detector.sink;

import com.example.fraud.detector.config.StreamSettings;
import com.example.fraud.model.Alert;
import com.example.fraud.model.AlertCodec;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.DeadLetterCodec;
import java.time.Duration;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.kinesis.sink.KinesisStreamsSink;
import org.apache.flink.connector.kinesis.sink.PartitionKeyGenerator;

/**
 * Kinesis sinks for alerts and dead letters. At-least-once: after a restore a consumer can see an alert
 * twice, with the same alert_id. The buffer time is short because every alert waits for it.
 *
 * <p>The connector retries failed entries forever and says so only at DEBUG; each sink is therefore wrapped
 * in a {@link MonitoredSink}: failed entries count into kinesisanalytics.sinkFailedEntries and a WARN is
 * logged at most every {@link #WARN_INTERVAL} per writer.
 */
public final class KinesisSinks {
    static final Duration WARN_INTERVAL = Duration.ofSeconds(30);

    private KinesisSinks() {}

    public static Sink<Alert> alerts(StreamSettings stream, Duration maxBufferTime) {
        return sink(stream, maxBufferTime, AlertCodec::encode, alert -> alert.accountId);
    }

    public static Sink<DeadLetter> deadLetters(StreamSettings stream, Duration maxBufferTime) {
        return sink(stream, maxBufferTime, DeadLetterCodec::encode, KinesisSinks::deadLetterKey);
    }

    /** Keeps an account's dead letters together; unreadable records spread by payload hash. */
    static String deadLetterKey(DeadLetter d) {
        return d.accountId != null ? d.accountId : d.reason + "-" + Integer.toHexString(String.valueOf(d.payload).hashCode());
    }

    private static <T> Sink<T> sink(StreamSettings stream, Duration maxBufferTime,
            SerializationSchema<T> serializer, PartitionKeyGenerator<T> partitionKey) {
        KinesisStreamsSink<T> sink = KinesisStreamsSink.<T>builder()
                .setStreamArn(stream.streamArn())
                .setKinesisClientProperties(stream.clientProperties())
                .setSerializationSchema(serializer)
                .setPartitionKeyGenerator(partitionKey)
                .setMaxTimeInBufferMS(maxBufferTime.toMillis())
                .setFailOnError(false) // retry failed entries instead of failing the job
                .build();
        return new MonitoredSink<>(sink, stream.streamName(), WARN_INTERVAL);
    }
}
