package com.example.fraud.bench;

import com.example.fraud.model.Money;
import com.example.fraud.model.Timestamps;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Pre-generated input, the same for every contender: JSON lines split into one file per "shard"
 * (by account), in event-time order with realistic disorder that stays inside the 5 s bound.
 */
final class BenchData {
    static final long T0 = 1_795_000_000_000L - (1_795_000_000_000L % 60_000); // a minute boundary in 2026

    private BenchData() {}

    /** Writes {@code records} lines into {@code parts} files under dir unless they already exist. */
    static void ensure(Path dir, long records, int accounts, int parts, long eventsPerSecond, long seed)
            throws IOException {
        Path marker = dir.resolve(String.format("_READY-%d-%d-%d-%d-%d", records, accounts, parts, eventsPerSecond, seed));
        if (Files.exists(marker)) {
            return;
        }
        Files.createDirectories(dir);
        try (var old = Files.list(dir)) {
            for (Path p : (Iterable<Path>) old::iterator) {
                Files.delete(p);
            }
        }
        Random random = new Random(seed);
        OutputStream[] out = new OutputStream[parts];
        for (int p = 0; p < parts; p++) {
            out[p] = new BufferedOutputStream(Files.newOutputStream(dir.resolve("part-" + p + ".jsonl")), 1 << 20);
        }
        boolean[] heavy = new boolean[accounts];
        for (int a = 0; a < accounts; a++) {
            heavy[a] = random.nextInt(50) == 0; // 2% of accounts spend enough to cross now and then
        }
        StringBuilder line = new StringBuilder(192);
        for (long i = 0; i < records; i++) {
            int account = random.nextInt(accounts);
            long time = T0 + i * 1000 / eventsPerSecond;
            if (random.nextInt(10) == 0) {
                time -= random.nextInt(4_000); // delayed, but within the 5 s bound
            }
            long cents = heavy[account] ? 2_000 + random.nextInt(60_000) : 100 + random.nextInt(3_000);
            line.setLength(0);
            line.append("{\"txn_id\":\"t-").append(i).append("\",\"account_id\":\"ACC-").append(account)
                    .append("\",\"amount\":").append(Money.format(cents))
                    .append(",\"txn_time\":\"").append(Timestamps.format(time))
                    .append("\",\"currency\":\"EUR\",\"merchant\":\"M-").append(random.nextInt(10_000)).append("\"}\n");
            out[account % parts].write(line.toString().getBytes(StandardCharsets.UTF_8));
        }
        for (OutputStream o : out) {
            o.close();
        }
        Files.createFile(marker);
    }
}
