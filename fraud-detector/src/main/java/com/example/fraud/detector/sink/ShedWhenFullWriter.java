package com.example.fraud.detector.sink;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.StatefulSink.StatefulSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.metrics.Counter;

/**
 * Wraps an async sink writer so that it never holds the task for long: for a stream that must never hold back the
 * operator that feeds it (shadow alerts are chained to the rules, and a throttled shadow stream would otherwise stop
 * live alerts too). A full buffer drops the entry, counted, instead of waiting; and a checkpoint waits at most
 * {@code checkpointWait} for the requests in flight (the connector waits until none is, which a stream that refuses
 * everything makes forever). Entries still in flight then are in neither the checkpoint nor the stream yet: a
 * failure, or a stop, before their request succeeds loses them, uncounted; the price of not blocking, paid only
 * while the stream refuses. {@link MonitoredSink} also runs the connector's buffer timeout without waiting.
 *
 * <p>The connector does not expose its buffer, so this writer tracks it from the connector's own counters, all
 * updated on or before the task thread sees the change: buffered = restored + written + failed (re-queued) - sent
 * (taken into a request). That is never below the true buffer (a failure is counted before its entries are
 * re-queued), so the wrapped writer never reaches its blocking limit; at a checkpoint that found no request in
 * flight, the count is reset to the buffer the connector snapshots.
 */
final class ShedWhenFullWriter<T, S> implements StatefulSinkWriter<T, S> {
    private final StatefulSinkWriter<T, S> delegate;
    private final String streamName;
    private final int capacity;
    private final Counter sent;
    private final Counter failed;
    private final Counter dropped;
    private final long warnIntervalNanos;
    private final LongSupplier nanoClock;
    private final FailedEntriesCounter.Warning warning;
    private final BoundedWaitMailbox mailbox;
    private final long checkpointWaitNanos;
    private long written;
    /** Corrects the count to the connector's buffer: what was restored, and any drift seen at a checkpoint. */
    private long offset;
    private long droppedSinceWarning;
    private long lastWarningAt;
    private long nextWarningAt;
    private long nextAbandonWarningAt;
    /** The last checkpoint flush saw every request complete: the buffer then is all there is. */
    private boolean settled;

    ShedWhenFullWriter(StatefulSinkWriter<T, S> delegate, String streamName, int capacity, long restored,
            Counter sent, Counter failed, Counter dropped, BoundedWaitMailbox mailbox, Duration checkpointWait,
            Duration warnInterval, LongSupplier nanoClock, FailedEntriesCounter.Warning warning) {
        this.delegate = delegate;
        this.streamName = streamName;
        this.capacity = capacity;
        this.sent = sent;
        this.failed = failed;
        this.dropped = dropped;
        this.warnIntervalNanos = warnInterval.toNanos();
        this.nanoClock = nanoClock;
        this.warning = warning;
        this.mailbox = mailbox;
        this.checkpointWaitNanos = checkpointWait.toNanos();
        // The counters may already hold other writers' counts: only changes from now on are this writer's.
        this.offset = restored - failed.getCount() + sent.getCount();
        this.lastWarningAt = nanoClock.getAsLong();
        this.nextWarningAt = lastWarningAt;
        this.nextAbandonWarningAt = lastWarningAt;
    }

    /** Entries in the wrapped writer's buffer, or a few more while failed ones wait to be re-queued. */
    long buffered() {
        return offset + written + failed.getCount() - sent.getCount();
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        if (buffered() >= capacity) {
            drop();
            return;
        }
        written++;
        delegate.write(element, context);
    }

    private void drop() {
        dropped.inc();
        droppedSinceWarning++;
        long now = nanoClock.getAsLong();
        if (now - nextWarningAt >= 0) {
            warning.warn("Kinesis sink to stream {}: buffer full ({} entries or more waiting for the stream); dropped {}"
                    + " entries in the last {} s ({} since this writer started) rather than hold back the job"
                    + " (metric kinesisanalytics.sinkDroppedEntries; at most one such warning every {} s)",
                    streamName, capacity, droppedSinceWarning,
                    TimeUnit.NANOSECONDS.toSeconds(now - lastWarningAt), dropped.getCount(),
                    TimeUnit.NANOSECONDS.toSeconds(warnIntervalNanos));
            droppedSinceWarning = 0;
            lastWarningAt = now;
            nextWarningAt = now + warnIntervalNanos;
        }
    }

    @Override
    public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
        delegate.writeWatermark(watermark);
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        if (endOfInput) {
            delegate.flush(true); // a bounded input's end sends everything, however long it takes
            return;
        }
        try {
            settled = mailbox.runWaitingAtMost(checkpointWaitNanos, () -> delegate.flush(false));
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e); // flush(false) throws nothing else
        }
        if (!settled) {
            long now = nanoClock.getAsLong();
            if (now - nextAbandonWarningAt >= 0) {
                warning.warn("Kinesis sink to stream {}: requests still in flight after {} ms; the checkpoint goes"
                        + " on without them (they are sent, but a failure before they succeed loses them; at most"
                        + " one such warning every {} s)", streamName,
                        TimeUnit.NANOSECONDS.toMillis(checkpointWaitNanos),
                        TimeUnit.NANOSECONDS.toSeconds(warnIntervalNanos));
                nextAbandonWarningAt = now + warnIntervalNanos;
            }
        }
    }

    @Override
    public List<S> snapshotState(long checkpointId) throws IOException {
        List<S> state = delegate.snapshotState(checkpointId);
        long entries = entries(state);
        // With requests in flight, a failure may be counted and not yet re-queued: the count stays as it is.
        if (settled && entries >= 0) {
            offset += entries - buffered();
        }
        settled = false;
        return state;
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }

    /** The entries in an async sink's writer state, or -1 if the state is of another kind. */
    static long entries(Collection<?> states) {
        long entries = 0;
        for (Object state : states) {
            if (!(state instanceof BufferedRequestState)) {
                return -1;
            }
            entries += ((BufferedRequestState<?>) state).getBufferedRequestEntries().size();
        }
        return entries;
    }
}
