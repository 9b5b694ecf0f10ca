package com.example.fraud.rules.state;

import java.util.LinkedHashSet;

/**
 * A tumbling window's aggregate: everything its alert and revisions report, without its transactions. Its size does
 * not grow with the window's traffic beyond the listed ids (at most the alert's cap) and the distinct values, so a
 * hot key stays cheap where every access (de)serializes the key's state (RocksDB).
 */
public class WindowTotals {
    public long start;
    /** Saturates at Long.MAX_VALUE (amounts are positive). */
    public long totalCents;
    public int count;
    /** WINDOW_CLOSE: transactions counted after the window's first alert; the revision number. */
    public int late;
    /** WINDOW_CLOSE: a transaction came after the latest alert or revision was sent; a revision is due. */
    public boolean due;
    /** The account of the latest transaction by event time (equal times: the last to arrive), for keys not by account. */
    public long lastTime = Long.MIN_VALUE;
    public String lastAccount;
    /** The first transaction ids in event-time order (equal times in arrival order); {@link #idCount} in use. */
    public String[] ids = NO_IDS;
    public long[] idTimes = NO_TIMES;
    public int idCount;
    /** Distinct counting: the values seen, in arrival order; null for other rules. */
    public LinkedHashSet<String> values;

    static final String[] NO_IDS = new String[0];
    static final long[] NO_TIMES = new long[0];

    public WindowTotals() {}

    public WindowTotals(long start, boolean countsDistinct) {
        this.start = start;
        this.values = countsDistinct ? new LinkedHashSet<>() : null;
    }

    public int distinct() {
        return values == null ? 0 : values.size();
    }

    /** Counts a transaction; keeps its id if it is among the first {@code maxIds} by time. */
    public void add(long time, long amountCents, String txnId, String accountId, String value, int maxIds) {
        long sum = totalCents + amountCents;
        totalCents = sum < totalCents ? Long.MAX_VALUE : sum;
        count++;
        if (time >= lastTime) {
            lastTime = time;
            lastAccount = accountId;
        }
        if (values != null && value != null) {
            values.add(value);
        }
        keepId(time, txnId, maxIds);
    }

    private void keepId(long time, String txnId, int maxIds) {
        int at = idCount;
        while (at > 0 && idTimes[at - 1] > time) {
            at--; // nearly in order: a short walk back, after any equal times
        }
        if (at >= maxIds) {
            return;
        }
        if (idCount == ids.length && idCount < maxIds) {
            int capacity = Math.min(maxIds, Math.max(4, idCount * 2));
            ids = java.util.Arrays.copyOf(ids, capacity);
            idTimes = java.util.Arrays.copyOf(idTimes, capacity);
        }
        int moved = Math.min(idCount, ids.length - 1) - at; // the last one falls off when full
        System.arraycopy(ids, at, ids, at + 1, moved);
        System.arraycopy(idTimes, at, idTimes, at + 1, moved);
        ids[at] = txnId;
        idTimes[at] = time;
        idCount = at + moved + 1;
    }

    /** The first {@code n} ids kept, in event-time order. */
    public String[] firstIds(int n) {
        return java.util.Arrays.copyOf(ids, Math.min(n, idCount));
    }
}
