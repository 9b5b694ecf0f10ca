package com.example.fraud.rules.types;

import com.example.fraud.model.Alert;
import com.example.fraud.model.AlertTxn;
import com.example.fraud.model.Alert.Trigger;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.Evaluation;
import com.example.fraud.rules.RuleLogic;
import com.example.fraud.rules.state.Event;
import com.example.fraud.rules.state.RuleState;
import java.util.List;

/**
 * Card testing: a transaction of at most {@code small_max} followed, within {@code within}, by one of at least
 * {@code large_min} on the same key ({@code small.time <= large.time <= small.time + within}). Each large transaction
 * alerts at most once, quoting the latest small one before it; the alert id is anchored on the large transaction, so
 * the same alert results whichever of the two arrives first. Only small transactions and the large ones not yet
 * paired are kept.
 */
public final class SmallThenLarge implements RuleLogic {
    private static final long serialVersionUID = 1L;

    private final long smallMaxCents;
    private final long largeMinCents;
    private final long withinMillis;

    public SmallThenLarge(long smallMaxCents, long largeMinCents, long withinMillis) {
        this.smallMaxCents = smallMaxCents;
        this.largeMinCents = largeMinCents;
        this.withinMillis = withinMillis;
    }

    public long smallMaxCents() {
        return smallMaxCents;
    }

    public long largeMinCents() {
        return largeMinCents;
    }

    public long withinMillis() {
        return withinMillis;
    }

    @Override
    public boolean applies(Transaction txn) {
        return true;
    }

    @Override
    public long countableUntil(long t, long allowedLatenessMillis) {
        return WindowedAggregate.saturatedAdd(t, allowedLatenessMillis);
    }

    private boolean small(Event e) {
        return e.amountCents <= smallMaxCents;
    }

    private boolean large(Event e) {
        return e.amountCents >= largeMinCents;
    }

    @Override
    public void onTransaction(RuleState state, Transaction txn, Evaluation ctx, List<Alert> out) {
        Event e = Event.of(txn);
        if (!small(e) && !large(e)) {
            return;
        }
        int at = state.insert(e);
        if (large(e)) {
            // the latest small one at or before it (the last to arrive among equal times), within reach
            for (int i = at - 1; i >= 0 && e.time - state.time(i) <= withinMillis; i--) {
                if (small(state.get(i))) {
                    out.add(alert(state.get(i), e, ctx));
                    // Paired: it can pair with nothing more. Kept, every later large one would scan back over
                    // it to reach the small one: quadratic on a busy key.
                    state.removeRange(at, at + 1);
                    break;
                }
            }
        } else {
            // out of order: large ones already received at or after its time, within reach, not yet paired
            for (int i = state.lowerBound(e.time); i < state.size && state.time(i) - e.time <= withinMillis; ) {
                Event l = state.get(i);
                if (i != at && large(l) && !l.alerted) { // alerted: paired in a state kept by an older version
                    out.add(alert(e, l, ctx));
                    state.removeRange(i, i + 1); // paired, as above
                    if (i < at) {
                        at--;
                    }
                } else {
                    i++;
                }
            }
        }
        forgetPrefix(state, ctx.watermark, ctx.allowedLatenessMillis);
    }

    /** Amortized forgetting on the way: the expired prefix, once it is a good share of the state. */
    private void forgetPrefix(RuleState state, long wm, long lateness) {
        int n = 0;
        while (n < state.size && horizon(state.get(n), lateness) <= wm) {
            n++;
        }
        if (n >= 64 || (n > 0 && n * 4 >= state.size)) {
            state.removeRange(0, n);
        }
    }

    private Alert alert(Event small, Event large, Evaluation ctx) {
        Alert a = ctx.newAlert(large.txnId, large.accountId);
        a.windowStartMillis = small.time;
        a.windowEndMillis = large.time + 1;
        a.trigger = Trigger.CROSSING;
        a.txnIds = new String[] {small.txnId, large.txnId};
        a.first = AlertTxn.of(small.txnId, small.time, small.amountCents, Double.NaN, Double.NaN);
        a.second = AlertTxn.of(large.txnId, large.time, large.amountCents, Double.NaN, Double.NaN);
        a.totalCents = small.amountCents + large.amountCents;
        a.txnCount = 2;
        a.smallMaxCents = smallMaxCents;
        a.largeMinCents = largeMinCents;
        return a;
    }

    @Override
    public void onWatermark(RuleState state, Evaluation ctx, List<Alert> out) {
        long wm = ctx.watermark;
        long lateness = ctx.allowedLatenessMillis;
        state.keepOnly(e -> horizon(e, lateness) > wm);
    }

    /** A small one can pair with large ones up to {@code within} later; a large one with small ones before it. */
    private long horizon(Event e, long lateness) {
        return WindowedAggregate.saturatedAdd(small(e) ? e.time + withinMillis : e.time, lateness);
    }

    /** When the whole state has expired; its transactions forget as they go before that. */
    @Override
    public long nextTimer(RuleState state, long lateness, long watermark) {
        // Sorted by time: walk back from the latest until no earlier event can reach further (at most time + within).
        // Every transaction asks; scanning them all was a tenth of the rules' time with hours of small ones kept.
        long last = Long.MIN_VALUE;
        for (int i = state.size - 1; i >= 0; i--) {
            long time = state.time(i);
            if (last != Long.MIN_VALUE && WindowedAggregate.saturatedAdd(time + withinMillis, lateness) <= last) {
                break;
            }
            last = Math.max(last, horizon(state.get(i), lateness));
        }
        return last == Long.MIN_VALUE ? Long.MAX_VALUE : last;
    }

    @Override
    public long signature() {
        return Signatures.of("SMALL_THEN_LARGE");
    }
}
