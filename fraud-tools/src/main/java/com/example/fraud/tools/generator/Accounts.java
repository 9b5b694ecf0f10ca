package com.example.fraud.tools.generator;

import java.util.Random;

/**
 * The simulated accounts ACC-00001..ACC-N (after an optional prefix), each with its own activity (how often it
 * transacts) and typical amount, both log-normal across accounts and fixed by the seed.
 */
final class Accounts {
    /** Median transaction amount over all accounts, in cents. */
    private static final double MEDIAN_AMOUNT_CENTS = 2_500;
    private static final double AMOUNT_SPREAD_ACROSS_ACCOUNTS = 0.6;
    private static final double AMOUNT_SPREAD_WITHIN_ACCOUNT = 0.8;
    private static final double ACTIVITY_SPREAD = 0.5;
    /** Caps the log-normal tail: one ordinary purchase is at most 10,000.00. */
    private static final long MAX_PLAIN_AMOUNT_CENTS = 1_000_000;

    private final String[] ids;
    private final double[] medianCents;
    /** Cumulative activity weights, for a weighted pick by binary search. */
    private final double[] cumulativeActivity;

    Accounts(int count, Random random, String prefix) {
        ids = new String[count];
        medianCents = new double[count];
        cumulativeActivity = new double[count];
        double total = 0;
        for (int i = 0; i < count; i++) {
            ids[i] = prefix + id(i);
            medianCents[i] = MEDIAN_AMOUNT_CENTS * Math.exp(AMOUNT_SPREAD_ACROSS_ACCOUNTS * random.nextGaussian());
            total += Math.exp(ACTIVITY_SPREAD * random.nextGaussian());
            cumulativeActivity[i] = total;
        }
    }

    /** ACC-00001 for index 0. */
    static String id(int index) {
        String n = Integer.toString(index + 1); // not String.format: 200,000 of those took seconds
        return n.length() >= 5 ? "ACC-" + n : "ACC-" + "00000".substring(n.length()) + n;
    }

    int size() {
        return ids.length;
    }

    String idOf(int index) {
        return ids[index];
    }

    /** An account, more active ones more often. */
    int pick(Random random) {
        double x = random.nextDouble() * cumulativeActivity[cumulativeActivity.length - 1];
        int lo = 0;
        int hi = cumulativeActivity.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulativeActivity[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** An everyday purchase of this account: log-normal around its median, whole cents, at least 0.01. */
    long plainAmountCents(int index, Random random) {
        double cents = medianCents[index] * Math.exp(AMOUNT_SPREAD_WITHIN_ACCOUNT * random.nextGaussian());
        return Math.max(1, Math.min(MAX_PLAIN_AMOUNT_CENTS, Math.round(cents)));
    }
}
