package com.example.fraud.rules;

import com.example.fraud.model.Alert;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.state.RuleState;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Rules from JSON, transactions, and a driver that calls {@link RuleLogic} exactly as the job's operator does. */
public final class RuleTesting {
    /** 2026-01-01T00:00:00Z: aligned to every window size used in the tests. */
    public static final long T0 = 1_767_225_600_000L;
    public static final long SECOND = 1_000L;
    public static final long MINUTE = 60_000L;

    private RuleTesting() {}

    public static Rule rule(String json) {
        try {
            return RuleCodec.parse(json);
        } catch (RuleException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public static Transaction txn(String id, String account, long cents, long time) {
        return new Transaction(id, account, cents, time);
    }

    public static Transaction located(String id, long time, double lat, double lon) {
        Transaction t = new Transaction(id, "acc-1", 1000, time);
        t.lat = lat;
        t.lon = lon;
        return t;
    }

    /**
     * One rule, one key, as in the operator: a transaction that does not apply is skipped, one that is late (its
     * {@code countableUntil} reached by the watermark) is counted as late, others go to {@code onTransaction}; an
     * empty state is dropped; timers fire like Flink's timer service, which also fires, in the same watermark
     * advance, a timer registered at or before the watermark (so such a timer would spin forever).
     */
    public static final class Driver {
        public Rule rule;
        public RuleLogic logic;
        public final long lateness;
        public final String key;
        private final Evaluation ctx;
        private final TreeSet<Long> timers = new TreeSet<>();
        public RuleState state;
        /** The last state object, kept after it is dropped, to check that it was empty. */
        public RuleState lastState;
        public long watermark = Long.MIN_VALUE;
        public long maxSeen = Long.MIN_VALUE;
        public final List<Alert> alerts = new ArrayList<>();
        public final List<Transaction> counted = new ArrayList<>();
        public int late;
        public int skipped;
        /**
         * Advance the state at every watermark, not only at its own timers: the job does so whenever any rule of the
         * key has a timer, so decisions must not depend on it.
         */
        public boolean advanceOnEveryWatermark;

        public Driver(Rule rule, long lateness) {
            this(rule, lateness, "acc-1");
        }

        public Driver(Rule rule, long lateness, String key) {
            this.rule = rule;
            this.logic = rule.logic();
            this.lateness = lateness;
            this.key = key;
            this.ctx = new Evaluation(lateness, 100);
        }

        /**
         * A new version of the rule, applied as the evaluator applies it: the state is kept when the state signature
         * is unchanged (limits, firing mode, mode), and an evaluated version decides it at once ({@code
         * onNewVersion}) and schedules its timer; the state is dropped otherwise. Pending timers stay and find what
         * is left.
         */
        public Driver change(Rule next) {
            Rule previous = rule;
            if (state != null && state.signature != next.stateSignature()) {
                state = null;
            }
            rule = next;
            logic = next.logic();
            if (state != null && next.evaluated()) {
                logic.onNewVersion(state, previous, ctx.at(rule, key, watermark, 0), alerts);
                save();
            }
            return this;
        }

        /** Feeds a transaction at the current watermark. */
        public Driver send(Transaction t) {
            maxSeen = Math.max(maxSeen, t.txnTimeMillis);
            if (!logic.applies(t)) {
                skipped++;
                return this;
            }
            if (logic.countableUntil(t.txnTimeMillis, lateness) <= watermark) {
                late++;
                return this;
            }
            if (state == null) {
                state = new RuleState(rule.stateSignature());
                lastState = state;
            }
            counted.add(t);
            logic.onTransaction(state, t, ctx.at(rule, key, watermark, 0), alerts);
            save();
            return this;
        }

        public Driver send(String id, long cents, long time) {
            return send(txn(id, key, cents, time));
        }

        /**
         * Advances the watermark (never backwards) and fires the timers it passes. After {@code onWatermark(w)} the
         * next timer must be after {@code w}: Flink fires a timer registered at or before the watermark again in the
         * same advance, forever, and an operator that skips registering it would never clean the state.
         */
        public Driver watermark(long w) {
            if (w <= watermark) {
                return this;
            }
            watermark = w;
            if (advanceOnEveryWatermark && state != null) {
                timers.add(w); // fires below, with those due
            }
            while (!timers.isEmpty() && timers.first() <= w) {
                timers.pollFirst();
                if (state == null) {
                    continue;
                }
                logic.onWatermark(state, ctx.at(rule, key, w, 0), alerts);
                if (state.isEmpty()) {
                    state = null;
                    continue;
                }
                long next = logic.nextTimer(state, lateness, w);
                if (next <= w) {
                    throw new AssertionError("nextTimer " + next + " is at or before the watermark " + w
                            + " after onWatermark: the timer would spin");
                }
                if (next != Long.MAX_VALUE) {
                    timers.add(next);
                }
            }
            return this;
        }

        /** A bounded-out-of-orderness watermark as Flink's: max time seen - bound - 1. */
        public Driver lagBehind(long bound) {
            return maxSeen == Long.MIN_VALUE ? this : watermark(maxSeen - bound - 1);
        }

        private void save() {
            if (state.isEmpty()) {
                state = null;
                return;
            }
            long due = logic.nextTimer(state, lateness, watermark);
            if (due != Long.MAX_VALUE) {
                timers.add(due);
            }
        }
    }
}
