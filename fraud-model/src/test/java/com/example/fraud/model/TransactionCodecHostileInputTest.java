package com.example.fraud.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression tests for records that once escaped {@link TransactionCodec#decode} as exceptions other than
 * {@link InvalidRecordException} (the task failed and every restart re-read the record) or got through with ids
 * that can hide or fake text. Uses only the codec's original API so it also runs on the code before the fix.
 */
class TransactionCodecHostileInputTest {
    private static final String REST = "\"amount\":1,\"txn_time\":\"2026-11-25T10:15:30Z\"}";

    private static InvalidRecordException rejected(byte[] record) {
        Throwable t = catchThrowable(() -> TransactionCodec.decode(record));
        assertThat(t).as("decode must reject with InvalidRecordException, nothing else")
                .isInstanceOf(InvalidRecordException.class);
        return (InvalidRecordException) t;
    }

    private static byte[] hex(String hex) {
        String[] parts = hex.split(" ");
        byte[] b = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            b[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return b;
    }

    /** A zero byte or a UTF-16/32 BOM in the first 4 bytes makes Jackson decode as UTF-16/32 and throw I/O errors. */
    @ParameterizedTest
    @ValueSource(strings = {"00 00 00 7b", "7b 00 00 00", "00 7b 00 22", "fe ff 00 7b", "ff fe 7b 00", "00 00 fe ff",
        "ff fe 00 00", "00 00 ff fe", "fe ff 00 00", "00 7b 00 00", "00 00 7b 00", "7b 00", "00 7b", "00 00",
        "00 00 00 7b 00 00 00 7d", "7b 00 00 00 7d 00 00 00", "fe ff 00 7b 00 7d", "00 00 00 00", "00",
        "00 00 00 7b 00 00 00 22 00 00 d8 00", "00 00 00 7b 00 11 00 00", "7b 00 00 00 00 00 11 00",
        "00 00 00 7b ff ff ff ff", "00 00 00 22 00 00 00 22"})
    void encodingGuessesAreMalformedJson(String bytes) {
        assertThat(rejected(hex(bytes)).reason()).isEqualTo(RejectReason.MALFORMED_JSON);
    }

    @Test
    void utf32RecordNamesTheEncodingProblem() {
        assertThat(rejected(hex("00 00 00 7b")).getMessage()).startsWith("not UTF-8 JSON");
    }

    @Test
    void aUtf8ByteOrderMarkIsStillAccepted() throws Exception {
        byte[] json = ("{\"txn_id\":\"t\",\"account_id\":\"a\"," + REST).getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);
        assertThat(TransactionCodec.decode(withBom).accountId).isEqualTo("a");
    }

    @ParameterizedTest
    @ValueSource(ints = {1001, 5000, 100_000})
    void deepNestingIsMalformedJson(int depth) {
        String deep = "[".repeat(depth) + "]".repeat(depth);
        byte[] inUnknownField = ("{\"x\":" + deep + ",\"txn_id\":\"t\",\"account_id\":\"a\"," + REST)
                .getBytes(StandardCharsets.UTF_8);
        assertThat(rejected(inUnknownField).reason()).isEqualTo(RejectReason.MALFORMED_JSON);
        byte[] inId = ("{\"txn_id\":" + deep + ",\"account_id\":\"a\"," + REST).getBytes(StandardCharsets.UTF_8);
        assertThat(rejected(inId).reason()).isIn(RejectReason.MALFORMED_JSON, RejectReason.INVALID_FIELD);
    }

    @Test
    void hugeNumbersAreRejectedWithAShortDetail() {
        for (String amount : new String[] {"-1e999999999", "1e-999999999", "-0", "1e400", "1".repeat(5000),
            "0." + "0".repeat(900) + "1", "1e99999999999999999999"}) {
            InvalidRecordException e = rejected(
                    ("{\"txn_id\":\"t\",\"account_id\":\"a\",\"amount\":" + amount + ",\"txn_time\":\"2026-11-25T10:15:30Z\"}")
                            .getBytes(StandardCharsets.UTF_8));
            assertThat(e.reason()).as(amount).isIn(RejectReason.INVALID_AMOUNT, RejectReason.MALFORMED_JSON);
            assertThat(e.getMessage().length()).as(amount).isLessThan(400);
        }
    }

    /** JSON escapes of the id; the raw character must never appear in the detail, only U+XXXX. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "account_id | ACC-\\u202e1      | U+202E",
        "account_id | ACC-1\\u00a0      | U+00A0",
        "txn_id     | t-\\u00001        | U+0000",
        "txn_id     | \\u200bt-1        | U+200B",
        "account_id | ACC\\ufeff        | U+FEFF",
        "account_id | ACC-1\\u2028x     | U+2028",
        "account_id | ACC-\\ud800       | U+D800",
        "txn_id     | t-1\\u001b[2J     | U+001B",
        "txn_id     | t-1\\n            | U+000A",
        "account_id | \\u0020ACC-1      | U+0020",
        "account_id | ACC-1\\u3000      | U+3000",
        "account_id | ACC\\u2066-1      | U+2066"
    })
    void idsThatHideOrFakeTextAreInvalid(String field, String escapedId, String codePoint) {
        String other = field.equals("txn_id") ? "account_id" : "txn_id";
        byte[] json = ("{\"" + field + "\":\"" + escapedId + "\",\"" + other + "\":\"ok\"," + REST)
                .getBytes(StandardCharsets.UTF_8);
        InvalidRecordException e = rejected(json);
        assertThat(e.reason()).isEqualTo(RejectReason.INVALID_FIELD);
        assertThat(e.getMessage()).contains(field).contains(codePoint);
        assertThat(e.getMessage().chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    @Test
    void idsWithInnerSpacesAndNonAsciiLettersAreKeptAsIs() throws Exception {
        Transaction t = TransactionCodec.decode(("{\"txn_id\":\"t 1\",\"account_id\":\"Zoë-\\ud83d\\ude00\","
                + REST).getBytes(StandardCharsets.UTF_8));
        assertThat(t.txnId).isEqualTo("t 1");
        assertThat(t.accountId).isEqualTo("Zoë-\ud83d\ude00");
    }
}
