package com.example.fraud.tools.generator;

/**
 * Wall-clock time for txn_time and pacing. {@link #system()} for real runs; {@link #simulated(long)} runs
 * as fast as the target takes records, with the same timestamps a paced run would have (tests, --fast).
 */
public interface GeneratorClock {
    long millis();

    void sleepUntil(long epochMillis) throws InterruptedException;

    static GeneratorClock system() {
        return new GeneratorClock() {
            @Override
            public long millis() {
                return System.currentTimeMillis();
            }

            @Override
            public void sleepUntil(long epochMillis) throws InterruptedException {
                long wait = epochMillis - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
            }
        };
    }

    static GeneratorClock simulated(long startMillis) {
        return new GeneratorClock() {
            private long now = startMillis;

            @Override
            public long millis() {
                return now;
            }

            @Override
            public void sleepUntil(long epochMillis) {
                now = Math.max(now, epochMillis);
            }
        };
    }
}
