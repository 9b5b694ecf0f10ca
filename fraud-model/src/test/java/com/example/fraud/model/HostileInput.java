package com.example.fraud.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/** Generators of hostile records and the one check every decoded record must pass; shared by the properties. */
final class HostileInput {
    /** The rejections decode may give for input; anything else (or any other exception) is a bug. */
    static final Set<RejectReason> INPUT_REASONS = EnumSet.of(RejectReason.MALFORMED_JSON, RejectReason.MISSING_FIELD,
            RejectReason.INVALID_FIELD, RejectReason.INVALID_AMOUNT, RejectReason.INVALID_TXN_TIME);

    private static final long MIN_TIME = -62_135_596_800_000L; // 0001-01-01
    private static final long MAX_TIME = 253_402_300_799_999L; // 9999-12-31

    static final List<String> OPTIONAL_KEYS = List.of(TransactionCodec.CARD_ID, TransactionCodec.MERCHANT_ID,
            TransactionCodec.COUNTRY, TransactionCodec.LAT, TransactionCodec.LON, TransactionCodec.CHANNEL);

    private static final Set<String> ISO_COUNTRIES = Set.of(Locale.getISOCountries());

    private HostileInput() {}

    /**
     * decode either returns a transaction that re-validates or throws InvalidRecordException with an input reason
     * and a short detail; any other throwable propagates and fails the property.
     */
    static void decodesOrRejects(byte[] record) {
        String outcome;
        try {
            Transaction t = TransactionCodec.decode(record);
            assertThat(Identifiers.problem(TransactionCodec.TXN_ID, t.txnId)).isNull();
            assertThat(Identifiers.problem(TransactionCodec.ACCOUNT_ID, t.accountId)).isNull();
            assertThat(t.amountCents).isBetween(1L, Money.MAX_AMOUNT_CENTS);
            if (t.cardId != null) {
                assertThat(Identifiers.problem(TransactionCodec.CARD_ID, t.cardId)).isNull();
            }
            if (t.merchantId != null) {
                assertThat(Identifiers.problem(TransactionCodec.MERCHANT_ID, t.merchantId)).isNull();
            }
            if (t.country != null) {
                assertThat(t.country).matches("[A-Z]{2}").isIn(ISO_COUNTRIES);
            }
            assertThat(Double.isNaN(t.lat)).as("lat and lon together").isEqualTo(Double.isNaN(t.lon));
            assertThat(t.hasLocation()).isEqualTo(!Double.isNaN(t.lat));
            if (t.hasLocation()) {
                assertThat(t.lat).isBetween(-90.0, 90.0);
                assertThat(t.lon).isBetween(-180.0, 180.0);
            }
            try {
                assertThat(TransactionCodec.decode(TransactionCodec.encode(t))).isEqualTo(t);
            } catch (InvalidRecordException e) {
                throw new AssertionError("an accepted transaction does not re-validate: " + t, e);
            }
            outcome = "accepted";
            Statistics.label("optional fields of accepted").collect(optionalCount(t));
        } catch (InvalidRecordException e) {
            assertThat(e.reason()).isIn(INPUT_REASONS);
            assertThat(e.getMessage()).doesNotContain(TransactionCodec.UNEXPECTED);
            assertThat(e.getMessage().length()).isLessThan(1_000);
            outcome = e.reason().name();
            if (e.reason() == RejectReason.INVALID_FIELD) {
                String detail = e.getMessage();
                Statistics.label("invalid field").collect(detail.substring(0, Math.max(0, detail.indexOf(' '))));
            }
        }
        Statistics.label("outcome").collect(outcome);
    }

    private static int optionalCount(Transaction t) {
        return (t.cardId != null ? 1 : 0) + (t.merchantId != null ? 1 : 0) + (t.country != null ? 1 : 0)
                + (t.hasLocation() ? 2 : 0) + (t.channel != null ? 1 : 0);
    }

    // ---- bytes

    static Arbitrary<byte[]> shortBytes() {
        Arbitrary<Byte> biased = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of((byte) 0x00, (byte) 0xFE, (byte) 0xFF, (byte) '{', (byte) '"')),
                Tuple.of(1, Arbitraries.of((byte) '}', (byte) ':', (byte) 0xEF, (byte) 0xBB, (byte) 0xBF, (byte) 0xD8)),
                Tuple.of(2, Arbitraries.bytes()));
        return biased.array(byte[].class).ofMinSize(0).ofMaxSize(8);
    }

    static Arbitrary<byte[]> anyBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(256);
    }

    // ---- valid records

    static Arbitrary<String> validId() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                .withChars('-', '_', '.', ':', ' ', 'é', '中').ofMinLength(1).ofMaxLength(20)
                .filter(s -> Identifiers.problem("id", s) == null);
    }

    static Arbitrary<String> validAmount() {
        Arbitrary<Long> cents = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(1, 1_000_000)),
                Tuple.of(1, Arbitraries.longs().between(1, Money.MAX_AMOUNT_CENTS)));
        return cents.flatMap(c -> Arbitraries.of(Money.format(c), Money.toDecimal(c).stripTrailingZeros().toPlainString(),
                Money.toDecimal(c).toString() + "0", Money.toDecimal(c).stripTrailingZeros().toString()));
    }

    static Arbitrary<String> validTime() {
        return Arbitraries.longs().between(0, 4_102_444_800_000L).flatMap(ms -> Arbitraries.of(
                Timestamps.format(ms), Timestamps.format(ms - ms % 1000),
                java.time.Instant.ofEpochMilli(ms).atOffset(java.time.ZoneOffset.ofHours(2)).toString()));
    }

    static Arbitrary<String> validCountry() {
        return Arbitraries.of(Locale.getISOCountries());
    }

    /** A coordinate within [-limit, limit] as JSON number text, in the shapes producers write. */
    static Arbitrary<String> validDegrees(int limit) {
        Arbitrary<Double> d = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.doubles().between(-limit, limit)),
                Tuple.of(1, Arbitraries.of((double) limit, (double) -limit, 0.0, -0.0, Double.MIN_VALUE)));
        return d.flatMap(x -> Arbitraries.of(String.valueOf(x), String.format(Locale.ROOT, "%.6f", x),
                String.format(Locale.ROOT, "%.3e", x), String.valueOf(x.longValue())));
    }

    /** The optional fields, each absent, null or valid; lat and lon are both present or both absent/null. */
    static Arbitrary<List<String[]>> validOptionalFields() {
        Arbitrary<String> card = maybe(validId().map(s -> quote(s, 0)));
        Arbitrary<String> merchant = maybe(validId().map(s -> quote(s, 0)));
        Arbitrary<String> country = maybe(validCountry().map(s -> quote(s, 0)));
        Arbitrary<String[]> location = maybe(Combinators.combine(validDegrees(90), validDegrees(180))
                .as((la, lo) -> la + "," + lo)).map(l -> l.indexOf(',') < 0 ? new String[] {l, l} : l.split(","));
        Arbitrary<String> channel = maybe(Arbitraries.of(Channel.class).map(c -> quote(c.name(), 0)));
        return Combinators.combine(card, merchant, country, location, channel).as((c, m, co, loc, ch) -> {
            List<String[]> f = new ArrayList<>();
            String[] values = {c, m, co, loc[0], loc[1], ch};
            for (int i = 0; i < values.length; i++) {
                if (!values[i].isEmpty()) {
                    f.add(new String[] {OPTIONAL_KEYS.get(i), values[i]});
                }
            }
            return f;
        });
    }

    /** Absent (""), JSON null ("null") or a value. */
    private static Arbitrary<String> maybe(Arbitrary<String> value) {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just("")), Tuple.of(1, Arbitraries.just("null")),
                Tuple.of(4, value));
    }

    /** A valid record, sometimes with optional and unknown fields, as a list of (key, raw JSON value) in order. */
    static Arbitrary<List<String[]>> validFields() {
        Arbitrary<List<String[]>> extras = Combinators.combine(
                Arbitraries.of("currency", "merchant", "x", "tags"), jsonValue(2))
                .as((k, v) -> new String[] {k, v}).list().ofMaxSize(2);
        return Combinators.combine(validId(), validId(), validAmount(), validTime(), validOptionalFields(), extras)
                .as((txn, acc, amount, time, optional, more) -> {
                    List<String[]> f = new ArrayList<>();
                    f.add(new String[] {TransactionCodec.TXN_ID, quote(txn, 0)});
                    f.add(new String[] {TransactionCodec.ACCOUNT_ID, quote(acc, 0)});
                    f.add(new String[] {TransactionCodec.AMOUNT, amount});
                    f.add(new String[] {TransactionCodec.TXN_TIME, quote(time, 0)});
                    f.addAll(optional);
                    f.addAll(more);
                    return f;
                });
    }

    static Arbitrary<byte[]> validRecord() {
        return validFields().map(HostileInput::render);
    }

    static byte[] render(List<String[]> fields) {
        StringBuilder b = new StringBuilder("{");
        for (String[] f : fields) {
            b.append(b.length() == 1 ? "" : ",").append(quote(f[0], 0)).append(':').append(f[1]);
        }
        return utf8(b.append('}').toString());
    }

    // ---- JSON pieces

    static Arbitrary<String> numberText() {
        Arbitrary<String> odd = Arbitraries.of("0", "-0", "-0.0", "0.0", "1e400", "-1e400", "1e-400", "1E+2", "1.5e2",
                "0.01", "0.001", "1.005", "999999999.99", "1000000000.00", "1000000000.01", "-1e999999999",
                "1e-999999999", "1e99999999999999999999", "1E-2147483648", "1e2147483647", "00012", "+1", ".5", "1.",
                "NaN", "Infinity", "-Infinity", "0x10", "1_000", "1e", "--1", "1.2.3", "9223372036854775808",
                "-9223372036854775809", "4.9e-324", "1.7976931348623157e309");
        Arbitrary<String> longDigits = Arbitraries.integers().between(1, 1_500)
                .flatMap(n -> Arbitraries.strings().numeric().ofLength(n))
                .flatMap(d -> Arbitraries.of(d, "0." + d, d + ".00", "-" + d, d + "e-" + d.length()));
        Arbitrary<String> exponents = Combinators.combine(Arbitraries.longs().between(-1_000_000, 1_000_000),
                Arbitraries.integers().between(0, 99), Arbitraries.of("e", "E", "e+", "e-", "E-"),
                Arbitraries.longs().between(0, 3_000_000_000L))
                .as((m, f, e, x) -> m + "." + f + e + x);
        return Arbitraries.frequencyOf(Tuple.of(3, odd), Tuple.of(1, longDigits), Tuple.of(2, exponents),
                Tuple.of(1, Arbitraries.doubles().map(String::valueOf)),
                Tuple.of(1, Arbitraries.longs().map(String::valueOf)),
                Tuple.of(2, validAmount()));
    }

    /** Strings from every Unicode category: controls, format chars, separators, unpaired surrogates, astral. */
    static Arbitrary<String> anyText() {
        Arbitrary<String> nasty = Arbitraries.of("\u202e", "\u00a0", "\u0000", "\ud800", "\udc00", "\u200b", "\ufeff",
                "\u2028", "\u2029", " ", "\t", "\n", "\u001b[2J", "\u0085", "\u3000", "\u2066", "\ud83d\ude00",
                "\udb40\udc01", "\\", "\"", "/", "\u007f");
        Arbitrary<String> astral = Arbitraries.integers().between(0x10000, 0x10FFFF).list().ofMaxSize(4)
                .map(cps -> {
                    StringBuilder b = new StringBuilder();
                    cps.forEach(b::appendCodePoint);
                    return b.toString();
                });
        Arbitrary<String> piece = Arbitraries.frequencyOf(Tuple.of(3, validId()), Tuple.of(3, nasty),
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(8)), Tuple.of(1, astral),
                Tuple.of(1, validTime()));
        return piece.list().ofMaxSize(4).map(l -> String.join("", l));
    }

    /**
     * A JSON string literal: style 0 escapes only what JSON requires, 1 escapes every non-ASCII char as \\uXXXX
     * (this is how unpaired surrogates and \\u0000 get in), 2 writes control chars raw (invalid JSON).
     */
    static String quote(String s, int style) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if ((c < 0x20 && style != 2) || (c > 0x7e && style == 1) || (Character.isSurrogate(c) && style != 2)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static Arbitrary<String> stringValue() {
        return Combinators.combine(anyText(), Arbitraries.frequency(Tuple.of(4, 0), Tuple.of(4, 1), Tuple.of(1, 2)))
                .as(HostileInput::quote);
    }

    static Arbitrary<String> key() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(TransactionCodec.TXN_ID, TransactionCodec.ACCOUNT_ID, TransactionCodec.AMOUNT,
                        TransactionCodec.TXN_TIME).map(k -> quote(k, 0))),
                Tuple.of(2, Arbitraries.of(OPTIONAL_KEYS).map(k -> quote(k, 0))),
                Tuple.of(1, stringValue()));
    }

    /** Values for the optional fields, valid or just off: case, length, range, infinity, unknown names. */
    static Arbitrary<String> optionalValue() {
        Arbitrary<String> strings = Arbitraries.of("DE", "de", "De", "UK", "EU", "XK", "ZZ", "DEU", "D", "", " DE",
                "D\\u0000", "POS", "pos", "ECOMMERCE", "E-COMMERCE", "ATM", "MOTO", "TRANSFER", "TRANSFERS", "WEB",
                "POS ", "\\u202eSOP", "CARD-1", "M-42").map(s -> '"' + s + '"');
        Arbitrary<String> numbers = Arbitraries.of("90", "-90", "90.0000001", "-90.0000001", "180", "-180",
                "180.0000001", "-180.5", "1e999", "-1e999", "1e-999", "-0", "52.520008", "13.404954", "4.9e-324",
                "1.7976931348623157e308", "1E2", "-1.8e2");
        return Arbitraries.frequencyOf(Tuple.of(2, strings), Tuple.of(2, numbers),
                Tuple.of(1, validCountry().map(s -> quote(s, 0))), Tuple.of(1, validDegrees(180)));
    }

    /** Any JSON value up to the given depth, as text. */
    static Arbitrary<String> jsonValue(int depth) {
        Arbitrary<String> leaf = Arbitraries.frequencyOf(Tuple.of(3, numberText()), Tuple.of(3, stringValue()),
                Tuple.of(2, optionalValue()), Tuple.of(1, Arbitraries.of("true", "false", "null")));
        if (depth <= 0) {
            return leaf;
        }
        Arbitrary<String> array = Arbitraries.lazy(() -> jsonValue(depth - 1)).list().ofMaxSize(3)
                .map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> object = Combinators.combine(key(), Arbitraries.lazy(() -> jsonValue(depth - 1)))
                .as((k, v) -> k + ":" + v).list().ofMaxSize(5).map(l -> "{" + String.join(",", l) + "}");
        return Arbitraries.frequencyOf(Tuple.of(4, leaf), Tuple.of(1, array), Tuple.of(2, object));
    }

    /**
     * An optional field with a value meant for it (valid, just off, or any value), so that generated documents
     * get past the required fields with optional fields present; lat and lon often come as a pair.
     */
    static Arbitrary<String> optionalMember() {
        Arbitrary<String> anyValue = Arbitraries.lazy(() -> jsonValue(1));
        Arbitrary<String> id = Arbitraries.frequencyOf(Tuple.of(3, validId().map(s -> quote(s, 0))),
                Tuple.of(1, stringValue()), Tuple.of(1, anyValue));
        Arbitrary<String> country = Arbitraries.frequencyOf(Tuple.of(3, validCountry().map(s -> quote(s, 0))),
                Tuple.of(2, optionalValue()), Tuple.of(1, anyValue));
        Arbitrary<String> lat = Arbitraries.frequencyOf(Tuple.of(3, validDegrees(90)), Tuple.of(2, optionalValue()),
                Tuple.of(1, anyValue));
        Arbitrary<String> lon = Arbitraries.frequencyOf(Tuple.of(3, validDegrees(180)), Tuple.of(2, optionalValue()),
                Tuple.of(1, anyValue));
        Arbitrary<String> channel = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(Channel.class).map(c -> quote(c.name(), 0))),
                Tuple.of(2, optionalValue()), Tuple.of(1, anyValue));
        return Arbitraries.frequencyOf(
                Tuple.of(1, id.map(v -> quote(TransactionCodec.CARD_ID, 0) + ":" + v)),
                Tuple.of(1, id.map(v -> quote(TransactionCodec.MERCHANT_ID, 0) + ":" + v)),
                Tuple.of(1, country.map(v -> quote(TransactionCodec.COUNTRY, 0) + ":" + v)),
                Tuple.of(2, Combinators.combine(lat, lon).as((a, o) -> quote(TransactionCodec.LAT, 0) + ":" + a + ","
                        + quote(TransactionCodec.LON, 0) + ":" + o)),
                Tuple.of(1, lat.map(v -> quote(TransactionCodec.LAT, 0) + ":" + v)),
                Tuple.of(1, lon.map(v -> quote(TransactionCodec.LON, 0) + ":" + v)),
                Tuple.of(1, channel.map(v -> quote(TransactionCodec.CHANNEL, 0) + ":" + v)));
    }

    /** A document that is an object most of the time, with the contract's keys often present. */
    static Arbitrary<String> document() {
        Arbitrary<String> member = Arbitraries.frequencyOf(
                Tuple.of(3, Combinators.combine(key(), jsonValue(3)).as((k, v) -> k + ":" + v)),
                Tuple.of(1, optionalMember()));
        Arbitrary<String> object = member.list().ofMaxSize(8).map(l -> "{" + String.join(",", l) + "}");
        // the required fields valid and optional ones meant for their field: the way to accepted optional fields
        Arbitrary<String> withOptional = Combinators.combine(validFields(), optionalMember().list().ofMaxSize(3),
                Arbitraries.randoms()).as((fields, optional, random) -> {
                    List<String> members = new ArrayList<>();
                    for (String[] f : fields) {
                        if (!OPTIONAL_KEYS.contains(f[0])) {
                            members.add(quote(f[0], 0) + ":" + f[1]);
                        }
                    }
                    members.addAll(optional);
                    Collections.shuffle(members, random);
                    return "{" + String.join(",", members) + "}";
                });
        Arbitrary<String> deep = Combinators.combine(Arbitraries.integers().between(1, 3_000),
                Arbitraries.of("[", "{\"a\":", "{\"txn_id\":", "[{\"amount\":[")).as(HostileInput::nest);
        return Arbitraries.frequencyOf(Tuple.of(6, object), Tuple.of(2, withOptional), Tuple.of(1, jsonValue(3)),
                Tuple.of(1, deep));
    }

    /** {@code depth} openers then the matching closers, with a valid record's fields around it. */
    static String nest(int depth, String opener) {
        StringBuilder b = new StringBuilder("{\"txn_id\":\"t\",\"account_id\":\"a\",\"x\":");
        for (int i = 0; i < depth; i++) {
            b.append(opener);
        }
        b.append("1");
        for (int i = depth - 1; i >= 0; i--) {
            for (int k = opener.length() - 1; k >= 0; k--) {
                char c = opener.charAt(k);
                b.append(c == '[' ? "]" : c == '{' ? "}" : "");
            }
        }
        return b.append(",\"amount\":1,\"txn_time\":\"2026-11-25T10:15:30Z\"}").toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
