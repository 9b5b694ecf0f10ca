package com.example.fraud.detector.source;

import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.InvalidRecordException;
import com.example.fraud.model.RejectReason;
import com.example.fraud.model.TransactionCodec;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Kinesis record bytes to {@link ParsedRecord}. Never throws and never returns null: a record that
 * breaks the contract becomes a rejection carrying its payload and reason, so that one bad record can
 * neither fail the job nor vanish.
 */
public final class TransactionDeserializer implements DeserializationSchema<ParsedRecord> {
    private static final long serialVersionUID = 1L;

    private final int maxRecordBytes;

    public TransactionDeserializer(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public ParsedRecord deserialize(byte[] message) {
        if (message.length > maxRecordBytes) {
            String head = new String(message, 0, maxRecordBytes, StandardCharsets.UTF_8);
            return reject(RejectReason.OVERSIZED,
                    "record is " + message.length + " bytes, the limit is " + maxRecordBytes, head, message.length);
        }
        try {
            return ParsedRecord.valid(TransactionCodec.decode(message));
        } catch (InvalidRecordException e) {
            return reject(e.reason(), e.getMessage(), new String(message, StandardCharsets.UTF_8), message.length);
        }
    }

    private static ParsedRecord reject(RejectReason reason, String detail, String payload, int bytes) {
        return ParsedRecord.rejected(new DeadLetter(reason, detail, payload, bytes, null, System.currentTimeMillis()));
    }

    @Override
    public boolean isEndOfStream(ParsedRecord nextElement) {
        return false;
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }
}
