package com.example.fraud.model;

import static com.example.fraud.model.HostileInput.decodesOrRejects;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * For ANY bytes, {@link TransactionCodec#decode} returns a transaction that re-validates or throws
 * {@link InvalidRecordException} with an input reason: nothing else escapes. Tries come from
 * {@code jqwik.tries.default} (junit-platform.properties; raise it with -Djqwik.tries.default=200000).
 */
class TransactionCodecProperties {

    /** The direct encoder writes Jackson's bytes, or leaves the transaction to Jackson: whatever the fields. */
    @Property
    void theDirectEncoderWritesWhatJacksonWrites(@ForAll("anyText") String id, @ForAll("anyText") String other,
            @ForAll long cents, @ForAll("txnTimes") long time, @ForAll("coordinates") double lat,
            @ForAll("coordinates") double lon, @ForAll("channels") Channel channel) {
        for (Transaction t : List.of(txn("t-1", "ACC-00001", cents, time, "CARD-1", "MER-000001", "DE", lat, lon,
                channel), txn(id, other, cents, time, other, id, other, lat, lon, channel),
                txn(id, "ACC-1", cents, time, null, null, null, Double.NaN, Double.NaN, null))) {
            byte[] plain = TransactionCodec.encodePlain(t);
            if (plain != null) {
                byte[] jackson = TransactionCodec.encodeWithJackson(t);
                assertThat(plain).as(new String(jackson, StandardCharsets.UTF_8)).isEqualTo(jackson);
            }
        }
        // and it does write what the generator sends
        assertThat(TransactionCodec.encodePlain(txn("t-1", "ACC-00001", cents, time, "CARD-1", "MER-000001", "DE",
                Double.isFinite(lat) ? lat : 0, Double.isFinite(lon) ? lon : 0, channel))).isNotNull();
    }

    private static Transaction txn(String id, String account, long cents, long time, String card, String merchant,
            String country, double lat, double lon, Channel channel) {
        Transaction t = new Transaction(id, account, cents, time);
        t.cardId = card;
        t.merchantId = merchant;
        t.country = country;
        t.lat = lat;
        t.lon = lon;
        t.channel = channel;
        return t;
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(Arbitraries.strings().ascii().ofMaxLength(12),
                Arbitraries.strings().all().ofMaxLength(6), Arbitraries.strings().withChars("\"\\/\u007f\u0000\n")
                        .withCharRange('a', 'c').ofMaxLength(4));
    }

    @Provide
    Arbitrary<Long> txnTimes() {
        return Arbitraries.longs().between(Timestamps.MIN_TXN_TIME_MILLIS, Timestamps.MAX_TXN_TIME_MILLIS);
    }

    @Provide
    Arbitrary<Double> coordinates() {
        return Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.doubles().between(-180, 180).ofScale(4),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e-7, 1e21));
    }

    @Provide
    Arbitrary<Channel> channels() {
        return Arbitraries.of(Channel.class).injectNull(0.2);
    }

    @Property
    void shortByteArraysBiasedToEncodingMarks(@ForAll("shortBytes") byte[] record) {
        decodesOrRejects(record);
    }

    @Property
    void arbitraryByteArrays(@ForAll("anyBytes") byte[] record) {
        decodesOrRejects(record);
    }

    @Property
    void byteMutationsOfValidRecords(@ForAll("validRecord") byte[] record, @ForAll("validRecord") byte[] other,
            @ForAll("byteMutations") List<int[]> mutations) {
        byte[] r = record;
        for (int[] m : mutations) {
            r = mutate(r, other, m);
        }
        decodesOrRejects(r);
    }

    @Property
    void fieldMutationsOfValidRecords(@ForAll("validFields") List<String[]> fields,
            @ForAll("fieldMutations") List<Object[]> mutations) {
        List<String[]> f = new ArrayList<>(fields);
        for (Object[] m : mutations) {
            mutate(f, m);
        }
        decodesOrRejects(HostileInput.render(f));
    }

    @Property
    void generatedJsonDocuments(@ForAll("documents") String json) {
        decodesOrRejects(HostileInput.utf8(json));
    }

    @Property
    void generatedDocumentsWithAnEncodingMarkInFront(@ForAll("documents") String json,
            @ForAll("shortBytes") byte[] head) {
        decodesOrRejects(HostileInput.concat(head, HostileInput.utf8(json)));
    }

    // ---- byte mutations: {kind, position, value}

    private static byte[] mutate(byte[] r, byte[] other, int[] m) {
        int kind = m[0];
        int pos = r.length == 0 ? 0 : Math.floorMod(m[1], r.length);
        byte value = (byte) m[2];
        switch (kind) {
            case 0: // flip a bit
                if (r.length > 0) {
                    r = r.clone();
                    r[pos] ^= (byte) (1 << (m[2] & 7));
                }
                return r;
            case 1: // insert a byte
                byte[] ins = new byte[r.length + 1];
                System.arraycopy(r, 0, ins, 0, pos);
                ins[pos] = value;
                System.arraycopy(r, pos, ins, pos + 1, r.length - pos);
                return ins;
            case 2: // delete a byte
                if (r.length == 0) {
                    return r;
                }
                byte[] del = new byte[r.length - 1];
                System.arraycopy(r, 0, del, 0, pos);
                System.arraycopy(r, pos + 1, del, pos, r.length - pos - 1);
                return del;
            case 3: // duplicate a range
                int len = Math.min(r.length - pos, 1 + Math.floorMod(m[2], 16));
                byte[] dup = new byte[r.length + len];
                System.arraycopy(r, 0, dup, 0, pos + len);
                System.arraycopy(r, pos, dup, pos + len, r.length - pos);
                return dup;
            case 4: // truncate
                return Arrays.copyOf(r, pos);
            case 5: // splice: head of this record, tail of another
                int cut = other.length == 0 ? 0 : Math.floorMod(m[2], other.length);
                return HostileInput.concat(Arrays.copyOf(r, pos), Arrays.copyOfRange(other, cut, other.length));
            default: // overwrite a byte
                if (r.length > 0) {
                    r = r.clone();
                    r[pos] = value;
                }
                return r;
        }
    }

    // ---- field mutations: {kind, field index, JSON value}

    private static void mutate(List<String[]> f, Object[] m) {
        int kind = (Integer) m[0];
        String value = (String) m[2];
        if (f.isEmpty()) {
            f.add(new String[] {TransactionCodec.TXN_ID, value});
            return;
        }
        int i = Math.floorMod((Integer) m[1], f.size());
        String key = f.get(i)[0];
        switch (kind) {
            case 0: // replace the value with any JSON value
                f.set(i, new String[] {key, value});
                break;
            case 1: // remove the field
                f.remove(i);
                break;
            case 2: // duplicate the key
                f.add(Math.floorMod((Integer) m[1] * 31, f.size() + 1), new String[] {key, value});
                break;
            case 3: // nest the value
                f.set(i, new String[] {key, "{\"" + key + "\":" + f.get(i)[1] + "}"});
                break;
            case 4: // wrap the value in an array
                f.set(i, new String[] {key, "[" + f.get(i)[1] + "]"});
                break;
            case 5: // null
                f.set(i, new String[] {key, "null"});
                break;
            default: // add an optional field (or a second one) with any value
                List<String> optional = HostileInput.OPTIONAL_KEYS;
                f.add(i, new String[] {optional.get(Math.floorMod((Integer) m[1], optional.size())), value});
        }
    }

    @Provide
    Arbitrary<byte[]> shortBytes() {
        return HostileInput.shortBytes();
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        return HostileInput.anyBytes();
    }

    @Provide
    Arbitrary<byte[]> validRecord() {
        return HostileInput.validRecord();
    }

    @Provide
    Arbitrary<List<String[]>> validFields() {
        return HostileInput.validFields();
    }

    @Provide
    Arbitrary<String> documents() {
        return HostileInput.document();
    }

    @Provide
    Arbitrary<List<int[]>> byteMutations() {
        Arbitrary<Integer> value = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(0x00, 0xFE, 0xFF, 0x7B, 0x7D, 0x22, 0x5C, 0x2C, 0x3A, 0xC3, 0xED, 0x80)),
                Tuple.of(3, Arbitraries.integers().between(0, 255)));
        return Combinators.combine(Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, 1 << 20),
                value).as((k, p, v) -> new int[] {k, p, v}).list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<Object[]>> fieldMutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, 1 << 20),
                HostileInput.jsonValue(2)).as((k, i, v) -> new Object[] {k, i, v}).list().ofMinSize(1).ofMaxSize(3);
    }
}
