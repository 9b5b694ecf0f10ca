package com.example.fraud.rules.state;

import java.util.Arrays;
import java.util.HashSet;

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
    /**
     * Its shadow alert was an EARLY one (a crossing, not the whole window): under WINDOW_CLOSE the shadow view never
     * revises it, as a live EARLY alert is never revised; the totals stay for a live alert if the rule turns ACTIVE.
     */
    public boolean shadowEarly;
    /** The account of the latest transaction by event time (equal times: the last to arrive), for keys not by account. */
    public long lastTime = Long.MIN_VALUE;
    public String lastAccount;
    /** The first transaction ids in event-time order (equal times in arrival order); {@link #idCount} in use. */
    public String[] ids = NO_IDS;
    public long[] idTimes = NO_TIMES;
    public int idCount;
    /**
     * The smallest cap ever applied: ids past it were dropped, so a cap raised later (a restart with a higher
     * {@code alert.max.txn.ids}) must not list later ids in their place. Raising it applies to windows opened after.
     */
    public int idCap = Integer.MAX_VALUE;
    /** Distinct counting: the values seen, in arrival order; {@link #valueCount} in use. */
    public String[] values = NO_IDS;
    public int valueCount;
    public boolean countsDistinct;
    /** Looks values up once there are more than a few (a scan below that: most windows hold one or two). */
    private transient HashSet<String> index;

    static final String[] NO_IDS = new String[0];
    static final long[] NO_TIMES = new long[0];

    public WindowTotals() {}

    public WindowTotals(long start, boolean countsDistinct) {
        this.start = start;
        this.countsDistinct = countsDistinct;
    }

    public int distinct() {
        return valueCount;
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
        if (countsDistinct && value != null && !seen(value)) {
            if (valueCount == values.length) {
                values = Arrays.copyOf(values, Math.max(1, valueCount * 2));
            }
            values[valueCount++] = value;
            if (index != null) {
                index.add(value);
            }
        }
        keepId(time, txnId, maxIds);
    }

    private void keepId(long time, String txnId, int maxIds) {
        int cap = Math.min(idCap, Math.max(0, maxIds));
        idCap = cap;
        idCount = Math.min(idCount, cap);
        int at = idCount;
        while (at > 0 && idTimes[at - 1] > time) {
            at--; // nearly in order: a short walk back, after any equal times
        }
        if (at >= cap) {
            return;
        }
        int kept = Math.min(idCount + 1, cap); // the last one falls off when full
        if (kept > ids.length) {
            int capacity = Math.min(cap, Math.max(kept, idCount * 2)); // most windows of most keys hold one
            ids = Arrays.copyOf(ids, capacity);
            idTimes = Arrays.copyOf(idTimes, capacity);
        }
        int moved = kept - 1 - at;
        System.arraycopy(ids, at, ids, at + 1, moved);
        System.arraycopy(idTimes, at, idTimes, at + 1, moved);
        ids[at] = txnId;
        idTimes[at] = time;
        idCount = kept;
    }

    private boolean seen(String value) {
        if (index != null) {
            return index.contains(value);
        }
        for (int i = 0; i < valueCount; i++) {
            if (values[i].equals(value)) {
                return true;
            }
        }
        if (valueCount >= 8) {
            index = new HashSet<>(Arrays.asList(values).subList(0, valueCount));
        }
        return false;
    }

    /** The first {@code n} ids kept, in event-time order. */
    public String[] firstIds(int n) {
        return Arrays.copyOf(ids, Math.min(n, idCount));
    }
}
