package com.example.fraud.detector.rules;

import com.example.fraud.model.Transaction;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Every transaction crosses the keyBy, so its serializer is on the hot path. Flink's PojoSerializer
 * reads and writes fields by reflection; this writes the four fields directly. Transactions are never
 * kept in state, so the format is free to change.
 */
public final class TransactionSerializer extends TypeSerializerSingleton<Transaction> {
    private static final long serialVersionUID = 1L;

    public static final TransactionSerializer INSTANCE = new TransactionSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public Transaction createInstance() {
        return new Transaction();
    }

    @Override
    public Transaction copy(Transaction from) {
        return new Transaction(from.txnId, from.accountId, from.amountCents, from.txnTimeMillis);
    }

    @Override
    public Transaction copy(Transaction from, Transaction reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Transaction t, DataOutputView out) throws IOException {
        out.writeUTF(t.txnId);
        out.writeUTF(t.accountId);
        out.writeLong(t.amountCents);
        out.writeLong(t.txnTimeMillis);
    }

    @Override
    public Transaction deserialize(DataInputView in) throws IOException {
        return new Transaction(in.readUTF(), in.readUTF(), in.readLong(), in.readLong());
    }

    @Override
    public Transaction deserialize(Transaction reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<Transaction> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the singleton; needed only for the interface, as transactions are not in state. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Transaction> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
