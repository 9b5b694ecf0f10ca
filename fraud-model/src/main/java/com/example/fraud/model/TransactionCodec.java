package com.example.fraud.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The input contract: one UTF-8 JSON object per record,
 * {@code {"txn_id":"t-1","account_id":"ACC-1","amount":1250.00,"txn_time":"2026-11-25T10:15:30.250Z"}}.
 * Unknown fields are allowed and skipped. Streaming parser, thread-safe, no reflection.
 *
 * <p>Optional fields, each validated when present (a JSON null is absent, as for every field; a value is
 * never rewritten):
 * <ul>
 *   <li>{@code card_id}, {@code merchant_id}: ids, same rules as {@code txn_id} (see {@link Identifiers});
 *   <li>{@code country}: an ISO 3166-1 alpha-2 code in upper case, such as {@code "DE"};
 *   <li>{@code lat}, {@code lon}: JSON numbers, finite, lat in [-90, 90] and lon in [-180, 180]; both or neither;
 *   <li>{@code channel}: one of the {@link Channel} names, exactly ({@code "POS"}, {@code "ECOMMERCE"}, ...).
 * </ul>
 *
 * <p>{@link #decode} throws nothing but {@link InvalidRecordException}, whatever the bytes: a record that
 * escaped as another exception would fail the task, and every restart would re-read the same record.
 * Rejections: MALFORMED_JSON (not UTF-8 JSON, syntax, parser limits such as nesting depth and number
 * length, trailing data, duplicate keys), MISSING_FIELD, INVALID_FIELD (ids, see {@link Identifiers}, and
 * the optional fields: the detail names the field), INVALID_AMOUNT, INVALID_TXN_TIME.
 */
public final class TransactionCodec {
    public static final String TXN_ID = "txn_id";
    public static final String ACCOUNT_ID = "account_id";
    public static final String AMOUNT = "amount";
    public static final String TXN_TIME = "txn_time";
    public static final String CARD_ID = "card_id";
    public static final String MERCHANT_ID = "merchant_id";
    public static final String COUNTRY = "country";
    public static final String LAT = "lat";
    public static final String LON = "lon";
    public static final String CHANNEL = "channel";

    /** Ids longer than this are rejected: they would bloat state and alerts. */
    public static final int MAX_ID_LENGTH = Identifiers.MAX_LENGTH;

    /** Prefix of the detail of a rejection by the last-resort catch; the property tests require it never shows. */
    static final String UNEXPECTED = "unexpected decoder failure";

    private static final BigDecimal MAX_AMOUNT = Money.toDecimal(Money.MAX_AMOUNT_CENTS);

    /**
     * The ISO 3166-1 alpha-2 codes, indexed by (first letter - 'A') * 26 + (second letter - 'A'): a lookup on the
     * parser's buffer that hands back a shared String, so a valid country allocates nothing.
     */
    private static final String[] COUNTRIES = new String[26 * 26];

    static {
        for (String code : Locale.getISOCountries()) {
            COUNTRIES[(code.charAt(0) - 'A') * 26 + code.charAt(1) - 'A'] = code;
        }
    }

    private static final String CHANNELS = Arrays.stream(Channel.values()).map(Channel::name)
            .collect(Collectors.joining(", "));

    // Field names stay canonicalized (Jackson's default): measured, turning it off to save the per-parser
    // symbol table costs more in per-field String allocation and hashing than it saves.
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private TransactionCodec() {}

    public static Transaction decode(byte[] utf8) throws InvalidRecordException {
        rejectNonUtf8Start(utf8);
        String txnId = null;
        String accountId = null;
        long amountCents = 0;
        boolean hasAmount = false;
        long txnTime = 0;
        boolean hasTime = false;
        String cardId = null;
        String merchantId = null;
        String country = null;
        double lat = Double.NaN;
        double lon = Double.NaN;
        Channel channel = null;
        try (JsonParser p = JSON.createParser(utf8)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidRecordException(RejectReason.MALFORMED_JSON, "record is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_NULL) {
                    continue; // null is treated as absent
                }
                switch (field) {
                    case TXN_ID:
                        txnId = idField(p, value, TXN_ID);
                        break;
                    case ACCOUNT_ID:
                        accountId = idField(p, value, ACCOUNT_ID);
                        break;
                    case AMOUNT:
                        amountCents = amountField(p, value);
                        hasAmount = true;
                        break;
                    case TXN_TIME:
                        txnTime = timeField(p, value);
                        hasTime = true;
                        break;
                    case CARD_ID:
                        cardId = idField(p, value, CARD_ID);
                        break;
                    case MERCHANT_ID:
                        merchantId = idField(p, value, MERCHANT_ID);
                        break;
                    case COUNTRY:
                        country = countryField(p, value);
                        break;
                    case LAT:
                        lat = degreesField(p, value, LAT, 90);
                        break;
                    case LON:
                        lon = degreesField(p, value, LON, 180);
                        break;
                    case CHANNEL:
                        channel = channelField(p, value);
                        break;
                    default:
                        p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new InvalidRecordException(RejectReason.MALFORMED_JSON, "trailing data after the JSON object");
            }
        } catch (StreamConstraintsException e) {
            // nesting depth, number or string length beyond Jackson's StreamReadConstraints
            throw new InvalidRecordException(
                    RejectReason.MALFORMED_JSON, "JSON exceeds a parser limit: " + message(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException(
                    RejectReason.MALFORMED_JSON, "malformed JSON: " + message(e.getOriginalMessage()));
        } catch (IOException e) {
            // e.g. CharConversionException from a decoder; rejectNonUtf8Start should leave none, but a byte
            // array is hostile input, not a file system: never let it escape as an I/O failure
            throw new InvalidRecordException(RejectReason.MALFORMED_JSON,
                    "unreadable JSON (" + e.getClass().getSimpleName() + "): " + message(e.getMessage()));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidRecordException(RejectReason.MALFORMED_JSON,
                    "unusable JSON number (" + e.getClass().getSimpleName() + "): " + message(e.getMessage()));
        } catch (RuntimeException e) {
            // Last resort (IllegalArgumentException, IllegalStateException, index errors inside the parser):
            // a bad record must become a dead letter, never a task failure.
            throw new InvalidRecordException(RejectReason.MALFORMED_JSON,
                    UNEXPECTED + " (" + e.getClass().getName() + "): " + message(e.getMessage()));
        }
        if (txnId == null) {
            throw missing(TXN_ID);
        }
        if (accountId == null) {
            throw missing(ACCOUNT_ID);
        }
        if (!hasAmount) {
            throw missing(AMOUNT);
        }
        if (!hasTime) {
            throw missing(TXN_TIME);
        }
        if (Double.isNaN(lat) != Double.isNaN(lon)) {
            String absent = Double.isNaN(lat) ? LAT : LON;
            throw new InvalidRecordException(RejectReason.INVALID_FIELD, absent + " is missing: "
                    + LAT + " and " + LON + " must be given together, got only " + (absent.equals(LAT) ? LON : LAT));
        }
        Transaction t = new Transaction(txnId, accountId, amountCents, txnTime);
        t.cardId = cardId;
        t.merchantId = merchantId;
        t.country = country;
        t.lat = lat;
        t.lon = lon;
        t.channel = channel;
        return t;
    }

    /**
     * Jackson guesses the encoding of a byte array from its first four bytes: a UTF-16/UTF-32 byte order mark
     * or a zero byte there makes it decode as UTF-16/32, and its UTF-32 decoder then throws I/O errors that
     * are not parse errors. Neither can start UTF-8 JSON (raw 0x00 is never legal JSON, 0xFE/0xFF never legal
     * UTF-8), so rejecting them up front loses no valid record, costs at most four byte reads and leaves
     * Jackson's fast UTF-8 parser (and its name canonicalization) as it is. (0xFE or 0xFF first is rejected
     * even without its BOM partner: neither byte ever occurs in UTF-8.)
     */
    private static void rejectNonUtf8Start(byte[] b) throws InvalidRecordException {
        int n = Math.min(4, b.length);
        for (int i = 0; i < n; i++) {
            if (b[i] == 0) {
                throw notUtf8(b, n);
            }
        }
        if (n > 0 && (b[0] == (byte) 0xFE || b[0] == (byte) 0xFF)) {
            throw notUtf8(b, n);
        }
    }

    private static InvalidRecordException notUtf8(byte[] b, int n) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < n; i++) {
            hex.append(i == 0 ? "" : " ").append(Character.forDigit((b[i] >> 4) & 0xF, 16))
                    .append(Character.forDigit(b[i] & 0xF, 16));
        }
        return new InvalidRecordException(RejectReason.MALFORMED_JSON, "not UTF-8 JSON: the first bytes (" + hex
                + ") hold a zero byte or a UTF-16/UTF-32 byte order mark");
    }

    private static String idField(JsonParser p, JsonToken value, String name) throws IOException, InvalidRecordException {
        if (value != JsonToken.VALUE_STRING) {
            p.skipChildren();
            throw new InvalidRecordException(RejectReason.INVALID_FIELD, name + " must be a string, got " + describe(value));
        }
        if (Identifiers.isPlainAscii(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())) {
            return p.getText();
        }
        String s = p.getText();
        Identifiers.check(name, s);
        return s;
    }

    private static long amountField(JsonParser p, JsonToken value) throws IOException, InvalidRecordException {
        if (value != JsonToken.VALUE_NUMBER_FLOAT && value != JsonToken.VALUE_NUMBER_INT) {
            p.skipChildren();
            throw new InvalidRecordException(RejectReason.INVALID_AMOUNT, "amount must be a JSON number, got " + describe(value));
        }
        long fast = fastCents(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        if (fast > 0) {
            return fast;
        }
        // Details quote the JSON text, never BigDecimal.toPlainString(): "1e-999999999" would print a billion digits.
        BigDecimal amount = p.getDecimalValue();
        if (amount.signum() <= 0) {
            throw new InvalidRecordException(
                    RejectReason.INVALID_AMOUNT, "amount must be > 0, got " + abbreviate(p.getText()));
        }
        if (amount.compareTo(MAX_AMOUNT) > 0) {
            throw new InvalidRecordException(
                    RejectReason.INVALID_AMOUNT, "amount is too large: " + abbreviate(p.getText()));
        }
        long cents;
        try {
            cents = Money.toCents(amount.stripTrailingZeros());
        } catch (ArithmeticException e) {
            throw new InvalidRecordException(RejectReason.INVALID_AMOUNT,
                    "amount must have at most two decimals, got " + abbreviate(p.getText()));
        }
        return cents;
    }

    /**
     * Cents of a plain positive decimal such as {@code 1250.5} or {@code 12}, or -1 for anything else
     * (signs, exponents, more than two decimals, too many digits), which the exact BigDecimal path handles.
     */
    static long fastCents(char[] text, int offset, int length) {
        long units = 0;
        int i = offset;
        int end = offset + length;
        int intDigits = 0;
        while (i < end && text[i] >= '0' && text[i] <= '9') {
            units = units * 10 + (text[i++] - '0');
            if (++intDigits > 12) {
                return -1;
            }
        }
        if (intDigits == 0) {
            return -1;
        }
        long cents = units * 100;
        if (i < end) {
            if (text[i++] != '.') {
                return -1;
            }
            int scale = 10;
            int fractionDigits = 0;
            while (i < end && text[i] >= '0' && text[i] <= '9') {
                int digit = text[i++] - '0';
                if (++fractionDigits > 2) {
                    if (digit != 0) {
                        return -1; // a third significant decimal: let the exact path reject it
                    }
                } else {
                    cents += digit * scale;
                    scale /= 10;
                }
            }
            if (i < end || fractionDigits == 0) {
                return -1;
            }
        }
        return cents > 0 && cents <= Money.MAX_AMOUNT_CENTS ? cents : -1;
    }

    private static long timeField(JsonParser p, JsonToken value) throws IOException, InvalidRecordException {
        if (value != JsonToken.VALUE_STRING) {
            p.skipChildren();
            throw new InvalidRecordException(
                    RejectReason.INVALID_TXN_TIME, "txn_time must be an ISO-8601 string, got " + describe(value));
        }
        String text = p.getText();
        long millis;
        try {
            millis = Timestamps.parseMillis(text);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InvalidRecordException(
                    RejectReason.INVALID_TXN_TIME,
                    "txn_time is not an ISO-8601 instant with a zone offset: '" + abbreviate(text) + "'");
        }
        if (millis < Timestamps.MIN_TXN_TIME_MILLIS || millis > Timestamps.MAX_TXN_TIME_MILLIS) {
            throw new InvalidRecordException(RejectReason.INVALID_TXN_TIME,
                    "txn_time must be within the years 0000 to 9999 (UTC): '" + abbreviate(text) + "'");
        }
        return millis;
    }

    private static String countryField(JsonParser p, JsonToken value) throws IOException, InvalidRecordException {
        if (value != JsonToken.VALUE_STRING) {
            p.skipChildren();
            throw new InvalidRecordException(
                    RejectReason.INVALID_FIELD, COUNTRY + " must be a string, got " + describe(value));
        }
        if (p.getTextLength() == 2) {
            char[] text = p.getTextCharacters();
            int offset = p.getTextOffset();
            char a = text[offset];
            char b = text[offset + 1];
            if (a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z') {
                String code = COUNTRIES[(a - 'A') * 26 + b - 'A'];
                if (code != null) {
                    return code;
                }
            }
        }
        throw new InvalidRecordException(RejectReason.INVALID_FIELD, COUNTRY
                + " must be an ISO 3166-1 alpha-2 code such as \"DE\", got \"" + quoted(p.getText()) + '"');
    }

    /** A finite JSON number within [-limit, limit]: latitude (90) or longitude (180). */
    private static double degreesField(JsonParser p, JsonToken value, String name, int limit)
            throws IOException, InvalidRecordException {
        if (value != JsonToken.VALUE_NUMBER_FLOAT && value != JsonToken.VALUE_NUMBER_INT) {
            p.skipChildren();
            throw new InvalidRecordException(
                    RejectReason.INVALID_FIELD, name + " must be a JSON number, got " + describe(value));
        }
        // only after the token check: a huge exponent such as 1e999 parses to Infinity, rejected below
        double d = p.getDoubleValue();
        if (!(d >= -limit && d <= limit)) {
            throw new InvalidRecordException(RejectReason.INVALID_FIELD, name + " must be a finite number in [-"
                    + limit + ", " + limit + "], got " + abbreviate(p.getText()));
        }
        return d;
    }

    private static Channel channelField(JsonParser p, JsonToken value) throws IOException, InvalidRecordException {
        if (value != JsonToken.VALUE_STRING) {
            p.skipChildren();
            throw new InvalidRecordException(
                    RejectReason.INVALID_FIELD, CHANNEL + " must be a string, got " + describe(value));
        }
        Channel c = Channel.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        if (c == null) {
            throw new InvalidRecordException(RejectReason.INVALID_FIELD,
                    CHANNEL + " must be one of " + CHANNELS + ", got \"" + quoted(p.getText()) + '"');
        }
        return c;
    }

    /** Input quoted in a detail: short, and safe to print (no raw controls, bidi or line breaks). */
    private static String quoted(String s) {
        return TerminalText.abbreviate(s, 64);
    }

    private static InvalidRecordException missing(String field) {
        return new InvalidRecordException(RejectReason.MISSING_FIELD, "missing required field " + field);
    }

    private static String describe(JsonToken token) {
        switch (token) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            default:
                return "a number";
        }
    }

    /** Exception messages can quote input; keep details short. */
    private static String message(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    /** The canonical JSON of a transaction (used by the generator and for late records). */
    public static byte[] encode(Transaction txn) {
        byte[] plain = encodePlain(txn);
        return plain != null ? plain : encodeWithJackson(txn);
    }

    /**
     * The bytes {@link #encodeWithJackson} writes, written directly when no string needs escaping (printable ASCII
     * without quote or backslash, none null) and the location is finite; else null. The generator encodes millions
     * of records: Jackson's generator per record was most of its time. {@code TransactionCodecProperties} checks the
     * two agree.
     */
    static byte[] encodePlain(Transaction txn) {
        if (txn.txnId == null || txn.accountId == null || !Double.isNaN(txn.lat) && !Double.isFinite(txn.lat)
                || !Double.isNaN(txn.lon) && !Double.isFinite(txn.lon)) {
            return null;
        }
        StringBuilder b = new StringBuilder(256);
        b.append('{');
        if (!field(b, TXN_ID, txn.txnId) || !field(b.append(','), ACCOUNT_ID, txn.accountId)) {
            return null;
        }
        b.append(",\"").append(AMOUNT).append("\":").append(Money.toDecimal(txn.amountCents).toString());
        if (!field(b.append(','), TXN_TIME, Timestamps.format(txn.txnTimeMillis))
                || txn.cardId != null && !field(b.append(','), CARD_ID, txn.cardId)
                || txn.merchantId != null && !field(b.append(','), MERCHANT_ID, txn.merchantId)
                || txn.country != null && !field(b.append(','), COUNTRY, txn.country)) {
            return null;
        }
        if (!Double.isNaN(txn.lat)) {
            b.append(",\"").append(LAT).append("\":").append(Double.toString(txn.lat));
        }
        if (!Double.isNaN(txn.lon)) {
            b.append(",\"").append(LON).append("\":").append(Double.toString(txn.lon));
        }
        if (txn.channel != null && !field(b.append(','), CHANNEL, txn.channel.name())) {
            return null;
        }
        return b.append('}').toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code "name":"value"}, or false if the value needs escaping. */
    private static boolean field(StringBuilder b, String name, String value) {
        b.append('"').append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                return false;
            }
        }
        b.append(value).append('"');
        return true;
    }

    static byte[] encodeWithJackson(Transaction txn) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(TXN_ID, txn.txnId);
            g.writeStringField(ACCOUNT_ID, txn.accountId);
            g.writeFieldName(AMOUNT);
            g.writeNumber(Money.toDecimal(txn.amountCents));
            g.writeStringField(TXN_TIME, Timestamps.format(txn.txnTimeMillis));
            if (txn.cardId != null) {
                g.writeStringField(CARD_ID, txn.cardId);
            }
            if (txn.merchantId != null) {
                g.writeStringField(MERCHANT_ID, txn.merchantId);
            }
            if (txn.country != null) {
                g.writeStringField(COUNTRY, txn.country);
            }
            if (!Double.isNaN(txn.lat)) {
                g.writeFieldName(LAT);
                g.writeNumber(txn.lat);
            }
            if (!Double.isNaN(txn.lon)) {
                g.writeFieldName(LON);
                g.writeNumber(txn.lon);
            }
            if (txn.channel != null) {
                g.writeStringField(CHANNEL, txn.channel.name());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static JsonFactory factory() {
        return JSON;
    }
}
