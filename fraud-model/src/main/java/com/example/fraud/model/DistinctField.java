package com.example.fraud.model;

/** The field whose distinct values a DISTINCT_COUNT_OVER_THRESHOLD rule counts. Wire value: the field name. */
public enum DistinctField {
    MERCHANT_ID("merchant_id"),
    COUNTRY("country"),
    CARD_ID("card_id");

    private final String field;

    DistinctField(String field) {
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** The value of this field in a transaction, or null when absent. */
    public String valueOf(Transaction txn) {
        switch (this) {
            case MERCHANT_ID:
                return txn.merchantId;
            case COUNTRY:
                return txn.country;
            default:
                return txn.cardId;
        }
    }

    public static DistinctField ofField(String field) {
        for (DistinctField f : values()) {
            if (f.field.equals(field)) {
                return f;
            }
        }
        return null;
    }
}
