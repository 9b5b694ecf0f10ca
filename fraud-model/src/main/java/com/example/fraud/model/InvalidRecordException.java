package com.example.fraud.model;

/** A record that breaks the input contract. Stackless: bad records are data, not bugs. */
public final class InvalidRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    private final RejectReason reason;

    public InvalidRecordException(RejectReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
