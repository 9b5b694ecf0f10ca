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
 * The shedding writer around Flink's real {@link AsyncSinkWriter}, configured as the shadow sink is (batches of
 * one), with a stream that answers when the test says and timers the test fires: whatever the order of writes,
 * successes, partial failures, buffer timeouts, checkpoints and restores, a write never waits for the stream, an entry
 * is dropped exactly when the connector's buffer is full, every entry written is delivered, dropped, buffered or in
 * flight, once, and once the stream takes writes again everything not dropped is delivered.
 */
@SuppressWarnings("deprecation")
class ShedWhenFullWriterProperties {
    private static final int CAPACITY = 10;

    enum Step { WRITE, SUCCEED, FAIL_ALL, FAIL_SOME, TIMER, CHECKPOINT, CHECKPOINT_WHILE_IN_FLIGHT, RESTORE }

    @Property(tries = 300)
    void aWriteNeverWaitsAndNothingIsLostUncounted(@ForAll("steps") List<Step> steps) throws Exception {
        Harness h = new Harness(CAPACITY, null, new ArrayList<>(), new long[1]);
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
                case TIMER:
                    h.fireTimers(); // without waiting, whatever the stream does
                    break;
                case CHECKPOINT:
                    h.checkpoint();
                    break;
                case CHECKPOINT_WHILE_IN_FLIGHT:
                    // The stream answers nothing during the checkpoint: it gives up waiting, and goes on.
                    h.writer.flush(false);
                    h.writer.snapshotState(1);
                    break;
                case RESTORE:
                    h = h.restored();
                    break;
                default:
                    throw new IllegalStateException();
            }
            h.runMails();
            assertThat(h.shedding().buffered()).as("tracked buffer after " + step).isEqualTo(h.trueBuffer());
        }
        h.recover();
        assertThat(h.trueBuffer()).as("everything sent once the stream takes it").isZero();
        Set<Integer> seen = new HashSet<>(h.delivered);
        assertThat(seen).as("delivered once").hasSameSizeAs(h.delivered);
        assertThat(seen.size() + h.droppedInAllLives()).as("delivered or dropped").isEqualTo(next);
    }

    @Example
    void aStreamThatNeverAnswersDropsWhatExceedsTheBuffer() throws Exception {
        Harness h = new Harness(CAPACITY);
        for (int i = 0; i < 100; i++) {
            h.writer.write(i, null);
        }
        // One alert a request; the connector's rate limit starts at one in flight: 1 sent, 10 buffered, 89 dropped.
        assertThat(h.stream.inFlightEntries()).containsExactly(0);
        assertThat(h.bufferedEntries()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(h.dropped()).isEqualTo(89);

        h.stream.complete(Integer.MAX_VALUE); // throttled: the entry goes back to the buffer, and out again
        h.runMails();
        assertThat(h.trueBuffer() + h.stream.inFlightEntries().size()).isEqualTo(11);
        h.writer.write(100, null);
        assertThat(h.dropped()).isEqualTo(90);

        h.recover();
        h.writer.write(101, null);
        h.recover();
        assertThat(h.delivered).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 101);
        assertThat(h.dropped()).isEqualTo(90);
    }

    @Example
    void aCheckpointWaitsBoundedlyForAStreamThatNeverAnswers() throws Exception {
        Harness h = new Harness(CAPACITY);
        for (int i = 0; i < 20; i++) {
            h.writer.write(i, null);
        }
        h.writer.flush(false); // the connector alone waits here until every request has completed
        assertThat(h.bufferedEntries()).hasSize(10);
        assertThat(h.stream.inFlightEntries()).containsExactly(0);

        h.recover(); // the requests answer later, and the writer goes on as before
        assertThat(h.delivered).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    }

    @Example
    void theBufferTimeoutSendsWithoutWaiting() throws Exception {
        Harness h = new Harness(CAPACITY);
        for (int i = 0; i < 5; i++) {
            h.writer.write(i, null);
        }
        h.fireTimers(); // the connector's own callback would wait here until all 4 buffered entries were sent
        assertThat(h.stream.inFlightEntries()).containsExactly(0);
        assertThat(h.bufferedEntries()).containsExactly(1, 2, 3, 4);
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

    /** A checkpoint taken while the stream refused holds a full buffer: the restored writer must send it. */
    @Example
    void aRestoredFullBufferIsSentAndWritesResume() throws Exception {
        List<Integer> restored = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            restored.add(-1 - i);
        }
        Harness h = new Harness(CAPACITY, List.of(Harness.state(restored)), new ArrayList<>(), new long[1]);
        assertThat(h.shedding().buffered()).isEqualTo(12);
        h.writer.write(1_000, null);
        assertThat(h.dropped()).isEqualTo(1); // full: no write reaches the connector, so only its timer can send

        h.recover();
        assertThat(h.delivered).containsExactlyInAnyOrderElementsOf(restored);
        h.writer.write(1_001, null);
        h.recover();
        assertThat(h.delivered).contains(1_001);
        assertThat(h.dropped()).isEqualTo(1);
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
                "Kinesis sink to stream shadow: buffer full (2 entries or more waiting for the stream); dropped 1 entries in"
                        + " the last 0 s (1 since this writer started) rather than hold back the job (metric"
                        + " kinesisanalytics.sinkDroppedEntries; at most one such warning every 30 s)",
                "Kinesis sink to stream shadow: buffer full (2 entries or more waiting for the stream); dropped 4 entries in"
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
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Step.TIMER)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.CHECKPOINT)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.CHECKPOINT_WHILE_IN_FLIGHT)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.RESTORE)))
                .list().ofMaxSize(300);
    }

    /** The connector would block the task: its mailbox has nothing to run while it waits. */
    static final class WouldWait extends RuntimeException {
        WouldWait() {
            super("the sink writer waited for the stream");
        }
    }

    /** A MonitoredSink around {@link FakeStream}, with a mailbox and timers the test runs. */
    private static final class Harness {
        final Deque<ThrowingRunnable<? extends Exception>> mails = new ArrayDeque<>();
        final List<ProcessingTimeService.ProcessingTimeCallback> timers = new ArrayList<>();
        final Map<String, Counter> counters = new ConcurrentHashMap<>();
        final FakeSink sink = new FakeSink();
        final StatefulSink.StatefulSinkWriter<Integer, BufferedRequestState<Integer>> writer;
        final FakeStream stream;
        /** Shared by a writer and the writers restored after it, as the stream is. */
        final List<Integer> delivered;
        /** Dropped by the writers before this one. */
        final long[] droppedBefore;
        private final int shedAt;

        Harness(int shedAt) throws IOException {
            this(shedAt, null, new ArrayList<>(), new long[1]);
        }

        Harness(int shedAt, Collection<BufferedRequestState<Integer>> restored, List<Integer> delivered,
                long[] droppedBefore) throws IOException {
            this.shedAt = shedAt;
            this.delivered = delivered;
            this.droppedBefore = droppedBefore;
            MonitoredSink<Integer, BufferedRequestState<Integer>> monitored =
                    new MonitoredSink<>(sink, "shadow", Duration.ofSeconds(30), shedAt, Duration.ofMillis(2));
            Sink.InitContext context = context();
            writer = restored == null ? monitored.createWriter(context) : monitored.restoreWriter(context, restored);
            stream = sink.stream;
            stream.delivered = delivered;
        }

        static BufferedRequestState<Integer> state(List<Integer> entries) {
            List<org.apache.flink.connector.base.sink.writer.RequestEntryWrapper<Integer>> wrapped = new ArrayList<>();
            entries.forEach(e -> wrapped.add(new org.apache.flink.connector.base.sink.writer.RequestEntryWrapper<>(e, 4)));
            return new BufferedRequestState<>(wrapped);
        }

        @SuppressWarnings("unchecked")
        ShedWhenFullWriter<Integer, BufferedRequestState<Integer>> shedding() {
            return (ShedWhenFullWriter<Integer, BufferedRequestState<Integer>>) writer;
        }

        long dropped() {
            Counter c = counters.get("kinesisanalytics.stream.shadow.sinkDroppedEntries");
            return c == null ? 0 : c.getCount();
        }

        long droppedInAllLives() {
            return droppedBefore[0] + dropped();
        }

        long trueBuffer() {
            return bufferedEntries().size();
        }

        List<Integer> bufferedEntries() {
            List<Integer> entries = new ArrayList<>();
            stream.snapshotState(0).get(0).getBufferedRequestEntries().forEach(e -> entries.add(e.getRequestEntry()));
            return entries;
        }

        /** As Flink before a checkpoint barrier: wait for the requests in flight, then snapshot. */
        List<BufferedRequestState<Integer>> checkpoint() throws Exception {
            while (!stream.requests.isEmpty()) {
                stream.complete(0);
                runMails();
            }
            writer.flush(false);
            return writer.snapshotState(1);
        }

        /** A checkpoint, then a new writer restored from it (the old one's counters gone, as after a restart). */
        Harness restored() throws Exception {
            List<BufferedRequestState<Integer>> state = checkpoint();
            writer.close();
            droppedBefore[0] += dropped();
            return new Harness(shedAt, state, delivered, droppedBefore);
        }

        void fireTimers() throws Exception {
            List<ProcessingTimeService.ProcessingTimeCallback> due = new ArrayList<>(timers);
            timers.clear();
            for (ProcessingTimeService.ProcessingTimeCallback timer : due) {
                timer.onProcessingTime(Long.MAX_VALUE / 2);
            }
        }

        /** The stream takes everything again: requests succeed and timers fire until nothing waits. */
        void recover() throws Exception {
            for (int i = 0; i < 10_000 && (!stream.requests.isEmpty() || trueBuffer() > 0); i++) {
                stream.complete(0);
                runMails();
                fireTimers();
                runMails();
            }
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
                    timers.add(callback); // fired when the test says
                    return null;
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
     * Flink's async writer as the shadow sink configures it (batches of one), with 3 requests in flight and 10
     * entries buffered; its requests wait for the test, and a failure counts its entries in the writer's error counter
     * before handing them back, as the Kinesis writer does.
     */
    private static final class FakeStream extends AsyncSinkWriter<Integer, Integer> {
        final Deque<Request> requests = new ArrayDeque<>();
        List<Integer> delivered = new ArrayList<>();
        private final Counter errors;

        FakeStream(Sink.InitContext context, Collection<BufferedRequestState<Integer>> state) {
            super((element, c) -> element, context, 1, 3, CAPACITY, 1_000, 100, 100, state);
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
