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
        // Neighbours in event time; among equal times, the earlier arrival comes first.
        Event before = null;
        Event after = null;
        for (Event o : state.events) {
            if (o.time <= e.time) {
                if (before == null || o.time >= before.time) {
                    before = o;
                }
            } else if (after == null || o.time < after.time) {
                after = o;
            }
        }
        if (before != null) {
            check(before, e, ctx, out);
        }
        if (after != null) {
            check(e, after, ctx, out);
        }
        state.append(e);
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
        long wm = ctx.watermark;
        long lateness = ctx.allowedLatenessMillis;
        state.retain(e -> WindowedAggregate.saturatedAdd(e.time + withinMillis, lateness) > wm);
    }

    @Override
    public long nextTimer(RuleState state, long lateness, long watermark) {
        long next = Long.MAX_VALUE;
        for (Event e : state.events) {
            next = Math.min(next, WindowedAggregate.saturatedAdd(e.time + withinMillis, lateness));
        }
        return next;
    }

    @Override
    public long signature() {
        return Signatures.of("IMPOSSIBLE_TRAVEL");
    }
}
