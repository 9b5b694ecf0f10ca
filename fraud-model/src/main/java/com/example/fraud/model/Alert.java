package com.example.fraud.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A flagged (account, window). {@link #alertId} is derived from rule, account and window start, so
 * the duplicates that an at-least-once sink can produce after a restore carry the same id.
 */
public class Alert {
    /** The one rule this detector runs: sum(amount) in a window strictly greater than the threshold. */
    public static final String SUM_OVER_THRESHOLD = "sum-over-threshold";

    public String alertId;
    public String rule;
    public String accountId;
    public long windowStartMillis;
    public long windowEndMillis;
    public long totalCents;
    public int txnCount;
    public long thresholdCents;
    /** The transactions counted when the alert fired, capped at the configured size. */
    public String[] txnIds;
    public long detectedAtMillis;
    /** What made it fire; see {@link Trigger}. */
    public String trigger;

    public Alert() {}

    public static String alertId(String rule, String accountId, long windowStartMillis) {
        return rule + ":" + accountId + ":" + Timestamps.format(windowStartMillis);
    }

    /** What made an alert fire. */
    public enum Trigger {
        /** The crossing transaction itself, in time (early firing). */
        CROSSING,
        /** The window closed (watermark passed its end) with a sum over the threshold. */
        WINDOW_CLOSE,
        /** A transaction that arrived after the window closed, but within the allowed lateness, made the sum cross. */
        LATE_TRANSACTION
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Alert)) {
            return false;
        }
        Alert a = (Alert) o;
        return windowStartMillis == a.windowStartMillis
                && windowEndMillis == a.windowEndMillis
                && totalCents == a.totalCents
                && txnCount == a.txnCount
                && thresholdCents == a.thresholdCents
                && detectedAtMillis == a.detectedAtMillis
                && Objects.equals(alertId, a.alertId)
                && Objects.equals(rule, a.rule)
                && Objects.equals(accountId, a.accountId)
                && Arrays.equals(txnIds, a.txnIds)
                && Objects.equals(trigger, a.trigger);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alertId, totalCents, txnCount, detectedAtMillis);
    }

    @Override
    public String toString() {
        return "Alert{" + alertId + ", total=" + Money.format(totalCents) + ", txns=" + txnCount + ", trigger="
                + trigger + '}';
    }
}
