package com.example.fraud.model;

/**
 * The transaction field a rule groups by: each rule keeps its state, and raises its alerts, per value of this field.
 * Wire value: the field name, e.g. {@code "card_id"}.
 */
public enum Grouping {
    ACCOUNT_ID("account_id"),
    CARD_ID("card_id"),
    MERCHANT_ID("merchant_id");

    private final String field;

    Grouping(String field) {
        this.field = field;
    }

    /** The JSON field name, which is also the wire value. */
    public String field() {
        return field;
    }

    /** The grouping value of a transaction, or null when the transaction lacks the field. */
    public String keyOf(Transaction txn) {
        switch (this) {
            case ACCOUNT_ID:
                return txn.accountId;
            case CARD_ID:
                return txn.cardId;
            default:
                return txn.merchantId;
        }
    }

    /** The grouping named by its field, or null. */
    public static Grouping ofField(String field) {
        for (Grouping g : values()) {
            if (g.field.equals(field)) {
                return g;
            }
        }
        return null;
    }
}
