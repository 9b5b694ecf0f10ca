package com.example.fraud.detector.testing;

import com.example.fraud.detector.config.DetectionSettings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the exact record order a test feeds through {@link ScriptedShardSource}. Times are seconds
 * after a fixed, window-aligned epoch so that windows are easy to read in assertions.
 */
public final class Script {
    /** 2026-11-25T10:00:00Z: aligned to every window size the tests use. */
    public static final long T0 = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
    /** Long enough for several periodic watermarks (the tests emit them every 10 ms). */
    public static final long PAUSE_MILLIS = 300;

    private final Set<String> shards = new LinkedHashSet<>();
    private final List<ScriptedShardSource.Step> steps = new ArrayList<>();
    private int txnCounter;
    /** Kinesis arrival time of the next record: the latest transaction time so far, as for a live producer. */
    private long clock = T0;

    public static Script shards(String... ids) {
        Script s = new Script();
        for (String id : ids) {
            s.shards.add(id);
        }
        return s;
    }

    /** A transaction with an auto id ("t-1", "t-2", ...) at T0 + seconds. */
    public Script txn(String shard, String account, String amount, double seconds) {
        return txn(shard, "t-" + (++txnCounter), account, amount, seconds);
    }

    /** A transaction that arrives when written: its arrival is its own time, or the script's clock if later. */
    public Script txn(String shard, String txnId, String account, String amount, double seconds) {
        clock = Math.max(clock, at(seconds));
        return txnArrivingAt(shard, txnId, account, amount, seconds, (clock - T0) / 1000.0);
    }

    /** A transaction dated {@code seconds} that Kinesis received at {@code arrivalSeconds}: a skewed clock. */
    public Script txnArrivingAt(String shard, String txnId, String account, String amount, double seconds,
            double arrivalSeconds) {
        return txnWith(shard, txnId, account, amount, seconds, arrivalSeconds, "");
    }

    /**
     * A transaction with optional fields, given as JSON members such as {@code "card_id":"K1","country":"DE"}; it
     * arrives when written, as {@link #txn(String, String, String, String, double)}.
     */
    public Script txnWith(String shard, String txnId, String account, String amount, double seconds, String fields) {
        clock = Math.max(clock, at(seconds));
        return txnWith(shard, txnId, account, amount, seconds, (clock - T0) / 1000.0, fields);
    }

    private Script txnWith(String shard, String txnId, String account, String amount, double seconds,
            double arrivalSeconds, String fields) {
        String time = Instant.ofEpochMilli(at(seconds)).toString();
        return raw(shard, ("{\"txn_id\":\"" + txnId + "\",\"account_id\":\"" + account + "\",\"amount\":" + amount
                + ",\"txn_time\":\"" + time + "\"" + (fields.isEmpty() ? "" : "," + fields) + "}")
                .getBytes(StandardCharsets.UTF_8), at(arrivalSeconds));
    }

    public Script raw(String shard, String payload) {
        return raw(shard, payload.getBytes(StandardCharsets.UTF_8));
    }

    public Script raw(String shard, byte[] payload) {
        return raw(shard, payload, clock);
    }

    private Script raw(String shard, byte[] payload, long arrivalMillis) {
        if (!shards.contains(shard)) {
            throw new IllegalArgumentException("unknown shard " + shard);
        }
        steps.add(new ScriptedShardSource.Step(shard, payload, arrivalMillis, 0));
        return this;
    }

    /** Let periodic watermarks catch up with what has been read so far. */
    public Script pause() {
        steps.add(new ScriptedShardSource.Step(null, null, 0, PAUSE_MILLIS));
        return this;
    }

    /** A pause of only the reader that owns {@code shard} (the others read on): a stalled or backpressured shard. */
    public Script pause(String shard) {
        steps.add(new ScriptedShardSource.Step(shard, null, 0, PAUSE_MILLIS));
        return this;
    }

    public static long at(double seconds) {
        return T0 + Math.round(seconds * 1000);
    }

    /** Ends after the last record; the end of input closes every window. */
    public ScriptedShardSource bounded(DetectionSettings settings) {
        return new ScriptedShardSource(new ArrayList<>(shards), steps, true, settings);
    }

    /** Stays open after the last record, like a live stream whose shards go quiet. */
    public ScriptedShardSource unbounded(DetectionSettings settings) {
        return new ScriptedShardSource(new ArrayList<>(shards), steps, false, settings);
    }
}
