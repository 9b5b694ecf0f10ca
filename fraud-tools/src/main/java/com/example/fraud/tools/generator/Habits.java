package com.example.fraud.tools.generator;

import com.example.fraud.model.Channel;
import com.example.fraud.model.Transaction;
import java.util.Random;

/**
 * Per-account habits for the optional transaction fields: one or two cards, a handful of favourite merchants, a home
 * city (its country and location), and a usual channel. Fixed by the seed. Card-present purchases (POS, ATM) carry a
 * location near home; online ones carry none. Locations stay within {@link #jitterKm} of home, chosen so that two of
 * an account's own purchases never look like impossible travel to any configured rule.
 */
final class Habits {
    /** Some cities: latitude, longitude, ISO country. */
    static final Object[][] CITIES = {
        {52.52, 13.405, "DE"}, {48.137, 11.575, "DE"}, {48.857, 2.352, "FR"}, {45.764, 4.836, "FR"},
        {51.507, -0.128, "GB"}, {53.48, -2.242, "GB"}, {40.417, -3.704, "ES"}, {41.385, 2.173, "ES"},
        {41.903, 12.496, "IT"}, {45.464, 9.19, "IT"}, {52.37, 4.895, "NL"}, {50.85, 4.352, "BE"},
        {47.377, 8.541, "CH"}, {48.208, 16.373, "AT"}, {52.23, 21.012, "PL"}, {50.075, 14.437, "CZ"},
        {59.329, 18.069, "SE"}, {59.914, 10.752, "NO"}, {55.676, 12.568, "DK"}, {60.17, 24.938, "FI"},
        {38.722, -9.139, "PT"}, {53.35, -6.26, "IE"}, {37.984, 23.728, "GR"}, {40.713, -74.006, "US"},
        {34.052, -118.244, "US"}, {41.878, -87.63, "US"}, {43.653, -79.383, "CA"}, {19.433, -99.133, "MX"},
        {-23.551, -46.633, "BR"}, {-34.604, -58.382, "AR"}, {35.676, 139.65, "JP"}, {37.567, 126.978, "KR"},
        {1.352, 103.82, "SG"}, {-33.869, 151.209, "AU"}, {25.205, 55.271, "AE"}, {19.076, 72.878, "IN"},
        {-26.204, 28.047, "ZA"}, {30.044, 31.236, "EG"}, {41.009, 28.978, "TR"}, {-36.848, 174.763, "NZ"}};

    /** Countries seen now and then online, away from home. */
    private static final String[] ABROAD = {"US", "GB", "DE", "FR", "NL", "IE", "CN", "JP", "SG", "LU"};
    private static final Channel[] USUAL = {Channel.POS, Channel.POS, Channel.POS, Channel.ECOMMERCE, Channel.ATM};
    private static final double KM_PER_DEGREE = 111.195;

    private final String[][] cards;
    private final String[][] merchants;
    private final int[] home;
    private final Channel[] channel;
    private final int merchantPool;
    private final double jitterKm;
    private final String prefix;

    /**
     * @param jitterKm how far from home a card-present purchase may be (at most 10 km; smaller when a travel rule's
     *     distance or speed demands it)
     * @param prefix put in front of every card and merchant id
     */
    Habits(int accounts, Random random, double jitterKm, String prefix) {
        this.jitterKm = Math.min(10, jitterKm); // 0 or less: no locations at all
        this.prefix = prefix;
        merchantPool = Math.max(50, accounts / 2);
        cards = new String[accounts][];
        merchants = new String[accounts][];
        home = new int[accounts];
        channel = new Channel[accounts];
        for (int a = 0; a < accounts; a++) {
            String id = Accounts.id(a).substring(4); // "00001"
            String card = prefix + "CARD-" + id;
            cards[a] = random.nextInt(4) == 0 ? new String[] {card + "-1", card + "-2"} : new String[] {card + "-1"};
            merchants[a] = new String[3 + random.nextInt(6)];
            for (int m = 0; m < merchants[a].length; m++) {
                merchants[a][m] = prefix + merchant(random.nextInt(merchantPool));
            }
            home[a] = random.nextInt(CITIES.length);
            channel[a] = USUAL[random.nextInt(USUAL.length)];
        }
    }

    static String merchant(int n) {
        return "MER-" + TransactionGenerator.pad(n + 1);
    }

    /** Sets the optional fields of one of the account's everyday transactions. */
    void fill(int account, Transaction txn, Random random) {
        String[] own = cards[account];
        txn.cardId = own.length == 1 || random.nextInt(5) != 0 ? own[0] : own[1];
        txn.merchantId = random.nextInt(10) != 0 ? merchants[account][random.nextInt(merchants[account].length)]
                : prefix + merchant(random.nextInt(merchantPool));
        Channel c = random.nextInt(4) != 0 ? channel[account] : USUAL[random.nextInt(USUAL.length)];
        txn.channel = c;
        Object[] city = CITIES[home[account]];
        if (c == Channel.ECOMMERCE || jitterKm <= 0) {
            txn.country = random.nextInt(50) == 0 ? ABROAD[random.nextInt(ABROAD.length)] : (String) city[2];
            return; // card not present: no location
        }
        txn.country = (String) city[2];
        double[] p = near((Double) city[0], (Double) city[1], jitterKm, random);
        txn.lat = p[0];
        txn.lon = p[1];
    }

    /** The account's home: latitude, longitude, country. */
    Object[] homeOf(int account) {
        return CITIES[home[account]];
    }

    /** A point at most {@code radiusKm} from (lat, lon), in a square of that half-size, rounded to 4 decimals. */
    static double[] near(double lat, double lon, double radiusKm, Random random) {
        double half = radiusKm / Math.sqrt(2);
        double dLat = (random.nextDouble() * 2 - 1) * half / KM_PER_DEGREE;
        double dLon = (random.nextDouble() * 2 - 1) * half / (KM_PER_DEGREE * Math.cos(Math.toRadians(lat)));
        // Rounding moves a point by at most ~8 m: the square's half-diagonal leaves that much room below the radius.
        return new double[] {round4(clampLat(lat + dLat)), round4(wrapLon(lon + dLon))};
    }

    static double round4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    static double clampLat(double lat) {
        return Math.max(-90, Math.min(90, lat));
    }

    static double wrapLon(double lon) {
        double l = ((lon + 180) % 360 + 360) % 360 - 180;
        return l == -180 ? 180 : l;
    }
}
