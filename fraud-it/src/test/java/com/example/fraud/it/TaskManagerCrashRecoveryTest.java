package com.example.fraud.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.fraud.detector.FraudDetectorJob;
import com.example.fraud.it.cluster.FlinkCluster;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A TaskManager crash on a real cluster: a TaskManager running the job is killed with SIGKILL mid-stream,
 * and the job must come back on the other TaskManager from its last checkpoint and still produce exactly
 * the expected alerts once duplicates are dropped by alert_id.
 *
 * <p>Parallelism 2 over four input shards: each source subtask reads two shards, so the restore brings back
 * several shards' positions and watermark holds per subtask, and keyed state split over two subtasks. Two
 * TaskManagers of two slots: wherever the scheduler put the two subtasks, the survivor has the slots for both.
 *
 * <p>EARLY firing, the default and what production runs: alerts emitted between the last checkpoint and the
 * crash are emitted again after the restore, so this is where duplicates appear and dedup is exercised. The
 * alert totals are still checked: a transaction counted twice would move the crossing and change the total.
 *
 * <p>Short heartbeats (1 s interval, 8 s timeout instead of 10 s / 50 s) so that the JobManager declares the
 * dead TaskManager lost in seconds; a failed heartbeat RPC to a dead process usually notices it even sooner.
 */
class TaskManagerCrashRecoveryTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final int PARALLELISM = 2;
    private static final int INPUT_SHARDS = 4;

    @Test
    @Timeout(480)
    void jobRestoresFromItsLastCheckpointOnTheStandbyTaskManagerAfterKillMinus9() throws Exception {
        Path work = Paths.get("target", "crash-it").toAbsolutePath();
        Path appJar = TestEnvironment.appJar();
        long t0 = System.nanoTime();
        try (LocalKinesis kinesis = TestEnvironment.startKinesis(work, INPUT_SHARDS);
                FlinkCluster cluster = FlinkCluster.builder().taskManagers(2).slots(PARALLELISM)
                        .conf("execution.checkpointing.interval", "2 s")
                        .conf("state.checkpoints.dir", work.resolve("checkpoints").toUri().toString())
                        .conf("heartbeat.interval", "1000")
                        .conf("heartbeat.timeout", "8000")
                        .start()) {
            timing("emulator and cluster (2 TMs x 2 slots) up", t0);
            Path config = TestEnvironment.writeConfig(work.resolve("application-properties.json"), kinesis.endpoint(),
                    "EARLY");
            List<String> args = List.of("--config", config.toString());

            String jarId = cluster.uploadJar(appJar);
            long submit = System.nanoTime();
            String job = cluster.run(jarId, FraudDetectorJob.class.getName(), args, PARALLELISM, null);
            cluster.waitForRunning(job, TIMEOUT);
            PipelineProbe.await(kinesis.client(), StreamNames.INPUT, StreamNames.DEAD_LETTERS, Duration.ofSeconds(90));
            timing("submit to reading input", submit);

            ScenarioMix mix = TestEnvironment.mixWithoutLateRecords();
            TransactionGenerator generator = TestEnvironment.generator(kinesis, config, mix, 100, 60, Duration.ofSeconds(40), 23);
            long checkpointsBefore = cluster.completedCheckpoints(job);
            long generation = System.nanoTime();
            CompletableFuture<GroundTruth> generating = TestEnvironment.runAsync(generator);

            // Kill once this run's records are in a completed checkpoint, so the restore brings back real state.
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> generator.generated() >= 600
                    && cluster.completedCheckpoints(job) >= checkpointsBefore + 2);
            // Right after a fresh alert, which the last completed checkpoint then most likely predates: the restore
            // replays it, and the duplicate is what consumers drop by alert_id.
            StreamCollector alerts = new StreamCollector(kinesis.client(), StreamNames.ALERTS, null);
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
                alerts.poll();
                return alerts.caughtUp();
            });
            int alertsBefore = alerts.alerts().size();
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
                alerts.poll();
                return alerts.alerts().size() > alertsBefore;
            });
            Set<String> running = cluster.taskManagersOf(job);
            assertThat(running).isNotEmpty();
            String victim = running.iterator().next();
            String standby = victim.equals("taskmanager-1") ? "taskmanager-2" : "taskmanager-1";
            System.out.printf("[crash] job on %s%n", running);
            long checkpointsAtKill = cluster.completedCheckpoints(job);
            long sentAtKill = generator.generated();
            timing("generation start to kill", generation);

            long kill = System.nanoTime();
            long pid = cluster.killHard(victim, Duration.ofSeconds(30));
            System.out.printf("[crash] kill -9 %s (pid %d) after %d records, %d checkpoints%n",
                    victim, pid, sentAtKill, checkpointsAtKill);
            // Region failover restarts the tasks without the job ever leaving RUNNING: watch the tasks, not the job.
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> !cluster.taskManagersOf(job).contains(victim));
            timing("kill to failure noticed", kill);
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> cluster.restoredCheckpointId(job).isPresent()
                            && cluster.taskManagersOf(job).equals(Set.of(standby)));
            cluster.waitForRunning(job, TIMEOUT);
            timing("kill to RUNNING on the standby", kill);
            long restored = cluster.restoredCheckpointId(job).orElseThrow();
            System.out.printf("[crash] restored checkpoint %d on %s%n", restored, standby);
            assertThat(cluster.taskManagersOf(job)).containsExactly(standby);
            assertThat(restored).isPositive();
            assertThat(cluster.restoredFrom(job)).hasValueSatisfying(p -> assertThat(p).contains("chk-" + restored));
            assertThat(generating).as("transactions still flowing after the restore").isNotDone();

            GroundTruth truth = generating.get();
            timing("generation (main and tail)", generation);
            assertThat(generator.generated()).as("records sent after the kill").isGreaterThan(sentAtKill);
            long collect = System.nanoTime();
            StreamCollector collected = TestEnvironment.collectUntilComplete(kinesis, truth, Duration.ofSeconds(90));
            timing("generator end to all alerts in", collect);
            EvaluationResult result = Evaluation.evaluate(truth, collected.alerts(), collected.deadLetters());
            TestEnvironment.print(result);
            System.out.printf("[crash] alerts expected %d, received %d raw, %d distinct; duplicates dropped %d%n",
                    result.expected, collected.alerts().size(), result.received, result.duplicatesDropped);

            TestEnvironment.assertExactAfterDedup(truth, result, 5);

            cluster.cancel(job);
            timing("whole test", t0);
        }
    }

    static void timing(String what, long sinceNanos) {
        System.out.printf("[timing] %-40s %6.1f s%n", what, (System.nanoTime() - sinceNanos) / 1e9);
    }
}
