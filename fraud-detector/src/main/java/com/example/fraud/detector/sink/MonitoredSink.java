package com.example.fraud.detector.sink;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobInfo;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSink;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.CharacterFilter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.metrics.groups.OperatorIOMetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.traces.SpanBuilder;
import org.apache.flink.util.UserCodeClassLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateful sink (the Kinesis sink) whose failed entries are visible: its writer gets a metric group whose
 * numRecordsOutErrors counter is a {@link FailedEntriesCounter}. Everything else, the writer state and its
 * serializer included, is the wrapped sink's, so savepoints taken with the bare sink restore unchanged.
 *
 * <p>The Kinesis connector 4.3 implements only the deprecated {@code Sink.InitContext} overloads; Flink 1.19
 * calls them through its {@code WriterInitContext} defaults, so this class implements the same ones.
 */
@SuppressWarnings("deprecation")
public final class MonitoredSink<T, S> implements StatefulSink<T, S> {
    private static final long serialVersionUID = 1L;
    private static final Logger SHED_LOG = LoggerFactory.getLogger(ShedWhenFullWriter.class);

    /** MSF forwards custom metrics to CloudWatch only from this group. */
    static final String METRIC_GROUP = "kinesisanalytics";
    static final String FAILED_ENTRIES = "sinkFailedEntries";
    /**
     * Gauge of the sinks that hold the job back (not the shedding shadow sink): 1 while entries failed within the last
     * minute. The CloudFormation template alarms on it.
     */
    public static final String FAILING = "sinkFailing";
    static final String DROPPED_ENTRIES = "sinkDroppedEntries";

    private final StatefulSink<T, S> delegate;
    private final String streamName;
    private final Duration warnInterval;
    private final int shedAt;
    private final Duration checkpointWait;

    /** A sink whose full buffer holds the job back, as the connector does. */
    public MonitoredSink(StatefulSink<T, S> delegate, String streamName, Duration warnInterval) {
        this(delegate, streamName, warnInterval, 0, Duration.ZERO);
    }

    /**
     * With {@code shedAt > 0}, a writer that never holds the task for long ({@link ShedWhenFullWriter}): an entry
     * that finds that many entries buffered is dropped and counted in kinesisanalytics.sinkDroppedEntries (set it to
     * the connector's maxBufferedRequests, where its writer would wait), and a checkpoint waits at most
     * {@code checkpointWait} for the requests in flight.
     */
    public MonitoredSink(StatefulSink<T, S> delegate, String streamName, Duration warnInterval, int shedAt,
            Duration checkpointWait) {
        this.delegate = delegate;
        this.streamName = streamName;
        this.warnInterval = warnInterval;
        this.shedAt = shedAt;
        this.checkpointWait = checkpointWait;
    }

    @Override
    @SuppressWarnings("unchecked")
    public StatefulSinkWriter<T, S> createWriter(InitContext context) throws IOException {
        MonitoredContext monitored = monitored(context);
        // AsyncSinkBase writers are stateful; Flink casts the result of createWriter the same way.
        return shedding((StatefulSinkWriter<T, S>) delegate.createWriter(monitored), monitored, 0);
    }

    @Override
    public StatefulSinkWriter<T, S> restoreWriter(InitContext context, Collection<S> recoveredState)
            throws IOException {
        MonitoredContext monitored = monitored(context);
        long restored = ShedWhenFullWriter.entries(recoveredState);
        return shedding(delegate.restoreWriter(monitored, recoveredState), monitored, Math.max(0, restored));
    }

    private StatefulSinkWriter<T, S> shedding(StatefulSinkWriter<T, S> writer, MonitoredContext context,
            long restored) {
        if (shedAt <= 0) {
            return writer;
        }
        Counter dropped = context.group.addGroup(METRIC_GROUP).addGroup("stream", streamName)
                .counter(DROPPED_ENTRIES, new ThreadSafeSimpleCounter());
        return new ShedWhenFullWriter<>(writer, streamName, shedAt, restored,
                context.group.getIOMetricGroup().getNumRecordsOutCounter(), context.metrics.errors, dropped,
                context.mailbox, checkpointWait, warnInterval, System::nanoTime, SHED_LOG::warn);
    }


    @Override
    public SimpleVersionedSerializer<S> getWriterStateSerializer() {
        return delegate.getWriterStateSerializer();
    }

    String streamName() {
        return streamName;
    }

    MonitoredContext monitored(InitContext context) {
        SinkWriterMetricGroup metrics = context.metricGroup();
        MetricGroup streamMetrics = metrics.addGroup(METRIC_GROUP).addGroup("stream", streamName);
        Counter failedEntries = streamMetrics.counter(FAILED_ENTRIES, new ThreadSafeSimpleCounter());
        FailedEntriesCounter errors = new FailedEntriesCounter(streamName, metrics.getNumRecordsOutErrorsCounter(),
                failedEntries, warnInterval);
        if (shedAt <= 0) {
            // Only sinks that hold the job back when they cannot write: the shadow sink drops instead (counted).
            streamMetrics.gauge(FAILING, errors::failing);
        }
        return new MonitoredContext(context, metrics, new MonitoredMetricGroup(metrics, errors),
                shedAt > 0 ? new BoundedWaitMailbox(context.getMailboxExecutor(), System::nanoTime) : null);
    }

    /** The writer's context with the metric group swapped. */
    private static final class MonitoredContext implements Sink.InitContext {
        private final Sink.InitContext context;
        private final SinkWriterMetricGroup group;
        private final MonitoredMetricGroup metrics;
        /** The mailbox of a writer whose waits are bounded; null: the task's. */
        private final BoundedWaitMailbox mailbox;

        MonitoredContext(Sink.InitContext context, SinkWriterMetricGroup group, MonitoredMetricGroup metrics,
                BoundedWaitMailbox mailbox) {
            this.context = context;
            this.group = group;
            this.metrics = metrics;
            this.mailbox = mailbox;
        }

        @Override
        public SinkWriterMetricGroup metricGroup() {
            return metrics;
        }

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            return context.getUserCodeClassLoader();
        }

        @Override
        public MailboxExecutor getMailboxExecutor() {
            return mailbox != null ? mailbox : context.getMailboxExecutor();
        }

        @Override
        public ProcessingTimeService getProcessingTimeService() {
            ProcessingTimeService time = context.getProcessingTimeService();
            if (mailbox == null) {
                return time;
            }
            // The connector's buffer timeout sends until the buffer is empty, waiting while the stream refuses: run it
            // without waiting. It sends what the rate limit allows now; requests completing send the rest. It is also
            // what first sends the entries a restore put back in the buffer.
            return new ProcessingTimeService() {
                @Override
                public long getCurrentProcessingTime() {
                    return time.getCurrentProcessingTime();
                }

                @Override
                public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback callback) {
                    return time.registerTimer(timestamp,
                            t -> mailbox.runWaitingAtMost(0, () -> callback.onProcessingTime(t)));
                }
            };
        }

        @Override
        public SerializationSchema.InitializationContext asSerializationSchemaInitializationContext() {
            return context.asSerializationSchemaInitializationContext();
        }

        @Override
        public boolean isObjectReuseEnabled() {
            return context.isObjectReuseEnabled();
        }

        @Override
        public <IN> TypeSerializer<IN> createInputSerializer() {
            return context.createInputSerializer();
        }

        @Override
        public <M> Optional<Consumer<M>> metadataConsumer() {
            return context.metadataConsumer();
        }

        @Override
        public int getSubtaskId() {
            return context.getSubtaskId();
        }

        @Override
        public int getNumberOfParallelSubtasks() {
            return context.getNumberOfParallelSubtasks();
        }

        @Override
        public int getAttemptNumber() {
            return context.getAttemptNumber();
        }

        @Override
        public OptionalLong getRestoredCheckpointId() {
            return context.getRestoredCheckpointId();
        }

        @Override
        public JobID getJobId() {
            return context.getJobId();
        }

        @Override
        public JobInfo getJobInfo() {
            return context.getJobInfo();
        }

        @Override
        public TaskInfo getTaskInfo() {
            return context.getTaskInfo();
        }
    }

    /** The writer's metric group with the error counters swapped; the rest is Flink's. */
    private static final class MonitoredMetricGroup implements SinkWriterMetricGroup {
        private final SinkWriterMetricGroup group;
        private final Counter errors;

        MonitoredMetricGroup(SinkWriterMetricGroup group, Counter errors) {
            this.group = group;
            this.errors = errors;
        }

        @Override
        public Counter getNumRecordsOutErrorsCounter() {
            return errors;
        }

        // The same counter in Flink 1.19 under its newer name, should a connector use it instead.
        @Override
        public Counter getNumRecordsSendErrorsCounter() {
            return errors;
        }

        @Override
        public Counter getNumRecordsSendCounter() {
            return group.getNumRecordsSendCounter();
        }

        @Override
        public Counter getNumBytesSendCounter() {
            return group.getNumBytesSendCounter();
        }

        @Override
        public void setCurrentSendTimeGauge(Gauge<Long> gauge) {
            group.setCurrentSendTimeGauge(gauge);
        }

        @Override
        public OperatorIOMetricGroup getIOMetricGroup() {
            return group.getIOMetricGroup();
        }

        @Override
        public void addSpan(SpanBuilder spanBuilder) {
            group.addSpan(spanBuilder);
        }

        @Override
        public Counter counter(String name) {
            return group.counter(name);
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            return group.counter(name, counter);
        }

        @Override
        public <V, G extends Gauge<V>> G gauge(String name, G gauge) {
            return group.gauge(name, gauge);
        }

        @Override
        public <H extends Histogram> H histogram(String name, H histogram) {
            return group.histogram(name, histogram);
        }

        @Override
        public <M extends Meter> M meter(String name, M meter) {
            return group.meter(name, meter);
        }

        @Override
        public MetricGroup addGroup(String name) {
            return group.addGroup(name);
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return group.addGroup(key, value);
        }

        @Override
        public String[] getScopeComponents() {
            return group.getScopeComponents();
        }

        @Override
        public Map<String, String> getAllVariables() {
            return group.getAllVariables();
        }

        @Override
        public String getMetricIdentifier(String metricName) {
            return group.getMetricIdentifier(metricName);
        }

        @Override
        public String getMetricIdentifier(String metricName, CharacterFilter filter) {
            return group.getMetricIdentifier(metricName, filter);
        }
    }
}
