package com.example.fraud.model;

import java.util.Objects;

/** A record that was not counted, with the reason and the original payload, for investigation or replay. */
public class DeadLetter {
    /** A {@link RejectReason} name. */
    public String reason;
    public String detail;
    /** The original record as text (decoded as UTF-8), cut at the configured size for oversized records. */
    public String payload;
    /** Size of the original record in bytes. */
    public int payloadBytes;
    /** Account of the record when it could be read, else null. */
    public String accountId;
    /** When the detector rejected it, epoch millis. */
    public long rejectedAtMillis;

    public DeadLetter() {}

    public DeadLetter(RejectReason reason, String detail, String payload, int payloadBytes, String accountId,
            long rejectedAtMillis) {
        this.reason = reason.name();
        this.detail = detail;
        this.payload = payload;
        this.payloadBytes = payloadBytes;
        this.accountId = accountId;
        this.rejectedAtMillis = rejectedAtMillis;
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
                && Objects.equals(reason, d.reason)
                && Objects.equals(detail, d.detail)
                && Objects.equals(payload, d.payload)
                && Objects.equals(accountId, d.accountId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, detail, payload);
    }

    @Override
    public String toString() {
        return "DeadLetter{" + reason + ": " + detail + '}';
    }
}
