package com.example.fraud.detector.serialization;

import com.example.fraud.detector.rules.GroupedTransaction;
import com.example.fraud.model.Grouping;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Hot path: every transaction crosses the shuffle to the rules in this form. Never kept in state. */
public final class GroupedTransactionSerializer extends TypeSerializerSingleton<GroupedTransaction> {
    private static final long serialVersionUID = 1L;

    public static final GroupedTransactionSerializer INSTANCE = new GroupedTransactionSerializer();
    private static final Grouping[] GROUPINGS = Grouping.values();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public GroupedTransaction createInstance() {
        return new GroupedTransaction();
    }

    @Override
    public GroupedTransaction copy(GroupedTransaction from) {
        return new GroupedTransaction(from.grouping, from.key, TransactionSerializer.INSTANCE.copy(from.txn));
    }

    @Override
    public GroupedTransaction copy(GroupedTransaction from, GroupedTransaction reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(GroupedTransaction g, DataOutputView out) throws IOException {
        out.writeByte(g.grouping.ordinal());
        // The account key is the transaction's own account id: not written twice.
        if (g.grouping != Grouping.ACCOUNT_ID) {
            out.writeUTF(g.key);
        }
        TransactionSerializer.INSTANCE.serialize(g.txn, out);
    }

    @Override
    public GroupedTransaction deserialize(DataInputView in) throws IOException {
        Grouping grouping = GROUPINGS[in.readByte()];
        String key = grouping == Grouping.ACCOUNT_ID ? null : in.readUTF();
        GroupedTransaction g = new GroupedTransaction(grouping, key, TransactionSerializer.INSTANCE.deserialize(in));
        if (key == null) {
            g.key = g.txn.accountId;
        }
        return g;
    }

    @Override
    public GroupedTransaction deserialize(GroupedTransaction reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<GroupedTransaction> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the singleton; needed only for the interface, as these are not kept in state. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<GroupedTransaction> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
