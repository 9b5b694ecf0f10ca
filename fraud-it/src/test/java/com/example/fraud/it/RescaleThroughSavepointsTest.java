package com.example.fraud.it;

import static com.example.fraud.it.TaskManagerCrashRecoveryTest.timing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.fraud.detector.FraudDetectorJob;
import com.example.fraud.detector.config.FraudDetectorOptions;
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
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rescaling as MSF autoscaling does it: stop with a savepoint at parallelism 1, resume at 2, stop with a
 * savepoint again and resume at 1, while transactions flow. The keyed window state moves between subtasks by
 * key group and the Kinesis shards between source readers; afterwards the alerts must still be exactly the
 * expected ones. Window-close firing, so every alert carries its window's final sum: a transaction lost or
 * counted twice across a rescale would show as a wrong total, a missing or an extra alert. On RocksDB, the backend MSF
 * runs (the other cluster tests use the heap), so savepoints go through the rule evaluator's RocksDB path.
 */
class RescaleThroughSavepointsTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** Records sent between two rescales: about 10 s of generation. */
    private static final int RECORDS_PER_PHASE = 600;

    @Test
    @Timeout(480)
    void alertsStayExactAcrossParallelismOneTwoOne() throws Exception {
        Path work = Paths.get("target", "rescale-it").toAbsolutePath();
        Path appJar = TestEnvironment.appJar();
        long t0 = System.nanoTime();
        try (LocalKinesis kinesis = TestEnvironment.startKinesis(work);
                FlinkCluster cluster = FlinkCluster.builder().taskManagers(1).slots(2)
                        .conf("state.backend.type", "rocksdb").start()) {
            timing("emulator and cluster (1 TM x 2 slots, RocksDB) up", t0);
            Path config = TestEnvironment.withDefaultIdleness(TestEnvironment.writeConfig(
                    work.resolve("application-properties.json"), kinesis.endpoint(), "WINDOW_CLOSE"));
            List<String> args = List.of("--config", config.toString());
            Path savepoints = work.resolve("savepoints");

            String jarId = cluster.uploadJar(appJar);
            long submit = System.nanoTime();
            String job = cluster.run(jarId, FraudDetectorJob.class.getName(), args, 1, null);
            cluster.waitForRunning(job, TIMEOUT);
            PipelineProbe.await(kinesis.client(), StreamNames.INPUT, StreamNames.DEAD_LETTERS, Duration.ofSeconds(90));
            timing("submit to reading input", submit);
            assertThat(parallelisms(cluster, job)).containsOnly(1);
            assertThat(cluster.get("/jobs/" + job + "/checkpoints/config").path("state_backend").asText())
                    .isEqualTo("EmbeddedRocksDBStateBackend");
            int maxParallelism = maxParallelism(cluster, job);
            assertThat(maxParallelism).as("set by the job, not derived")
                    .isEqualTo(FraudDetectorOptions.MAX_PARALLELISM);

            ScenarioMix mix = TestEnvironment.mixWithoutLateRecords();
            TransactionGenerator generator = TestEnvironment.generator(kinesis, config, mix, 100, 60, Duration.ofSeconds(45), 31);
            long generation = System.nanoTime();
            CompletableFuture<GroundTruth> generating = TestEnvironment.runAsync(generator);

            List<Long> sentAtRescale = new ArrayList<>();
            for (int parallelism : new int[] {2, 1}) {
                long target = generator.generated() + RECORDS_PER_PHASE;
                String current = job;
                // Every detector subtask has counted records (REST metrics lag by up to 10 s): at parallelism 2 the
                // accounts, and so the window state, really were spread over two subtasks.
                await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> generator.generated() >= target
                                && detectorRecordsPerSubtask(cluster, current).stream().allMatch(n -> n > 0));
                System.out.printf("[rescale] records into the detector per subtask: %s%n",
                        detectorRecordsPerSubtask(cluster, current));
                sentAtRescale.add(generator.generated());
                long stop = System.nanoTime();
                String savepoint = cluster.stopWithSavepoint(job, savepoints, TIMEOUT);
                timing("stop with savepoint", stop);
                assertThat(generating).as("transactions still flowing at the savepoint").isNotDone();

                long resume = System.nanoTime();
                job = cluster.run(jarId, FraudDetectorJob.class.getName(), args, parallelism, savepoint);
                cluster.waitForRunning(job, TIMEOUT);
                timing("resume at parallelism " + parallelism + " to RUNNING", resume);
                assertThat(cluster.restoredFrom(job)).hasValueSatisfying(
                        p -> assertThat(FlinkCluster.toPath(p)).isEqualTo(FlinkCluster.toPath(savepoint)));
                assertThat(parallelisms(cluster, job)).contains(parallelism);
                assertThat(maxParallelism(cluster, job)).as("max parallelism, fixed across rescales")
                        .isEqualTo(maxParallelism);
            }
            System.out.printf("[rescale] records sent at the rescales: %s; max parallelism %d%n",
                    sentAtRescale, maxParallelism);

            GroundTruth truth = generating.get();
            timing("generation (main and tail)", generation);
            assertThat(generator.generated()).as("records sent after the last rescale")
                    .isGreaterThan(sentAtRescale.get(1));
            long collect = System.nanoTime();
            StreamCollector collected = TestEnvironment.collectUntilComplete(kinesis, truth, Duration.ofSeconds(90));
            timing("generator end to all alerts in", collect);
            EvaluationResult result = Evaluation.evaluate(truth, collected.alerts(), collected.deadLetters());
            TestEnvironment.print(result);
            System.out.printf("[rescale] alerts expected %d, received %d raw, %d distinct; duplicates dropped %d%n",
                    result.expected, collected.alerts().size(), result.received, result.duplicatesDropped);

            // Window-close totals are the full window sums: nothing counted twice, nothing lost.
            TestEnvironment.assertExactAfterDedup(truth, result, 5);
            assertThat(truth.totals.exactWindows).isPositive();
            assertThat(collected.alerts()).allMatch(a -> a.alert.trigger == com.example.fraud.model.Alert.Trigger.WINDOW_CLOSE);

            cluster.cancel(job);
            timing("whole test", t0);
        }
    }

    private static List<Integer> parallelisms(FlinkCluster cluster, String job) {
        List<Integer> list = new ArrayList<>();
        for (JsonNode vertex : cluster.get("/jobs/" + job).path("vertices")) {
            list.add(vertex.path("parallelism").asInt());
        }
        return list;
    }

    private static List<Long> detectorRecordsPerSubtask(FlinkCluster cluster, String job) {
        List<Long> list = new ArrayList<>();
        JsonNode vertex = cluster.get("/jobs/" + job + "/vertices/" + detectorVertex(cluster, job).path("id").asText());
        for (JsonNode subtask : vertex.path("subtasks")) {
            list.add(subtask.path("metrics").path("read-records").asLong());
        }
        return list;
    }

    /** The vertex of the rule evaluator (named "Evaluate rules") in a running job. */
    static JsonNode detectorVertex(FlinkCluster cluster, String job) {
        for (JsonNode vertex : cluster.get("/jobs/" + job).path("vertices")) {
            if (vertex.path("name").asText().contains("Evaluate rules")) {
                return vertex;
            }
        }
        throw new AssertionError("no detector vertex in job " + job);
    }

    /** The keyed detector's max parallelism: it fixes the key groups, so it must not change between runs. */
    private static int maxParallelism(FlinkCluster cluster, String job) {
        return detectorVertex(cluster, job).path("maxParallelism").asInt();
    }
}
