package com.example.fraud.tools.generator;

import java.util.TreeMap;

/** Sum per (account, window) as records are generated: what scenario choices are based on. */
final class WindowLedger {
    private final int accounts;
    private final TreeMap<Long, long[]> totalsByWindow = new TreeMap<>();

    WindowLedger(int accounts) {
        this.accounts = accounts;
    }

    long total(int account, long windowStart) {
        long[] totals = totalsByWindow.get(windowStart);
        return totals == null ? 0 : totals[account];
    }

    void add(int account, long windowStart, long cents) {
        totalsByWindow.computeIfAbsent(windowStart, w -> new long[accounts])[account] += cents;
    }

    /** Forgets windows that start before {@code windowStart}. */
    void forgetBefore(long windowStart) {
        if (!totalsByWindow.isEmpty() && totalsByWindow.firstKey() < windowStart) { // called every tick
            totalsByWindow.headMap(windowStart).clear();
        }
    }
}
