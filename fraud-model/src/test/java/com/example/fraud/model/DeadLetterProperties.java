package com.example.fraud.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/** For any bytes and any policy, the dead letter's JSON fits one Kinesis record, is valid and decodes back. */
class DeadLetterProperties {
    private static final JsonFactory PLAIN = new JsonFactory();

    @Property
    void anyRecordAnyPolicyFitsAndRoundTrips(@ForAll("records") byte[] record, @ForAll("policies") DeadLetterPayload policy,
            @ForAll("details") String detail, @ForAll("accounts") String accountId,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int rejectedAtSeconds) throws Exception {
        DeadLetter d = policy.deadLetter(RejectReason.MALFORMED_JSON, detail, record, accountId,
                rejectedAtSeconds * 1000L);
        byte[] json = DeadLetterCodec.encode(d);
        DeadLetter back = checkEncoded(json, record);
        assertThat(back.detail).isEqualTo(detail);
        assertThat(back.accountId).isEqualTo(accountId);
        assertThat(back).isEqualTo(d); // small enough that nothing is cut
        if (policy.mode() == DeadLetterPayload.Mode.TRUNCATED) {
            assertThat(payloadBytes(back).length).isLessThanOrEqualTo(policy.maxBytes());
        }
        if (policy.mode() == DeadLetterPayload.Mode.FULL) {
            assertThat(payloadBytes(back)).isEqualTo(record);
            assertThat(back.payloadTruncated).isFalse();
            String utf8 = DeadLetterPayload.utf8OrNull(record, record.length);
            if (utf8 != null && DeadLetterCodec.escapedBytes(utf8)
                    <= 4L * ((record.length + 2) / 3) + DeadLetterPayload.TEXT_SLACK_BYTES) {
                assertThat(back.payloadEncoding).isEqualTo(DeadLetter.UTF_8);
                assertThat(back.payload).isEqualTo(utf8);
            } else {
                assertThat(back.payloadEncoding).isEqualTo(DeadLetter.BASE64);
            }
        }
        // Never much more than base64 of what it keeps: a flood of control characters cannot grow 6-fold.
        long kept = payloadBytes(back).length;
        assertThat(DeadLetterCodec.escapedBytes(back.payload)).as("payload bytes in the JSON")
                .isLessThanOrEqualTo(4 * ((kept + 2) / 3) + DeadLetterPayload.TEXT_SLACK_BYTES);
        Statistics.label("encoding").collect(String.valueOf(back.payloadEncoding));
    }

    /** Valid JSON, at most MAX_ENCODED_BYTES, decodes, hash and size of the original; the payload a prefix of it. */
    static DeadLetter checkEncoded(byte[] json, byte[] record) throws Exception {
        assertThat(json.length).isLessThanOrEqualTo(DeadLetterCodec.MAX_ENCODED_BYTES);
        try (JsonParser p = PLAIN.createParser(json)) {
            p.nextToken();
            p.skipChildren();
            assertThat(p.nextToken()).isNull();
        } catch (IOException e) {
            throw new AssertionError("not valid JSON: " + e.getMessage(), e);
        }
        DeadLetter back = DeadLetterCodec.decode(json);
        assertThat(back.payloadSha256).isEqualTo(hex(MessageDigest.getInstance("SHA-256").digest(record)));
        assertThat(back.payloadBytes).isEqualTo(record.length);
        byte[] kept = payloadBytes(back);
        assertThat(kept.length).isLessThanOrEqualTo(record.length);
        assertThat(Arrays.copyOf(record, kept.length)).as("payload is a prefix of the record").isEqualTo(kept);
        assertThat(back.payloadTruncated).isEqualTo(kept.length < record.length);
        return back;
    }

    static byte[] payloadBytes(DeadLetter d) {
        return d.payloadBytes();
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x & 0xFF));
        }
        return s.toString();
    }

    @Provide
    Arbitrary<byte[]> records() {
        return Arbitraries.frequencyOf(Tuple.of(2, HostileInput.anyBytes()), Tuple.of(2, HostileInput.validRecord()),
                Tuple.of(2, HostileInput.anyText().map(HostileInput::utf8)),
                Tuple.of(1, HostileInput.shortBytes()),
                Tuple.of(1, Arbitraries.of((byte) 1, (byte) '"', (byte) 0xFF, (byte) 0xE2).flatMap(
                        b -> Arbitraries.integers().between(0, 5_000).map(n -> filled(n, b)))));
    }

    private static byte[] filled(int n, byte b) {
        byte[] r = new byte[n];
        Arrays.fill(r, b);
        return r;
    }

    @Provide
    Arbitrary<DeadLetterPayload> policies() {
        return Arbitraries.oneOf(Arbitraries.of(DeadLetterPayload.full(), DeadLetterPayload.hashOnly()),
                Arbitraries.integers().between(0, 300).map(DeadLetterPayload::truncated));
    }

    @Provide
    Arbitrary<String> details() {
        return HostileInput.anyText();
    }

    @Provide
    Arbitrary<String> accounts() {
        return HostileInput.anyText().injectNull(0.3);
    }
}
