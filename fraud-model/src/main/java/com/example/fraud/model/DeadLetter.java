package com.example.fraud.model;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A record that was not counted, with the reason and the original payload (or its hash), for investigation or
 * replay. A Flink POJO: public fields and a no-arg constructor. Build them with {@link DeadLetterPayload}.
 */
public class DeadLetter {
    /** {@link #payloadEncoding} of a payload that is the record's bytes as UTF-8 text. */
    public static final String UTF_8 = "utf-8";
    /** {@link #payloadEncoding} of a payload that is base64 of the record's bytes (they were not valid UTF-8). */
    public static final String BASE64 = "base64";

    /** A {@link RejectReason} name. */
    public String reason;
    public String detail;
    /** The original record (or its head when {@link #payloadTruncated}) as {@link #payloadEncoding}; null if not kept. */
    public String payload;
    /** Size of the original record in bytes. */
    public int payloadBytes;
    /** Account of the record when it could be read, else null. */
    public String accountId;
    /** When the detector rejected it, epoch millis. */
    public long rejectedAtMillis;
    /** {@link #UTF_8} or {@link #BASE64}; null when there is no payload or it was written before this field existed. */
    public String payloadEncoding;
    /** Lower-case hex SHA-256 of the whole original record; null only for dead letters built without the bytes. */
    public String payloadSha256;
    /** True when {@link #payload} holds less than the whole record (cut, or left out). */
    public boolean payloadTruncated;

    public DeadLetter() {}

    /** The bytes of the record the payload keeps (all of it unless {@link #payloadTruncated}); empty if none. */
    public byte[] payloadBytes() {
        if (payload == null) {
            return new byte[0];
        }
        return BASE64.equals(payloadEncoding) ? Base64.getDecoder().decode(payload)
                : payload.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A dead letter whose payload is already text, with no hash. Prefer {@link DeadLetterPayload#deadLetter}, which
     * keeps bytes that are not UTF-8 (base64) and always records the hash.
     */
    public DeadLetter(RejectReason reason, String detail, String payload, int payloadBytes, String accountId,
            long rejectedAtMillis) {
        this.reason = reason.name();
        this.detail = detail;
        this.payload = payload;
        this.payloadBytes = payloadBytes;
        this.accountId = accountId;
        this.rejectedAtMillis = rejectedAtMillis;
        this.payloadEncoding = payload == null ? null : UTF_8;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DeadLetter)) {
            return false;
        }
        DeadLetter d = (DeadLetter) o;
        return payloadBytes == d.payloadBytes
                && rejectedAtMillis == d.rejectedAtMillis
                && payloadTruncated == d.payloadTruncated
                && Objects.equals(reason, d.reason)
                && Objects.equals(detail, d.detail)
                && Objects.equals(payload, d.payload)
                && Objects.equals(accountId, d.accountId)
                && Objects.equals(payloadEncoding, d.payloadEncoding)
                && Objects.equals(payloadSha256, d.payloadSha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, detail, payload, payloadSha256);
    }

    @Override
    public String toString() {
        return "DeadLetter{" + reason + ": " + detail + '}';
    }
}
