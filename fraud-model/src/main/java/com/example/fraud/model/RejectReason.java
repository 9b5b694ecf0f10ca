package com.example.fraud.model;

/** Why a record went to the dead-letter output instead of being counted. */
public enum RejectReason {
    /**
     * Not a single well-formed UTF-8 JSON object (not UTF-8, syntax error, not an object, trailing data, duplicate
     * key, nesting or number length beyond the parser's limits).
     */
    MALFORMED_JSON,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /**
     * A field has the wrong JSON type or an unusable value (empty or over-long id, an id with control, format or
     * separator characters, unpaired surrogates or whitespace at either end: see {@link Identifiers}).
     */
    INVALID_FIELD,
    /** amount is not a positive number with at most two decimals, or is absurdly large. */
    INVALID_AMOUNT,
    /** txn_time is not an ISO-8601 instant with a zone offset. */
    INVALID_TXN_TIME,
    /** The record is larger than the configured limit. */
    OVERSIZED,
    /** Valid, but arrived after its window had closed (past the watermark and the allowed lateness). */
    LATE,
    /** txn_time is too far ahead of the record's Kinesis arrival time (a wrong or hostile producer clock). */
    CLOCK_SKEW,
    /** The same txn_id was seen before with a different payload. */
    DUPLICATE_TXN_ID
}
