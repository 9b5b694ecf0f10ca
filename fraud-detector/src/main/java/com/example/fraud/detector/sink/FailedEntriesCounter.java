package com.example.fraud.detector.sink;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error counter handed to the Kinesis sink writer in place of Flink's numRecordsOutErrors. The connector
 * counts every entry it has to retry here but logs it only at DEBUG and retries forever, so a stuck sink looks
 * healthy. This counter still feeds numRecordsOutErrors, also counts into a metric MSF forwards to CloudWatch,
 * and logs one WARN per interval at most, with the number of failed entries since the previous one.
 * The connector calls it from the AWS SDK's response threads, possibly several at once: hence the atomics.
 *
 * <p>It also answers {@link #failing()}: whether an entry failed within the last {@link #FAILING_WINDOW}. A counter
 * that only grows alarms forever after one throttled minute; this gauge, 1 in every minute of a sink that keeps
 * failing, lets an alarm tell an error that never heals (a disabled KMS key, a revoked policy: the connector
 * retries it forever) from a passing burst of throttling.
 */
final class FailedEntriesCounter implements Counter {
    private static final Logger LOG = LoggerFactory.getLogger(FailedEntriesCounter.class);

    /** Where the WARN goes; a seam for tests. */
    interface Warning {
        void warn(String format, Object... args);
    }

    private final String streamName;
    private final Counter flinkErrors;
    private final Counter failedEntries;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Warning warning;
    private final AtomicLong sinceLastWarning = new AtomicLong();
    private final AtomicLong nextWarningAt;
    private final AtomicLong lastWarningAt;
    /** When an entry last failed; meaningful once {@link #failedOnce} is set. */
    private final AtomicLong lastFailureAt = new AtomicLong();
    private volatile boolean failedOnce;

    /** How recent a failure must be for {@link #failing()}: one CloudWatch period. */
    static final Duration FAILING_WINDOW = Duration.ofSeconds(60);

    FailedEntriesCounter(String streamName, Counter flinkErrors, Counter failedEntries, Duration warnInterval) {
        this(streamName, flinkErrors, failedEntries, warnInterval, System::nanoTime, LOG::warn);
    }

    FailedEntriesCounter(String streamName, Counter flinkErrors, Counter failedEntries, Duration warnInterval,
            LongSupplier nanoClock, Warning warning) {
        this.streamName = streamName;
        this.flinkErrors = flinkErrors;
        this.failedEntries = failedEntries;
        this.intervalNanos = warnInterval.toNanos();
        this.nanoClock = nanoClock;
        this.warning = warning;
        long now = nanoClock.getAsLong();
        this.nextWarningAt = new AtomicLong(now); // the first failure warns at once
        this.lastWarningAt = new AtomicLong(now);
    }

    @Override
    public void inc() {
        inc(1);
    }

    @Override
    public void inc(long n) {
        if (n <= 0) {
            return;
        }
        flinkErrors.inc(n);
        failedEntries.inc(n);
        sinceLastWarning.addAndGet(n);
        long now = nanoClock.getAsLong();
        lastFailureAt.set(now);
        failedOnce = true;
        long next = nextWarningAt.get();
        // One caller per interval wins the CAS and logs; the others only count.
        if (now - next >= 0 && nextWarningAt.compareAndSet(next, now + intervalNanos)) {
            long entries = sinceLastWarning.getAndSet(0);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(now - lastWarningAt.getAndSet(now));
            warning.warn("Kinesis sink to stream {}: {} entries failed to write in the last {} s ({} since this"
                    + " writer started); they stay buffered and are retried until the stream accepts them"
                    + " (metric kinesisanalytics.sinkFailedEntries; at most one such warning every {} s)",
                    streamName, entries, seconds, failedEntries.getCount(),
                    TimeUnit.NANOSECONDS.toSeconds(intervalNanos));
        }
    }

    /** 1 if an entry failed within the last {@link #FAILING_WINDOW}, else 0 (the value of the sinkFailing gauge). */
    int failing() {
        return failedOnce && nanoClock.getAsLong() - lastFailureAt.get() < FAILING_WINDOW.toNanos() ? 1 : 0;
    }

    @Override
    public void dec() {
        dec(1);
    }

    @Override
    public void dec(long n) {
        flinkErrors.dec(n);
        failedEntries.dec(n);
    }

    @Override
    public long getCount() {
        return failedEntries.getCount();
    }
}
