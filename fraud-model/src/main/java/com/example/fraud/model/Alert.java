package com.example.fraud.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A rule's decision about one key (an account, card or merchant) over an interval. {@link #alertId} is derived from
 * rule id, key and the interval's anchor, never from the version or the clock, so the duplicates that an
 * at-least-once sink can produce after a restore carry the same id. Which evidence fields are set depends on
 * {@link #ruleType}; see the README's alert contract.
 */
public class Alert {
    public String alertId;
    public String ruleId;
    public long ruleVersion;
    public RuleType ruleType;
    /** ACTIVE, or SHADOW for a rule on trial (those go to the shadow-alert stream only). */
    public RuleMode mode;
    public Grouping groupBy;
    /** The value of {@link #groupBy} this alert is about. */
    public String groupKey;
    /** The account of the transaction that decided the alert. */
    public String accountId;
    /** The interval the alert covers, [start, end). */
    public long windowStartMillis;
    public long windowEndMillis;
    /** What made it fire; see {@link Trigger}. */
    public Trigger trigger;
    /**
     * 0 for the first alert of an {@link #alertId}; n for its n-th revision, sent when a late transaction changes the
     * aggregate of a window that alerted at its close. The highest revision supersedes the earlier ones.
     */
    public int revision;
    public long detectedAtMillis;
    /** The transactions counted when the alert fired, capped at the configured size. */
    public String[] txnIds;

    // Aggregate rules (sum, count, distinct count) over the covered transactions.
    public long totalCents;
    public int txnCount;
    public int distinctCount;
    public DistinctField distinctField;
    /** The rule's limit: cents for SUM_OVER_THRESHOLD, a count for the count rules. */
    public long threshold;

    // Pair rules: the earlier and the later transaction.
    public AlertTxn first;
    public AlertTxn second;
    public long smallMaxCents;
    public long largeMinCents;
    public double distanceKm;
    public double speedKmh;
    public double maxSpeedKmh;

    public Alert() {}

    /** The id of an alert about {@code key} anchored at {@code anchor}: a window start, or a deciding transaction. */
    public static String alertId(String ruleId, String key, String anchor) {
        return ruleId + ":" + key + ":" + anchor;
    }

    /** The id of a windowed alert: rule, key and window start (as before rules were data). */
    public static String alertId(String ruleId, String key, long windowStartMillis) {
        return alertId(ruleId, key, Timestamps.format(windowStartMillis));
    }

    /** What made an alert fire. */
    public enum Trigger {
        /** The deciding transaction itself, in time (early firing). */
        CROSSING,
        /** The window closed (watermark passed its end) with an aggregate over the limit. */
        WINDOW_CLOSE,
        /**
         * A transaction that arrived after the window closed, but within the allowed lateness, decided it, or revised
         * a WINDOW_CLOSE alert (then {@link #revision} > 0).
         */
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
        return ruleVersion == a.ruleVersion
                && revision == a.revision
                && windowStartMillis == a.windowStartMillis
                && windowEndMillis == a.windowEndMillis
                && detectedAtMillis == a.detectedAtMillis
                && totalCents == a.totalCents
                && txnCount == a.txnCount
                && distinctCount == a.distinctCount
                && threshold == a.threshold
                && smallMaxCents == a.smallMaxCents
                && largeMinCents == a.largeMinCents
                && Double.compare(distanceKm, a.distanceKm) == 0
                && Double.compare(speedKmh, a.speedKmh) == 0
                && Double.compare(maxSpeedKmh, a.maxSpeedKmh) == 0
                && Objects.equals(alertId, a.alertId)
                && Objects.equals(ruleId, a.ruleId)
                && ruleType == a.ruleType
                && mode == a.mode
                && groupBy == a.groupBy
                && Objects.equals(groupKey, a.groupKey)
                && Objects.equals(accountId, a.accountId)
                && trigger == a.trigger
                && Arrays.equals(txnIds, a.txnIds)
                && distinctField == a.distinctField
                && Objects.equals(first, a.first)
                && Objects.equals(second, a.second);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alertId, ruleVersion, detectedAtMillis);
    }

    @Override
    public String toString() {
        return "Alert{" + alertId + " v" + ruleVersion + " " + mode + ", total=" + Money.format(totalCents) + ", txns="
                + txnCount + ", trigger=" + trigger + (revision > 0 ? ", revision=" + revision : "") + '}';
    }
}
