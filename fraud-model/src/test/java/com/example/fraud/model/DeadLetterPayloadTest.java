package com.example.fraud.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeadLetterPayloadTest {
    private static final int MIB = 1 << 20;

    private static byte[] filled(int n, int b) {
        byte[] r = new byte[n];
        Arrays.fill(r, (byte) b);
        return r;
    }

    /** 0x01 escapes to 6 bytes, '"' and '\\' to 2, 0xFF is not UTF-8 (base64, 4/3), E2 80 AE is U+202E. */
    @ParameterizedTest
    @ValueSource(ints = {0x01, '"', '\\', 0xFF, 'a'})
    void aMebibyteOfWorstCaseBytesFitsOneKinesisRecord(int b) throws Exception {
        byte[] record = filled(MIB, b);
        DeadLetter d = DeadLetterPayload.full().deadLetter(RejectReason.OVERSIZED, "too big", record, "ACC-1", 0);
        byte[] json = DeadLetterCodec.encode(d);
        DeadLetter back = DeadLetterProperties.checkEncoded(json, record);
        assertThat(back.payloadTruncated).isTrue();
        assertThat(back.detail).isEqualTo("too big");
        // cut no more than needed: within 1% of the limit
        assertThat(json.length).isGreaterThan(DeadLetterCodec.MAX_ENCODED_BYTES - DeadLetterCodec.MAX_ENCODED_BYTES / 100);
    }

    @Test
    void astralAndFormatCharactersFitToo() throws Exception {
        // Astral characters escape to 12 bytes for 4; with enough ASCII the text stays cheaper than base64.
        String unit = "\ud83d\ude00\u202e\u2028abcdefghijklmnopqrst";
        byte[] record = unit.repeat(MIB / 25).getBytes(StandardCharsets.UTF_8);
        DeadLetter d = DeadLetterPayload.full().deadLetter(RejectReason.MALFORMED_JSON, "x", record, null, 0);
        DeadLetter back = DeadLetterProperties.checkEncoded(DeadLetterCodec.encode(d), record);
        assertThat(back.payloadEncoding).isEqualTo(DeadLetter.UTF_8);
        assertThat(back.payloadTruncated).isTrue();
    }

    @Test
    void hugeDetailAndAccountAreCutToo() throws Exception {
        DeadLetter d = DeadLetterPayload.full().deadLetter(RejectReason.MALFORMED_JSON, "\u0001".repeat(2 * MIB),
                filled(MIB, 1), "\u0001".repeat(MIB), 0);
        DeadLetter back = DeadLetterProperties.checkEncoded(DeadLetterCodec.encode(d), filled(MIB, 1));
        assertThat(back.detail).startsWith("\u0001\u0001").endsWith("...");
        assertThat(back.payload).isNotEmpty();
        // a hand-made POJO with no hash and a huge reason still fits
        DeadLetter raw = new DeadLetter();
        raw.reason = "R".repeat(3 * MIB);
        raw.detail = "\u0000".repeat(MIB);
        raw.payload = "\u0000".repeat(MIB);
        assertThat(DeadLetterCodec.encode(raw).length).isLessThanOrEqualTo(DeadLetterCodec.MAX_ENCODED_BYTES);
    }

    @Test
    void smallValidUtf8RoundTripsExactly() {
        byte[] record = "{\"txn_id\":\"t\",\"amount\":-5,\"note\":\"\u00e9\ud83d\ude00\u0001\"}".getBytes(StandardCharsets.UTF_8);
        DeadLetter d = DeadLetterPayload.full().deadLetter(RejectReason.INVALID_AMOUNT, "amount must be > 0", record,
                "ACC-1", 1_764_065_730_000L);
        assertThat(d.payload).isEqualTo(new String(record, StandardCharsets.UTF_8));
        assertThat(d.payloadEncoding).isEqualTo("utf-8");
        assertThat(d.payloadSha256).hasSize(64);
        assertThat(d.payloadTruncated).isFalse();
        assertThat(DeadLetterCodec.decode(DeadLetterCodec.encode(d))).isEqualTo(d);
    }

    @Test
    void textThatEscapesToMoreThanBase64IsKeptAsBase64() throws Exception {
        // 64 KiB of 0x01, valid UTF-8: escaped it would be 384 KiB, six times the record.
        byte[] record = filled(64 * 1024, 0x01);
        DeadLetter d = DeadLetterPayload.full().deadLetter(RejectReason.MALFORMED_JSON, "x", record, null, 0);
        assertThat(d.payloadEncoding).isEqualTo("base64");
        byte[] json = DeadLetterCodec.encode(d);
        assertThat(json.length).isLessThan(64 * 1024 * 4 / 3 + 512);
        assertThat(DeadLetterProperties.payloadBytes(DeadLetterProperties.checkEncoded(json, record))).isEqualTo(record);
        // Ordinary JSON stays readable text: its quotes escape to 2 bytes, far from 4/3 overall.
        byte[] json2 = "{\"txn_id\":\"t-1\",\"amount\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(DeadLetterPayload.full().deadLetter(RejectReason.MALFORMED_JSON, "x", json2, null, 0).payloadEncoding)
                .isEqualTo("utf-8");
    }

    @Test
    void bytesThatAreNotUtf8AreKeptAsBase64() {
        byte[] record = {'{', (byte) 0xC3, '"', (byte) 0xFF, 0};
        DeadLetter d = DeadLetterPayload.full().deadLetter(RejectReason.MALFORMED_JSON, "x", record, null, 0);
        assertThat(d.payloadEncoding).isEqualTo("base64");
        assertThat(java.util.Base64.getDecoder().decode(d.payload)).isEqualTo(record);
    }

    @Test
    void truncatedCutsOnACodePointBoundaryAndHashOnlyKeepsNothing() {
        byte[] record = "ab\u00e9\u20ac".getBytes(StandardCharsets.UTF_8); // a b C3A9 E282AC
        DeadLetter t = DeadLetterPayload.truncated(4).deadLetter(RejectReason.MALFORMED_JSON, "x", record, null, 0);
        assertThat(t.payload).isEqualTo("ab\u00e9");
        assertThat(t.payloadTruncated).isTrue();
        DeadLetter t3 = DeadLetterPayload.truncated(3).deadLetter(RejectReason.MALFORMED_JSON, "x", record, null, 0);
        assertThat(t3.payload).isEqualTo("ab");
        DeadLetter h = DeadLetterPayload.hashOnly().deadLetter(RejectReason.MALFORMED_JSON, "x", record, null, 0);
        assertThat(h.payload).isNull();
        assertThat(h.payloadEncoding).isNull();
        assertThat(h.payloadBytes).isEqualTo(record.length);
        assertThat(h.payloadSha256).isEqualTo(DeadLetterPayload.sha256Hex(record));
        assertThat(DeadLetterCodec.decode(DeadLetterCodec.encode(h))).isEqualTo(h);
    }

    @Test
    void deadLettersWrittenBeforeTheNewFieldsStillDecode() {
        String old = "{\"reason\":\"LATE\",\"detail\":\"d\",\"payload\":\"{}\",\"payload_bytes\":2,"
                + "\"account_id\":\"ACC-1\",\"rejected_at\":\"2026-11-25T10:15:31Z\"}";
        DeadLetter d = DeadLetterCodec.decode(old.getBytes(StandardCharsets.UTF_8));
        assertThat(d.reason).isEqualTo("LATE");
        assertThat(d.payload).isEqualTo("{}");
        assertThat(d.payloadEncoding).isNull();
        assertThat(d.payloadSha256).isNull();
        assertThat(d.payloadTruncated).isFalse();
    }

    @Test
    void policyIsSerializable() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(DeadLetterPayload.truncated(100));
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            DeadLetterPayload p = (DeadLetterPayload) in.readObject();
            assertThat(p.mode()).isEqualTo(DeadLetterPayload.Mode.TRUNCATED);
            assertThat(p.maxBytes()).isEqualTo(100);
        }
    }
}
