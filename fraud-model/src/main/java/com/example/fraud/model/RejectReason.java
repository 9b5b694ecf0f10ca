package com.example.fraud.model;

/** Why a record went to the dead-letter output instead of being counted. */
public enum RejectReason {
    /** Not a single well-formed JSON object (syntax error, not an object, trailing data, duplicate key). */
    MALFORMED_JSON,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong JSON type or an unusable value (empty id, over-long id). */
    INVALID_FIELD,
    /** amount is not a positive number with at most two decimals, or is absurdly large. */
    INVALID_AMOUNT,
    /** txn_time is not an ISO-8601 instant with a zone offset. */
    INVALID_TXN_TIME,
    /** The record is larger than the configured limit. */
    OVERSIZED,
    /** Valid, but arrived after its window had closed (past the watermark and the allowed lateness). */
    LATE
}
