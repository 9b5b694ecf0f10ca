package com.example.fraud.detector.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSink;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.runtime.metrics.groups.InternalSinkWriterMetricGroup;
import org.apache.flink.util.function.ThrowingRunnable;

/**
 * The shedding writer around Flink's real {@link AsyncSinkWriter}, with a stream that answers when the test says:
 * whatever the order of writes, successes, partial failures and checkpoints, a write never waits for the stream, an
 * entry is dropped exactly when the connector's buffer is full, and every entry written is delivered, dropped,
 * buffered or in flight, once.
 */
@SuppressWarnings("deprecation")
class ShedWhenFullWriterProperties {
    private static final int CAPACITY = 10;

    enum Step { WRITE, SUCCEED, FAIL_ALL, FAIL_SOME, CHECKPOINT, CHECKPOINT_WHILE_IN_FLIGHT }

    @Property(tries = 300)
    void aWriteNeverWaitsAndNothingIsLostUncounted(@ForAll("steps") List<Step> steps) throws Exception {
        Harness h = new Harness(CAPACITY);
        int next = 0;
        for (Step step : steps) {
            switch (step) {
                case WRITE:
                    long before = h.trueBuffer();
                    long droppedBefore = h.dropped();
                    h.writer.write(next++, null); // a wait would call yield() on an empty mailbox: it throws
                    assertThat(h.dropped() - droppedBefore).as("dropped iff the buffer was full")
                            .isEqualTo(before >= CAPACITY ? 1 : 0);
                    break;
                case SUCCEED:
                    h.stream.complete(0);
                    break;
                case FAIL_ALL:
                    h.stream.complete(Integer.MAX_VALUE);
                    break;
                case FAIL_SOME:
                    h.stream.complete(2);
                    break;
                case CHECKPOINT:
                    h.checkpoint();
                    break;
                case CHECKPOINT_WHILE_IN_FLIGHT:
                    // The stream answers nothing during the checkpoint: it gives up waiting, and goes on.
                    h.writer.flush(false);
                    h.writer.snapshotState(1);
                    break;
                default:
                    throw new IllegalStateException();
            }
            h.runMails();
            assertThat(h.shedding().buffered()).as("tracked buffer after " + step).isEqualTo(h.trueBuffer());
        }
        Set<Integer> seen = new HashSet<>(h.stream.delivered);
        assertThat(seen).as("delivered once").hasSameSizeAs(h.stream.delivered);
        List<Integer> waiting = h.stream.inFlightEntries();
        waiting.addAll(h.bufferedEntries());
        for (Integer entry : waiting) {
            assertThat(seen.add(entry)).as("entry %s in one place only", entry).isTrue();
        }
        assertThat(seen.size() + h.dropped()).as("delivered, waiting or dropped").isEqualTo(next);
    }

    @Example
    void aStreamThatNeverAnswersDropsWhatExceedsTheBuffer() throws Exception {
        Harness h = new Harness(CAPACITY);
        for (int i = 0; i < 100; i++) {
            h.writer.write(i, null);
        }
        // Batches of 5; the connector's rate limit starts at one batch in flight: 5 sent, 10 buffered, 85 dropped.
        assertThat(h.stream.inFlightEntries()).containsExactly(0, 1, 2, 3, 4);
        assertThat(h.trueBuffer()).isEqualTo(10);
        assertThat(h.dropped()).isEqualTo(85);

        h.stream.complete(Integer.MAX_VALUE); // throttled: the 5 entries go back to the buffer, a smaller batch out
        h.runMails();
        assertThat(h.trueBuffer() + h.stream.inFlightEntries().size()).isEqualTo(15);
        assertThat(h.trueBuffer()).isGreaterThanOrEqualTo(CAPACITY);
        h.writer.write(100, null);
        assertThat(h.dropped()).isEqualTo(86);

        while (!h.stream.requests.isEmpty()) { // the stream recovers
            h.stream.complete(0);
            h.runMails();
        }
        h.writer.write(101, null);
        assertThat(h.dropped()).isEqualTo(86);
        // The last entries wait for a full batch or the buffer timeout.
        List<Integer> kept = new ArrayList<>(h.stream.delivered);
        kept.addAll(h.bufferedEntries());
        assertThat(kept).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 101);
    }

    @Example
    void aCheckpointWaitsBoundedlyForAStreamThatNeverAnswers() throws Exception {
        Harness h = new Harness(CAPACITY);
        for (int i = 0; i < 20; i++) {
            h.writer.write(i, null);
        }
        assertThat(h.stream.requests).isNotEmpty();
        h.writer.flush(false); // the connector alone waits here until every request has completed
        assertThat(h.bufferedEntries()).hasSize(10);
        assertThat(h.stream.inFlightEntries()).containsExactly(0, 1, 2, 3, 4);

        // The requests answer later, the writer goes on as before.
        h.stream.complete(0);
        h.runMails();
        h.writer.write(20, null);
        assertThat(h.stream.delivered).containsExactly(0, 1, 2, 3, 4);
    }

    @Example
    void withoutSheddingTheSameWritesWaitForTheStream() throws Exception {
        Harness h = new Harness(0);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                h.writer.write(i, null);
            }
        }).isInstanceOf(WouldWait.class);
        assertThat(h.trueBuffer()).isEqualTo(CAPACITY);
    }

    @Example
    void aRestoredWriterCountsTheEntriesItRestored() throws Exception {
        Harness h = new Harness(CAPACITY, List.of(BufferedRequestState.<Integer>emptyState()));
        assertThat(h.shedding().buffered()).isZero();
        Harness full = new Harness(CAPACITY, h.checkpointWith(12));
        assertThat(full.trueBuffer()).isEqualTo(12);
        assertThat(full.shedding().buffered()).isEqualTo(12);
        full.writer.write(1_000, null);
        assertThat(full.dropped()).isEqualTo(1);
    }

    @Example
    void dropsWarnOncePerIntervalWithTheirNumber() throws Exception {
        long[] now = {0};
        List<String> warnings = new ArrayList<>();
        Counter sent = new SimpleCounter();
        Counter dropped = new SimpleCounter();
        StatefulSink.StatefulSinkWriter<Integer, Integer> full = new StatefulSink.StatefulSinkWriter<>() {
            @Override
            public List<Integer> snapshotState(long checkpointId) {
                return List.of();
            }

            @Override
            public void write(Integer element, SinkWriter.Context context) {}

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
        ShedWhenFullWriter<Integer, Integer> writer = new ShedWhenFullWriter<>(full, "shadow", 2, 0, sent,
                new SimpleCounter(), dropped, null, Duration.ofSeconds(1), Duration.ofSeconds(30), () -> now[0],
                (format, args) -> warnings.add(org.slf4j.helpers.MessageFormatter.arrayFormat(format, args)
                        .getMessage()));
        for (int i = 0; i < 5; i++) {
            writer.write(i, null);
        }
        now[0] = Duration.ofSeconds(10).toNanos();
        writer.write(5, null);
        now[0] = Duration.ofSeconds(31).toNanos();
        writer.write(6, null);

        assertThat(dropped.getCount()).isEqualTo(5);
        assertThat(warnings).containsExactly(
                "Kinesis sink to stream shadow: buffer full (2 entries waiting for the stream); dropped 1 entries in"
                        + " the last 0 s (1 since this writer started) rather than hold back the job (metric"
                        + " kinesisanalytics.sinkDroppedEntries; at most one such warning every 30 s)",
                "Kinesis sink to stream shadow: buffer full (2 entries waiting for the stream); dropped 4 entries in"
                        + " the last 31 s (5 since this writer started) rather than hold back the job (metric"
                        + " kinesisanalytics.sinkDroppedEntries; at most one such warning every 30 s)");
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(12, Arbitraries.just(Step.WRITE)),
                        net.jqwik.api.Tuple.of(3, Arbitraries.just(Step.SUCCEED)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Step.FAIL_ALL)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Step.FAIL_SOME)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.CHECKPOINT)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.CHECKPOINT_WHILE_IN_FLIGHT)))
                .list().ofMaxSize(300);
    }

    /** The connector would block the task: its mailbox has nothing to run while it waits. */
    static final class WouldWait extends RuntimeException {
        WouldWait() {
            super("the sink writer waited for the stream");
        }
    }

    /** A MonitoredSink around {@link FakeStream}, with a mailbox the test runs. */
    private static final class Harness {
        final Deque<ThrowingRunnable<? extends Exception>> mails = new ArrayDeque<>();
        final Map<String, Counter> counters = new ConcurrentHashMap<>();
        final FakeSink sink = new FakeSink();
        final StatefulSink.StatefulSinkWriter<Integer, BufferedRequestState<Integer>> writer;
        final FakeStream stream;

        Harness(int shedAt) throws IOException {
            this(shedAt, null);
        }

        Harness(int shedAt, Collection<BufferedRequestState<Integer>> restored) throws IOException {
            MonitoredSink<Integer, BufferedRequestState<Integer>> monitored =
                    new MonitoredSink<>(sink, "shadow", Duration.ofSeconds(30), shedAt, Duration.ofMillis(2));
            Sink.InitContext context = context();
            writer = restored == null ? monitored.createWriter(context) : monitored.restoreWriter(context, restored);
            stream = sink.stream;
        }

        @SuppressWarnings("unchecked")
        ShedWhenFullWriter<Integer, BufferedRequestState<Integer>> shedding() {
            return (ShedWhenFullWriter<Integer, BufferedRequestState<Integer>>) writer;
        }

        long dropped() {
            Counter c = counters.get("kinesisanalytics.stream.shadow.sinkDroppedEntries");
            return c == null ? 0 : c.getCount();
        }

        long trueBuffer() {
            return bufferedEntries().size();
        }

        List<Integer> bufferedEntries() {
            List<Integer> entries = new ArrayList<>();
            stream.snapshotState(0).get(0).getBufferedRequestEntries().forEach(e -> entries.add(e.getRequestEntry()));
            return entries;
        }

        List<BufferedRequestState<Integer>> checkpointWith(int entries) {
            List<Integer> list = new ArrayList<>();
            for (int i = 0; i < entries; i++) {
                list.add(-1 - i);
            }
            return List.of(new BufferedRequestState<>(list.stream()
                    .map(e -> new org.apache.flink.connector.base.sink.writer.RequestEntryWrapper<>(e, 4))
                    .collect(java.util.stream.Collectors.toList())));
        }

        /** As Flink before a checkpoint barrier: wait for the requests in flight, then snapshot. */
        void checkpoint() throws Exception {
            while (!stream.requests.isEmpty()) {
                stream.complete(0);
                runMails();
            }
            writer.flush(false);
            writer.snapshotState(1);
        }

        void runMails() throws Exception {
            while (!mails.isEmpty()) {
                mails.poll().run();
            }
        }

        private Sink.InitContext context() {
            InternalSinkWriterMetricGroup metrics =
                    InternalSinkWriterMetricGroup.wrap(new RecordingMetricGroup(counters));
            MailboxExecutor mailbox = new MailboxExecutor() {
                @Override
                public void execute(ThrowingRunnable<? extends Exception> command, String format, Object... args) {
                    mails.add(command);
                }

                @Override
                public void yield() throws InterruptedException {
                    if (mails.isEmpty()) {
                        throw new WouldWait();
                    }
                    try {
                        mails.poll().run();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public boolean tryYield() {
                    if (mails.isEmpty()) {
                        return false;
                    }
                    try {
                        mails.poll().run();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return true;
                }
            };
            ProcessingTimeService time = new ProcessingTimeService() {
                @Override
                public long getCurrentProcessingTime() {
                    return 0;
                }

                @Override
                public java.util.concurrent.ScheduledFuture<?> registerTimer(long timestamp,
                        ProcessingTimeCallback callback) {
                    return null; // the buffer timeout never fires: only the test's steps move entries
                }
            };
            return (Sink.InitContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Sink.InitContext.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "metricGroup":
                                return metrics;
                            case "getMailboxExecutor":
                                return mailbox;
                            case "getProcessingTimeService":
                                return time;
                            default:
                                throw new UnsupportedOperationException(method.getName());
                        }
                    });
        }
    }

    /** Creates the {@link FakeStream} writer, as the Kinesis sink creates its writer. */
    private static final class FakeSink implements StatefulSink<Integer, BufferedRequestState<Integer>> {
        transient FakeStream stream;

        @Override
        public StatefulSinkWriter<Integer, BufferedRequestState<Integer>> createWriter(InitContext context) {
            stream = new FakeStream(context, List.of());
            return stream;
        }

        @Override
        public StatefulSinkWriter<Integer, BufferedRequestState<Integer>> restoreWriter(InitContext context,
                Collection<BufferedRequestState<Integer>> state) {
            stream = new FakeStream(context, state);
            return stream;
        }

        @Override
        public SimpleVersionedSerializer<BufferedRequestState<Integer>> getWriterStateSerializer() {
            throw new UnsupportedOperationException();
        }
    }

    /**
     * Flink's async writer with batches of 5, 2 requests in flight and 10 entries buffered; its requests wait for
     * the test, and a failure counts its entries in the writer's error counter before handing them back, as the
     * Kinesis writer does.
     */
    private static final class FakeStream extends AsyncSinkWriter<Integer, Integer> {
        final Deque<Request> requests = new ArrayDeque<>();
        final List<Integer> delivered = new ArrayList<>();
        private final Counter errors;

        FakeStream(Sink.InitContext context, Collection<BufferedRequestState<Integer>> state) {
            super((element, c) -> element, context, 5, 2, CAPACITY, 1_000, Long.MAX_VALUE / 4, 100, state);
            errors = context.metricGroup().getNumRecordsOutErrorsCounter();
        }

        @Override
        protected void submitRequestEntries(List<Integer> entries, Consumer<List<Integer>> result) {
            requests.add(new Request(new ArrayList<>(entries), result));
        }

        @Override
        protected long getSizeInBytes(Integer entry) {
            return 4;
        }

        /** Answers the oldest request: every {@code failEvery}-th entry fails (0: none; MAX_VALUE: all). */
        void complete(int failEvery) {
            Request request = requests.poll();
            if (request == null) {
                return;
            }
            List<Integer> failed = new ArrayList<>();
            for (int i = 0; i < request.entries.size(); i++) {
                boolean fails = failEvery == Integer.MAX_VALUE || (failEvery > 0 && i % failEvery == 0);
                (fails ? failed : delivered).add(request.entries.get(i));
            }
            errors.inc(failed.size());
            request.result.accept(failed);
        }

        List<Integer> inFlightEntries() {
            List<Integer> entries = new ArrayList<>();
            requests.forEach(r -> entries.addAll(r.entries));
            return entries;
        }
    }

    private static final class Request {
        final List<Integer> entries;
        final Consumer<List<Integer>> result;

        Request(List<Integer> entries, Consumer<List<Integer>> result) {
            this.entries = entries;
            this.result = result;
        }
    }
}
