package com.example.fraud.tools.kinesis;

/**
 * A non-retryable error (stream missing, access denied, invalid request). Every record of the write call
 * that was not stored yet is already counted as failed in {@link #report()}.
 */
public final class RecordWriteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient WriteReport report;

    public RecordWriteException(String message, Throwable cause, WriteReport report) {
        super(message, cause);
        this.report = report;
    }

    public WriteReport report() {
        return report;
    }
}
