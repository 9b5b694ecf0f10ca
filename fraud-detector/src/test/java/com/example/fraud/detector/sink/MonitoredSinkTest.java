package com.example.fraud.detector.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.config.ApplicationProperties;
import com.example.fraud.detector.config.JobConfig;
import com.example.fraud.model.Alert;
import com.example.fraud.rules.RuleAck;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSink;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.metrics.groups.InternalSinkWriterMetricGroup;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("deprecation")
class MonitoredSinkTest {

    @Test
    void theWritersErrorCounterAlsoCountsUnderKinesisanalytics() throws IOException {
        Map<String, Counter> counters = new ConcurrentHashMap<>();
        CapturingSink delegate = new CapturingSink();
        MonitoredSink<String, String> sink = new MonitoredSink<>(delegate, "fraud-alerts", Duration.ofSeconds(30));

        sink.createWriter(context(InternalSinkWriterMetricGroup.wrap(new RecordingMetricGroup(counters))));
        delegate.context.metricGroup().getNumRecordsOutErrorsCounter().inc(3);
        delegate.context.metricGroup().getNumRecordsSendErrorsCounter().inc(2);

        assertThat(counters.get("numRecordsOutErrors").getCount()).isEqualTo(5);
        assertThat(counters.get("kinesisanalytics.stream.fraud-alerts.sinkFailedEntries").getCount()).isEqualTo(5);
        // The rest of the context is the runtime's.
        assertThat(delegate.context.getSubtaskId()).isEqualTo(3);
        assertThat(delegate.context.metricGroup().getNumRecordsSendCounter())
                .isSameAs(counters.get("numRecordsSend"));
    }

    @Test
    void aGaugeTellsWhetherEntriesFailedInTheLastMinute() throws IOException {
        Map<String, Gauge<?>> gauges = new ConcurrentHashMap<>();
        CapturingSink delegate = new CapturingSink();
        MonitoredSink<String, String> sink = new MonitoredSink<>(delegate, "fraud-alerts", Duration.ofSeconds(30));

        sink.createWriter(context(InternalSinkWriterMetricGroup.wrap(
                new RecordingMetricGroup(new ConcurrentHashMap<>(), gauges))));
        Gauge<?> failing = gauges.get("kinesisanalytics.stream.fraud-alerts.sinkFailing");
        assertThat(failing.getValue()).isEqualTo(0);
        delegate.context.metricGroup().getNumRecordsOutErrorsCounter().inc(3);

        assertThat(failing.getValue()).isEqualTo(1);

        // The shadow sink drops rather than holds the job back: its failures are not what the gauge alarms on.
        Map<String, Gauge<?>> shadowGauges = new ConcurrentHashMap<>();
        new MonitoredSink<>(new CapturingSink(), "fraud-shadow-alerts", Duration.ofSeconds(30), 100,
                Duration.ofSeconds(1)).createWriter(context(InternalSinkWriterMetricGroup.wrap(
                        new RecordingMetricGroup(new ConcurrentHashMap<>(), shadowGauges))));
        assertThat(shadowGauges).doesNotContainKey("kinesisanalytics.stream.fraud-shadow-alerts.sinkFailing");
    }

    @Test
    void restoresThroughTheDelegateWithItsStateSerializer() throws IOException {
        CapturingSink delegate = new CapturingSink();
        MonitoredSink<String, String> sink = new MonitoredSink<>(delegate, "fraud-alerts", Duration.ofSeconds(30));

        InternalSinkWriterMetricGroup metrics =
                InternalSinkWriterMetricGroup.wrap(new RecordingMetricGroup(new ConcurrentHashMap<>()));
        sink.restoreWriter(context(metrics), List.of("buffered"));

        assertThat(delegate.restored).containsExactly("buffered");
        assertThat(delegate.context.metricGroup().getNumRecordsOutErrorsCounter())
                .isInstanceOf(FailedEntriesCounter.class);
        assertThat(sink.getWriterStateSerializer()).isSameAs(CapturingSink.SERIALIZER);
    }

    @Test
    void theKinesisSinksAreMonitoredAndSerializable(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("application-properties.json");
        Files.writeString(file, "[" + group("InputStream", "fraud-transactions") + ","
                + group("AlertStream", "fraud-alerts") + "," + group("DeadLetterStream", "fraud-dead-letters") + ","
                + group("RuleStream", "fraud-rules") + "," + group("RuleAckStream", "fraud-rule-acks") + ","
                + group("ShadowAlertStream", "fraud-shadow-alerts") + "]");
        JobConfig config = JobConfig.fromPropertyGroups(ApplicationProperties.fromFile(file));

        Sink<Alert> alerts = KinesisSinks.alerts(config.alerts, Duration.ofMillis(100));

        assertThat(alerts).isInstanceOf(MonitoredSink.class);
        assertThat(((MonitoredSink<?, ?>) alerts).streamName()).isEqualTo("fraud-alerts");
        assertThat(InstantiationUtil.clone(alerts)).isInstanceOf(MonitoredSink.class);
        assertThat(KinesisSinks.deadLetters(config.deadLetters, Duration.ofMillis(100)))
                .isInstanceOf(MonitoredSink.class);
        Sink<Alert> shadow = KinesisSinks.shadowAlerts(config.shadowAlerts, Duration.ofMillis(100), 10_000);
        assertThat(((MonitoredSink<?, ?>) shadow).streamName()).isEqualTo("fraud-shadow-alerts");
        assertThat(InstantiationUtil.clone(shadow)).isInstanceOf(MonitoredSink.class);
        Sink<RuleAck> acks = KinesisSinks.ruleAcks(config.ruleAcks, Duration.ofMillis(100));
        assertThat(((MonitoredSink<?, ?>) acks).streamName()).isEqualTo("fraud-rule-acks");
        assertThat(InstantiationUtil.clone(acks)).isInstanceOf(MonitoredSink.class);
    }

    @Test
    void ruleAcksArePartitionedByRuleIdWithinKinesisLimits() {
        assertThat(KinesisSinks.ruleAckKey(RuleAck.rejected("velocity", 2, "older", 0))).isEqualTo("velocity");
        // A record that was not a rule document has no rule id; one with a huge id is rejected but still acked.
        assertThat(KinesisSinks.ruleAckKey(RuleAck.rejected(null, 0, "not JSON", 0))).isEqualTo("no-rule-id");
        assertThat(KinesisSinks.ruleAckKey(RuleAck.rejected("", 0, "empty id", 0))).isEqualTo("no-rule-id");
        assertThat(KinesisSinks.ruleAckKey(RuleAck.rejected("x".repeat(10_000), 1, "too long", 0)))
                .hasSize(KinesisSinks.MAX_PARTITION_KEY_CHARS);
    }

    private static String group(String id, String stream) {
        return "{\"PropertyGroupId\":\"" + id + "\",\"PropertyMap\":{\"stream.arn\":"
                + "\"arn:aws:kinesis:us-east-1:000000000000:stream/" + stream + "\","
                + "\"aws.credentials.provider\":\"BASIC\",\"aws.credentials.provider.basic.accesskeyid\":\"x\","
                + "\"aws.credentials.provider.basic.secretkey\":\"x\"}}";
    }

    private static Sink.InitContext context(InternalSinkWriterMetricGroup metrics) {
        return (Sink.InitContext) Proxy.newProxyInstance(MonitoredSinkTest.class.getClassLoader(),
                new Class<?>[] {Sink.InitContext.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "metricGroup":
                            return metrics;
                        case "getSubtaskId":
                            return 3;
                        case "getMailboxExecutor": // kept by a shedding writer, not used until it writes
                            return Proxy.newProxyInstance(MonitoredSinkTest.class.getClassLoader(),
                                    new Class<?>[] {org.apache.flink.api.common.operators.MailboxExecutor.class},
                                    (p, m, a) -> {
                                        throw new UnsupportedOperationException(m.getName());
                                    });
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    /** Keeps the context and state it was given. */
    private static final class CapturingSink implements StatefulSink<String, String> {
        static final SimpleVersionedSerializer<String> SERIALIZER = new SimpleVersionedSerializer<String>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(String s) {
                return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }

            @Override
            public String deserialize(int version, byte[] bytes) {
                return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            }
        };

        transient Sink.InitContext context;
        transient Collection<String> restored;

        @Override
        public StatefulSinkWriter<String, String> createWriter(Sink.InitContext context) {
            this.context = context;
            return writer();
        }

        @Override
        public StatefulSinkWriter<String, String> restoreWriter(Sink.InitContext context,
                Collection<String> state) {
            this.context = context;
            this.restored = state;
            return writer();
        }

        @Override
        public SimpleVersionedSerializer<String> getWriterStateSerializer() {
            return SERIALIZER;
        }

        private static StatefulSinkWriter<String, String> writer() {
            return new StatefulSinkWriter<String, String>() {
                @Override
                public List<String> snapshotState(long checkpointId) {
                    return List.of();
                }

                @Override
                public void write(String element, SinkWriter.Context context) {}

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
