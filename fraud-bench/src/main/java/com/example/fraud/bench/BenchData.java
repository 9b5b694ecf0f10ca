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
 *
 * <p>Every record carries the optional fields, so that every rule type has work: one card per account (10% have two),
 * merchants mostly from the account's eight regular ones (the rest from a pool of 10,000), a home city and country
 * per account, a channel (POS 55%, ECOMMERCE 30%, ATM 5%, MOTO 5%, TRANSFER 5%), a location near the home city for
 * POS and ATM (1 in 5,000 of those in another city: travel or a cloned card), a foreign country on 1 in 500 card-not-
 * present transactions. Amounts as before: 2% of accounts spend 20-620, the rest 1-31.
 */
final class BenchData {
    static final long T0 = 1_795_000_000_000L - (1_795_000_000_000L % 60_000); // a minute boundary in 2026
    /** Bumped whenever the generated lines change, so stale files are regenerated. */
    private static final int FORMAT = 2;
    private static final int MERCHANTS = 10_000;
    private static final int REGULAR_MERCHANTS = 8;
    private static final String[] CHANNELS = {"POS", "ECOMMERCE", "ATM", "MOTO", "TRANSFER"};

    /** Home cities: country, latitude, longitude. */
    private static final String[] CITY_COUNTRY = {"DE", "FR", "GB", "ES", "IT", "NL", "PL", "SE", "US", "US", "BR",
        "JP", "IN", "AU", "ZA", "CA", "MX", "SG", "AE", "TR"};
    private static final double[] CITY_LAT = {52.52, 48.8566, 51.5074, 40.4168, 41.9028, 52.3676, 52.2297, 59.3293,
        40.7128, 34.0522, -23.5505, 35.6762, 19.076, -33.8688, -26.2041, 43.6532, 19.4326, 1.3521, 25.2048, 41.0082};
    private static final double[] CITY_LON = {13.405, 2.3522, -0.1278, -3.7038, 12.4964, 4.9041, 21.0122, 18.0686,
        -74.006, -118.2437, -46.6333, 139.6503, 72.8777, 151.2093, 28.0473, -79.3832, -99.1332, 103.8198, 55.2708,
        28.9784};

    private BenchData() {}

    /** The number of distinct accounts in the files under dir (written by {@link #ensure}). */
    static long distinctAccounts(Path dir) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("_ACCOUNTS")).trim());
    }

    /** Writes {@code records} lines into {@code parts} files under dir unless they already exist. */
    static void ensure(Path dir, long records, int accounts, int parts, long eventsPerSecond, long seed)
            throws IOException {
        Path marker = dir.resolve(String.format("_READY-v%d-%d-%d-%d-%d-%d", FORMAT, records, accounts, parts,
                eventsPerSecond, seed));
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
        boolean[] twoCards = new boolean[accounts];
        byte[] home = new byte[accounts];
        boolean[] seen = new boolean[accounts];
        for (int a = 0; a < accounts; a++) {
            heavy[a] = random.nextInt(50) == 0; // 2% of accounts spend enough to cross now and then
            twoCards[a] = random.nextInt(10) == 0;
            home[a] = (byte) random.nextInt(CITY_COUNTRY.length);
        }
        long distinct = 0;
        StringBuilder line = new StringBuilder(320);
        byte[] bytes = new byte[1024];
        for (long i = 0; i < records; i++) {
            int account = random.nextInt(accounts);
            if (!seen[account]) {
                seen[account] = true;
                distinct++;
            }
            long time = T0 + i * 1000 / eventsPerSecond;
            if (random.nextInt(10) == 0) {
                time -= random.nextInt(4_000); // delayed, but within the 5 s bound
            }
            long cents = heavy[account] ? 2_000 + random.nextInt(60_000) : 100 + random.nextInt(3_000);
            int card = twoCards[account] && random.nextBoolean() ? 1 : 0;
            int channel = channel(random.nextInt(100));
            line.setLength(0);
            line.append("{\"txn_id\":\"t-").append(i).append("\",\"account_id\":\"ACC-").append(account)
                    .append("\",\"amount\":").append(Money.format(cents))
                    .append(",\"txn_time\":\"").append(Timestamps.format(time))
                    .append("\",\"currency\":\"EUR\",\"card_id\":\"C-").append(account).append('-').append(card)
                    .append("\",\"channel\":\"").append(CHANNELS[channel]).append('"');
            if (channel != 4) { // transfers have no merchant
                int merchant = random.nextInt(5) != 0 ? regularMerchant(account, random.nextInt(REGULAR_MERCHANTS))
                        : random.nextInt(MERCHANTS);
                line.append(",\"merchant_id\":\"M-").append(merchant).append('"');
            }
            int city = home[account];
            if (channel == 0 || channel == 2) { // card present: located
                if (random.nextInt(5_000) == 0) {
                    city = (city + 1 + random.nextInt(CITY_COUNTRY.length - 1)) % CITY_COUNTRY.length;
                }
                line.append(",\"lat\":");
                appendDegrees(line, CITY_LAT[city] + (random.nextDouble() - 0.5) * 0.2);
                line.append(",\"lon\":");
                appendDegrees(line, CITY_LON[city] + (random.nextDouble() - 0.5) * 0.2);
            } else if (random.nextInt(500) == 0) {
                city = random.nextInt(CITY_COUNTRY.length);
            }
            line.append(",\"country\":\"").append(CITY_COUNTRY[city]).append("\"}\n");
            int n = line.length();
            for (int c = 0; c < n; c++) {
                bytes[c] = (byte) line.charAt(c); // ASCII only
            }
            out[account % parts].write(bytes, 0, n);
        }
        for (OutputStream o : out) {
            o.close();
        }
        Files.writeString(dir.resolve("_ACCOUNTS"), Long.toString(distinct), StandardCharsets.UTF_8);
        Files.createFile(marker);
    }

    private static int channel(int percent) {
        if (percent < 55) {
            return 0;
        }
        if (percent < 85) {
            return 1;
        }
        return percent < 90 ? 2 : percent < 95 ? 3 : 4;
    }

    /** The k-th regular merchant of an account: a fixed mix, so no table per account is needed. */
    private static int regularMerchant(int account, int k) {
        long h = (account * 0x9E3779B97F4A7C15L) ^ (k * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) Math.floorMod(h, (long) MERCHANTS);
    }

    /** Four decimals (about 10 m), without String.format. */
    private static void appendDegrees(StringBuilder b, double degrees) {
        long scaled = Math.round(degrees * 10_000);
        if (scaled < 0) {
            b.append('-');
            scaled = -scaled;
        }
        b.append(scaled / 10_000).append('.');
        long frac = scaled % 10_000;
        if (frac < 1000) {
            b.append('0');
        }
        if (frac < 100) {
            b.append('0');
        }
        if (frac < 10) {
            b.append('0');
        }
        b.append(frac);
    }
}
