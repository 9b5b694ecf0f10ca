package com.example.fraud.tools.generator;

import com.example.fraud.model.RejectReason;

/** The ways a generated record breaks the input contract, and the reason the detector must give. */
public enum MalformedKind {
    TRUNCATED_JSON(RejectReason.MALFORMED_JSON),
    NOT_JSON(RejectReason.MALFORMED_JSON),
    MISSING_FIELD(RejectReason.MISSING_FIELD),
    INVALID_FIELD(RejectReason.INVALID_FIELD),
    NEGATIVE_AMOUNT(RejectReason.INVALID_AMOUNT),
    STRING_AMOUNT(RejectReason.INVALID_AMOUNT),
    BAD_TXN_TIME(RejectReason.INVALID_TXN_TIME),
    OVERSIZED(RejectReason.OVERSIZED);

    public final RejectReason expectedReason;

    MalformedKind(RejectReason expectedReason) {
        this.expectedReason = expectedReason;
    }
}
