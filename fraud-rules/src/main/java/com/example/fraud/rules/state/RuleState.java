package com.example.fraud.rules.state;

import java.util.Arrays;

/**
 * What one rule remembers about one key, shared by all rule types so that one serializer serves them; each type uses
 * the fields it documents.
 *
 * <p>Events are kept sorted by event time, equal times in arrival order, in {@code events[0, size)}: input is
 * nearly in order, so an insert lands at or near the end, a look-back is a binary search, and what a rule forgets is
 * a prefix. Bounded by the rule's horizon: each type forgets what can no longer matter.
 */
public class RuleState {
    /** The rule parameters this state was built under; a rule version that changes them starts fresh. */
    public long signature;
    /** Sorted by time, stable; only the first {@link #size} slots are in use. Change through the methods below. */
    public Event[] events = NO_EVENTS;
    public int size;
    /** events[i].time, side by side: searches read one array instead of an object per probe. */
    private long[] times = NO_WINDOWS;
    /**
     * Tumbling windows: the starts of still-open windows that have alerted live (they never alert live again), sorted:
     * a busy key with short windows and a long lateness has tens of thousands, searched on every transaction.
     */
    public long[] alertedWindows = NO_WINDOWS;
    /**
     * Tumbling windows that alerted while the rule was not ACTIVE (in SHADOW, or closed while PAUSED), sorted. Only
     * the shadow view reads them, so a rule made ACTIVE still alerts live for those windows.
     */
    public long[] shadowAlertedWindows = NO_WINDOWS;
    /**
     * Tumbling windows: the aggregate of each window that can still take a transaction, sorted by start; only the
     * first {@link #windowCount} slots are in use. Tumbling rules keep no events (states written before they did are
     * folded into these on first use).
     */
    public WindowTotals[] windows = NO_TOTALS;
    public int windowCount;
    /** windows[i].start, side by side, as {@link #times} for events. */
    private long[] windowStarts = NO_WINDOWS;
    /**
     * Sliding windows: transactions at or before this time were counted by an alert and never count again. Kept (the
     * state is not empty) until a transaction that old would be late, so a state emptied by an alert is not dropped
     * and restarted from zero, which would count the spent time again and repeat the alert's id.
     */
    public long spentUntil = Long.MIN_VALUE;
    /** Sliding windows: as {@link #spentUntil}, for alerts made while the rule was not ACTIVE (the shadow view). */
    public long shadowSpentUntil = Long.MIN_VALUE;
    /**
     * Tumbling WINDOW_CLOSE: windows ending at or before this watermark have been evaluated at close; they wait only
     * for late transactions, so their timer is the end of their lateness.
     */
    public long closedThrough = Long.MIN_VALUE;
    /**
     * Tumbling WINDOW_CLOSE: the start of the earliest alerted window holding a transaction that is not in its alert
     * yet (Long.MIN_VALUE: none). Revisions are sent on the next timer, one per window, however many came.
     */
    public long revisionsFrom = Long.MIN_VALUE;
    /**
     * The event-time timer the runner has registered for this state (Long.MAX_VALUE: none), so that a transaction
     * registers one only when its deadline is earlier than the pending one.
     */
    public long timer = Long.MAX_VALUE;

    /** Timers are per second: a key's rules then share them, and a window closes at most a second late. */
    public static final long TIMER_GRANULARITY_MILLIS = 1000;

    /** The timer for a deadline: the last millisecond of its second (Long.MAX_VALUE - 1 at the end of time). */
    public static long timerFor(long due) {
        long rounded = due - Math.floorMod(due, TIMER_GRANULARITY_MILLIS) + TIMER_GRANULARITY_MILLIS - 1;
        return rounded < due ? Long.MAX_VALUE - 1 : rounded;
    }
    /**
     * Running aggregates a rule type derives from the events; not serialized, rebuilt from the events when null
     * (after a restore, or a copy taken while the heap backend snapshots).
     */
    public transient Object derived;

    static final Event[] NO_EVENTS = new Event[0];
    static final long[] NO_WINDOWS = new long[0];
    static final WindowTotals[] NO_TOTALS = new WindowTotals[0];

    public RuleState() {}

    public RuleState(long signature) {
        this.signature = signature;
    }

    /**
     * A fingerprint of what {@code onWatermark} and timer bookkeeping can change (forgetting, markers, the pending
     * timer): equal before and after means the state need not be written back, which saves a serialization per timer
     * in RocksDB.
     */
    public long shape() {
        long marks = (alertedWindows.length * 31L + shadowAlertedWindows.length) * 31 + shadowSpentUntil;
        return (((((size * 31L + windowCount * 17L + marks) * 31 + spentUntil) * 31 + closedThrough) * 31 + timer) * 31)
                + revisionsFrom;
    }

    public boolean isEmpty() {
        // spentUntil still matters while a transaction at or before it can arrive in time (see the sliding rules)
        return size == 0 && windowCount == 0 && alertedWindows.length == 0 && shadowAlertedWindows.length == 0
                && spentUntil == Long.MIN_VALUE && shadowSpentUntil == Long.MIN_VALUE && revisionsFrom == Long.MIN_VALUE;
    }

    public Event get(int i) {
        return events[i];
    }

    public long time(int i) {
        return times[i];
    }

    /** Replaces the events (sorted by time, stable), e.g. when restored. */
    public void setEvents(Event[] sorted, int count) {
        events = sorted;
        size = count;
        times = new long[sorted.length];
        for (int i = 0; i < count; i++) {
            times[i] = sorted[i].time;
        }
    }

    /** The first index whose event is later than {@code t} (size if none). */
    public int upperBound(long t) {
        return upperBound(times, size, t);
    }

    /** The first of the {@code n} sorted keys that is later than {@code t} ({@code n} if none). */
    private static int upperBound(long[] keys, int n, long t) {
        int lo = 0;
        int hi = n;
        if (hi == 0 || keys[hi - 1] <= t) {
            return hi; // the usual case: in order
        }
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The first index whose event is at or after {@code t} (size if none). */
    public int lowerBound(long t) {
        return t == Long.MIN_VALUE ? 0 : upperBound(t - 1);
    }

    /** Inserts after the events at or before its time and returns its index. */
    public int insert(Event e) {
        int at = upperBound(e.time);
        if (size == events.length) {
            int capacity = Math.max(4, size + (size >> 1) + 1);
            events = Arrays.copyOf(events, capacity);
            times = Arrays.copyOf(times, capacity);
        }
        System.arraycopy(events, at, events, at + 1, size - at);
        System.arraycopy(times, at, times, at + 1, size - at);
        events[at] = e;
        times[at] = e.time;
        size++;
        return at;
    }

    /** Removes the events in [from, to). */
    public void removeRange(int from, int to) {
        if (from >= to) {
            return;
        }
        System.arraycopy(events, to, events, from, size - to);
        System.arraycopy(times, to, times, from, size - to);
        Arrays.fill(events, size - (to - from), size, null);
        size -= to - from;
        if (size == 0) {
            events = NO_EVENTS;
            times = NO_WINDOWS;
        } else if (events.length > 16 && size < events.length / 4) {
            events = Arrays.copyOf(events, size * 2);
            times = Arrays.copyOf(times, size * 2);
        }
    }

    /** Keeps the events for which {@code keep} holds, in order. */
    public void keepOnly(java.util.function.Predicate<Event> keep) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (keep.test(events[i])) {
                events[kept] = events[i];
                times[kept++] = times[i];
            }
        }
        removeRange(kept, size);
    }

    /** A copy of the events in use, for tests and tools. */
    public Event[] eventsInOrder() {
        return Arrays.copyOf(events, size);
    }

    /**
     * Whether the window has alerted in a view: live decisions ({@code live}) count live alerts only; the shadow view
     * (a SHADOW or PAUSED rule) counts both, as a live alert already decided the window.
     */
    public boolean hasAlerted(long windowStart, boolean live) {
        return Arrays.binarySearch(alertedWindows, windowStart) >= 0
                || (!live && Arrays.binarySearch(shadowAlertedWindows, windowStart) >= 0);
    }

    /** Marks the window alerted in the view that decided it. */
    public void markAlerted(long windowStart, boolean live) {
        if (live) {
            alertedWindows = withMark(alertedWindows, windowStart);
        } else {
            shadowAlertedWindows = withMark(shadowAlertedWindows, windowStart);
        }
    }

    private static long[] withMark(long[] marks, long windowStart) {
        int at = Arrays.binarySearch(marks, windowStart);
        if (at >= 0) {
            return marks;
        }
        at = -at - 1;
        long[] grown = new long[marks.length + 1];
        System.arraycopy(marks, 0, grown, 0, at);
        grown[at] = windowStart;
        System.arraycopy(marks, at, grown, at + 1, marks.length - at);
        return grown;
    }

    /** The latest alerted window start in either view, or Long.MIN_VALUE if none. */
    public long lastAlerted() {
        return Math.max(alertedWindows.length == 0 ? Long.MIN_VALUE : alertedWindows[alertedWindows.length - 1],
                shadowAlertedWindows.length == 0 ? Long.MIN_VALUE
                        : shadowAlertedWindows[shadowAlertedWindows.length - 1]);
    }

    /** The earliest alerted window start in either view, or Long.MAX_VALUE if none. */
    public long firstAlerted() {
        return Math.min(alertedWindows.length == 0 ? Long.MAX_VALUE : alertedWindows[0],
                shadowAlertedWindows.length == 0 ? Long.MAX_VALUE : shadowAlertedWindows[0]);
    }

    /** Forgets the alerted windows of both views that start before {@code firstKept}: a prefix, as they are sorted. */
    public void forgetAlertedBefore(long firstKept) {
        alertedWindows = withoutBefore(alertedWindows, firstKept);
        shadowAlertedWindows = withoutBefore(shadowAlertedWindows, firstKept);
    }

    private static long[] withoutBefore(long[] marks, long firstKept) {
        int n = Arrays.binarySearch(marks, firstKept);
        n = n >= 0 ? n : -n - 1;
        return n == 0 ? marks : n == marks.length ? NO_WINDOWS : Arrays.copyOfRange(marks, n, marks.length);
    }

    /** Sliding: the time up to which transactions are spent in a view (the shadow view spends live alerts' too). */
    public long spentUntil(boolean live) {
        return live ? spentUntil : Math.max(spentUntil, shadowSpentUntil);
    }

    /** Sliding: an alert in the view spends the transactions up to {@code end}. */
    public void spend(long end, boolean live) {
        if (live) {
            spentUntil = end;
        } else {
            shadowSpentUntil = end;
        }
    }

    /** The index of the first window that starts at or after {@code start} (windowCount if none). */
    public int windowIndex(long start) {
        return start == Long.MIN_VALUE ? 0 : upperBound(windowStarts, windowCount, start - 1);
    }

    /** The window that starts at {@code start}, or null. */
    public WindowTotals window(long start) {
        int i = windowIndex(start);
        return i < windowCount && windows[i].start == start ? windows[i] : null;
    }

    /** Inserts a window in start order; its start must not be held yet. */
    public void addWindow(WindowTotals w) {
        int at = windowIndex(w.start);
        if (windowCount == windows.length) {
            int capacity = Math.max(2, windowCount + (windowCount >> 1) + 1);
            windows = Arrays.copyOf(windows, capacity);
            windowStarts = Arrays.copyOf(windowStarts, capacity);
        }
        System.arraycopy(windows, at, windows, at + 1, windowCount - at);
        System.arraycopy(windowStarts, at, windowStarts, at + 1, windowCount - at);
        windows[at] = w;
        windowStarts[at] = w.start;
        windowCount++;
    }

    /** Removes the windows in [from, to). */
    public void removeWindows(int from, int to) {
        if (from >= to) {
            return;
        }
        System.arraycopy(windows, to, windows, from, windowCount - to);
        System.arraycopy(windowStarts, to, windowStarts, from, windowCount - to);
        Arrays.fill(windows, windowCount - (to - from), windowCount, null);
        windowCount -= to - from;
        if (windowCount == 0) {
            windows = NO_TOTALS;
            windowStarts = NO_WINDOWS;
        } else if (windows.length > 16 && windowCount < windows.length / 4) {
            windows = Arrays.copyOf(windows, windowCount * 2);
            windowStarts = Arrays.copyOf(windowStarts, windowCount * 2);
        }
    }

    /** Replaces the windows (sorted by start), e.g. when restored. */
    public void setWindows(WindowTotals[] sorted, int count) {
        windows = sorted;
        windowCount = count;
        windowStarts = new long[sorted.length];
        for (int i = 0; i < count; i++) {
            windowStarts[i] = sorted[i].start;
        }
    }
}
