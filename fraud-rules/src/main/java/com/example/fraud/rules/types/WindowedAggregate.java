package com.example.fraud.rules.types;

import com.example.fraud.model.Alert;
import com.example.fraud.model.Alert.Trigger;
import com.example.fraud.model.Timestamps;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.Evaluation;
import com.example.fraud.rules.FiringMode;
import com.example.fraud.rules.RuleLogic;
import com.example.fraud.rules.Window;
import com.example.fraud.rules.state.Event;
import com.example.fraud.rules.state.RuleState;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An aggregate (sum, count, distinct count) over a window, compared with a limit. The state is the window's
 * transactions, so a changed limit applies to open windows.
 *
 * <p><b>Tumbling</b>: one alert per key and window at most, as the detector always did. EARLY fires on the deciding
 * transaction; WINDOW_CLOSE when the watermark passes the window's end. A window is forgotten when the watermark
 * passes its end plus the allowed lateness.
 *
 * <p><b>Sliding</b>: each transaction t looks back over (t - size, t]. An out-of-order transaction is also counted
 * in the look-backs of the later transactions already received. <b>Re-alerting</b>: an alert spends the transactions
 * it counted; the next alert for the key needs the limit crossed again by later transactions alone (still within one
 * look-back). So no transaction is counted by two alerts: a burst that goes on after crossing alerts again only when
 * its later transactions alone cross the limit again (for a sum of 3000, each further 3000 spent within the
 * look-back), and a second burst alerts as soon as it crosses on its own. A transaction is forgotten when no look-back that can still be evaluated contains it.
 */
public abstract class WindowedAggregate implements RuleLogic {
    private static final long serialVersionUID = 1L;

    protected final Window window;
    protected final FiringMode firing;

    private transient Set<String> distinctScratch;

    protected WindowedAggregate(Window window, FiringMode firing) {
        this.window = window;
        this.firing = firing;
    }

    public Window window() {
        return window;
    }

    public FiringMode firing() {
        return firing;
    }

    /** The aggregate of some events; {@code distinct} only when the type counts distinct values. */
    protected static final class Measure {
        long totalCents;
        int count;
        int distinct;
    }

    /** Whether the measure is over the rule's limit. */
    protected abstract boolean crosses(long totalCents, int count, int distinct);

    /** Whether distinct values must be counted. */
    protected boolean countsDistinct() {
        return false;
    }

    /** The value an event carries for distinct counting, or null. */
    protected String valueOf(Transaction txn) {
        return null;
    }

    /** Adds the type's evidence (limit, distinct field) to an alert. */
    protected abstract void describe(Alert a);

    @Override
    public long countableUntil(long t, long allowedLatenessMillis) {
        long last = window.kind() == Window.Kind.TUMBLING ? window.startOf(t) + window.sizeMillis() - 1 : t;
        return saturatedAdd(last, allowedLatenessMillis);
    }

    @Override
    public void onTransaction(RuleState state, Transaction txn, Evaluation ctx, List<Alert> out) {
        if (window.kind() == Window.Kind.TUMBLING) {
            tumbling(state, txn, ctx, out);
        } else {
            sliding(state, txn, ctx, out);
        }
    }

    private void tumbling(RuleState state, Transaction txn, Evaluation ctx, List<Alert> out) {
        long start = window.startOf(txn.txnTimeMillis);
        if (state.hasAlerted(start)) {
            return; // the window's one alert is out: nothing more to learn from it
        }
        state.append(event(txn));
        long end = start + window.sizeMillis();
        boolean closed = ctx.watermark >= end - 1;
        if (closed || firing == FiringMode.EARLY) {
            fireIfCrossed(state, start, end, start, txn.accountId, closed ? Trigger.LATE_TRANSACTION : Trigger.CROSSING,
                    ctx, out);
        }
        if (closed) {
            state.closedThrough = Math.max(state.closedThrough, end - 1); // evaluated just now
        }
    }

    private void sliding(RuleState state, Transaction txn, Evaluation ctx, List<Alert> out) {
        long t = txn.txnTimeMillis;
        if (t <= state.spentUntil) {
            return; // older than the last alert's deciding transaction: already spent
        }
        state.append(event(txn));
        // The window ending at t, then those ending at later transactions that now count t too, in time order.
        long[] ends = hasLaterEvent(state.events, t) ? candidateEnds(state.events, t, t + window.sizeMillis())
                : new long[] {t};
        for (long end : ends) {
            if (end <= state.spentUntil) {
                continue;
            }
            long from = Math.max(end - window.sizeMillis() + 1, state.spentUntil + 1);
            Measure m = measure(state.events, from, end + 1);
            if (crosses(m.totalCents, m.count, m.distinct)) {
                Alert a = ctx.newAlert(Timestamps.format(end), accountAt(state.events, end, txn.accountId));
                a.windowStartMillis = end - window.sizeMillis() + 1;
                a.windowEndMillis = end + 1;
                a.trigger = Trigger.CROSSING;
                fill(a, m, state.events, from, end + 1, ctx.maxTxnIds);
                out.add(a);
                state.spentUntil = end;
            }
        }
        long spent = state.spentUntil;
        state.retain(e -> e.time > spent);
    }

    private static boolean hasLaterEvent(Event[] events, long t) {
        for (Event e : events) {
            if (e.time > t) {
                return true;
            }
        }
        return false;
    }

    /** {@code t} and the distinct times of events in (t, limit), ascending. */
    private static long[] candidateEnds(Event[] events, long t, long limit) {
        long[] ends = new long[events.length];
        int n = 0;
        ends[n++] = t;
        for (Event e : events) {
            if (e.time > t && e.time < limit) {
                ends[n++] = e.time;
            }
        }
        Arrays.sort(ends, 0, n);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || ends[i] != ends[i - 1]) {
                ends[distinct++] = ends[i];
            }
        }
        return Arrays.copyOf(ends, distinct);
    }

    @Override
    public void onWatermark(RuleState state, Evaluation ctx, List<Alert> out) {
        long wm = ctx.watermark;
        long lateness = ctx.allowedLatenessMillis;
        if (window.kind() == Window.Kind.SLIDING) {
            state.retain(e -> saturatedAdd(e.time + window.sizeMillis() - 1, lateness) > wm);
            if (saturatedAdd(state.spentUntil, lateness) <= wm) {
                state.spentUntil = Long.MIN_VALUE; // what it spent can no longer arrive in time
            }
            return;
        }
        if (firing == FiringMode.WINDOW_CLOSE) {
            for (long start : openStarts(state)) {
                long end = start + window.sizeMillis();
                if (end - 1 <= wm && end - 1 > state.closedThrough && !state.hasAlerted(start)) {
                    fireIfCrossed(state, start, end, start, null, Trigger.WINDOW_CLOSE, ctx, out);
                }
            }
            state.closedThrough = Math.max(state.closedThrough, wm);
        }
        long size = window.sizeMillis();
        state.retain(e -> saturatedAdd(window.startOf(e.time) + size - 1, lateness) > wm);
        state.retainAlerted(start -> saturatedAdd(start + size - 1, lateness) > wm);
    }

    @Override
    public long nextTimer(RuleState state, long lateness, long watermark) {
        long next = Long.MAX_VALUE;
        long size = window.sizeMillis();
        if (window.kind() == Window.Kind.SLIDING) {
            for (Event e : state.events) {
                next = Math.min(next, saturatedAdd(e.time + size - 1, lateness));
            }
            if (state.spentUntil != Long.MIN_VALUE) {
                next = Math.min(next, saturatedAdd(state.spentUntil, lateness));
            }
            return next;
        }
        for (Event e : state.events) {
            long start = window.startOf(e.time);
            boolean awaitsClose = firing == FiringMode.WINDOW_CLOSE && !state.hasAlerted(start)
                    && start + size - 1 > state.closedThrough;
            next = Math.min(next, awaitsClose ? start + size - 1 : saturatedAdd(start + size - 1, lateness));
        }
        for (long start : state.alertedWindows) {
            next = Math.min(next, saturatedAdd(start + size - 1, lateness));
        }
        return next;
    }

    private void fireIfCrossed(RuleState state, long start, long end, long anchor, String accountId, Trigger trigger,
            Evaluation ctx, List<Alert> out) {
        Measure m = measure(state.events, start, end);
        if (!crosses(m.totalCents, m.count, m.distinct)) {
            return;
        }
        Alert a = ctx.newAlert(Timestamps.format(anchor),
                accountId != null ? accountId : accountAt(state.events, end - 1, null));
        a.windowStartMillis = start;
        a.windowEndMillis = end;
        a.trigger = trigger;
        fill(a, m, state.events, start, end, ctx.maxTxnIds);
        out.add(a);
        state.markAlerted(start);
        state.retain(e -> e.time < start || e.time >= end); // the window's one alert is out
    }

    private void fill(Alert a, Measure m, Event[] events, long from, long until, int maxTxnIds) {
        a.totalCents = m.totalCents;
        a.txnCount = m.count;
        a.distinctCount = m.distinct;
        int n = Math.min(m.count, maxTxnIds);
        String[] ids = new String[n];
        int i = 0;
        for (Event e : events) {
            if (i < n && e.time >= from && e.time < until) {
                ids[i++] = e.txnId;
            }
        }
        a.txnIds = ids;
        describe(a);
    }

    /** The aggregate of the events with time in [from, until). */
    private Measure measure(Event[] events, long from, long until) {
        Measure m = new Measure();
        Set<String> values = null;
        if (countsDistinct()) {
            if (distinctScratch == null) {
                distinctScratch = new HashSet<>();
            }
            values = distinctScratch;
            values.clear();
        }
        for (Event e : events) {
            if (e.time >= from && e.time < until) {
                m.totalCents = saturatedAdd(m.totalCents, e.amountCents);
                m.count++;
                if (values != null && e.value != null) {
                    values.add(e.value);
                }
            }
        }
        m.distinct = values == null ? 0 : values.size();
        return m;
    }

    private long[] openStarts(RuleState state) {
        return Arrays.stream(state.events).mapToLong(e -> window.startOf(e.time)).distinct().toArray();
    }

    /** The account of the latest event at or before {@code t}, for an alert's account_id. */
    private static String accountAt(Event[] events, long t, String fallback) {
        String account = fallback;
        long best = Long.MIN_VALUE;
        for (Event e : events) {
            if (e.time <= t && e.time >= best) {
                best = e.time;
                account = e.accountId;
            }
        }
        return account;
    }

    private Event event(Transaction txn) {
        Event e = Event.of(txn);
        e.lat = Double.NaN; // aggregates never read a location: keep state small in RocksDB
        e.lon = Double.NaN;
        e.value = valueOf(txn);
        return e;
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }
}
