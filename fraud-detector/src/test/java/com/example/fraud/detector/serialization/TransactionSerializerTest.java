package com.example.fraud.detector.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fraud.model.Channel;
import com.example.fraud.model.Transaction;
import java.io.IOException;
import java.util.stream.IntStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TransactionSerializerTest {
    private static final TransactionSerializer S = TransactionSerializer.INSTANCE;

    /** Bits of {@code present}: card_id, merchant_id, country, lat, lon, channel. */
    static IntStream everyCombinationOfOptionalFields() {
        return IntStream.range(0, 64);
    }

    /** A transaction with the optional fields of {@code present} set, to values that are easy to get wrong. */
    private static Transaction transaction(int present) {
        Transaction t = new Transaction("t-ü-" + present, "ACC-42", 300_001 + present, -1_000L - present);
        t.cardId = (present & 1) != 0 ? "CARD-\ud83d\ude00-" + present : null;
        t.merchantId = (present & 2) != 0 ? "M-中-" + present : null;
        t.country = (present & 4) != 0 ? "DE" : null;
        t.lat = (present & 8) != 0 ? (present % 3 == 0 ? -0.0 : -89.999999) : Double.NaN;
        t.lon = (present & 16) != 0 ? (present % 3 == 0 ? Double.MIN_VALUE : 180.0) : Double.NaN;
        t.channel = (present & 32) != 0 ? Channel.values()[present % Channel.values().length] : null;
        return t;
    }

    /** Bytes of writeUTF: modified UTF-8 (NUL in 2 bytes, each surrogate in 3) after a 2-byte length. */
    private static int utfLength(String s) {
        if (s == null) {
            return 0;
        }
        return 2 + s.chars().map(c -> c >= 1 && c < 0x80 ? 1 : c < 0x800 ? 2 : 3).sum();
    }

    @ParameterizedTest
    @MethodSource("everyCombinationOfOptionalFields")
    void roundTripsAndCopiesEveryCombinationOfOptionalFields(int present) throws Exception {
        Transaction t = transaction(present);
        Transaction next = transaction(63 - present);
        DataOutputSerializer out = new DataOutputSerializer(64);
        S.serialize(t, out);
        int length = out.length();
        S.serialize(next, out);
        byte[] bytes = out.getCopyOfBuffer();

        DataInputDeserializer in = new DataInputDeserializer(bytes);
        Transaction back = S.deserialize(in);
        assertThat(back).isEqualTo(t).isNotSameAs(t);
        assertThat(back.toString()).isEqualTo(t.toString());
        assertThat(Double.doubleToRawLongBits(back.lat)).isEqualTo(Double.doubleToRawLongBits(t.lat));
        assertThat(S.deserialize(new Transaction(), in)).isEqualTo(next);
        assertThat(in.available()).isZero();

        // exactly the present fields: one presence byte, then 8 per coordinate and 1 for the channel
        int required = utfLength(t.txnId) + utfLength(t.accountId) + 16;
        int optional = utfLength(t.cardId) + utfLength(t.merchantId) + utfLength(t.country)
                + ((present & 8) != 0 ? 8 : 0) + ((present & 16) != 0 ? 8 : 0) + ((present & 32) != 0 ? 1 : 0);
        assertThat(length).isEqualTo(required + 1 + optional);

        Transaction copy = S.copy(t);
        assertThat(copy).isEqualTo(t).isNotSameAs(t);
        assertThat(S.copy(t, new Transaction())).isEqualTo(t);

        // the stream copy writes the same bytes and leaves the source at the next record
        DataInputDeserializer source = new DataInputDeserializer(bytes);
        DataOutputSerializer target = new DataOutputSerializer(64);
        S.copy(source, target);
        S.copy(source, target);
        assertThat(target.getCopyOfBuffer()).isEqualTo(bytes);
        assertThat(source.available()).isZero();
    }

    @Test
    void theCommonCaseCostsOneByte() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        S.serialize(new Transaction("t-2", "B", 1, Long.MAX_VALUE), out);
        assertThat(out.length()).isEqualTo((2 + 3) + (2 + 1) + 8 + 8 + 1);
        Transaction back = S.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).isEqualTo(new Transaction("t-2", "B", 1, Long.MAX_VALUE));
        assertThat(back.lat).isNaN();
        assertThat(back.hasLocation()).isFalse();
        assertThat(S.snapshotConfiguration().restoreSerializer()).isSameAs(S);
    }

    @Test
    void unknownPresenceBitsOrChannelsAreCorrupt() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        S.serialize(new Transaction("t", "a", 1, 2), out);
        byte[] bytes = out.getCopyOfBuffer();
        bytes[bytes.length - 1] = (byte) 0x40;
        assertThatThrownBy(() -> S.deserialize(new DataInputDeserializer(bytes))).isInstanceOf(IOException.class);
        out.clear();
        Transaction atm = new Transaction("t", "a", 1, 2);
        atm.channel = Channel.ATM;
        S.serialize(atm, out);
        byte[] channel = out.getCopyOfBuffer();
        channel[channel.length - 1] = (byte) Channel.values().length;
        assertThatThrownBy(() -> S.deserialize(new DataInputDeserializer(channel))).isInstanceOf(IOException.class);
    }

    /** Transaction must stay a POJO for Flink (no Kryo) wherever TransactionTypeInfo is not used. */
    @Test
    void transactionIsStillAFlinkPojo() {
        TypeInformation<Transaction> info = TypeInformation.of(Transaction.class);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<Transaction> pojo = (PojoTypeInfo<Transaction>) info;
        assertThat(pojo.getArity()).isEqualTo(10);
        for (String field : new String[] {"cardId", "merchantId", "country", "lat", "lon", "channel"}) {
            assertThat(pojo.getFieldIndex(field)).as(field).isNotNegative();
        }
    }
}
