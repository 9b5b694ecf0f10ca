package com.example.fraud.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TransactionCodecTest {

    private static Transaction decode(String json) throws InvalidRecordException {
        return TransactionCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private static RejectReason rejection(String json) {
        try {
            decode(json);
        } catch (InvalidRecordException e) {
            return e.reason();
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void decodesTheContractAndIgnoresOtherFields() throws Exception {
        Transaction t = decode("{\"txn_id\":\"t-000123\",\"account_id\":\"ACC-00042\",\"amount\":1250.00,"
                + "\"txn_time\":\"2026-11-25T10:15:30.250Z\",\"currency\":\"EUR\",\"merchant\":{\"id\":7,\"tags\":[1,2]}}");
        assertThat(t.txnId).isEqualTo("t-000123");
        assertThat(t.accountId).isEqualTo("ACC-00042");
        assertThat(t.amountCents).isEqualTo(125_000L);
        assertThat(t.txnTimeMillis).isEqualTo(Instant.parse("2026-11-25T10:15:30.250Z").toEpochMilli());
    }

    @Test
    void keepsCentsExact() throws Exception {
        // 0.1 + 0.2 style amounts that floating point would get wrong
        assertThat(decode(txn("0.1")).amountCents).isEqualTo(10);
        assertThat(decode(txn("2999.99")).amountCents).isEqualTo(299_999);
        assertThat(decode(txn("3000.010")).amountCents).isEqualTo(300_001);
        assertThat(decode(txn("12")).amountCents).isEqualTo(1_200);
        assertThat(decode(txn("1.5e2")).amountCents).isEqualTo(15_000);
    }

    @ParameterizedTest
    @CsvSource({"0.01,1", "1,100", "1.5,150", "1250.00,125000", "2999.99,299999", "3000.010,300001",
        "999999999.99,99999999999", "1000000000.00,100000000000", "7.07,707", "1.5e2,15000", "1E1,1000"})
    void fastAndExactAmountPathsAgree(String amount, long cents) throws Exception {
        assertThat(decode(txn(amount)).amountCents).isEqualTo(cents);
    }

    @ParameterizedTest
    @CsvSource({"1000000000.01", "0.001", "0.00", "1.005", "99999999999999999999"})
    void amountsOutOfRangeOrPrecisionAreRejectedByBothPaths(String amount) {
        assertThat(rejection(txn(amount))).isEqualTo(RejectReason.INVALID_AMOUNT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2026-11-25T10:15:30Z           | 2026-11-25T10:15:30Z",
        "2026-11-25T10:15:30.1Z         | 2026-11-25T10:15:30.100Z",
        "2026-11-25T10:15:30.123456789Z | 2026-11-25T10:15:30.123Z",
        "2026-11-25T12:15:30.250+02:00  | 2026-11-25T10:15:30.250Z",
        "2026-11-25T05:15:30-05:00      | 2026-11-25T10:15:30Z",
        "2024-02-29T23:59:59.999Z       | 2024-02-29T23:59:59.999Z",
        "1969-12-31T23:59:59Z           | 1969-12-31T23:59:59Z",
        "0000-01-01T00:00:00Z           | 0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999Z       | 9999-12-31T23:59:59.999Z"
    })
    void parsesIsoInstantsWithOffsets(String text, String utc) throws Exception {
        Transaction t = decode("{\"txn_id\":\"t\",\"account_id\":\"a\",\"amount\":1,\"txn_time\":\"" + text + "\"}");
        assertThat(t.txnTimeMillis).isEqualTo(Instant.parse(utc).toEpochMilli());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json                                                              | MALFORMED_JSON",
        "{\"txn_id\":\"t\",                                                    | MALFORMED_JSON",
        "[1,2]                                                                 | MALFORMED_JSON",
        "{\"txn_id\":\"t\",\"account_id\":\"a\",\"amount\":1,\"txn_time\":\"2026-11-25T10:15:30Z\"} trailing | MALFORMED_JSON",
        "{\"txn_id\":\"t\",\"txn_id\":\"u\",\"account_id\":\"a\",\"amount\":1,\"txn_time\":\"2026-11-25T10:15:30Z\"} | MALFORMED_JSON",
        "{\"account_id\":\"a\",\"amount\":1,\"txn_time\":\"2026-11-25T10:15:30Z\"} | MISSING_FIELD",
        "{\"txn_id\":\"t\",\"amount\":1,\"txn_time\":\"2026-11-25T10:15:30Z\"}     | MISSING_FIELD",
        "{\"txn_id\":\"t\",\"account_id\":\"a\",\"txn_time\":\"2026-11-25T10:15:30Z\"} | MISSING_FIELD",
        "{\"txn_id\":\"t\",\"account_id\":\"a\",\"amount\":1}                      | MISSING_FIELD",
        "{\"txn_id\":null,\"account_id\":\"a\",\"amount\":1,\"txn_time\":\"2026-11-25T10:15:30Z\"} | MISSING_FIELD",
        "{\"txn_id\":7,\"account_id\":\"a\",\"amount\":1,\"txn_time\":\"2026-11-25T10:15:30Z\"} | INVALID_FIELD",
        "{\"txn_id\":\"t\",\"account_id\":\"\",\"amount\":1,\"txn_time\":\"2026-11-25T10:15:30Z\"} | INVALID_FIELD",
        "{\"txn_id\":\"t\",\"account_id\":{\"x\":1},\"amount\":1,\"txn_time\":\"2026-11-25T10:15:30Z\"} | INVALID_FIELD",
        "{\"txn_id\":\"t\",\"account_id\":\"a\",\"amount\":\"12.00\",\"txn_time\":\"2026-11-25T10:15:30Z\"} | INVALID_AMOUNT",
        "{\"txn_id\":\"t\",\"account_id\":\"a\",\"amount\":-5,\"txn_time\":\"2026-11-25T10:15:30Z\"} | INVALID_AMOUNT",
        "{\"txn_id\":\"t\",\"account_id\":\"a\",\"amount\":0,\"txn_time\":\"2026-11-25T10:15:30Z\"} | INVALID_AMOUNT",
        "{\"txn_id\":\"t\",\"account_id\":\"a\",\"amount\":1.001,\"txn_time\":\"2026-11-25T10:15:30Z\"} | INVALID_AMOUNT",
        "{\"txn_id\":\"t\",\"account_id\":\"a\",\"amount\":1e400,\"txn_time\":\"2026-11-25T10:15:30Z\"} | INVALID_AMOUNT",
        "{\"txn_id\":\"t\",\"account_id\":\"a\",\"amount\":NaN,\"txn_time\":\"2026-11-25T10:15:30Z\"} | MALFORMED_JSON",
        "{\"txn_id\":\"t\",\"account_id\":\"a\",\"amount\":1,\"txn_time\":\"yesterday\"} | INVALID_TXN_TIME",
        "{\"txn_id\":\"t\",\"account_id\":\"a\",\"amount\":1,\"txn_time\":\"-0001-12-31T23:59:59Z\"} | INVALID_TXN_TIME",
        "{\"txn_id\":\"t\",\"account_id\":\"a\",\"amount\":1,\"txn_time\":\"+10000-01-01T00:00:00Z\"} | INVALID_TXN_TIME",
        "{\"txn_id\":\"t\",\"account_id\":\"a\",\"amount\":1,\"txn_time\":\"-292275055-05-16T16:47:04.192Z\"} | INVALID_TXN_TIME",
        "{\"txn_id\":\"t\",\"account_id\":\"a\",\"amount\":1,\"txn_time\":\"2026-11-25T10:15:30\"} | INVALID_TXN_TIME",
        "{\"txn_id\":\"t\",\"account_id\":\"a\",\"amount\":1,\"txn_time\":\"2026-02-30T10:15:30Z\"} | INVALID_TXN_TIME",
        "{\"txn_id\":\"t\",\"account_id\":\"a\",\"amount\":1,\"txn_time\":1764065730000} | INVALID_TXN_TIME"
    })
    void rejectsWithReason(String json, RejectReason reason) {
        assertThat(rejection(json)).isEqualTo(reason);
    }

    @Test
    void rejectionNamesTheField() {
        assertThatThrownBy(() -> decode("{\"txn_id\":\"t\",\"account_id\":\"a\",\"amount\":-5,\"txn_time\":\"x\"}"))
                .hasMessageContaining("amount must be > 0, got -5");
        assertThatThrownBy(() -> decode("{\"account_id\":\"a\",\"amount\":5,\"txn_time\":\"x\"}"))
                .hasMessageContaining("txn_time");
        assertThatThrownBy(() -> decode("{\"account_id\":\"a\",\"amount\":5,\"txn_time\":\"2026-11-25T10:15:30Z\"}"))
                .hasMessage("missing required field txn_id");
    }

    @Test
    void encodeThenDecodeIsIdentity() throws Exception {
        Transaction t = new Transaction("t-1", "ACC-1", 300_001, Instant.parse("2026-11-25T10:15:30.250Z").toEpochMilli());
        String json = new String(TransactionCodec.encode(t), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo(
                "{\"txn_id\":\"t-1\",\"account_id\":\"ACC-1\",\"amount\":3000.01,\"txn_time\":\"2026-11-25T10:15:30.250Z\"}");
        assertThat(TransactionCodec.decode(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(t);
    }

    // ---- optional fields

    private static final String REQUIRED =
            "\"txn_id\":\"t-1\",\"account_id\":\"ACC-1\",\"amount\":12.5,\"txn_time\":\"2026-11-25T10:15:30Z\"";

    /** A valid record plus the given raw JSON members. */
    private static String with(String members) {
        return "{" + REQUIRED + "," + members + "}";
    }

    private static InvalidRecordException rejected(String json) {
        try {
            decode(json);
        } catch (InvalidRecordException e) {
            return e;
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void decodesEveryOptionalField() throws Exception {
        Transaction t = decode(with("\"card_id\":\"CARD-9\",\"merchant_id\":\"M-Zoë 1\",\"country\":\"DE\","
                + "\"lat\":52.52,\"lon\":-13.405,\"channel\":\"ECOMMERCE\""));
        assertThat(t.txnId).isEqualTo("t-1");
        assertThat(t.amountCents).isEqualTo(1_250);
        assertThat(t.cardId).isEqualTo("CARD-9");
        assertThat(t.merchantId).isEqualTo("M-Zoë 1");
        assertThat(t.country).isEqualTo("DE");
        assertThat(t.lat).isEqualTo(52.52);
        assertThat(t.lon).isEqualTo(-13.405);
        assertThat(t.hasLocation()).isTrue();
        assertThat(t.channel).isEqualTo(Channel.ECOMMERCE);
        assertThat(t.toString()).isEqualTo("Transaction{t-1, ACC-1, 12.50, 2026-11-25T10:15:30Z, card=CARD-9, "
                + "merchant=M-Zoë 1, country=DE, at=52.52,-13.405, channel=ECOMMERCE}");
    }

    @Test
    void aRecordWithOnlyTheRequiredFieldsDecodesAsBefore() throws Exception {
        Transaction t = decode("{" + REQUIRED + "}");
        Transaction expected =
                new Transaction("t-1", "ACC-1", 1_250, Instant.parse("2026-11-25T10:15:30Z").toEpochMilli());
        assertThat(t).isEqualTo(expected).hasSameHashCodeAs(expected);
        assertThat(t.cardId).isNull();
        assertThat(t.merchantId).isNull();
        assertThat(t.country).isNull();
        assertThat(t.lat).isNaN();
        assertThat(t.lon).isNaN();
        assertThat(t.hasLocation()).isFalse();
        assertThat(t.channel).isNull();
        assertThat(t.toString()).isEqualTo("Transaction{t-1, ACC-1, 12.50, 2026-11-25T10:15:30Z}");
        assertThat(new String(TransactionCodec.encode(t), StandardCharsets.UTF_8)).isEqualTo("{" + REQUIRED
                .replace("12.5", "12.50") + "}");
    }

    @Test
    void nullOptionalFieldsAreAbsent() throws Exception {
        Transaction t = decode(with("\"card_id\":null,\"merchant_id\":null,\"country\":null,\"lat\":null,"
                + "\"lon\":null,\"channel\":null"));
        assertThat(t).isEqualTo(decode("{" + REQUIRED + "}"));
        assertThat(t.hasLocation()).isFalse();
    }

    @Test
    void encodeThenDecodeIsIdentityWithEveryOptionalField() throws Exception {
        Transaction t =
                new Transaction("t-1", "ACC-1", 300_001, Instant.parse("2026-11-25T10:15:30.250Z").toEpochMilli());
        t.cardId = "CARD-9";
        t.merchantId = "M-1";
        t.country = "GB";
        t.lat = -33.8688;
        t.lon = 151.2093;
        t.channel = Channel.POS;
        String json = new String(TransactionCodec.encode(t), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"txn_id\":\"t-1\",\"account_id\":\"ACC-1\",\"amount\":3000.01,"
                + "\"txn_time\":\"2026-11-25T10:15:30.250Z\",\"card_id\":\"CARD-9\",\"merchant_id\":\"M-1\","
                + "\"country\":\"GB\",\"lat\":-33.8688,\"lon\":151.2093,\"channel\":\"POS\"}");
        assertThat(TransactionCodec.decode(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(t);
        // each field on its own is written alone, and survives
        for (int field = 0; field < 5; field++) {
            Transaction one = new Transaction("t-1", "ACC-1", 1, 0);
            one.cardId = field == 0 ? "c-\ud83d\ude00" : null;
            one.merchantId = field == 1 ? "m" : null;
            one.country = field == 2 ? "FR" : null;
            one.lat = field == 3 ? -0.0 : Double.NaN;
            one.lon = field == 3 ? 180 : Double.NaN;
            one.channel = field == 4 ? Channel.TRANSFER : null;
            assertThat(TransactionCodec.decode(TransactionCodec.encode(one))).isEqualTo(one);
        }
    }

    @Test
    void everyOptionalFieldTakesPartInEquality() throws Exception {
        // {field, value of the base record, another value}
        String[][] fields = {{"card_id", "\"c\"", "\"x\""}, {"merchant_id", "\"m\"", "\"x\""},
            {"country", "\"DE\"", "\"AT\""}, {"lat", "1", "1.5"}, {"lon", "2", "2.5"},
            {"channel", "\"ATM\"", "\"MOTO\""}};
        Transaction base = decode(with(members(fields, -1, 1)));
        for (int changed = 0; changed < fields.length; changed++) {
            assertThat(decode(with(members(fields, changed, 2)))).as(fields[changed][0]).isNotEqualTo(base);
        }
        assertThat(decode(with(members(fields, 0, 0)))).as("without card_id").isNotEqualTo(base);
        Transaction reordered = decode(with("\"channel\":\"ATM\",\"lon\":2,\"lat\":1,\"country\":\"DE\","
                + "\"merchant_id\":\"m\",\"card_id\":\"c\""));
        assertThat(reordered).isEqualTo(base).hasSameHashCodeAs(base);
    }

    /** The fields' base values, with field {@code changed} given its value at {@code column} (0 = left out). */
    private static String members(String[][] fields, int changed, int column) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            int c = i == changed ? column : 1;
            if (c > 0) {
                b.append(b.length() == 0 ? "" : ",").append('"').append(fields[i][0]).append("\":")
                        .append(fields[i][c]);
            }
        }
        return b.toString();
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void everyChannelIsItsName(Channel channel) throws Exception {
        assertThat(decode(with("\"channel\":\"" + channel.name() + "\"")).channel).isEqualTo(channel);
    }

    @Test
    void everyIsoCountryIsAccepted() throws Exception {
        for (String code : Locale.getISOCountries()) {
            assertThat(decode(with("\"country\":\"" + code + "\"")).country).isEqualTo(code);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "90        | 180       | 90.0    | 180.0",
        "-90       | -180      | -90.0   | -180.0",
        "0         | -0        | 0.0     | -0.0",
        "-0.0      | 0.0       | -0.0    | 0.0",
        "5.25e1    | -1.3405E1 | 52.5    | -13.405",
        "1e-400    | 9E1       | 0.0     | 90.0",
        "48.858844 | 2.294351  | 48.858844 | 2.294351"
    })
    void acceptsLocationsWithinRange(String lat, String lon, double latValue, double lonValue) throws Exception {
        Transaction t = decode(with("\"lat\":" + lat + ",\"lon\":" + lon));
        assertThat(t.lat).isEqualTo(latValue);
        assertThat(t.lon).isEqualTo(lonValue);
        assertThat(t.hasLocation()).isTrue();
    }

    /** Each invalid optional value: INVALID_FIELD with exactly this detail. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "\"card_id\":7                     | card_id must be a string, got a number",
        "\"card_id\":\"\"                  | card_id must not be empty",
        "\"card_id\":[\"c\"]               | card_id must be a string, got an array",
        "\"card_id\":\" c\"                | card_id starts with whitespace U+0020",
        "\"merchant_id\":\"M\\u202e1\"     | merchant_id contains a format character U+202E at index 1",
        "\"merchant_id\":{\"id\":1}        | merchant_id must be a string, got an object",
        "\"country\":\"xx\"                | country must be an ISO 3166-1 alpha-2 code such as \"DE\", got \"xx\"",
        "\"country\":\"de\"                | country must be an ISO 3166-1 alpha-2 code such as \"DE\", got \"de\"",
        "\"country\":\"UK\"                | country must be an ISO 3166-1 alpha-2 code such as \"DE\", got \"UK\"",
        "\"country\":\"DEU\"               | country must be an ISO 3166-1 alpha-2 code such as \"DE\", got \"DEU\"",
        "\"country\":\"\"                  | country must be an ISO 3166-1 alpha-2 code such as \"DE\", got \"\"",
        "\"country\":\"D\\u001b\" | country must be an ISO 3166-1 alpha-2 code such as \"DE\", got \"D\\u001b\"",
        "\"country\":49                    | country must be a string, got a number",
        "\"lat\":\"52.5\",\"lon\":1        | lat must be a JSON number, got a string",
        "\"lat\":1,\"lon\":true            | lon must be a JSON number, got a boolean",
        "\"lat\":90.0001,\"lon\":1         | lat must be a finite number in [-90, 90], got 90.0001",
        "\"lat\":-91,\"lon\":1             | lat must be a finite number in [-90, 90], got -91",
        "\"lat\":1,\"lon\":-180.5          | lon must be a finite number in [-180, 180], got -180.5",
        "\"lat\":1e999,\"lon\":1           | lat must be a finite number in [-90, 90], got 1e999",
        "\"lat\":1,\"lon\":-1e999          | lon must be a finite number in [-180, 180], got -1e999",
        "\"lat\":52.5                      | lon is missing: lat and lon must be given together, got only lat",
        "\"lon\":13.4                      | lat is missing: lat and lon must be given together, got only lon",
        "\"lat\":52.5,\"lon\":null         | lon is missing: lat and lon must be given together, got only lat",
        "\"channel\":\"pos\"               | channel must be one of POS, ECOMMERCE, ATM, MOTO, TRANSFER, got \"pos\"",
        "\"channel\":\"WEB\"               | channel must be one of POS, ECOMMERCE, ATM, MOTO, TRANSFER, got \"WEB\"",
        "\"channel\":\"POS \"              | channel must be one of POS, ECOMMERCE, ATM, MOTO, TRANSFER, got \"POS \"",
        "\"channel\":3                     | channel must be a string, got a number"
    })
    void invalidOptionalFieldsAreRejectedNamingTheField(String members, String detail) {
        InvalidRecordException e = rejected(with(members));
        assertThat(e.reason()).isEqualTo(RejectReason.INVALID_FIELD);
        assertThat(e.getMessage()).isEqualTo(detail);
    }

    @Test
    void longOrHugeOptionalValuesGiveShortDetails() {
        InvalidRecordException country = rejected(with("\"country\":\"" + "X".repeat(5_000) + "\""));
        assertThat(country.getMessage()).startsWith("country must be").endsWith("X...\"").hasSizeLessThan(200);
        InvalidRecordException merchant = rejected(with("\"merchant_id\":\"" + "m".repeat(129) + "\""));
        assertThat(merchant.getMessage()).isEqualTo("merchant_id is longer than 128 characters");
        for (String lat : new String[] {"1e99999999999999999999", "1".repeat(900), "-1e2147483648"}) {
            InvalidRecordException e = rejected(with("\"lat\":" + lat + ",\"lon\":0"));
            assertThat(e.reason()).as(lat).isEqualTo(RejectReason.INVALID_FIELD);
            assertThat(e.getMessage()).as(lat).startsWith("lat must be a finite number").hasSizeLessThan(200);
        }
    }

    @Test
    void duplicateOptionalKeysAreMalformed() {
        assertThat(rejection(with("\"country\":\"DE\",\"country\":\"FR\""))).isEqualTo(RejectReason.MALFORMED_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"card_id\":\"c\"", "\"country\":\"DE\"", "\"lat\":1,\"lon\":1", "\"channel\":\"POS\""})
    void missingRequiredFieldsStillComeFirst(String members) {
        assertThat(rejection("{\"txn_id\":\"t\"," + members + "}")).isEqualTo(RejectReason.MISSING_FIELD);
    }

    private static String txn(String amount) {
        return "{\"txn_id\":\"t\",\"account_id\":\"a\",\"amount\":" + amount + ",\"txn_time\":\"2026-11-25T10:15:30Z\"}";
    }
}
