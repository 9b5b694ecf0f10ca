package com.example.fraud.tools.generator;

import com.example.fraud.model.Alert;
import com.example.fraud.model.Money;
import com.example.fraud.model.Timestamps;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.DefaultRules;
import com.example.fraud.rules.Evaluation;
import com.example.fraud.rules.FiringMode;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.state.RuleState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The detector's rule replayed over the valid, non-late records in the order they were stored, per account: the
 * decisions come from the same rule logic the job runs (fraud-rules), fed in the job's per-account order. Early
 * firing is replayed whatever the job's firing mode: both flag the same windows. Kept here only: the labels of
 * scenario windows and each window's final sum, for the truth file.
 */
final class RuleReplay {
    static final String RULE = DefaultRules.SUM_OVER_THRESHOLD;

    private final RuleSettings rule;
    private final Rule logicRule;
    private final Evaluation evaluation = new Evaluation(0, Integer.MAX_VALUE);
    private final Map<Integer, RuleState> states = new HashMap<>();
    private final List<Alert> decided = new ArrayList<>(1);
    private final Accounts accounts;
    private final TreeMap<Long, Window> windows = new TreeMap<>();
    /** Scenario labels per window start: account index to "burst", "exact" or "under". */
    private final Map<Long, Map<Integer, String>> labels = new HashMap<>();
    private final List<GroundTruth.ExpectedAlert> alerts = new ArrayList<>();
    private final List<GroundTruth.UnflaggedWindow> unflagged = new ArrayList<>();

    RuleReplay(RuleSettings rule, Accounts accounts) {
        this.rule = rule;
        this.accounts = accounts;
        this.logicRule = DefaultRules.sumOverThreshold(rule.thresholdCents(), rule.windowMillis(), FiringMode.EARLY);
    }

    /** Counts a stored transaction; {@code storedAtMillis} is when its PutRecords call returned. */
    void add(int account, Transaction txn, long storedAtMillis) {
        long start = rule.windowStart(txn.txnTimeMillis);
        Window w = windows.computeIfAbsent(start, s -> new Window(accounts.size()));
        w.sums[account] += txn.amountCents;
        w.counts[account]++;
        RuleState state = states.computeIfAbsent(account, k -> new RuleState(logicRule.stateSignature()));
        logicRule.logic().onTransaction(state, txn, evaluation.at(logicRule, txn.accountId, Long.MIN_VALUE, 0),
                decided);
        for (Alert decision : decided) {
            GroundTruth.ExpectedAlert a = new GroundTruth.ExpectedAlert();
            a.accountId = txn.accountId;
            a.alertId = decision.alertId;
            a.windowStartMs = start;
            a.windowStart = Timestamps.format(start);
            a.windowEnd = Timestamps.format(start + rule.windowMillis());
            a.crossingTxnId = txn.txnId;
            a.crossingSum = Money.toDecimal(decision.totalCents);
            a.crossingSentAtMs = storedAtMillis;
            w.alerts[account] = a;
            alerts.add(a);
        }
        decided.clear();
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
        // As the job's timers do once the watermark passes these windows: the rule forgets them.
        long before = windowStart == Long.MAX_VALUE ? Long.MAX_VALUE : windowStart - 1;
        states.values().removeIf(state -> {
            logicRule.logic().onWatermark(state, evaluation.at(logicRule, null, before, 0), decided);
            return state.isEmpty();
        });
        decided.clear();
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
