package com.example.fraud.detector.serialization;

import com.example.fraud.rules.state.Event;
import com.example.fraud.rules.state.RuleState;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The keyed state of every rule and key. RocksDB (de)serializes it on every access, so it is written field by field
 * without reflection, only the events in use, and each event's optional parts behind a flag byte. The derived
 * running aggregates are not written: rule types rebuild them from the events.
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
        s.revisionsFrom = from.revisionsFrom;
        Event[] events = new Event[from.size];
        for (int i = 0; i < from.size; i++) {
            events[i] = copy(from.events[i]);
        }
        s.setEvents(events, events.length);
        return s;
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
        out.writeInt(s.alertedWindows.length | (revisions ? REVISIONS_FOLLOW : 0));
        for (long w : s.alertedWindows) {
            out.writeLong(w);
        }
        if (revisions) {
            out.writeLong(s.revisionsFrom);
        }
        out.writeInt(s.size);
        for (int i = 0; i < s.size; i++) {
            Event e = s.events[i];
            out.writeLong(e.time);
            out.writeLong(e.amountCents);
            out.writeUTF(e.txnId);
            out.writeUTF(e.accountId);
            boolean located = !Double.isNaN(e.lat) && !Double.isNaN(e.lon);
            out.writeByte((e.value != null ? VALUE : 0) | (located ? LOCATION : 0) | (e.alerted ? ALERTED : 0)
                    | (e.late ? LATE : 0));
            if (e.value != null) {
                out.writeUTF(e.value);
            }
            if (located) {
                out.writeDouble(e.lat);
                out.writeDouble(e.lon);
            }
        }
    }

    @Override
    public RuleState deserialize(DataInputView in) throws IOException {
        RuleState s = new RuleState(in.readLong());
        s.spentUntil = in.readLong();
        s.closedThrough = in.readLong();
        s.timer = in.readLong();
        int header = in.readInt();
        int windows = header & ~REVISIONS_FOLLOW;
        if (windows < 0) {
            throw new IOException("corrupt rule state: " + windows + " alerted windows");
        }
        s.alertedWindows = new long[windows];
        for (int i = 0; i < windows; i++) {
            s.alertedWindows[i] = in.readLong();
        }
        java.util.Arrays.sort(s.alertedWindows); // written in alert order before they were kept sorted
        if ((header & REVISIONS_FOLLOW) != 0) {
            s.revisionsFrom = in.readLong();
        }
        int size = in.readInt();
        if (size < 0) {
            throw new IOException("corrupt rule state: " + size + " events");
        }
        Event[] events = new Event[size];
        for (int i = 0; i < size; i++) {
            Event e = new Event();
            e.time = in.readLong();
            e.amountCents = in.readLong();
            e.txnId = in.readUTF();
            e.accountId = in.readUTF();
            int flags = in.readUnsignedByte();
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
        return s;
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
