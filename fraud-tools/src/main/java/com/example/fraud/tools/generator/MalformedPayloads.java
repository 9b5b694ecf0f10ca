package com.example.fraud.tools.generator;

import com.example.fraud.model.Money;
import com.example.fraud.model.Timestamps;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds the payload of each {@link MalformedKind}. Every payload carries its id as {@code "txn_id":"m-..."}
 * near the start (even the broken ones, and before an oversized record's padding), so the evaluator can
 * match dead letters to what was sent.
 */
final class MalformedPayloads {
    /** Oversized records use an account that is never generated: if wrongly accepted, nothing can flip. */
    static final String OVERSIZED_ACCOUNT = "ACC-OVERSIZED";

    private MalformedPayloads() {}

    static byte[] build(MalformedKind kind, String id, String accountId, long amountCents, long txnTime,
            int variant, int recordMaxBytes) {
        String amount = Money.format(amountCents);
        String time = Timestamps.format(txnTime);
        String head = "{\"txn_id\":\"" + id + "\",";
        switch (kind) {
            case TRUNCATED_JSON:
                return utf8(head + "\"account_id\":\"" + accountId + "\",\"amount\":" + amount + ",\"txn_time\":\"" + time);
            case NOT_JSON:
                return utf8("txn_id=" + id + ";account_id=" + accountId + ";amount=" + amount);
            case MISSING_FIELD:
                switch (Math.floorMod(variant, 3)) {
                    case 0:
                        return utf8(head + "\"account_id\":\"" + accountId + "\",\"txn_time\":\"" + time + "\"}");
                    case 1:
                        return utf8(head + "\"amount\":" + amount + ",\"txn_time\":\"" + time + "\"}");
                    default:
                        return utf8(head + "\"account_id\":\"" + accountId + "\",\"amount\":" + amount + "}");
                }
            case INVALID_FIELD:
                return utf8(head + "\"account_id\":" + (10_000 + Math.floorMod(variant, 90_000)) + ",\"amount\":"
                        + amount + ",\"txn_time\":\"" + time + "\"}");
            case NEGATIVE_AMOUNT:
                return utf8(head + "\"account_id\":\"" + accountId + "\",\"amount\":-" + amount + ",\"txn_time\":\""
                        + time + "\"}");
            case STRING_AMOUNT:
                return utf8(head + "\"account_id\":\"" + accountId + "\",\"amount\":\"" + amount + "\",\"txn_time\":\""
                        + time + "\"}");
            case BAD_TXN_TIME:
                return utf8(head + "\"account_id\":\"" + accountId + "\",\"amount\":" + amount
                        + ",\"txn_time\":\"25/11/2026 10:15:30\"}");
            case OVERSIZED:
                return oversized(head + "\"account_id\":\"" + OVERSIZED_ACCOUNT + "\",\"amount\":0.01,\"txn_time\":\""
                        + time + "\",\"note\":\"", recordMaxBytes + 1 + Math.floorMod(variant, 512));
            default:
                throw new IllegalArgumentException(kind.name());
        }
    }

    /** A valid transaction whose padding makes it exactly {@code size} bytes. */
    private static byte[] oversized(String start, int size) {
        byte[] head = utf8(start);
        byte[] tail = utf8("\"}");
        int padding = Math.max(0, size - head.length - tail.length);
        byte[] out = new byte[head.length + padding + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        Arrays.fill(out, head.length, head.length + padding, (byte) 'x');
        System.arraycopy(tail, 0, out, head.length + padding, tail.length);
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
