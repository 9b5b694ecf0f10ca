package com.example.fraud.tools.kinesis;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Bounded attempts with exponential backoff and jitter ("equal jitter": half fixed, half random). */
public final class RetryPolicy {
    private final int maxAttempts;
    private final long baseDelayMillis;
    private final long maxDelayMillis;

    public RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.baseDelayMillis = Math.max(0, baseDelay.toMillis());
        this.maxDelayMillis = Math.max(baseDelayMillis, maxDelay.toMillis());
    }

    /** 10 attempts, 100 ms doubling to at most 5 s: about 20 s of patience before a record counts as failed. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** The pause before attempt {@code nextAttempt} (2 = first retry). */
    public long delayMillis(int nextAttempt) {
        int doublings = Math.min(30, Math.max(0, nextAttempt - 2));
        long cap = Math.min(maxDelayMillis, baseDelayMillis << doublings);
        long half = cap / 2;
        return half + (cap - half == 0 ? 0 : ThreadLocalRandom.current().nextLong(cap - half + 1));
    }

    @Override
    public String toString() {
        return maxAttempts + " attempts, backoff " + baseDelayMillis + " ms to " + maxDelayMillis + " ms";
    }
}
