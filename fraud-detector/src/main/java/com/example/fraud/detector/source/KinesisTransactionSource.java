package com.example.fraud.detector.source;

import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.config.FraudDetectorOptions.StartPosition;
import com.example.fraud.detector.config.StreamSettings;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kinesis.source.KinesisStreamsSource;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants.InitialPosition;
import org.apache.flink.connector.kinesis.source.serialization.KinesisDeserializationSchema;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.apache.flink.util.Collector;

/**
 * The FLIP-27 Kinesis source. Unlike the SQL kinesis table source, it watermarks each shard on its own
 * (see {@link TransactionWatermarks}), which is what keeps delayed records when parallelism is below the
 * shard count, as MSF often sets it.
 */
public final class KinesisTransactionSource {
    private KinesisTransactionSource() {}

    public static KinesisStreamsSource<ParsedRecord> create(
            StreamSettings stream, StartPosition startPosition, DetectionSettings detection) {
        Configuration config = new Configuration();
        stream.clientProperties().forEach((k, v) -> config.setString((String) k, (String) v));
        config.set(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_POSITION,
                InitialPosition.valueOf(startPosition.name()));
        return KinesisStreamsSource.<ParsedRecord>builder()
                .setStreamArn(stream.streamArn())
                .setSourceConfig(config)
                .setDeserializationSchema(new RecordDeserializer(new TransactionDeserializer(detection)))
                .build();
    }

    /** Hands the deserializer the record's arrival time as well as its bytes, for the clock-skew check. */
    static final class RecordDeserializer implements KinesisDeserializationSchema<ParsedRecord> {
        private static final long serialVersionUID = 1L;

        private final TransactionDeserializer deserializer;

        RecordDeserializer(TransactionDeserializer deserializer) {
            this.deserializer = deserializer;
        }

        @Override
        public void deserialize(Record record, String stream, String shardId, Collector<ParsedRecord> output) {
            Instant arrival = record.approximateArrivalTimestamp();
            // Kinesis always sets it; without it, judge against the time of reading.
            long arrivalMillis = arrival != null ? arrival.toEpochMilli() : System.currentTimeMillis();
            output.collect(deserializer.deserialize(record.data().asByteArrayUnsafe(), arrivalMillis));
        }

        @Override
        public TypeInformation<ParsedRecord> getProducedType() {
            return TypeInformation.of(ParsedRecord.class);
        }
    }
}
