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
 * the same alert results whichever of the two arrives first. Only small and large transactions are kept.
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
        if (large(e)) {
            Event s = latestSmallBefore(state.events, e.time);
            if (s != null) {
                out.add(alert(s, e, ctx));
                e.alerted = true;
            }
        } else {
            for (Event l : state.events) {
                if (large(l) && !l.alerted && l.time >= e.time && l.time - e.time <= withinMillis) {
                    out.add(alert(e, l, ctx));
                    l.alerted = true;
                }
            }
        }
        state.append(e);
    }

    private Event latestSmallBefore(Event[] events, long t) {
        Event best = null;
        for (Event s : events) {
            if (small(s) && s.time <= t && t - s.time <= withinMillis && (best == null || s.time >= best.time)) {
                best = s;
            }
        }
        return best;
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
        state.retain(e -> horizon(e, lateness) > wm);
    }

    /** A small one can pair with large ones up to {@code within} later; a large one with small ones before it. */
    private long horizon(Event e, long lateness) {
        return WindowedAggregate.saturatedAdd(small(e) ? e.time + withinMillis : e.time, lateness);
    }

    @Override
    public long nextTimer(RuleState state, long lateness, long watermark) {
        long next = Long.MAX_VALUE;
        for (Event e : state.events) {
            next = Math.min(next, horizon(e, lateness));
        }
        return next;
    }

    @Override
    public long signature() {
        return Signatures.of("SMALL_THEN_LARGE");
    }
}
