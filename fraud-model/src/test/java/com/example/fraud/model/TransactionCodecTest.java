package com.example.fraud.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        "1969-12-31T23:59:59Z           | 1969-12-31T23:59:59Z"
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

    private static String txn(String amount) {
        return "{\"txn_id\":\"t\",\"account_id\":\"a\",\"amount\":" + amount + ",\"txn_time\":\"2026-11-25T10:15:30Z\"}";
    }
}
