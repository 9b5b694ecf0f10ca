package com.example.fraud.tools.generator;

import java.util.Arrays;
import java.util.Random;

/** Splits an exact total into positive cent amounts, so that scenario sums are exact by construction. */
final class AmountSplitter {
    private AmountSplitter() {}

    /** {@code parts} positive amounts (at least 0.01 each) summing to exactly {@code totalCents}. */
    static long[] split(long totalCents, int parts, Random random) {
        if (parts < 1 || totalCents < parts) {
            throw new IllegalArgumentException("cannot split " + totalCents + " cents into " + parts + " parts");
        }
        // parts-1 distinct cut points in [1, total-1]; sorted, their gaps are the amounts.
        long[] cuts = new long[parts + 1];
        cuts[parts] = totalCents;
        for (int i = 1; i < parts; i++) {
            long c;
            do {
                c = 1 + (long) (random.nextDouble() * (totalCents - 1));
            } while (contains(cuts, 1, i, c) || c >= totalCents);
            cuts[i] = c;
        }
        Arrays.sort(cuts, 1, parts);
        long[] amounts = new long[parts];
        for (int i = 0; i < parts; i++) {
            amounts[i] = cuts[i + 1] - cuts[i];
        }
        return amounts;
    }

    private static boolean contains(long[] a, int from, int to, long v) {
        for (int i = from; i < to; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }
}
