package com.example.fraud.detector.serialization;

import com.example.fraud.model.Channel;
import com.example.fraud.model.Transaction;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Every transaction crosses the keyBy, so its serializer is on the hot path. Flink's PojoSerializer
 * reads and writes fields by reflection; this writes the fields directly: the four required ones, then a
 * byte with one bit per optional field that is set, then only those fields (a transaction without optional
 * fields costs one byte more than the required ones). lat and lon have a bit each, so any POJO round-trips,
 * not only decoded ones. Transactions are never kept in state, so the format is free to change.
 */
public final class TransactionSerializer extends TypeSerializerSingleton<Transaction> {
    private static final long serialVersionUID = 1L;

    private static final int CARD_ID = 1;
    private static final int MERCHANT_ID = 1 << 1;
    private static final int COUNTRY = 1 << 2;
    private static final int LAT = 1 << 3;
    private static final int LON = 1 << 4;
    private static final int CHANNEL = 1 << 5;
    private static final int ALL = (1 << 6) - 1;

    private static final Channel[] CHANNELS = Channel.values();

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
        Transaction t = new Transaction(from.txnId, from.accountId, from.amountCents, from.txnTimeMillis);
        t.cardId = from.cardId;
        t.merchantId = from.merchantId;
        t.country = from.country;
        t.lat = from.lat;
        t.lon = from.lon;
        t.channel = from.channel;
        return t;
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
        int present = (t.cardId != null ? CARD_ID : 0)
                | (t.merchantId != null ? MERCHANT_ID : 0)
                | (t.country != null ? COUNTRY : 0)
                | (Double.isNaN(t.lat) ? 0 : LAT)
                | (Double.isNaN(t.lon) ? 0 : LON)
                | (t.channel != null ? CHANNEL : 0);
        out.writeByte(present);
        if (present == 0) {
            return;
        }
        if ((present & CARD_ID) != 0) {
            out.writeUTF(t.cardId);
        }
        if ((present & MERCHANT_ID) != 0) {
            out.writeUTF(t.merchantId);
        }
        if ((present & COUNTRY) != 0) {
            out.writeUTF(t.country);
        }
        if ((present & LAT) != 0) {
            out.writeDouble(t.lat);
        }
        if ((present & LON) != 0) {
            out.writeDouble(t.lon);
        }
        if ((present & CHANNEL) != 0) {
            out.writeByte(t.channel.ordinal());
        }
    }

    @Override
    public Transaction deserialize(DataInputView in) throws IOException {
        Transaction t = new Transaction(in.readUTF(), in.readUTF(), in.readLong(), in.readLong());
        int present = in.readUnsignedByte();
        if (present == 0) {
            return t;
        }
        if ((present & ~ALL) != 0) {
            throw new IOException("corrupt transaction: unknown optional-field bits "
                    + Integer.toBinaryString(present));
        }
        if ((present & CARD_ID) != 0) {
            t.cardId = in.readUTF();
        }
        if ((present & MERCHANT_ID) != 0) {
            t.merchantId = in.readUTF();
        }
        if ((present & COUNTRY) != 0) {
            t.country = in.readUTF();
        }
        if ((present & LAT) != 0) {
            t.lat = in.readDouble();
        }
        if ((present & LON) != 0) {
            t.lon = in.readDouble();
        }
        if ((present & CHANNEL) != 0) {
            int ordinal = in.readUnsignedByte();
            if (ordinal >= CHANNELS.length) {
                throw new IOException("corrupt transaction: channel ordinal " + ordinal);
            }
            t.channel = CHANNELS[ordinal];
        }
        return t;
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
