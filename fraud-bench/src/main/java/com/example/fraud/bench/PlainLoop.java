package com.example.fraud.bench;

import com.example.fraud.model.InvalidRecordException;
import com.example.fraud.model.Transaction;
import com.example.fraud.model.TransactionCodec;
import com.example.fraud.tools.backtest.LineReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The practical ceiling for one core: read the same lines, parse them with the same codec, keep the
 * same per-account tumbling-window sums in a HashMap, count the windows that cross. No framework.
 */
final class PlainLoop {
    private final long windowMillis;
    private final long thresholdCents;
    private final Map<String, long[]> accounts = new HashMap<>();
    long records;
    long alerts;
    long invalid;

    PlainLoop(long windowMillis, long thresholdCents) {
        this.windowMillis = windowMillis;
        this.thresholdCents = thresholdCents;
    }

    void run(List<Path> files) throws IOException {
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                readLines(in);
            }
        }
    }

    private void readLines(InputStream in) throws IOException {
        LineReader lines = new LineReader(in);
        for (byte[] line = lines.next(); line != null; line = lines.next()) {
            accept(line);
        }
    }

    /** Two window slots per account: {start, sum, alerted} twice. Disorder is far below a window. */
    private void accept(byte[] line) {
        records++;
        Transaction t;
        try {
            t = TransactionCodec.decode(line);
        } catch (InvalidRecordException e) {
            invalid++;
            return;
        }
        long start = t.txnTimeMillis - Math.floorMod(t.txnTimeMillis, windowMillis);
        long[] s = accounts.computeIfAbsent(t.accountId, k -> new long[] {Long.MIN_VALUE, 0, 0, Long.MIN_VALUE, 0, 0});
        int slot;
        if (s[0] == start) {
            slot = 0;
        } else if (s[3] == start) {
            slot = 3;
        } else {
            slot = s[0] < s[3] ? 0 : 3;
            s[slot] = start;
            s[slot + 1] = 0;
            s[slot + 2] = 0;
        }
        if (s[slot + 2] == 0) {
            s[slot + 1] += t.amountCents;
            if (s[slot + 1] > thresholdCents) {
                s[slot + 2] = 1;
                alerts++;
            }
        }
    }
}
