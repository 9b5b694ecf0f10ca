package com.example.fraud.tools.generator;

import com.example.fraud.model.Alert;
import com.example.fraud.model.Money;
import com.example.fraud.model.Timestamps;
import com.example.fraud.model.Transaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The detector's rule replayed over the valid, non-late records in the order they were stored: per account
 * and tumbling window, the first transaction whose running sum is strictly over the threshold raises the
 * window's one alert. The window's final sum is filled in when the window is finished.
 */
final class RuleReplay {
    static final String RULE = Alert.SUM_OVER_THRESHOLD;

    private final RuleSettings rule;
    private final Accounts accounts;
    private final TreeMap<Long, Window> windows = new TreeMap<>();
    /** Scenario labels per window start: account index to "burst", "exact" or "under". */
    private final Map<Long, Map<Integer, String>> labels = new HashMap<>();
    private final List<GroundTruth.ExpectedAlert> alerts = new ArrayList<>();
    private final List<GroundTruth.UnflaggedWindow> unflagged = new ArrayList<>();

    RuleReplay(RuleSettings rule, Accounts accounts) {
        this.rule = rule;
        this.accounts = accounts;
    }

    /** Counts a stored transaction; {@code storedAtMillis} is when its PutRecords call returned. */
    void add(int account, Transaction txn, long storedAtMillis) {
        long start = rule.windowStart(txn.txnTimeMillis);
        Window w = windows.computeIfAbsent(start, s -> new Window(accounts.size()));
        w.sums[account] += txn.amountCents;
        w.counts[account]++;
        if (w.alerts[account] == null && rule.flags(w.sums[account])) {
            GroundTruth.ExpectedAlert a = new GroundTruth.ExpectedAlert();
            a.accountId = txn.accountId;
            a.alertId = Alert.alertId(RULE, txn.accountId, start);
            a.windowStartMs = start;
            a.windowStart = Timestamps.format(start);
            a.windowEnd = Timestamps.format(start + rule.windowMillis());
            a.crossingTxnId = txn.txnId;
            a.crossingSum = Money.toDecimal(w.sums[account]);
            a.crossingSentAtMs = storedAtMillis;
            w.alerts[account] = a;
            alerts.add(a);
        }
    }

    /** Marks a scenario on (account, window) for the truth file. */
    void label(int account, long windowStart, String scenario) {
        labels.computeIfAbsent(windowStart, s -> new HashMap<>()).merge(account, scenario,
                (old, added) -> old.equals("burst") ? old : added);
    }

    /** Finishes windows that start before {@code windowStart}: no more records can be counted in them. */
    void finishBefore(long windowStart) {
        Iterator<Map.Entry<Long, Window>> it = windows.headMap(windowStart).entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Window> e = it.next();
            finish(e.getKey(), e.getValue());
            it.remove();
        }
        labels.keySet().removeIf(start -> start < windowStart && !windows.containsKey(start));
    }

    void finishAll() {
        finishBefore(Long.MAX_VALUE);
    }

    List<GroundTruth.ExpectedAlert> expectedAlerts() {
        return alerts;
    }

    List<GroundTruth.UnflaggedWindow> unflaggedWindows() {
        return unflagged;
    }

    private void finish(long start, Window w) {
        Map<Integer, String> scenarioLabels = labels.getOrDefault(start, Map.of());
        for (int a = 0; a < w.sums.length; a++) {
            String label = scenarioLabels.get(a);
            if (w.alerts[a] != null) {
                w.alerts[a].expectedSum = Money.toDecimal(w.sums[a]);
                w.alerts[a].txnCount = w.counts[a];
                w.alerts[a].scenario = "burst".equals(label) ? "burst" : "background";
            } else if ("exact".equals(label) || "under".equals(label)) {
                GroundTruth.UnflaggedWindow u = new GroundTruth.UnflaggedWindow();
                u.accountId = accounts.idOf(a);
                u.windowStartMs = start;
                u.windowStart = Timestamps.format(start);
                u.sum = Money.toDecimal(w.sums[a]);
                u.txnCount = w.counts[a];
                u.scenario = label;
                unflagged.add(u);
            }
        }
        // A labelled window with no stored record at all (every record failed) is simply not reported.
    }

    private static final class Window {
        final long[] sums;
        final int[] counts;
        final GroundTruth.ExpectedAlert[] alerts;

        Window(int accounts) {
            sums = new long[accounts];
            counts = new int[accounts];
            alerts = new GroundTruth.ExpectedAlert[accounts];
        }
    }
}
