package com.example.fraud.rules.state;

/**
 * What one rule remembers about one key. A Flink POJO (kept in keyed map state under the rule id), shared by all rule
 * types so that one serializer serves them; each type uses the fields it documents. Events are in arrival order and
 * bounded by the rule's horizon: each type's {@code onWatermark} drops what can no longer matter.
 */
public class RuleState {
    /** The rule parameters this state was built under; a rule version that changes them starts fresh. */
    public long signature;
    public Event[] events = NO_EVENTS;
    /** Tumbling windows: the starts of still-open windows that have alerted (they never alert again). */
    public long[] alertedWindows = NO_WINDOWS;
    /**
     * Sliding windows: transactions at or before this time were counted by an alert and never count again. Kept (the
     * state is not empty) until a transaction that old would be late, so a state emptied by an alert is not dropped
     * and restarted from zero, which would count the spent time again and repeat the alert's id.
     */
    public long spentUntil = Long.MIN_VALUE;
    /**
     * Tumbling WINDOW_CLOSE: windows ending at or before this watermark have been evaluated at close; they wait only
     * for late transactions, so their timer is the end of their lateness.
     */
    public long closedThrough = Long.MIN_VALUE;

    static final Event[] NO_EVENTS = new Event[0];
    static final long[] NO_WINDOWS = new long[0];

    public RuleState() {}

    public RuleState(long signature) {
        this.signature = signature;
    }

    /**
     * A fingerprint of what {@code onWatermark} can change (it only forgets and advances markers): equal before and
     * after means the state need not be written back, which saves a serialization per timer in RocksDB.
     */
    public long shape() {
        return ((events.length * 31L + alertedWindows.length) * 31 + spentUntil) * 31 + closedThrough;
    }

    public boolean isEmpty() {
        // spentUntil still matters while a transaction at or before it can arrive in time (see the sliding rules)
        return events.length == 0 && alertedWindows.length == 0 && spentUntil == Long.MIN_VALUE;
    }

    public void append(Event e) {
        Event[] grown = java.util.Arrays.copyOf(events, events.length + 1);
        grown[events.length] = e;
        events = grown;
    }

    /** Keeps the events for which {@code keep} holds, in order. */
    public void retain(java.util.function.Predicate<Event> keep) {
        int n = 0;
        for (Event e : events) {
            if (keep.test(e)) {
                n++;
            }
        }
        if (n == events.length) {
            return;
        }
        Event[] kept = n == 0 ? NO_EVENTS : new Event[n];
        int i = 0;
        for (Event e : events) {
            if (keep.test(e)) {
                kept[i++] = e;
            }
        }
        events = kept;
    }

    public boolean hasAlerted(long windowStart) {
        for (long w : alertedWindows) {
            if (w == windowStart) {
                return true;
            }
        }
        return false;
    }

    public void markAlerted(long windowStart) {
        long[] grown = java.util.Arrays.copyOf(alertedWindows, alertedWindows.length + 1);
        grown[alertedWindows.length] = windowStart;
        alertedWindows = grown;
    }

    /** Keeps the alerted window starts for which {@code keep} holds. */
    public void retainAlerted(java.util.function.LongPredicate keep) {
        alertedWindows = java.util.Arrays.stream(alertedWindows).filter(keep).toArray();
    }
}
