package com.example.fraud.detector.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.MessageFormatter;

class FailedEntriesCounterTest {
    private final AtomicLong nanos = new AtomicLong(TimeUnit.HOURS.toNanos(5));
    private final List<String> warnings = new ArrayList<>();
    private final SimpleCounter flinkErrors = new SimpleCounter();
    private final SimpleCounter failedEntries = new SimpleCounter();
    private final FailedEntriesCounter counter = new FailedEntriesCounter("fraud-alerts", flinkErrors, failedEntries,
            Duration.ofSeconds(30), nanos::get,
            (format, args) -> warnings.add(MessageFormatter.arrayFormat(format, args).getMessage()));

    private void advance(long seconds) {
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void countsIntoFlinksErrorCounterAndTheCloudWatchCounter() {
        counter.inc(3);
        counter.inc();
        counter.inc(0);

        assertThat(flinkErrors.getCount()).isEqualTo(4);
        assertThat(failedEntries.getCount()).isEqualTo(4);
        assertThat(counter.getCount()).isEqualTo(4);
    }

    @Test
    void isFailingForAMinuteAfterEachFailure() {
        assertThat(counter.failing()).isZero();
        advance(3600);
        assertThat(counter.failing()).as("no failure yet, however long").isZero();

        counter.inc(2);
        assertThat(counter.failing()).isEqualTo(1);
        advance(59);
        assertThat(counter.failing()).isEqualTo(1);
        counter.inc(1);
        advance(59);
        assertThat(counter.failing()).as("59 s after the latest failure").isEqualTo(1);
        advance(1);
        assertThat(counter.failing()).as("a minute after it").isZero();
        counter.inc(0);
        assertThat(counter.failing()).as("nothing failed").isZero();
        counter.inc(1);
        assertThat(counter.failing()).isEqualTo(1);
    }

    @Test
    void warnsAtOnceThenAtMostOncePerIntervalWithTheEntriesSinceTheLastWarning() {
        counter.inc(2);
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).startsWith(
                "Kinesis sink to stream fraud-alerts: 2 entries failed to write in the last 0 s (2 since");

        for (int i = 0; i < 29; i++) {
            advance(1);
            counter.inc(5);
        }
        assertThat(warnings).hasSize(1);

        advance(1); // 30 s after the first warning
        counter.inc(5);
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(1)).startsWith(
                "Kinesis sink to stream fraud-alerts: 150 entries failed to write in the last 30 s (152 since");

        advance(29);
        counter.inc(1);
        assertThat(warnings).hasSize(2);
        assertThat(flinkErrors.getCount()).isEqualTo(153);
    }

    @Test
    void staysQuietWithoutFailuresAndWarnsAgainWhenTheyReturn() {
        counter.inc(1);
        advance(600);
        assertThat(warnings).hasSize(1);

        counter.inc(7);
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(1)).contains("7 entries failed to write in the last 600 s (8 since");
    }

    @Test
    void manyThreadsCountEveryEntryAndWarnOnce() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        SimpleCounter unused = new SimpleCounter();
        FailedEntriesCounter shared = new FailedEntriesCounter("fraud-alerts", unused,
                new org.apache.flink.metrics.ThreadSafeSimpleCounter(), Duration.ofSeconds(30), nanos::get,
                (format, args) -> {
                    synchronized (warnings) {
                        warnings.add(format);
                    }
                });
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    shared.inc(1);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(shared.getCount()).isEqualTo(40_000);
        assertThat(warnings).hasSize(1);
    }
}
