package com.example.fraud.detector.serialization;

import com.example.fraud.detector.rules.RuleStates;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** A key's rule states: their count, then each rule id and its state ({@link RuleStateSerializer}). */
public final class RuleStatesSerializer extends TypeSerializerSingleton<RuleStates> {
    private static final long serialVersionUID = 1L;

    public static final RuleStatesSerializer INSTANCE = new RuleStatesSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public RuleStates createInstance() {
        return new RuleStates();
    }

    @Override
    public RuleStates copy(RuleStates from) {
        RuleStates s = new RuleStates(from.size());
        for (int i = 0; i < from.size(); i++) {
            s.put(from.id(i), RuleStateSerializer.INSTANCE.copy(from.state(i)));
        }
        return s;
    }

    @Override
    public RuleStates copy(RuleStates from, RuleStates reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(RuleStates s, DataOutputView out) throws IOException {
        out.writeInt(s.size());
        for (int i = 0; i < s.size(); i++) {
            out.writeUTF(s.id(i));
            RuleStateSerializer.INSTANCE.serialize(s.state(i), out);
        }
    }

    @Override
    public RuleStates deserialize(DataInputView in) throws IOException {
        int size = in.readInt();
        if (size < 0) {
            throw new IOException("corrupt rule states: " + size + " rules");
        }
        RuleStates s = new RuleStates(size);
        for (int i = 0; i < size; i++) {
            s.put(in.readUTF(), RuleStateSerializer.INSTANCE.deserialize(in));
        }
        return s;
    }

    @Override
    public RuleStates deserialize(RuleStates reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<RuleStates> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the singleton; the format has one version so far. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RuleStates> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
