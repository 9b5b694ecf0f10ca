package com.example.fraud.detector.source;

import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.config.FraudDetectorOptions.StartPosition;
import com.example.fraud.detector.config.StreamSettings;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kinesis.source.KinesisStreamsSource;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants.InitialPosition;

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
                .setDeserializationSchema(new TransactionDeserializer(detection.maxRecordBytes()))
                .build();
    }
}
