package com.example.fraud.detector.source;

import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.connectors.kinesis.serialization.KinesisDeserializationSchema;

/**
 * A Kinesis record's bytes as they are: the rules control stream is decoded and validated by the rule operators,
 * which acknowledge every record, so nothing is dropped or can fail here.
 */
public final class RawRecordDeserializer implements KinesisDeserializationSchema<byte[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] deserialize(byte[] recordValue, String partitionKey, String seqNum, long approxArrivalTimestamp,
            String stream, String shardId) {
        return recordValue;
    }

    @Override
    public TypeInformation<byte[]> getProducedType() {
        return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
    }
}
