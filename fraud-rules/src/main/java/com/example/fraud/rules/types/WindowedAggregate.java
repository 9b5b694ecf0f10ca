package com.example.fraud.rules.types;

import com.example.fraud.model.Alert;
import com.example.fraud.model.Alert.Trigger;
import com.example.fraud.model.RuleMode;
import com.example.fraud.model.Timestamps;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.Evaluation;
import com.example.fraud.rules.FiringMode;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleLogic;
import com.example.fraud.rules.Window;
import com.example.fraud.rules.state.Event;
import com.example.fraud.rules.state.RuleState;
import com.example.fraud.rules.state.WindowTotals;
import java.util.List;

/**
 * An aggregate (sum, count, distinct count) over a window, compared with a limit. The state is each tumbling window's
 * aggregate ({@link WindowTotals}), or the sliding look-back's transactions, so a changed limit applies to open
 * windows.
 *
 * <p><b>Tumbling</b>: one alert per key and window at most, as the detector always did. EARLY fires on the deciding
 * transaction, with the total at the crossing; WINDOW_CLOSE when the watermark passes the window's end, with the
 * window's total, and it is revised (same alert id, next {@code revision}) by each transaction of the window that
 * arrives later, within the allowed lateness. A window is forgotten when the watermark passes its end plus the
 * allowed lateness.
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
            foldEvents(state, ctx.maxTxnIds);
            tumbling(state, txn, ctx, out);
        } else {
            sliding(state, txn, ctx, out);
        }
        forget(state, ctx, true);
    }

    private void tumbling(RuleState state, Transaction txn, Evaluation ctx, List<Alert> out) {
        long start = window.startOf(txn.txnTimeMillis);
        long end = start + window.sizeMillis();
        if (state.hasAlerted(start, live(ctx))) {
            // EARLY: null, unless the alert was not live; WINDOW_CLOSE: null for a state from before revisions
            WindowTotals w = state.window(start);
            if (w != null && firing == FiringMode.WINDOW_CLOSE) {
                boolean open = end - 1 > Math.max(ctx.watermark, state.closedThrough);
                boolean liveMark = state.hasAlerted(start, true);
                if (liveMark && end - 1 > state.closedThrough) {
                    // alerted live before it was evaluated at close: an EARLY alert that a state of an older release
                    // kept the totals of; no revision may follow it, as none follows a live EARLY alert
                    int i = state.windowIndex(start);
                    state.removeWindows(i, i + 1);
                    return;
                }
                if (!liveMark && (open || w.shadowEarly)) {
                    // the shadow view's EARLY alert: never revised, but counted for a live alert if the rule turns
                    // ACTIVE (WINDOW_CLOSE alerts only at close, so an open alerted window has an EARLY alert)
                    add(w, txn, ctx.maxTxnIds);
                    return;
                }
            }
            if (w != null) {
                add(w, txn, ctx.maxTxnIds);
                if (firing == FiringMode.WINDOW_CLOSE) {
                    // counted: the window's alert claims the whole window, so it is revised on the next timer
                    w.late++;
                    w.due = true;
                    state.revisionsFrom = state.revisionsFrom == Long.MIN_VALUE ? start
                            : Math.min(state.revisionsFrom, start);
                }
            }
            return; // EARLY: the alert reports the crossing; the window raises no other
        }
        WindowTotals w = state.window(start);
        if (w == null) {
            w = new WindowTotals(start, countsDistinct());
            state.addWindow(w);
        }
        add(w, txn, ctx.maxTxnIds);
        boolean closed = ctx.watermark >= end - 1;
        if (closed || firing == FiringMode.EARLY) {
            fireIfCrossed(state, w, txn.accountId, closed ? Trigger.LATE_TRANSACTION : Trigger.CROSSING, ctx, out);
        }
        if (closed) {
            state.closedThrough = Math.max(state.closedThrough, end - 1); // evaluated just now
        }
    }

    private void sliding(RuleState state, Transaction txn, Evaluation ctx, List<Alert> out) {
        long t = txn.txnTimeMillis;
        if (t <= state.spentUntil) {
            return; // older than the last live alert's deciding transaction: spent in every view
        }
        int at = insert(state, event(txn));
        long spentBefore = state.spentUntil;
        checkEnd(state, t, txn.accountId, ctx, out);
        // Out of order: the look-backs ending at the later transactions already received now count t too.
        long limit = t + window.sizeMillis();
        long previous = t;
        for (int i = at + 1; i < state.size; i++) {
            long end = state.time(i);
            if (end >= limit) {
                break;
            }
            if (end != previous) {
                checkEnd(state, end, txn.accountId, ctx, out);
                previous = end;
            }
        }
        if (state.spentUntil != spentBefore) {
            removeRange(state, 0, state.upperBound(state.spentUntil)); // spent: never counted again
        }
    }

    /** Evaluates the look-back (end - size, end], less what is spent; an alert spends it. */
    private void checkEnd(RuleState state, long end, String fallbackAccount, Evaluation ctx, List<Alert> out) {
        boolean live = live(ctx);
        long spent = state.spentUntil(live);
        if (end <= spent) {
            return;
        }
        long from = Math.max(end - window.sizeMillis() + 1, spent + 1);
        Span m = measure(state, from, end + 1);
        if (!crosses(m.total(), m.count(), m.distinct())) {
            return;
        }
        Alert a = ctx.newAlert(Timestamps.format(end), accountAt(state, end, fallbackAccount));
        a.windowStartMillis = end - window.sizeMillis() + 1;
        a.windowEndMillis = end + 1;
        a.trigger = Trigger.CROSSING;
        fill(a, m, state, ctx.maxTxnIds);
        out.add(a);
        state.spend(end, live); // a shadow alert spends only in the shadow view: the transactions stay for live ones
    }

    /**
     * Tumbling EARLY: every open window that has not alerted in the new version's view and is over the new limit
     * alerts now (CROSSING, its total so far); closed windows stay decided. A window that alerted only while the rule
     * was not ACTIVE kept its totals, so when the rule turns ACTIVE while it is open it alerts live now (EARLY) or at
     * close (WINDOW_CLOSE, which the caller schedules). From EARLY to WINDOW_CLOSE, what closed under EARLY stays
     * decided. Sliding: the look-back of the key's latest transaction is evaluated again in the new view, as if that
     * transaction came now (after a SHADOW alert, an activation alerts live with what the shadow alert spent).
     */
    @Override
    public void onNewVersion(RuleState state, Rule previous, Evaluation ctx, List<Alert> out) {
        if (window.kind() == Window.Kind.SLIDING) {
            if (state.size > 0) {
                long spentBefore = state.spentUntil;
                checkEnd(state, state.time(state.size - 1), null, ctx, out);
                if (state.spentUntil != spentBefore) {
                    removeRange(state, 0, state.upperBound(state.spentUntil));
                }
            }
            return;
        }
        foldEvents(state, ctx.maxTxnIds);
        boolean wasEarly = previous.logic() instanceof WindowedAggregate
                && ((WindowedAggregate) previous.logic()).firing == FiringMode.EARLY;
        if (wasEarly && firing == FiringMode.WINDOW_CLOSE) {
            state.closedThrough = Math.max(state.closedThrough, ctx.watermark); // closed under EARLY: decided
        }
        if (firing != FiringMode.EARLY) {
            return;
        }
        // Open: after the watermark and after what was evaluated at close (a restored watermark can be lower).
        long decidedThrough = Math.max(ctx.watermark, state.closedThrough);
        long size = window.sizeMillis();
        boolean live = live(ctx);
        int i = 0;
        while (i < state.windowCount) {
            WindowTotals w = state.windows[i];
            int before = state.windowCount;
            if (w.start + size - 1 > decidedThrough && !state.hasAlerted(w.start, live)) {
                fireIfCrossed(state, w, null, Trigger.CROSSING, ctx, out); // a live alert removes the window
            }
            if (state.windowCount == before) {
                i++;
            }
        }
    }

    @Override
    public void onWatermark(RuleState state, Evaluation ctx, List<Alert> out) {
        long wm = ctx.watermark;
        long lateness = ctx.allowedLatenessMillis;
        if (window.kind() == Window.Kind.SLIDING) {
            forget(state, ctx, false);
            if (saturatedAdd(state.spentUntil, lateness) <= wm) {
                state.spentUntil = Long.MIN_VALUE; // what it spent can no longer arrive in time (and is not kept)
            }
            // A shadow alert keeps what it spent (for the live view): the mark goes only once those are forgotten,
            // or later transactions' look-backs would count them again in the shadow view.
            if (saturatedAdd(state.shadowSpentUntil, lateness) <= wm
                    && (state.size == 0 || state.time(0) > state.shadowSpentUntil)) {
                state.shadowSpentUntil = Long.MIN_VALUE;
            }
            return;
        } else {
            foldEvents(state, ctx.maxTxnIds);
            if (firing == FiringMode.WINDOW_CLOSE) {
                reviseAlerted(state, ctx, out);
                long size = window.sizeMillis();
                for (int i = firstNotClosed(state); i < state.windowCount; i++) {
                    WindowTotals w = state.windows[i];
                    if (w.start + size - 1 > wm) {
                        break; // sorted: later windows are still open
                    }
                    if (state.hasAlerted(w.start, true)) {
                        // alerted live before its close: an older release's state kept an EARLY alert's totals;
                        // no revision may follow it
                        state.removeWindows(i, i + 1);
                        i--;
                    } else if (!state.hasAlerted(w.start, live(ctx))) {
                        fireIfCrossed(state, w, null, Trigger.WINDOW_CLOSE, ctx, out);
                    }
                }
            } else {
                // EARLY never revises; a state kept from a WINDOW_CLOSE version may still name windows that were due
                state.revisionsFrom = Long.MIN_VALUE;
            }
            // Under EARLY too: a version changed to WINDOW_CLOSE must not close again the windows closed before it.
            state.closedThrough = Math.max(state.closedThrough, wm);
            long size = window.sizeMillis();
            // kept while a transaction of the window can still count: start + size - 1 + lateness > wm
            long firstAlerted = state.firstAlerted();
            if (firstAlerted != Long.MAX_VALUE && saturatedAdd(firstAlerted + size - 1, lateness) <= wm) {
                long firstKept = wm - lateness - size + 2;
                state.forgetAlertedBefore(firstKept);
            }
        }
        forget(state, ctx, false);
    }

    /**
     * Drops the events no evaluation can read any more: a prefix, as they are sorted. On a transaction only when the
     * prefix is a good share of the state (amortized; queries are bounded by time, so stale events are harmless).
     */
    private void forget(RuleState state, Evaluation ctx, boolean lazily) {
        if (state.windowCount > 0 && ctx.watermark != Long.MIN_VALUE) {
            long lastUseless = lastForgettableTime(ctx.watermark, ctx.allowedLatenessMillis);
            // the windows ending at or before it (it is a window's last millisecond, or an end of time)
            int n = lastUseless == Long.MIN_VALUE ? 0
                    : lastUseless == Long.MAX_VALUE ? state.windowCount : state.windowIndex(window.startOf(lastUseless) + 1);
            if (!lazily || n >= 64 || n * 4 >= state.windowCount) {
                state.removeWindows(0, n);
            }
        }
        if (state.size == 0 || ctx.watermark == Long.MIN_VALUE) {
            return;
        }
        long lastUseless = lastForgettableTime(ctx.watermark, ctx.allowedLatenessMillis);
        if (state.time(0) > lastUseless) {
            return;
        }
        int n = state.upperBound(lastUseless);
        if (!lazily || n >= 64 || n * 4 >= state.size) {
            removeRange(state, 0, n);
        }
    }

    /** Events at or before this time are read by no evaluation that can still happen at this watermark. */
    private long lastForgettableTime(long wm, long lateness) {
        if (wm == Long.MAX_VALUE) {
            return Long.MAX_VALUE; // end of input
        }
        long size = window.sizeMillis();
        // Countable transactions are later than wm - lateness (countableUntil).
        long firstCountable = saturatedAdd(wm, -lateness);
        if (firstCountable < Long.MIN_VALUE + 2 * size) {
            return Long.MIN_VALUE; // the beginning of time: nothing to forget yet
        }
        if (window.kind() == Window.Kind.SLIDING) {
            // needed while the look-back (t - size, t] of a countable t > firstCountable reaches it
            return firstCountable - size + 1;
        }
        // tumbling: windows ending at or before firstCountable + 1 take no transaction any more
        long x = firstCountable + 1;
        return x - Math.floorMod(x, size) - 1;
    }

    /**
     * By when {@code onWatermark} must run: the next window to close (tumbling WINDOW_CLOSE), else when the whole
     * state expires. A busy key thus has one timer per horizon, not one per transaction: its transactions forget as
     * they go.
     */
    @Override
    public long nextTimer(RuleState state, long lateness, long watermark) {
        long size = window.sizeMillis();
        long expires = Long.MIN_VALUE;
        if (window.kind() == Window.Kind.SLIDING) {
            if (state.size > 0) {
                expires = saturatedAdd(state.time(state.size - 1) + size - 1, lateness);
            }
            long spent = state.spentUntil(false); // the later of the two views'
            if (spent != Long.MIN_VALUE) {
                expires = Math.max(expires, saturatedAdd(spent, lateness));
            }
            return expires == Long.MIN_VALUE ? Long.MAX_VALUE : expires;
        }
        foldEvents(state, Integer.MAX_VALUE); // called after the others, which fold with the cap: a no-op
        if (state.windowCount > 0) {
            expires = saturatedAdd(state.windows[state.windowCount - 1].start + size - 1, lateness);
        }
        long lastAlerted = state.lastAlerted();
        if (lastAlerted != Long.MIN_VALUE) {
            expires = Math.max(expires, saturatedAdd(lastAlerted + size - 1, lateness));
        }
        long next = expires == Long.MIN_VALUE ? Long.MAX_VALUE : expires;
        if (state.revisionsFrom != Long.MIN_VALUE) {
            next = Math.min(next, saturatedAdd(watermark, 1)); // revisions are due on the next timer
        }
        if (firing == FiringMode.WINDOW_CLOSE) {
            for (int i = firstNotClosed(state); i < state.windowCount; i++) {
                WindowTotals w = state.windows[i];
                if (!state.hasAlerted(w.start, true)) { // the live view's: its closes are a superset of the shadow's
                    return Math.min(next, w.start + size - 1);
                }
            }
        }
        return next;
    }

    /**
     * The index of the first window that ends after {@code closedThrough}: the windows before it have been evaluated
     * at close, and only wait for late transactions (a day of them, with 1 s windows and a day of lateness: walking
     * them on every call was quadratic on a busy key).
     */
    private int firstNotClosed(RuleState state) {
        long closed = state.closedThrough;
        if (closed == Long.MIN_VALUE) {
            return 0;
        }
        return closed == Long.MAX_VALUE ? state.windowCount : state.windowIndex(window.startOf(closed + 1));
    }

    private void fireIfCrossed(RuleState state, WindowTotals w, String accountId, Trigger trigger, Evaluation ctx,
            List<Alert> out) {
        if (!crosses(w.totalCents, w.count, w.distinct())) {
            return;
        }
        out.add(alert(w, accountId, trigger, ctx));
        boolean live = live(ctx);
        state.markAlerted(w.start, live);
        if (firing == FiringMode.WINDOW_CLOSE) {
            w.due = false; // kept, so that a late transaction can revise the total
        } else if (!live) {
            w.shadowEarly = true; // kept and still counted: if the rule turns ACTIVE while it is open, it alerts live
        } else {
            int i = state.windowIndex(w.start);
            state.removeWindows(i, i + 1); // the window's one alert is out
        }
    }

    /** A tumbling window's alert: its aggregate and its first transaction ids, in event-time order. */
    private Alert alert(WindowTotals w, String accountId, Trigger trigger, Evaluation ctx) {
        Alert a = ctx.newAlert(Timestamps.format(w.start), accountId != null ? accountId : w.lastAccount);
        a.windowStartMillis = w.start;
        a.windowEndMillis = w.start + window.sizeMillis();
        a.trigger = trigger;
        a.totalCents = w.totalCents;
        a.txnCount = w.count;
        a.distinctCount = countsDistinct() ? w.distinct() : 0;
        a.txnIds = w.firstIds(ctx.maxTxnIds);
        describe(a);
        return a;
    }

    /**
     * WINDOW_CLOSE: transactions of windows that have alerted arrived within the allowed lateness. Each such alert is
     * sent again, same {@code alert_id}, with the window's new aggregate and {@code revision} = the number of
     * transactions counted since the first alert, so that its total stays the whole window's (consumers keep the
     * highest revision). One revision per window and timer, so a flood of late transactions cannot flood the alerts.
     */
    private void reviseAlerted(RuleState state, Evaluation ctx, List<Alert> out) {
        if (state.revisionsFrom == Long.MIN_VALUE) {
            return;
        }
        for (int i = state.windowIndex(state.revisionsFrom); i < state.windowCount; i++) {
            WindowTotals w = state.windows[i];
            if (w.due && state.hasAlerted(w.start, live(ctx))) {
                Alert a = alert(w, null, Trigger.LATE_TRANSACTION, ctx);
                a.revision = w.late;
                out.add(a);
                w.due = false;
            }
        }
        state.revisionsFrom = Long.MIN_VALUE;
    }

    private void add(WindowTotals w, Transaction txn, int maxIds) {
        w.add(txn.txnTimeMillis, txn.amountCents, txn.txnId, txn.accountId, valueOf(txn), maxIds);
    }

    /**
     * A state written when tumbling rules kept their transactions: folds them into window aggregates, once. An event
     * counted in an alert and not marked late was counted before it; one not counted in an alert of an alerted window
     * makes a revision due. An alerted window without such events (its alert dropped them: EARLY then, or a state from
     * before revisions) has no whole total to revise, so it gets no totals, as if those events had never been kept.
     */
    private void foldEvents(RuleState state, int maxIds) {
        if (state.size == 0) {
            return;
        }
        int from = 0;
        while (from < state.size) {
            long start = window.startOf(state.time(from));
            int to = state.lowerBound(start + window.sizeMillis());
            boolean alerted = state.hasAlerted(start, true); // states from then had live marks only
            boolean counted = false;
            for (int i = from; i < to; i++) {
                Event e = state.get(i);
                counted |= e.alerted && !e.late;
            }
            if (!alerted || counted) {
                WindowTotals w = new WindowTotals(start, countsDistinct());
                for (int i = from; i < to; i++) {
                    Event e = state.get(i);
                    w.add(e.time, e.amountCents, e.txnId, e.accountId, e.value, maxIds);
                    w.late += e.late ? 1 : 0;
                    w.due |= alerted && !e.alerted;
                }
                state.addWindow(w);
            }
            from = to;
        }
        state.removeRange(0, state.size);
        state.derived = null;
    }

    /** Evidence: the aggregate and the first transaction ids of the span, in event-time order. */
    private void fill(Alert a, Span m, RuleState state, int maxTxnIds) {
        a.totalCents = m.total();
        a.txnCount = m.count();
        a.distinctCount = countsDistinct() ? m.distinct() : 0;
        int n = Math.min(m.count(), maxTxnIds);
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = state.get(m.lo + i).txnId;
        }
        a.txnIds = ids;
        describe(a);
    }

    /** The running aggregate of the events with time in [from, until). */
    private Span measure(RuleState state, long from, long until) {
        Span m = Span.of(state, countsDistinct());
        m.moveTo(state, lowerBound(state, m.lo, from), lowerBound(state, m.hi, until));
        return m;
    }

    /** The first index at or after time t; {@code hint} first, as consecutive queries mostly share an edge. */
    private static int lowerBound(RuleState state, int hint, long t) {
        if (hint <= state.size && (hint == state.size || state.time(hint) >= t)
                && (hint == 0 || state.time(hint - 1) < t)) {
            return hint;
        }
        return state.lowerBound(t);
    }

    private int insert(RuleState state, Event e) {
        int at = state.insert(e);
        Span.of(state, countsDistinct()).inserted(at, e);
        return at;
    }

    private void removeRange(RuleState state, int from, int to) {
        if (from < to) {
            Span.of(state, countsDistinct()).removing(state, from, to);
            state.removeRange(from, to);
        }
    }

    /** The account of the latest event at or before {@code t} (the last to arrive among equal times). */
    private static String accountAt(RuleState state, long t, String fallback) {
        int i = state.upperBound(t) - 1;
        return i >= 0 ? state.get(i).accountId : fallback;
    }

    private Event event(Transaction txn) {
        Event e = Event.of(txn);
        e.lat = Double.NaN; // aggregates never read a location: keep state small in RocksDB
        e.lon = Double.NaN;
        e.value = valueOf(txn);
        return e;
    }

    /**
     * Whether decisions are live: an ACTIVE rule's. A SHADOW rule (and a PAUSED one, whose windows close without an
     * alert) decides in the shadow view, whose marks live decisions ignore.
     */
    private static boolean live(Evaluation ctx) {
        return ctx.rule.mode() == RuleMode.ACTIVE;
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }
}
