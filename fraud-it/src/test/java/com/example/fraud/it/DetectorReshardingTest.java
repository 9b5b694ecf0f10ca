package com.example.fraud.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.fraud.detector.FraudDetectorJob;
import com.example.fraud.detector.config.ApplicationProperties;
import com.example.fraud.detector.config.JobConfig;
import com.example.fraud.it.cluster.FlinkCluster;
import com.example.fraud.it.reshard.StreamResharding;
import com.example.fraud.tools.emulator.LocalKinesis;
import com.example.fraud.tools.emulator.StreamNames;
import com.example.fraud.tools.evaluate.Evaluation;
import com.example.fraud.tools.evaluate.EvaluationResult;
import com.example.fraud.tools.evaluate.StreamCollector;
import com.example.fraud.tools.generator.GroundTruth;
import com.example.fraud.tools.generator.ScenarioMix;
import com.example.fraud.tools.generator.TransactionGenerator;
import com.example.fraud.tools.probe.PipelineProbe;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Resharding mid-stream: the input starts on 3 shards, is split to 6 while transactions flow, the job is
 * stopped with a savepoint right after the split, resumed from it, and the stream is merged back to 3.
 * After a split an account's records move from a parent shard to a child shard, so a child read before its
 * parent, or a shard lost or re-read across the savepoint, shows as a missed, extra or wrongly summed
 * alert. Window-close firing: every alert carries its window's final sum, so a transaction counted twice
 * or lost in a flagged window is a total mismatch. Parallelism 2, below the shard count, as on MSF.
 */
class DetectorReshardingTest {
    private static final int PARALLELISM = 2;
    private static final double RATE = 40;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration
            .Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(PARALLELISM).build());

    /**
     * The job's own graph and source. With connector 4.3.0's FLIP-27 {@code KinesisStreamsSource} this failed 4 runs
     * of 4 ("Have records for a split that was not registered" when a closed shard is read with a backlog, fixed
     * upstream in 5.0 by FLINK-36427: recall 0.04 to 0.62); with the {@code FlinkKinesisConsumer} the job now uses,
     * it is exact. The consumer's shard state is serialized with Kryo, which on Java 17 needs
     * {@code --add-opens java.base/java.util=ALL-UNNAMED} (set for this module's tests; MSF runs Java 11).
     */
    @Test
    @Timeout(360)
    void detectsExactlyAcrossSplitSavepointAndMerge(@InjectMiniCluster MiniCluster cluster) throws Exception {
        assertExact(run(cluster));
    }

    /** What one run saw. */
    private static final class Outcome {
        GroundTruth truth;
        EvaluationResult result;
        StreamCollector collected;
        String savepoint;
        String restoredFrom;
        boolean generatingAtSavepoint;
        long sentAtSplit;
        long sentAtResume;
        long sentAtMerge;
    }

    private static Outcome run(MiniCluster cluster) throws Exception {
        Path work = Paths.get("target", "reshard").toAbsolutePath();
        Outcome o = new Outcome();
        long t0 = System.nanoTime();
        try (LocalKinesis kinesis = TestEnvironment.startKinesis(work, 3)) {
            Path configFile = TestEnvironment.writeConfig(work.resolve("application-properties.json"),
                    kinesis.endpoint(), "WINDOW_CLOSE");
            JobConfig config = JobConfig.fromPropertyGroups(ApplicationProperties.fromFile(configFile));
            JobClient job = submit(config, null);
            DetectorEndToEndTest.awaitRunning(job);
            PipelineProbe.await(kinesis.client(), StreamNames.INPUT, StreamNames.DEAD_LETTERS, Duration.ofSeconds(90));
            log(t0, "reading; shards: " + StreamResharding.describeShards(kinesis.client(), StreamNames.INPUT));

            // No beyond-lateness records: after a restore the watermark restarts from the backlog, so whether
            // such a record is late depends on read timing. Any LATE dead letter here is a transaction lost.
            ScenarioMix mix = new ScenarioMix(0.05, 0.01, 0.01, 0.05, 0, 0.005);
            TransactionGenerator generator = TestEnvironment.generator(kinesis, configFile, mix, 120, RATE, Duration.ofSeconds(45), 23);
            CompletableFuture<GroundTruth> generating = TestEnvironment.runAsync(generator);

            await().atMost(TIMEOUT).until(() -> generator.generated() >= RATE * 12);
            StreamResharding.updateShardCount(kinesis.client(), StreamNames.INPUT, 6, TIMEOUT);
            o.sentAtSplit = generator.generated();
            log(t0, "split to 6 after " + o.sentAtSplit + " records; shards: "
                    + StreamResharding.describeShards(kinesis.client(), StreamNames.INPUT));

            o.savepoint = job.stopWithSavepoint(false, work.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            o.generatingAtSavepoint = !generating.isDone();
            log(t0, "stopped with savepoint " + o.savepoint);

            JobClient resumed = submit(config, o.savepoint);
            DetectorEndToEndTest.awaitRunning(resumed);
            o.sentAtResume = generator.generated();
            RestoredCheckpointStats restored = cluster.getExecutionGraph(resumed.getJobID()).get()
                    .getCheckpointStatsSnapshot().getLatestRestoredCheckpoint();
            o.restoredFrom = restored == null ? null : restored.getExternalPath();
            log(t0, "resumed after " + o.sentAtResume + " records, from " + o.restoredFrom);

            await().atMost(TIMEOUT).until(() -> generator.generated() >= o.sentAtSplit + RATE * 12);
            StreamResharding.updateShardCount(kinesis.client(), StreamNames.INPUT, 3, TIMEOUT);
            o.sentAtMerge = generator.generated();
            log(t0, "merged to 3 after " + o.sentAtMerge + " records; shards: "
                    + StreamResharding.describeShards(kinesis.client(), StreamNames.INPUT));

            o.truth = generating.get();
            log(t0, "generator done: " + o.truth.totals.records + " records");
            o.collected = TestEnvironment.collectUntilComplete(kinesis, o.truth, Duration.ofSeconds(60));
            o.result = Evaluation.evaluate(o.truth, o.collected.alerts(), o.collected.deadLetters());
            TestEnvironment.print(o.result);
            EvaluationResult r = o.result;
            System.out.printf("[reshard] expected=%d received=%d missed=%d extra=%d duplicates=%d"
                    + " totalMismatches=%d lateDeadLetters=%d malformedMissing=%d records=%d split@%d resume@%d"
                    + " merge@%d%n", r.expected, r.received, r.missed.size(), r.extra.size(),
                    r.duplicatesDropped, r.totalMismatches.size(), r.lateFound + r.lateUnexpected.size(),
                    r.malformedMissing.size(), o.truth.totals.records, o.sentAtSplit, o.sentAtResume, o.sentAtMerge);
            resumed.cancel().get();
            log(t0, "whole run");
        }
        return o;
    }

    private static JobClient submit(JobConfig config, String savepoint) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(PARALLELISM);
        env.enableCheckpointing(5_000);
        FraudDetectorJob.define(env, config, false);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName("fraud-detector resharding");
        if (savepoint != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        }
        return env.executeAsync(graph);
    }

    private static void assertExact(Outcome o) {
        assertThat(o.generatingAtSavepoint).as("transactions still flowing at the savepoint").isTrue();
        assertThat(o.restoredFrom).as("resumed from the savepoint").isNotNull();
        assertThat(FlinkCluster.toPath(o.restoredFrom)).isEqualTo(FlinkCluster.toPath(o.savepoint));
        assertThat(o.sentAtMerge).as("records sent between the split and the merge").isGreaterThan(o.sentAtSplit);
        assertThat(o.truth.totals.failed).isZero();
        assertThat(o.truth.totals.expectedAlerts).isGreaterThanOrEqualTo(10);
        assertThat(o.truth.totals.exactWindows).isPositive();
        EvaluationResult r = o.result;
        assertThat(r.missed).as("missed alerts").isEmpty();
        assertThat(r.extra).as("invented alerts").isEmpty();
        assertThat(r.flaggedAtThreshold).isEmpty();
        // Window-close totals are the full window sums: nothing counted twice, nothing lost.
        assertThat(r.totalMismatches).as("alerts whose window total is wrong").isEmpty();
        assertThat(o.collected.alerts()).allMatch(a -> a.alert.trigger == com.example.fraud.model.Alert.Trigger.WINDOW_CLOSE);
        assertThat(r.lateUnexpected).as("transactions dead-lettered as LATE").isEmpty();
        assertThat(r.malformedMissing).isEmpty();
        assertThat(r.precision).isEqualTo(1.0);
        assertThat(r.recall).isEqualTo(1.0);
    }

    private static void log(long t0, String what) {
        System.out.printf("[reshard %5.1f s] %s%n", (System.nanoTime() - t0) / 1e9, what);
    }
}
