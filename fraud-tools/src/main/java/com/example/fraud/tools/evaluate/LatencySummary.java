package com.example.fraud.tools.evaluate;

import org.HdrHistogram.Histogram;

/**
 * Detection latency: alert arrival on the output stream minus the moment the crossing transaction's
 * PutRecords call returned, in milliseconds. Negative values (clock granularity) count as 0.
 */
public final class LatencySummary {
    private static final long MAX_TRACKED_MILLIS = 24L * 3600 * 1000;

    private final Histogram histogram = new Histogram(MAX_TRACKED_MILLIS, 3);
    private int negative;

    void record(long millis) {
        if (millis < 0) {
            negative++;
            millis = 0;
        }
        histogram.recordValue(Math.min(millis, MAX_TRACKED_MILLIS));
    }

    /** Adds another summary's latencies, e.g. to report all rules of one type together. */
    public void addAll(LatencySummary other) {
        histogram.add(other.histogram);
        negative += other.negative;
    }

    public long count() {
        return histogram.getTotalCount();
    }

    public long p50() {
        return histogram.getValueAtPercentile(50);
    }

    public long p95() {
        return histogram.getValueAtPercentile(95);
    }

    public long p99() {
        return histogram.getValueAtPercentile(99);
    }

    public long max() {
        return histogram.getMaxValue();
    }

    /** Latencies below zero, recorded as 0: the alert arrived before the generator saw its put return. */
    public int negativeCount() {
        return negative;
    }

    @Override
    public String toString() {
        return count() == 0 ? "no latencies (no expected alert received)"
                : "p50 " + p50() + " ms, p95 " + p95() + " ms, p99 " + p99() + " ms, max " + max() + " ms (n="
                        + count() + ")";
    }
}
