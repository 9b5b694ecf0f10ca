package com.example.fraud.rules.types;

import com.example.fraud.rules.state.Event;
import com.example.fraud.rules.state.RuleState;
import java.util.HashMap;

/**
 * The running aggregate of the events at indices [lo, hi) of a {@link RuleState}: sum, count and, for distinct
 * counts, the occurrences of each value. A query moves the edges to the new range, so consecutive look-backs (which
 * overlap almost entirely) cost what entered and left, not the window's length. Derived data: a fresh span is the
 * empty range, so one lost in a restore is rebuilt by the next query.
 */
final class Span {
    int lo;
    int hi;
    /** The sum modulo 2^64, and how often it wrapped: amounts are positive, so wraps > 0 means over Long.MAX_VALUE. */
    private long sum;
    private int wraps;
    private final HashMap<String, int[]> values;
    private int distinct;

    Span(boolean countsDistinct) {
        values = countsDistinct ? new HashMap<>() : null;
    }

    static Span of(RuleState state, boolean countsDistinct) {
        if (!(state.derived instanceof Span)) {
            state.derived = new Span(countsDistinct);
        }
        return (Span) state.derived;
    }

    long total() {
        return wraps > 0 ? Long.MAX_VALUE : sum;
    }

    int count() {
        return hi - lo;
    }

    int distinct() {
        return distinct;
    }

    /** Makes the span cover [newLo, newHi). */
    void moveTo(RuleState s, int newLo, int newHi) {
        if (newLo >= hi || newHi <= lo) { // disjoint: start over at the new range
            clear();
            lo = newLo;
            hi = newLo;
        }
        while (hi < newHi) {
            add(s.get(hi++));
        }
        while (lo > newLo) {
            add(s.get(--lo));
        }
        while (hi > newHi) {
            remove(s.get(--hi));
        }
        while (lo < newLo) {
            remove(s.get(lo++));
        }
    }

    /** The state inserted {@code e} at index {@code at}: keep the indices (and the aggregate) consistent. */
    void inserted(int at, Event e) {
        if (at < lo) {
            lo++;
            hi++;
        } else if (at < hi) {
            hi++;
            add(e);
        }
    }

    /** The state is about to remove indices [from, to). */
    void removing(RuleState s, int from, int to) {
        for (int i = Math.max(lo, from); i < Math.min(hi, to); i++) {
            remove(s.get(i));
        }
        lo = shifted(lo, from, to);
        hi = shifted(hi, from, to);
    }

    private static int shifted(int index, int from, int to) {
        return index < from ? index : index < to ? from : index - (to - from);
    }

    private void add(Event e) {
        long before = sum;
        sum += e.amountCents;
        if (sum < before) {
            wraps++;
        }
        if (values != null && e.value != null) {
            int[] n = values.get(e.value);
            if (n == null) {
                values.put(e.value, new int[] {1});
                distinct++;
            } else {
                n[0]++;
            }
        }
    }

    private void remove(Event e) {
        long before = sum;
        sum -= e.amountCents;
        if (sum > before) {
            wraps--;
        }
        if (values != null && e.value != null) {
            int[] n = values.get(e.value);
            if (--n[0] == 0) {
                values.remove(e.value);
                distinct--;
            }
        }
    }

    private void clear() {
        sum = 0;
        wraps = 0;
        distinct = 0;
        if (values != null) {
            values.clear();
        }
    }
}
