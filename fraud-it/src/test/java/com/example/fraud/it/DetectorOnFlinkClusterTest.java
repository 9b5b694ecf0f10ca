package com.example.fraud.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.FraudDetectorJob;
import com.example.fraud.it.cluster.FlinkCluster;
import com.example.fraud.rules.RuleAck;
import com.example.fraud.tools.emulator.LocalKinesis;
import com.example.fraud.tools.emulator.StreamNames;
import com.example.fraud.tools.evaluate.Evaluation;
import com.example.fraud.tools.evaluate.EvaluationResult;
import com.example.fraud.tools.evaluate.StreamCollector;
import com.example.fraud.tools.generator.GroundTruth;
import com.example.fraud.tools.generator.ScenarioMix;
import com.example.fraud.tools.generator.TransactionGenerator;
import com.example.fraud.tools.probe.PipelineProbe;
import com.example.fraud.tools.rules.RuleControl;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The application jar on a real standalone Flink cluster (JobManager and TaskManager in their own JVMs),
 * submitted through the REST API, stopped with a savepoint while transactions still flow, and resumed
 * from it. Window-close firing, so every alert carries its window's final sum: a transaction counted
 * twice across the savepoint would show as a wrong total or as an extra alert. A rule changed through the control
 * stream before the savepoint stays at its newest version after the restore.
 */
class DetectorOnFlinkClusterTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @Test
    @Timeout(420)
    void runsFromTheApplicationJarAndSurvivesStopWithSavepointAndResume() throws Exception {
        Path work = Paths.get("target", "cluster-it").toAbsolutePath();
        Path appJar = TestEnvironment.appJar();
        long t0 = System.nanoTime();
        try (LocalKinesis kinesis = TestEnvironment.startKinesis(work);
                FlinkCluster cluster = FlinkCluster.builder().taskManagers(1).slots(2).start()) {
            timing("emulator and cluster up", t0);
            Path config = TestEnvironment.writeConfig(work.resolve("application-properties.json"), kinesis.endpoint(),
                    "WINDOW_CLOSE");
            List<String> args = List.of("--config", config.toString());

            String jarId = cluster.uploadJar(appJar);
            long submit = System.nanoTime();
            String job = cluster.run(jarId, FraudDetectorJob.class.getName(), args, 1, null);
            cluster.waitForRunning(job, TIMEOUT);
            timing("submit to RUNNING", submit);
            PipelineProbe.await(kinesis.client(), StreamNames.INPUT, StreamNames.DEAD_LETTERS, Duration.ofSeconds(90));
            timing("submit to reading input", submit);

            // A rule changed while the job runs (shadow mode and grouped by card, so the scenario's alerts are not
            // touched): version 2 must be the one the restored job holds.
            RuleControl rules = new RuleControl(kinesis.client(), StreamNames.RULES, StreamNames.RULE_ACKS);
            assertThat(rules.put(velocity(1), RULE_ACK_WAIT).status).isEqualTo(RuleAck.Status.APPLIED);
            assertThat(rules.put(velocity(2), RULE_ACK_WAIT).status).isEqualTo(RuleAck.Status.APPLIED);

            ScenarioMix mix = TestEnvironment.mixWithoutLateRecords();
            TransactionGenerator generator = TestEnvironment.generator(kinesis, config, mix, 100, 60, Duration.ofSeconds(40), 11);
            CompletableFuture<GroundTruth> generating = TestEnvironment.runAsync(generator);

            Thread.sleep(15_000);
            long sentBeforeStop = generator.generated();
            long stop = System.nanoTime();
            String savepoint = cluster.stopWithSavepoint(job, work.resolve("savepoints"), TIMEOUT);
            timing("stop with savepoint", stop);
            assertThat(generating).as("transactions still flowing at the savepoint").isNotDone();
            assertThat(sentBeforeStop).isPositive();

            long resume = System.nanoTime();
            String resumed = cluster.run(jarId, FraudDetectorJob.class.getName(), args, 1, savepoint);
            cluster.waitForRunning(resumed, TIMEOUT);
            timing("resume to RUNNING", resume);
            assertThat(cluster.restoredFrom(resumed)).hasValueSatisfying(
                    p -> assertThat(FlinkCluster.toPath(p)).isEqualTo(FlinkCluster.toPath(savepoint)));

            // Version 1 again, as when the control stream is read from its start: the restored rule set is newer.
            RuleAck stale = rules.put(velocity(1), RULE_ACK_WAIT);
            assertThat(stale.status).isEqualTo(RuleAck.Status.REJECTED);
            assertThat(stale.reason).contains("not newer than version 2");
            assertThat(rules.list().get("cluster-velocity").version).isEqualTo(2);

            GroundTruth truth = generating.get();
            assertThat(generator.generated()).as("records sent after the savepoint").isGreaterThan(sentBeforeStop);
            long collect = System.nanoTime();
            StreamCollector collected = TestEnvironment.collectUntilComplete(kinesis, truth, Duration.ofSeconds(90));
            timing("generator end to all alerts in", collect);
            EvaluationResult result = Evaluation.evaluate(truth, collected.alerts(), collected.deadLetters());
            TestEnvironment.print(result);

            // Window-close totals are the full window sums: nothing counted twice, nothing lost.
            TestEnvironment.assertExactAfterDedup(truth, result, 5);
            assertThat(truth.totals.exactWindows).isPositive();
            assertThat(collected.alerts()).allMatch(a -> a.alert.trigger == com.example.fraud.model.Alert.Trigger.WINDOW_CLOSE);

            cluster.cancel(resumed);
            timing("whole test", t0);
        }
    }

    private static final Duration RULE_ACK_WAIT = Duration.ofSeconds(60);

    private static byte[] velocity(int version) {
        return ("{\"rule_id\":\"cluster-velocity\",\"version\":" + version + ",\"type\":\"COUNT_OVER_THRESHOLD\","
                + "\"group_by\":\"card_id\",\"mode\":\"SHADOW\",\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT10M\"},"
                + "\"min_count\":" + (3 + version) + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void timing(String what, long sinceNanos) {
        System.out.printf("[timing] %-40s %6.1f s%n", what, (System.nanoTime() - sinceNanos) / 1e9);
    }
}
