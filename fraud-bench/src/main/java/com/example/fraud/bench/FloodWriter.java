package com.example.fraud.bench;

import com.example.fraud.model.Timestamps;
import com.example.fraud.tools.kinesis.OutgoingRecord;
import com.example.fraud.tools.kinesis.RecordWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes bad records to the input stream at a target rate from its own thread and {@link RecordWriter}, while
 * the generator writes the good ones. The mix, per 100 records: 1 oversized (just over the 64 KiB default
 * limit), and the rest in turn non-JSON text, a 4-byte UTF-32-looking record, a negative amount and a
 * transaction dated an hour ahead (CLOCK_SKEW). Every txn_id is new, so none of them is a duplicate.
 */
final class FloodWriter implements Runnable {
    static final int OVERSIZED_BYTES = 65_536 + 1024;
    private static final long TICK_MS = 100;

    private final RecordWriter writer;
    private final double ratePerSecond;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final byte[] padding;
    private volatile long attempted;
    private volatile long startedAtMs;
    private volatile long endedAtMs;

    FloodWriter(RecordWriter writer, double ratePerSecond) {
        this.writer = writer;
        this.ratePerSecond = ratePerSecond;
        this.padding = new byte[OVERSIZED_BYTES];
        Arrays.fill(padding, (byte) 'x');
    }

    @Override
    public void run() {
        startedAtMs = System.currentTimeMillis();
        long n = 0;
        List<OutgoingRecord> batch = new ArrayList<>();
        while (!stop.get()) {
            long now = System.currentTimeMillis();
            long due = (long) ((now - startedAtMs) * ratePerSecond / 1000.0);
            batch.clear();
            // At most one PutRecords call per tick: when the emulator is slower than the rate, we fall behind
            // rather than pile up; the report gives the rate achieved.
            while (n < due && batch.size() < RecordWriter.MAX_RECORDS_PER_CALL) {
                batch.add(record(n++, now));
            }
            if (!batch.isEmpty()) {
                writer.write(batch);
                attempted = n;
            }
            if (n >= due) {
                pause(TICK_MS);
            } else {
                n = Math.max(n, due - RecordWriter.MAX_RECORDS_PER_CALL); // drop the backlog, keep the pace
            }
        }
        endedAtMs = System.currentTimeMillis();
    }

    private OutgoingRecord record(long n, long now) {
        String id = "f-" + n;
        String key = "flood-" + n;
        if (n % 100 == 99) {
            String head = "{\"txn_id\":\"" + id + "\",\"account_id\":\"ACC-FLOOD\",\"amount\":0.01,\"txn_time\":\""
                    + Timestamps.format(now) + "\",\"note\":\"";
            byte[] h = head.getBytes(StandardCharsets.UTF_8);
            byte[] out = Arrays.copyOf(padding, OVERSIZED_BYTES);
            System.arraycopy(h, 0, out, 0, h.length);
            out[out.length - 2] = '"';
            out[out.length - 1] = '}';
            return new OutgoingRecord(key, out);
        }
        switch ((int) (n % 4)) {
            case 0:
                return new OutgoingRecord(key, utf8("txn_id=" + id + ";account_id=ACC-FLOOD;amount=12.34"));
            case 1:
                // "{" in UTF-32BE, or a UTF-32LE byte order mark: what an encoding sniffer takes for UTF-32.
                return new OutgoingRecord(key, n % 8 == 1 ? new byte[] {0, 0, 0, '{'}
                        : new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0});
            case 2:
                return new OutgoingRecord(key, utf8("{\"txn_id\":\"" + id + "\",\"account_id\":\"ACC-FLOOD-" + n % 1000
                        + "\",\"amount\":-12.34,\"txn_time\":\"" + Timestamps.format(now) + "\"}"));
            default:
                return new OutgoingRecord(key, utf8("{\"txn_id\":\"" + id + "\",\"account_id\":\"ACC-FLOOD-" + n % 1000
                        + "\",\"amount\":12.34,\"txn_time\":\"" + Timestamps.format(now + 3_600_000) + "\"}"));
        }
    }

    void stop() {
        stop.set(true);
    }

    long attempted() {
        return attempted;
    }

    long stored() {
        return writer.sent();
    }

    long failed() {
        return writer.failed();
    }

    double achievedRate() {
        long end = endedAtMs == 0 ? System.currentTimeMillis() : endedAtMs;
        return end <= startedAtMs ? 0 : writer.sent() * 1000.0 / (end - startedAtMs);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
