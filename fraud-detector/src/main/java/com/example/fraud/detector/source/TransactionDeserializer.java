package com.example.fraud.detector.source;

import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.model.DeadLetterPayload;
import com.example.fraud.model.InvalidRecordException;
import com.example.fraud.model.RejectReason;
import com.example.fraud.model.Timestamps;
import com.example.fraud.model.Transaction;
import com.example.fraud.model.TransactionCodec;
import java.io.Serializable;
import java.time.Duration;

/**
 * A record's bytes and Kinesis arrival time to a {@link ParsedRecord}. Never throws and never returns null: a
 * record that breaks the contract becomes a rejection carrying its reason and (per the payload policy) its
 * payload, so that no byte sequence can fail the task, and through restarts put the job in a loop, or vanish.
 *
 * <p>A transaction dated more than {@code max.clock.skew} after its own arrival is rejected as CLOCK_SKEW here,
 * in the source, so it never reaches the watermark generator: one such record would otherwise move its
 * shard's watermark into the future and make every honest transaction late.
 */
public final class TransactionDeserializer implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int maxRecordBytes;
    private final long maxClockSkewMillis;
    private final DeadLetterPayload payloadPolicy;
    /** An oversized record keeps at most record.max.bytes of payload: no accepted record is larger. */
    private final DeadLetterPayload oversizedPolicy;

    public TransactionDeserializer(DetectionSettings settings) {
        this.maxRecordBytes = settings.maxRecordBytes();
        this.maxClockSkewMillis = settings.maxClockSkewMillis();
        this.payloadPolicy = settings.deadLetterPayload();
        this.oversizedPolicy = payloadPolicy.mode() == DeadLetterPayload.Mode.FULL
                ? DeadLetterPayload.truncated(maxRecordBytes) : payloadPolicy;
    }

    /** @param arrivalMillis when Kinesis accepted the record (its ApproximateArrivalTimestamp), epoch millis */
    public ParsedRecord deserialize(byte[] message, long arrivalMillis) {
        if (message.length > maxRecordBytes) {
            return ParsedRecord.rejected(oversizedPolicy.deadLetter(RejectReason.OVERSIZED,
                    "record is " + message.length + " bytes, the limit is " + maxRecordBytes, message, null,
                    System.currentTimeMillis()));
        }
        Transaction txn;
        try {
            txn = TransactionCodec.decode(message);
        } catch (InvalidRecordException e) {
            return reject(e.reason(), e.getMessage(), message, null);
        } catch (RuntimeException | StackOverflowError e) {
            // The codec maps every parser failure to a reason; this is the last line of defence, because an
            // exception here would fail the task and be re-read after every restart.
            return reject(RejectReason.MALFORMED_JSON, "unreadable record (" + e.getClass().getSimpleName() + ")",
                    message, null);
        }
        long ahead = txn.txnTimeMillis - arrivalMillis;
        if (ahead > maxClockSkewMillis) {
            return reject(RejectReason.CLOCK_SKEW, "txn_time " + Timestamps.format(txn.txnTimeMillis) + " is "
                    + Duration.ofMillis(ahead) + " ahead of the record's arrival at " + Timestamps.format(arrivalMillis)
                    + "; max.clock.skew is " + Duration.ofMillis(maxClockSkewMillis), message, txn.accountId);
        }
        return ParsedRecord.valid(txn);
    }

    private ParsedRecord reject(RejectReason reason, String detail, byte[] message, String accountId) {
        return ParsedRecord.rejected(
                payloadPolicy.deadLetter(reason, detail, message, accountId, System.currentTimeMillis()));
    }
}
