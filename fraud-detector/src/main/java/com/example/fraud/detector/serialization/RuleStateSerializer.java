package com.example.fraud.detector.serialization;

import com.example.fraud.rules.state.Event;
import com.example.fraud.rules.state.RuleState;
import com.example.fraud.rules.state.WindowTotals;
import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The keyed state of every rule and key. RocksDB (de)serializes it on every access, so it is written field by field
 * without reflection, only the events and windows in use, and each event's optional parts behind a flag byte. The
 * derived running aggregates are not written: rule types rebuild them from the events.
 */
public final class RuleStateSerializer extends TypeSerializerSingleton<RuleState> {
    private static final long serialVersionUID = 1L;

    public static final RuleStateSerializer INSTANCE = new RuleStateSerializer();

    private static final int VALUE = 1;
    private static final int LOCATION = 1 << 1;
    private static final int ALERTED = 1 << 2;
    private static final int LATE = 1 << 3;
    /**
     * Set in the alerted-window count when {@code revisionsFrom} follows the windows. States written before it existed
     * never have the bit (the count is never negative), so they read as they did.
     */
    private static final int REVISIONS_FOLLOW = 1 << 31;
    /**
     * Set in the alerted-window count when the shadow view's marks follow (its alerted windows, then its spent time).
     * States written before they were kept apart never have it, and read with every mark a live one, as then.
     */
    private static final int SHADOW_MARKS_FOLLOW = 1 << 30;
    /** Set in the event count when tumbling windows' totals follow the events; states before them never have it. */
    private static final int TOTALS_FOLLOW = 1 << 31;
    /**
     * Set in the event count when the events are written compactly (below); states written before never have it, and
     * are read in the fixed-width layout they were written in.
     */
    private static final int COMPACT_EVENTS = 1 << 30;
    /** Compact events: the account is the previous event's (always so for rules keyed by account). */
    private static final int SAME_ACCOUNT = 1 << 4;
    private static final int DUE = 1;
    private static final int DISTINCT = 1 << 1;
    private static final int ACCOUNT = 1 << 2;
    private static final int SHADOW_EARLY = 1 << 3;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public RuleState createInstance() {
        return new RuleState();
    }

    @Override
    public RuleState copy(RuleState from) {
        RuleState s = new RuleState(from.signature);
        s.spentUntil = from.spentUntil;
        s.closedThrough = from.closedThrough;
        s.timer = from.timer;
        s.alertedWindows = from.alertedWindows.clone();
        s.shadowAlertedWindows = from.shadowAlertedWindows.clone();
        s.shadowSpentUntil = from.shadowSpentUntil;
        s.revisionsFrom = from.revisionsFrom;
        Event[] events = new Event[from.size];
        for (int i = 0; i < from.size; i++) {
            events[i] = copy(from.events[i]);
        }
        s.setEvents(events, events.length);
        WindowTotals[] windows = new WindowTotals[from.windowCount];
        for (int i = 0; i < windows.length; i++) {
            windows[i] = copy(from.windows[i]);
        }
        s.setWindows(windows, windows.length);
        return s;
    }

    private static WindowTotals copy(WindowTotals from) {
        WindowTotals w = new WindowTotals(from.start, from.countsDistinct);
        w.totalCents = from.totalCents;
        w.count = from.count;
        w.late = from.late;
        w.due = from.due;
        w.shadowEarly = from.shadowEarly;
        w.lastTime = from.lastTime;
        w.lastAccount = from.lastAccount;
        w.ids = Arrays.copyOf(from.ids, from.idCount);
        w.idTimes = Arrays.copyOf(from.idTimes, from.idCount);
        w.idCount = from.idCount;
        w.idCap = from.idCap;
        w.values = Arrays.copyOf(from.values, from.valueCount);
        w.valueCount = from.valueCount;
        return w;
    }

    private static Event copy(Event from) {
        Event e = new Event();
        e.time = from.time;
        e.amountCents = from.amountCents;
        e.txnId = from.txnId;
        e.accountId = from.accountId;
        e.value = from.value;
        e.lat = from.lat;
        e.lon = from.lon;
        e.alerted = from.alerted;
        e.late = from.late;
        return e;
    }

    @Override
    public RuleState copy(RuleState from, RuleState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(RuleState s, DataOutputView out) throws IOException {
        out.writeLong(s.signature);
        out.writeLong(s.spentUntil);
        out.writeLong(s.closedThrough);
        out.writeLong(s.timer);
        boolean revisions = s.revisionsFrom != Long.MIN_VALUE;
        boolean shadowMarks = s.shadowAlertedWindows.length > 0 || s.shadowSpentUntil != Long.MIN_VALUE;
        out.writeInt(s.alertedWindows.length | (revisions ? REVISIONS_FOLLOW : 0)
                | (shadowMarks ? SHADOW_MARKS_FOLLOW : 0));
        for (long w : s.alertedWindows) {
            out.writeLong(w);
        }
        if (revisions) {
            out.writeLong(s.revisionsFrom);
        }
        if (shadowMarks) {
            writeVarLong(out, s.shadowAlertedWindows.length);
            for (long w : s.shadowAlertedWindows) {
                out.writeLong(w);
            }
            out.writeLong(s.shadowSpentUntil);
        }
        out.writeInt(s.size | COMPACT_EVENTS | (s.windowCount > 0 ? TOTALS_FOLLOW : 0));
        // Compact: sorted by time, so each time is a small step from the previous one; one key's events mostly share
        // an account. Sliding and pair rules keep every event of their horizon, and RocksDB reads them all per access.
        long previousTime = 0;
        String previousAccount = null;
        for (int i = 0; i < s.size; i++) {
            Event e = s.events[i];
            boolean located = !Double.isNaN(e.lat) && !Double.isNaN(e.lon);
            boolean sameAccount = e.accountId.equals(previousAccount);
            out.writeByte((e.value != null ? VALUE : 0) | (located ? LOCATION : 0) | (e.alerted ? ALERTED : 0)
                    | (e.late ? LATE : 0) | (sameAccount ? SAME_ACCOUNT : 0));
            writeVarLong(out, e.time - previousTime);
            writeVarLong(out, e.amountCents);
            out.writeUTF(e.txnId);
            if (!sameAccount) {
                out.writeUTF(e.accountId);
            }
            previousTime = e.time;
            previousAccount = e.accountId;
            if (e.value != null) {
                out.writeUTF(e.value);
            }
            if (located) {
                out.writeDouble(e.lat);
                out.writeDouble(e.lon);
            }
        }
        if (s.windowCount > 0) {
            out.writeInt(s.windowCount);
            for (int i = 0; i < s.windowCount; i++) {
                serialize(s.windows[i], out);
            }
        }
    }

    /**
     * A window's totals, compact: most windows of most keys hold one or two transactions, and RocksDB stores and
     * (de)serializes every one. Numbers are variable-length, times relative to the window's start.
     */
    private static void serialize(WindowTotals w, DataOutputView out) throws IOException {
        out.writeLong(w.start);
        writeVarLong(out, w.totalCents);
        writeVarLong(out, w.count);
        writeVarLong(out, w.late);
        out.writeByte((w.due ? DUE : 0) | (w.countsDistinct ? DISTINCT : 0) | (w.lastAccount != null ? ACCOUNT : 0)
                | (w.shadowEarly ? SHADOW_EARLY : 0));
        writeVarLong(out, w.lastTime - w.start); // wraps for an empty window's Long.MIN_VALUE, and back on read
        if (w.lastAccount != null) {
            out.writeUTF(w.lastAccount);
        }
        writeVarLong(out, w.idCap);
        writeVarLong(out, w.idCount);
        for (int i = 0; i < w.idCount; i++) {
            writeVarLong(out, w.idTimes[i] - w.start);
            out.writeUTF(w.ids[i]);
        }
        if (w.countsDistinct) {
            writeVarLong(out, w.valueCount);
            for (int i = 0; i < w.valueCount; i++) {
                out.writeUTF(w.values[i]);
            }
        }
    }

    private static WindowTotals deserializeTotals(DataInputView in) throws IOException {
        long start = in.readLong();
        long total = readVarLong(in);
        int count = readVarInt(in, "transactions");
        int late = readVarInt(in, "late transactions");
        int flags = in.readUnsignedByte();
        WindowTotals w = new WindowTotals(start, (flags & DISTINCT) != 0);
        w.totalCents = total;
        w.count = count;
        w.late = late;
        w.due = (flags & DUE) != 0;
        w.shadowEarly = (flags & SHADOW_EARLY) != 0;
        w.lastTime = start + readVarLong(in);
        if ((flags & ACCOUNT) != 0) {
            w.lastAccount = in.readUTF();
        }
        w.idCap = readVarInt(in, "transaction id cap");
        int ids = readVarInt(in, "transaction ids");
        w.ids = new String[initialCapacity(ids)];
        w.idTimes = new long[w.ids.length];
        for (int i = 0; i < ids; i++) {
            w.ids = room(w.ids, i, ids);
            w.idTimes = room(w.idTimes, i, ids);
            w.idTimes[i] = start + readVarLong(in);
            w.ids[i] = in.readUTF();
        }
        w.idCount = ids;
        if (w.countsDistinct) {
            int values = readVarInt(in, "distinct values");
            w.values = new String[initialCapacity(values)];
            for (int i = 0; i < values; i++) {
                w.values = room(w.values, i, values);
                w.values[i] = in.readUTF();
            }
            w.valueCount = values;
        }
        return w;
    }

    /** Zigzag, then 7 bits a byte: small numbers of either sign take one or two bytes. */
    private static void writeVarLong(DataOutputView out, long value) throws IOException {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    private static long readVarLong(DataInputView in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (v >>> 1) ^ -(v & 1);
            }
        }
        throw new IOException("corrupt rule state: a number longer than 10 bytes");
    }

    private static int readVarInt(DataInputView in, String what) throws IOException {
        long v = readVarLong(in);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IOException("corrupt rule state: " + v + " " + what);
        }
        return (int) v;
    }

    private static int nonNegative(int n, String what) throws IOException {
        if (n < 0) {
            throw new IOException("corrupt rule state: " + n + " " + what);
        }
        return n;
    }

    /**
     * The capacity to start reading {@code n} items with, grown as they are read (see {@link #room}): a corrupt count
     * then ends in an EOFException when the bytes run out, not in an OutOfMemoryError on a huge array.
     */
    private static int initialCapacity(int n) {
        return Math.min(n, 64);
    }

    /** {@code a}, or a copy twice as long (at most {@code n}) when item {@code i} of {@code n} does not fit. */
    private static <T> T[] room(T[] a, int i, int n) {
        return i < a.length ? a : Arrays.copyOf(a, grown(i, n));
    }

    private static long[] room(long[] a, int i, int n) {
        return i < a.length ? a : Arrays.copyOf(a, grown(i, n));
    }

    private static int grown(int length, int n) {
        return (int) Math.min(n, Math.max(1L, length * 2L));
    }

    @Override
    public RuleState deserialize(DataInputView in) throws IOException {
        RuleState s = new RuleState(in.readLong());
        s.spentUntil = in.readLong();
        s.closedThrough = in.readLong();
        s.timer = in.readLong();
        int header = in.readInt();
        int windows = header & ~(REVISIONS_FOLLOW | SHADOW_MARKS_FOLLOW);
        s.alertedWindows = readMarks(in, windows);
        if ((header & REVISIONS_FOLLOW) != 0) {
            s.revisionsFrom = in.readLong();
        }
        if ((header & SHADOW_MARKS_FOLLOW) != 0) {
            s.shadowAlertedWindows = readMarks(in, readVarInt(in, "shadow alerted windows"));
            s.shadowSpentUntil = in.readLong();
        }
        int eventsHeader = in.readInt();
        boolean compact = (eventsHeader & COMPACT_EVENTS) != 0;
        int size = eventsHeader & ~(TOTALS_FOLLOW | COMPACT_EVENTS);
        Event[] events = new Event[initialCapacity(size)];
        long previousTime = 0;
        String previousAccount = null;
        for (int i = 0; i < size; i++) {
            events = room(events, i, size);
            Event e = new Event();
            int flags;
            if (compact) {
                flags = in.readUnsignedByte();
                e.time = previousTime + readVarLong(in);
                e.amountCents = readVarLong(in);
                e.txnId = in.readUTF();
                if ((flags & SAME_ACCOUNT) != 0) {
                    if (previousAccount == null) {
                        throw new IOException("corrupt rule state: the first event has no account");
                    }
                    e.accountId = previousAccount;
                } else {
                    e.accountId = in.readUTF();
                }
                previousTime = e.time;
                previousAccount = e.accountId;
            } else { // as written before compact events
                e.time = in.readLong();
                e.amountCents = in.readLong();
                e.txnId = in.readUTF();
                e.accountId = in.readUTF();
                flags = in.readUnsignedByte();
            }
            if ((flags & VALUE) != 0) {
                e.value = in.readUTF();
            }
            if ((flags & LOCATION) != 0) {
                e.lat = in.readDouble();
                e.lon = in.readDouble();
            }
            e.alerted = (flags & ALERTED) != 0;
            e.late = (flags & LATE) != 0;
            events[i] = e;
        }
        s.setEvents(events, size);
        if ((eventsHeader & TOTALS_FOLLOW) != 0) {
            int count = nonNegative(in.readInt(), "windows");
            WindowTotals[] totals = new WindowTotals[initialCapacity(count)];
            for (int i = 0; i < count; i++) {
                totals = room(totals, i, count);
                totals[i] = deserializeTotals(in);
            }
            s.setWindows(totals, count);
        }
        return s;
    }

    private static long[] readMarks(DataInputView in, int n) throws IOException {
        long[] marks = new long[initialCapacity(n)];
        for (int i = 0; i < n; i++) {
            marks = room(marks, i, n);
            marks[i] = in.readLong();
        }
        Arrays.sort(marks); // written in alert order before they were kept sorted
        return marks;
    }

    @Override
    public RuleState deserialize(RuleState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<RuleState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the singleton; the format has one version so far. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RuleState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
