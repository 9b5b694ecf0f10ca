package com.example.fraud.model;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * How much of a rejected record a dead letter keeps: {@link Mode#FULL} (all of it, as far as
 * {@link DeadLetterCodec#MAX_ENCODED_BYTES} allows), {@link Mode#TRUNCATED} (at most N bytes) or {@link Mode#HASH}
 * (none: records may hold personal data). The SHA-256 and size of the original bytes are always kept, so a record
 * can be matched with its source without keeping it. Bytes that are not valid UTF-8 are kept as base64, never
 * decoded with U+FFFD replacement, so nothing is lost; so is text whose JSON escaping would take more than
 * base64 plus {@link #TEXT_SLACK_BYTES} (a control character escapes to 6 bytes), so that a flood of them cannot
 * make dead letters six times the records, while a short record full of quotes stays readable.
 * The only way the job builds dead letters.
 */
public final class DeadLetterPayload implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What a dead letter keeps of the record. */
    public enum Mode {
        FULL,
        TRUNCATED,
        HASH
    }

    private final Mode mode;
    private final int maxBytes;

    private DeadLetterPayload(Mode mode, int maxBytes) {
        this.mode = mode;
        this.maxBytes = maxBytes;
    }

    public static DeadLetterPayload full() {
        return new DeadLetterPayload(Mode.FULL, Integer.MAX_VALUE);
    }

    /** Keeps at most {@code maxBytes} of the record, cut on a code point boundary. */
    public static DeadLetterPayload truncated(int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        return new DeadLetterPayload(Mode.TRUNCATED, maxBytes);
    }

    public static DeadLetterPayload hashOnly() {
        return new DeadLetterPayload(Mode.HASH, 0);
    }

    public Mode mode() {
        return mode;
    }

    /** The byte limit of {@link Mode#TRUNCATED}. */
    public int maxBytes() {
        return maxBytes;
    }

    public DeadLetter deadLetter(RejectReason reason, String detail, byte[] record, String accountId,
            long rejectedAtMillis) {
        DeadLetter d = new DeadLetter();
        d.reason = reason.name();
        d.detail = detail;
        d.accountId = accountId;
        d.rejectedAtMillis = rejectedAtMillis;
        d.payloadBytes = record.length;
        d.payloadSha256 = sha256Hex(record);
        if (mode == Mode.HASH) {
            d.payloadTruncated = record.length > 0;
            return d;
        }
        int keep = record.length <= maxBytes ? record.length : utf8Boundary(record, maxBytes);
        d.payloadTruncated = keep < record.length;
        String text = utf8OrNull(record, keep);
        if (text != null && DeadLetterCodec.escapedBytes(text) <= base64Chars(keep) + TEXT_SLACK_BYTES) {
            d.payloadEncoding = DeadLetter.UTF_8;
            d.payload = text;
        } else {
            d.payloadEncoding = DeadLetter.BASE64;
            d.payload = Base64.getEncoder().encodeToString(keep == record.length ? record : Arrays.copyOf(record, keep));
        }
        return d;
    }

    /** How many bytes more than base64 a payload may take as escaped text. */
    static final int TEXT_SLACK_BYTES = 256;

    static long base64Chars(int bytes) {
        return 4L * ((bytes + 2L) / 3);
    }

    /** The largest cut <= limit that does not split a UTF-8 sequence (if the bytes are UTF-8 there). */
    static int utf8Boundary(byte[] b, int limit) {
        int cut = limit;
        for (int k = 0; k < 3 && cut > 0 && (b[cut] & 0xC0) == 0x80; k++) {
            cut--;
        }
        return (b[cut] & 0xC0) == 0x80 ? limit : cut; // not UTF-8 there anyway: keep the bytes
    }

    /** The first {@code length} bytes as text if they are valid UTF-8, else null. */
    static String utf8OrNull(byte[] b, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    public static String sha256Hex(byte[] b) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        byte[] h = md.digest(b);
        char[] out = new char[h.length * 2];
        for (int i = 0; i < h.length; i++) {
            out[2 * i] = Character.forDigit((h[i] >> 4) & 0xF, 16);
            out[2 * i + 1] = Character.forDigit(h[i] & 0xF, 16);
        }
        return new String(out);
    }

    @Override
    public String toString() {
        return mode == Mode.TRUNCATED ? "TRUNCATED(" + maxBytes + ")" : mode.name();
    }
}
