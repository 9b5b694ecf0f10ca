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
 * Two consecutive located transactions of a key (in event time, at most {@code within} apart, at least
 * {@code min_distance_km} apart on the ground) whose great-circle distance over their time difference is above
 * {@code max_speed_kmh}. Times less than a minute apart count as one minute, so card readers a street apart, a
 * second apart, are not a supersonic trip. Each transaction alerts at most once, as the later of a pair; the alert id
 * is anchored on it. An out-of-order transaction is compared with both its neighbours.
 */
public final class ImpossibleTravel implements RuleLogic {
    private static final long serialVersionUID = 1L;

    static final long MIN_INTERVAL_MILLIS = 60_000;

    private final double maxSpeedKmh;
    private final double minDistanceKm;
    private final long withinMillis;

    public ImpossibleTravel(double maxSpeedKmh, double minDistanceKm, long withinMillis) {
        this.maxSpeedKmh = maxSpeedKmh;
        this.minDistanceKm = minDistanceKm;
        this.withinMillis = withinMillis;
    }

    public double maxSpeedKmh() {
        return maxSpeedKmh;
    }

    public double minDistanceKm() {
        return minDistanceKm;
    }

    public long withinMillis() {
        return withinMillis;
    }

    @Override
    public boolean applies(Transaction txn) {
        return txn.hasLocation();
    }

    @Override
    public long countableUntil(long t, long allowedLatenessMillis) {
        return WindowedAggregate.saturatedAdd(t, allowedLatenessMillis);
    }

    @Override
    public void onTransaction(RuleState state, Transaction txn, Evaluation ctx, List<Alert> out) {
        Event e = Event.of(txn);
        int at = state.upperBound(e.time);
        // Neighbours in event time; among equal times, the earlier arrival comes first.
        Event before = at > 0 ? state.get(at - 1) : null;
        Event after = at < state.size ? state.get(at) : null;
        if (before != null) {
            check(before, e, ctx, out);
        }
        if (after != null) {
            check(e, after, ctx, out);
        }
        state.insert(e);
        int n = forgettable(state, ctx.watermark, ctx.allowedLatenessMillis);
        if (n >= 64 || (n > 0 && n * 4 >= state.size)) {
            state.removeRange(0, n); // amortized forgetting on the way
        }
    }

    /**
     * How many of the oldest events no countable transaction can pair with: a countable one is later than
     * wm - lateness, so of the events at or before that only the last can be its neighbour, and only within reach.
     */
    private int forgettable(RuleState state, long wm, long lateness) {
        if (state.size == 0 || wm == Long.MIN_VALUE) {
            return 0;
        }
        if (wm == Long.MAX_VALUE) {
            return state.size;
        }
        int n = Math.max(0, state.upperBound(WindowedAggregate.saturatedAdd(wm, -lateness)) - 1);
        if (n < state.size && WindowedAggregate.saturatedAdd(state.time(n) + withinMillis, lateness) <= wm) {
            n++;
        }
        return n;
    }

    private void check(Event from, Event to, Evaluation ctx, List<Alert> out) {
        long dt = to.time - from.time;
        if (to.alerted || dt > withinMillis) {
            return;
        }
        double km = Geo.distanceKm(from.lat, from.lon, to.lat, to.lon);
        double speed = km / (Math.max(dt, MIN_INTERVAL_MILLIS) / 3_600_000.0);
        if (km < minDistanceKm || speed <= maxSpeedKmh) {
            return;
        }
        Alert a = ctx.newAlert(to.txnId, to.accountId);
        a.windowStartMillis = from.time;
        a.windowEndMillis = to.time + 1;
        a.trigger = Trigger.CROSSING;
        a.txnIds = new String[] {from.txnId, to.txnId};
        a.first = AlertTxn.of(from.txnId, from.time, from.amountCents, from.lat, from.lon);
        a.second = AlertTxn.of(to.txnId, to.time, to.amountCents, to.lat, to.lon);
        a.totalCents = from.amountCents + to.amountCents;
        a.txnCount = 2;
        a.distanceKm = Math.round(km * 10) / 10.0;
        a.speedKmh = Math.round(speed);
        a.maxSpeedKmh = maxSpeedKmh;
        out.add(a);
        to.alerted = true;
    }

    @Override
    public void onWatermark(RuleState state, Evaluation ctx, List<Alert> out) {
        state.removeRange(0, forgettable(state, ctx.watermark, ctx.allowedLatenessMillis));
    }

    /** When the whole state has expired: the latest event's reach; the others forget as transactions arrive. */
    @Override
    public long nextTimer(RuleState state, long lateness, long watermark) {
        return state.size == 0 ? Long.MAX_VALUE
                : WindowedAggregate.saturatedAdd(state.get(state.size - 1).time + withinMillis, lateness);
    }

    @Override
    public long signature() {
        return Signatures.of("IMPOSSIBLE_TRAVEL");
    }
}
