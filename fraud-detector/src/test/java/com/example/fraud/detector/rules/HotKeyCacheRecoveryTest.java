package com.example.fraud.detector.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.FraudDetectionPipeline;
import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.testing.Script;
import com.example.fraud.model.Alert;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleSets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hot-key cache inside real tasks, where Flink itself must call its write-back before each checkpoint barrier: a
 * job on RocksDB, checkpointing every 100 ms, fails once while a flooded account's 10-minute sliding state is
 * cached, restores from its last checkpoint, and must raise exactly the alerts of an undisturbed run on the heap.
 */
class HotKeyCacheRecoveryTest {

    /** The job's metrics, so the test sees that the hot key really was cached at a checkpoint. */
    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .setConfiguration(METRICS.addToConfiguration(new Configuration())).build());

    private static final DetectionSettings SETTINGS = DetectionSettings.builder()
            .maxOutOfOrderness(Duration.ofSeconds(1))
            .allowedLateness(Duration.ofSeconds(10))
            .maxClockSkew(Duration.ZERO)
            .idleTimeout(Duration.ofMinutes(10))
            .build();

    /** Sums over 1000.00 in any 10 minutes: 0.50 a transaction crosses at the 2,001st, cached from the 1,000th. */
    private static final String RULES = "[{\"rule_id\":\"sum-10m\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
            + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT10M\"},\"threshold\":1000.00}]";

    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicInteger CHECKPOINTS = new AtomicInteger();
    /** The most keys the evaluator's cache held when a checkpoint completed. */
    static final AtomicInteger CACHED_AT_CHECKPOINT = new AtomicInteger();

    /** Fails the job once, on the hot account's first alert, if a checkpoint has completed by then. */
    static final class FailOnceAfterACheckpoint implements MapFunction<Alert, Alert>, CheckpointListener {
        @Override
        public Alert map(Alert alert) {
            if (alert.groupKey.equals("H") && CHECKPOINTS.get() > 0 && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure while the hot key is cached");
            }
            return alert;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTS.incrementAndGet();
            CACHED_AT_CHECKPOINT.accumulateAndGet(cachedKeys(), Math::max);
        }

        /** The hotKeysCached gauges, read from another task's thread: a sample, good enough to see a key cached. */
        private static int cachedKeys() {
            int most = 0;
            for (Map<String, Metric> group : METRICS.getMetricsByGroup().values()) {
                Metric m = group.get("hotKeysCached");
                if (m instanceof Gauge) {
                    most = Math.max(most, ((Number) ((Gauge<?>) m).getValue()).intValue());
                }
            }
            return most;
        }
    }

    /** Account H: 6,000 transactions of 0.50, 100 ms apart; L beside it, 100 times slower; pauses for checkpoints. */
    private static Script script() {
        Script s = Script.shards("s0", "s1");
        for (int i = 0; i < 6_000; i++) {
            s.txn("s0", "h" + i, "H", "0.50", i * 0.1);
            if (i % 100 == 0) {
                s.txn("s1", "l" + i, "L", "0.50", i * 0.1);
            }
            if (i % 200 == 199) {
                s.pause();
            }
        }
        return s;
    }

    /** Alerts by id (a restored job sends again those after its checkpoint), all fields but detected_at. */
    private static Map<String, String> run(boolean rocksDbWithFailure) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.getConfig().setAutoWatermarkInterval(10);
        if (rocksDbWithFailure) {
            env.setStateBackend(new EmbeddedRocksDBStateBackend());
            env.enableCheckpointing(100);
            env.setRestartStrategy(RestartStrategies.fixedDelayRestart(1, 0));
        } else {
            env.setRestartStrategy(RestartStrategies.noRestart());
        }
        List<Rule> rules = RuleSets.parse(RULES);
        FraudDetectionPipeline.Outputs outputs = FraudDetectionPipeline.build(env, script().bounded(SETTINGS),
                "scripted shards", SETTINGS, rules, RuleCommands.none(env));
        DataStream<Alert> alerts = rocksDbWithFailure
                ? outputs.alerts.map(new FailOnceAfterACheckpoint()).name("fail once").setParallelism(1)
                : outputs.alerts;
        Map<String, String> byId = new LinkedHashMap<>();
        try (CloseableIterator<Alert> it = alerts.collectAsync()) {
            env.execute("hot key cache recovery");
            it.forEachRemaining(a -> byId.put(a.alertId, HotKeyCacheTest.describe(a)));
        }
        return byId;
    }

    @Test
    @Timeout(180)
    void aJobRestoredWhileAHotKeyIsCachedRaisesTheAlertsOfAnUndisturbedRun() throws Exception {
        Map<String, String> expected = run(false);
        assertThat(expected).hasSize(2).allSatisfy((id, alert) -> assertThat(id).startsWith("sum-10m:H:"));

        FAILED.set(false);
        CHECKPOINTS.set(0);
        CACHED_AT_CHECKPOINT.set(0);
        Map<String, String> restored = run(true);

        assertThat(FAILED).as("the injected failure happened").isTrue();
        assertThat(CACHED_AT_CHECKPOINT).as("the hot account was cached when a checkpoint completed").hasValue(1);
        assertThat(new ArrayList<>(restored.entrySet())).containsExactlyInAnyOrderElementsOf(expected.entrySet());
    }
}
