package com.example.fraud.model;

/**
 * The evidence of an alert in one line of text, by rule type, for consoles and the tail tool. Every text that came
 * from input (ids) is escaped with {@link TerminalText}.
 */
public final class AlertEvidence {
    private AlertEvidence() {}

    /** For example {@code total 3412.50 > 3000.00 in 7 txns}, or {@code 6385.2 km in 10 min = 38311 km/h > 900}. */
    public static String of(Alert a) {
        RuleType type = a.ruleType == null ? RuleType.SUM_OVER_THRESHOLD : a.ruleType;
        switch (type) {
            case SUM_OVER_THRESHOLD:
                return "total " + Money.format(a.totalCents) + " > " + Money.format(a.threshold) + " in " + txns(a);
            case COUNT_OVER_THRESHOLD:
                return txns(a) + " >= " + a.threshold + ", total " + Money.format(a.totalCents);
            case DISTINCT_COUNT_OVER_THRESHOLD:
                return a.distinctCount + " distinct " + (a.distinctField == null ? "values" : a.distinctField.field())
                        + " >= " + a.threshold + " in " + txns(a);
            case SMALL_THEN_LARGE:
                return "small " + pair(a.first) + " then large " + pair(a.second);
            default:
                return pair(a.first) + " -> " + pair(a.second) + ": " + a.distanceKm + " km at " + (long) a.speedKmh
                        + " km/h > " + (long) a.maxSpeedKmh;
        }
    }

    private static String txns(Alert a) {
        return a.txnCount + (a.txnCount == 1 ? " txn" : " txns");
    }

    private static String pair(AlertTxn t) {
        if (t == null) {
            return "?";
        }
        return TerminalText.escape(t.txnId) + " " + Money.format(t.amountCents) + " at "
                + Timestamps.format(t.txnTimeMillis) + (Double.isNaN(t.lat) ? "" : " (" + t.lat + ", " + t.lon + ")");
    }
}
