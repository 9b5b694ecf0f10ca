package com.example.fraud.tools.generator;

import com.example.fraud.model.Alert;
import com.example.fraud.model.Grouping;
import com.example.fraud.model.Money;
import com.example.fraud.model.Timestamps;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.Evaluation;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleLogic;
import com.example.fraud.rules.state.RuleState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The configured rules replayed over the valid, non-late records in the order they were stored: per rule and key
 * ({@code rule.grouping().keyOf(txn)}), a {@link RuleState} fed through the rule's own {@link RuleLogic}, as the job's
 * evaluator does. The watermark follows the job's bounded out-of-orderness generator (highest txn_time stored minus
 * the bound, minus 1 ms); a transaction late for a rule is skipped for that rule, and states are advanced with
 * {@code onWatermark} once their {@code nextTimer} has passed, found through a timer queue as the job's timer service
 * finds them (a sweep over every state each second was most of the generator's time on millions of records).
 * Nothing here knows a rule type.
 *
 * <p>Legacy bookkeeping, for the default rule only: each (account, window)'s final sum, and the labels of the
 * over / exact / under scenarios, for the truth file's {@code expected_sum} and unflagged windows.
 */
public final class RuleReplay {
    /** The job rounds timers up to the second; advancing states more often would change nothing. */
    private static final long SWEEP_EVERY_MILLIS = RuleState.TIMER_GRANULARITY_MILLIS;

    private final List<Rule> rules;
    /** Per grouping (account, card, ...) the rule states of each key, one slot per rule of that grouping. */
    private final List<Map<String, Keyed>> states = new ArrayList<>();
    private final List<Grouping> groupings = new ArrayList<>();
    /** Per grouping, its rules' indexes; per rule, its grouping's index and its slot there. */
    private final List<int[]> rulesOf = new ArrayList<>();
    private final int[] groupingOf;
    private final int[] slotOf;
    /**
     * Pending deadlines by second (they are rounded to one), each second's in the order they were set; a state's own
     * pending one is its {@code RuleState.timer}.
     */
    private final TreeMap<Long, ArrayList<Timer>> timers = new TreeMap<>();
    private final long boundMillis;
    private final Evaluation evaluation;
    private final List<Alert> decided = new ArrayList<>(2);
    private final List<GroundTruth.ExpectedAlert> alerts = new ArrayList<>();
    /** The WINDOW_CLOSE alerts that a late transaction may still revise, by alert id. */
    private final Map<String, GroundTruth.ExpectedAlert> revisable = new HashMap<>();
    /** Scenario labels by rule id and key: "ruleId\0key" to label. */
    private final Map<String, String> scenarioKeys = new HashMap<>();

    private long maxTime = Long.MIN_VALUE;
    private long watermark = Long.MIN_VALUE;
    private long sweptAt = Long.MIN_VALUE;
    private long lastStoredAt;
    /** Since the last sweep: each watermark the stored records moved to, and when that record was stored. */
    private long[] advances = new long[64];
    private long[] advancedAt = new long[64];
    private int advanceCount;

    /** Non-null for the default rule only (see the class comment). */
    private final Legacy legacy;

    /**
     * @param rules the configured rules; paused ones decide nothing and are left out
     * @param legacyRule the default rule's settings to keep per-window sums for, or null with a rules file
     */
    RuleReplay(List<Rule> rules, long boundMillis, long allowedLatenessMillis, Accounts accounts,
            RuleSettings legacyRule) {
        this.rules = new ArrayList<>();
        for (Rule r : rules) {
            if (r.evaluated()) {
                this.rules.add(r);
            }
        }
        this.groupingOf = new int[this.rules.size()];
        this.slotOf = new int[this.rules.size()];
        for (int i = 0; i < this.rules.size(); i++) {
            Grouping g = this.rules.get(i).grouping();
            int gi = groupings.indexOf(g);
            if (gi < 0) {
                gi = groupings.size();
                groupings.add(g);
                states.add(new HashMap<>());
                rulesOf.add(new int[0]);
            }
            int[] members = java.util.Arrays.copyOf(rulesOf.get(gi), rulesOf.get(gi).length + 1);
            members[members.length - 1] = i;
            rulesOf.set(gi, members);
            groupingOf[i] = gi;
            slotOf[i] = members.length - 1;
        }
        this.boundMillis = boundMillis;
        this.evaluation = new Evaluation(allowedLatenessMillis, Integer.MAX_VALUE);
        this.legacy = legacyRule == null ? null : new Legacy(legacyRule, accounts);
    }

    /**
     * What if: the alerts {@code rules} raise on these transactions, taken in this order, replayed as a run's ground
     * truth is, with the job-wide settings of {@code settings}. For a rule change: what the old version would have
     * flagged on the records sent after the change. Nothing is known of when they were stored: crossing_sent_at 0.
     */
    public static List<GroundTruth.ExpectedAlert> alertsOf(List<Rule> rules, RuleSettings settings,
            List<Transaction> stored) {
        RuleReplay replay = new RuleReplay(rules, settings.maxOutOfOrdernessMillis(), settings.allowedLatenessMillis(),
                null, null);
        for (Transaction txn : stored) {
            replay.add(-1, txn, 0);
            replay.advance();
        }
        replay.finishAll();
        return replay.expectedAlerts();
    }

    /**
     * Counts a stored transaction; {@code storedAtMillis} is when its PutRecords call returned. {@code account} is
     * the index of a simulated account, or -1 for a scenario's own account.
     */
    void add(int account, Transaction txn, long storedAtMillis) {
        lastStoredAt = storedAtMillis;
        long lateness = evaluation.allowedLatenessMillis;
        for (int g = 0; g < groupings.size(); g++) {
            String key = groupings.get(g).keyOf(txn);
            if (key == null) {
                continue;
            }
            int[] members = rulesOf.get(g);
            Keyed keyed = null; // one lookup per grouping, not per rule
            for (int slot = 0; slot < members.length; slot++) {
                int i = members[slot];
                Rule rule = rules.get(i);
                RuleLogic logic = rule.logic();
                if (!logic.applies(txn) || logic.countableUntil(txn.txnTimeMillis, lateness) <= watermark) {
                    continue;
                }
                if (keyed == null) {
                    Map<String, Keyed> byKey = states.get(g);
                    keyed = byKey.get(key);
                    if (keyed == null) {
                        keyed = new Keyed(key, members.length);
                        byKey.put(key, keyed);
                    }
                }
                RuleState state = keyed.slots[slot];
                if (state == null) {
                    state = keyed.slots[slot] = new RuleState(rule.stateSignature());
                }
                logic.onTransaction(state, txn, evaluation.at(rule, key, watermark, 0), decided);
                record(txn.txnId, storedAtMillis);
                schedule(i, keyed, state);
            }
        }
        if (legacy != null && account >= 0) {
            legacy.add(account, txn);
        }
        if (txn.txnTimeMillis > maxTime) {
            maxTime = txn.txnTimeMillis;
            watermark = maxTime - boundMillis - 1;
            if (advanceCount == advances.length) {
                advances = java.util.Arrays.copyOf(advances, advanceCount * 2);
                advancedAt = java.util.Arrays.copyOf(advancedAt, advanceCount * 2);
            }
            advances[advanceCount] = watermark;
            advancedAt[advanceCount++] = storedAtMillis;
        }
    }

    /** Advances every state whose next deadline the watermark has passed, as the job's timers would. */
    void advance() {
        // Never swept yet: sweep now (watermark - MIN_VALUE would overflow, and the replay would never sweep before
        // the end, when a busy key's later transactions have already forgotten the windows it should have closed).
        if (watermark != Long.MAX_VALUE && sweptAt != Long.MIN_VALUE && watermark - sweptAt < SWEEP_EVERY_MILLIS) {
            return;
        }
        sweptAt = watermark;
        while (!timers.isEmpty() && timers.firstKey() <= watermark) {
            for (Timer t : timers.pollFirstEntry().getValue()) {
                Keyed keyed = t.keyed;
                if (keyed.dropped) { // the key's states were dropped since; the job's timer finds any new ones
                    keyed = states.get(groupingOf[t.rule]).get(keyed.key);
                }
                if (keyed != null && keyed.slots[slotOf[t.rule]] != null) { // else dropped since: a stale entry
                    fire(t.rule, keyed);
                }
            }
        }
        advanceCount = 0;
        if (legacy != null) {
            legacy.finishBefore(legacy.rule.windowStart(maxTime - boundMillis) - 2 * legacy.rule.windowMillis());
        }
    }

    /**
     * When the record was stored that moved the watermark to the job's timer for an alert decided by the watermark:
     * its interval's last millisecond, rounded up to the second as the job's timers are.
     */
    private long storedWhenWatermarkPassed(Alert a) {
        long due = a.windowEndMillis - 1;
        long timer = RuleState.timerFor(due);
        for (int i = 0; i < advanceCount; i++) {
            if (advances[i] >= timer) {
                return advancedAt[i];
            }
        }
        return lastStoredAt;
    }

    private void fire(int ruleIndex, Keyed keyed) {
        Rule rule = rules.get(ruleIndex);
        RuleState[] slots = keyed.slots;
        String key = keyed.key;
        RuleState state = slots[slotOf[ruleIndex]];
        if (state.timer <= watermark) {
            state.timer = Long.MAX_VALUE; // fired
        }
        rule.logic().onWatermark(state, evaluation.at(rule, key, watermark, 0), decided);
        record(null, -1);
        if (state.isEmpty()) {
            slots[slotOf[ruleIndex]] = null;
            if (allNull(slots)) {
                states.get(groupingOf[ruleIndex]).remove(key);
                keyed.dropped = true;
            }
        } else {
            schedule(ruleIndex, keyed, state);
        }
    }

    private static boolean allNull(RuleState[] slots) {
        for (RuleState s : slots) {
            if (s != null) {
                return false;
            }
        }
        return true;
    }

    /** As the job's evaluator: the state's next deadline, rounded up to its second, unless one as early is pending. */
    private void schedule(int ruleIndex, Keyed keyed, RuleState state) {
        long due = rules.get(ruleIndex).logic().nextTimer(state, evaluation.allowedLatenessMillis, watermark);
        if (due == Long.MAX_VALUE || due <= watermark) {
            return; // nothing pending, or due now: it would fire again at once
        }
        long rounded = RuleState.timerFor(due);
        if (rounded < state.timer) {
            state.timer = rounded;
            timers.computeIfAbsent(rounded, at -> new ArrayList<>()).add(new Timer(ruleIndex, keyed));
        }
    }

    /** The end of the run: the watermark goes to the end of time, as when the tail has closed every window. */
    void finishAll() {
        watermark = Long.MAX_VALUE;
        advance();
        for (int i = 0; i < rules.size(); i++) { // and every state still kept, deadline or not
            for (Keyed keyed : new ArrayList<>(states.get(groupingOf[i]).values())) {
                if (keyed.slots[slotOf[i]] != null) {
                    fire(i, keyed);
                }
            }
        }
        if (legacy != null) {
            legacy.finishBefore(Long.MAX_VALUE);
        }
    }

    /** Marks a key as a scenario's own for a rule; its alerts for that rule carry the label. */
    void labelKey(String ruleId, String key, String scenario) {
        scenarioKeys.put(ruleId + '\0' + key, scenario);
    }

    /** Marks a scenario of the default rule on (account, window), for the truth file. */
    void label(int account, long windowStart, String scenario) {
        if (legacy != null) {
            legacy.labels.computeIfAbsent(windowStart, s -> new HashMap<>()).merge(account, scenario,
                    (old, added) -> old.equals("burst") ? old : added);
        }
    }

    List<GroundTruth.ExpectedAlert> expectedAlerts() {
        return alerts;
    }

    List<GroundTruth.UnflaggedWindow> unflaggedWindows() {
        return legacy == null ? new ArrayList<>() : legacy.unflagged;
    }

    private void record(String crossingTxnId, long storedAtMillis) {
        if (decided.isEmpty()) {
            return; // nearly always: no iterator per rule and transaction
        }
        for (Alert d : decided) {
            GroundTruth.ExpectedAlert revised = d.revision > 0 ? revisable.get(d.alertId) : null;
            if (revised != null) {
                // the same alert, revised by late transactions: the truth expects its final total
                revised.expectedSum = Money.toDecimal(d.totalCents);
                revised.txnCount = d.txnCount;
                continue;
            }
            GroundTruth.ExpectedAlert a = new GroundTruth.ExpectedAlert();
            a.alertId = d.alertId;
            a.ruleId = d.ruleId;
            a.ruleVersion = d.ruleVersion;
            a.ruleType = d.ruleType.name();
            a.mode = d.mode.name();
            a.groupBy = d.groupBy.field();
            a.groupKey = d.groupKey;
            a.accountId = d.accountId;
            a.windowStartMs = d.windowStartMillis;
            a.windowEndMs = d.windowEndMillis;
            a.windowStart = Timestamps.format(d.windowStartMillis);
            a.windowEnd = Timestamps.format(d.windowEndMillis);
            a.trigger = d.trigger.name();
            a.crossingTxnId = crossingTxnId != null ? crossingTxnId
                    : d.txnIds.length > 0 ? d.txnIds[d.txnIds.length - 1] : null;
            a.crossingSum = Money.toDecimal(d.totalCents);
            a.expectedSum = a.crossingSum;
            a.txnCount = d.txnCount;
            a.crossingSentAtMs = storedAtMillis >= 0 ? storedAtMillis : storedWhenWatermarkPassed(d);
            String label = scenarioKeys.get(d.ruleId + '\0' + d.groupKey);
            a.scenario = label != null ? label : "background";
            alerts.add(a);
            if (d.trigger != Alert.Trigger.CROSSING) {
                revisable.put(d.alertId, a);
            }
            if (legacy != null && legacy.isItsAlert(d)) {
                legacy.alerted(d, a);
            }
        }
        decided.clear();
    }

    /** Per-window sums and scenario labels of the default rule, per simulated account (before rules were data). */
    private static final class Legacy {
        final RuleSettings rule;
        final Accounts accounts;
        final TreeMap<Long, Window> windows = new TreeMap<>();
        /** Scenario labels per window start: account index to "burst", "exact" or "under". */
        final Map<Long, Map<Integer, String>> labels = new HashMap<>();
        final List<GroundTruth.UnflaggedWindow> unflagged = new ArrayList<>();
        private final Map<String, Integer> indexOf = new HashMap<>();

        Legacy(RuleSettings rule, Accounts accounts) {
            this.rule = rule;
            this.accounts = accounts;
            for (int i = 0; i < accounts.size(); i++) {
                indexOf.put(accounts.idOf(i), i);
            }
        }

        void add(int account, Transaction txn) {
            Window w = windows.computeIfAbsent(rule.windowStart(txn.txnTimeMillis), s -> new Window(accounts.size()));
            w.sums[account] += txn.amountCents;
            w.counts[account]++;
        }

        boolean isItsAlert(Alert d) {
            return d.windowEndMillis - d.windowStartMillis == rule.windowMillis() && indexOf.containsKey(d.groupKey);
        }

        void alerted(Alert d, GroundTruth.ExpectedAlert a) {
            Window w = windows.get(d.windowStartMillis);
            if (w != null) {
                w.alerts[indexOf.get(d.groupKey)] = a;
            }
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
    }

    private static final class Timer {
        final int rule;
        /** Held, not looked up again when due: a map lookup per timer was a large part of the replay. */
        final Keyed keyed;

        Timer(int rule, Keyed keyed) {
            this.rule = rule;
            this.keyed = keyed;
        }
    }

    /** A key's rule states, one slot per rule of its grouping. */
    private static final class Keyed {
        final String key;
        final RuleState[] slots;
        /** Removed from its grouping's map (every slot empty); a later transaction of the key makes a new one. */
        boolean dropped;

        Keyed(String key, int rules) {
            this.key = key;
            this.slots = new RuleState[rules];
        }
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
