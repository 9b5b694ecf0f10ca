package com.example.fraud.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON of dead-letter records: {@code {"reason","detail","payload","payload_bytes","payload_encoding",
 * "payload_sha256","payload_truncated","account_id","rejected_at"}}. {@link #encode} never writes more than
 * {@link #MAX_ENCODED_BYTES}, whatever the dead letter holds, so every dead letter fits in one Kinesis record.
 */
public final class DeadLetterCodec {
    /**
     * The Kinesis record limit (data plus partition key, in bytes) minus the largest partition key: 256 characters,
     * each up to 3 UTF-8 bytes (a surrogate pair is 2 characters for 4 bytes).
     */
    public static final int MAX_ENCODED_BYTES = 1_048_576 - 3 * 256;
    /** A detail longer than this (escaped) is cut when the dead letter would not fit otherwise. */
    static final int MAX_DETAIL_BYTES = 64 * 1024;
    /** reason, account id, encoding and hash are short by construction; longer ones are cut to this (escaped). */
    static final int MAX_SHORT_FIELD_BYTES = 1024;

    private DeadLetterCodec() {}

    public static byte[] encode(DeadLetter d) {
        // JSON escaping makes at most 6 bytes of one UTF-16 char (\u0001): only bigger dead letters need fitting.
        long worstCase = 512L + 6L * (length(d.reason) + length(d.detail) + length(d.payload) + length(d.accountId)
                + length(d.payloadEncoding) + length(d.payloadSha256));
        byte[] out = write(worstCase <= MAX_ENCODED_BYTES ? d : fitted(d, MAX_ENCODED_BYTES));
        // The size estimate is exact for Jackson's escaping; this guards the guarantee against any surprise.
        for (int budget = MAX_ENCODED_BYTES; out.length > MAX_ENCODED_BYTES; ) {
            budget -= out.length - MAX_ENCODED_BYTES + 1024;
            out = write(fitted(d, budget));
        }
        return out;
    }

    /** A copy of d whose JSON is at most {@code limit} bytes: long short-fields, the detail and the payload cut. */
    private static DeadLetter fitted(DeadLetter d, int limit) {
        DeadLetter c = new DeadLetter();
        c.reason = cutChars(d.reason, MAX_SHORT_FIELD_BYTES);
        c.accountId = cutChars(d.accountId, MAX_SHORT_FIELD_BYTES);
        c.payloadEncoding = cutChars(d.payloadEncoding, MAX_SHORT_FIELD_BYTES);
        c.payloadSha256 = cutChars(d.payloadSha256, MAX_SHORT_FIELD_BYTES);
        c.payloadBytes = d.payloadBytes;
        c.rejectedAtMillis = d.rejectedAtMillis;
        c.payloadTruncated = true; // worst case for the size of the fixed part
        long fixed = write(c).length; // detail and payload written as null (4 bytes), a string costs 2 + escaped
        long budget = Math.max(0, limit - fixed);
        long detailCost = escapedBytes(d.detail);
        long payloadCost = escapedBytes(d.payload);
        c.detail = d.detail;
        c.payload = d.payload;
        c.payloadTruncated = d.payloadTruncated;
        if (detailCost + payloadCost <= budget) {
            return c;
        }
        if (detailCost > Math.min(MAX_DETAIL_BYTES, budget)) {
            c.detail = cutBytes(d.detail, Math.min(MAX_DETAIL_BYTES, budget) - 3, false) + "...";
            detailCost = escapedBytes(c.detail);
        }
        if (detailCost + payloadCost > budget) {
            c.payload = cutBytes(d.payload, budget - detailCost, DeadLetter.BASE64.equals(d.payloadEncoding));
            c.payloadTruncated = true;
        }
        return c;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    private static String cutChars(String s, int max) {
        return s == null || s.length() <= max ? s : cutBytes(s, max, false);
    }

    /**
     * The longest head of s whose escaped JSON is at most maxBytes, never splitting a surrogate pair; for base64
     * a multiple of 4 chars, so that it still decodes.
     */
    static String cutBytes(String s, long maxBytes, boolean base64) {
        if (s == null) {
            return null;
        }
        long used = 0;
        int end = 0;
        int n = s.length();
        while (end < n) {
            char c = s.charAt(end);
            int width = Character.isHighSurrogate(c) && end + 1 < n && Character.isLowSurrogate(s.charAt(end + 1))
                    ? 2 : 1;
            long cost = escapedBytes(c) + (width == 2 ? escapedBytes(s.charAt(end + 1)) : 0);
            if (used + cost > maxBytes) {
                break;
            }
            used += cost;
            end += width;
        }
        if (base64) {
            end -= end % 4;
        }
        return s.substring(0, end);
    }

    /** Bytes of s inside a JSON string as Jackson's UTF-8 generator writes it (without the quotes). */
    static long escapedBytes(String s) {
        if (s == null) {
            return 0;
        }
        long total = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            total += escapedBytes(s.charAt(i));
        }
        return total;
    }

    private static int escapedBytes(char c) {
        if (c < 0x20) {
            return c == '\n' || c == '\t' || c == '\r' || c == '\b' || c == '\f' ? 2 : 6;
        }
        if (c < 0x80) {
            return c == '"' || c == '\\' ? 2 : 1;
        }
        if (c < 0x800) {
            return 2;
        }
        // Jackson 2.17 escapes every surrogate as \\uXXXX (6 bytes); 4 bytes per pair if it ever combines them.
        return Character.isSurrogate(c) ? 6 : 3;
    }

    private static byte[] write(DeadLetter d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = TransactionCodec.factory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("reason", d.reason);
            g.writeStringField("detail", d.detail);
            g.writeStringField("payload", d.payload);
            g.writeNumberField("payload_bytes", d.payloadBytes);
            if (d.payloadEncoding != null) {
                g.writeStringField("payload_encoding", d.payloadEncoding);
            }
            if (d.payloadSha256 != null) {
                g.writeStringField("payload_sha256", d.payloadSha256);
            }
            g.writeBooleanField("payload_truncated", d.payloadTruncated);
            if (d.accountId != null) {
                g.writeStringField("account_id", d.accountId);
            }
            g.writeStringField("rejected_at", Timestamps.format(d.rejectedAtMillis));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Reads a dead letter; JSON written before payload_encoding, payload_sha256 and payload_truncated existed too. */
    public static DeadLetter decode(byte[] json) {
        DeadLetter d = new DeadLetter();
        try (JsonParser p = TransactionCodec.factory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("dead letter is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "reason":
                        d.reason = text(p);
                        break;
                    case "detail":
                        d.detail = text(p);
                        break;
                    case "payload":
                        d.payload = text(p);
                        break;
                    case "payload_bytes":
                        d.payloadBytes = p.getIntValue();
                        break;
                    case "payload_encoding":
                        d.payloadEncoding = text(p);
                        break;
                    case "payload_sha256":
                        d.payloadSha256 = text(p);
                        break;
                    case "payload_truncated":
                        d.payloadTruncated = p.getValueAsBoolean();
                        break;
                    case "account_id":
                        d.accountId = text(p);
                        break;
                    case "rejected_at":
                        d.rejectedAtMillis = Timestamps.parseMillis(p.getText());
                        break;
                    default:
                        p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a dead letter: " + e.getMessage(), e);
        }
        if (d.reason == null) {
            throw new IllegalArgumentException("dead letter lacks a reason");
        }
        return d;
    }

    private static String text(JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : p.getText();
    }
}
