package com.example.fraud.it;

import static com.example.fraud.it.TaskManagerCrashRecoveryTest.timing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.fraud.detector.FraudDetectorJob;
import com.example.fraud.it.cluster.FlinkCluster;
import com.example.fraud.rules.Rule;
import com.example.fraud.tools.emulator.LocalKinesis;
import com.example.fraud.tools.emulator.StreamNames;
import com.example.fraud.tools.evaluate.Evaluation;
import com.example.fraud.tools.evaluate.EvaluationResult;
import com.example.fraud.tools.evaluate.StreamCollector;
import com.example.fraud.tools.generator.DetectionConfigFile;
import com.example.fraud.tools.generator.GeneratorClock;
import com.example.fraud.tools.generator.GeneratorConfig;
import com.example.fraud.tools.generator.GroundTruth;
import com.example.fraud.tools.generator.KinesisTarget;
import com.example.fraud.tools.generator.ScenarioMix;
import com.example.fraud.tools.generator.TransactionGenerator;
import com.example.fraud.tools.kinesis.RecordWriter;
import com.example.fraud.tools.probe.PipelineProbe;
import com.example.fraud.tools.rules.RuleSetFile;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hot-key cache on a real cluster: RocksDB (MSF's backend), two busy accounts under a 10-minute sliding sum. The
 * busier one's state holds more than a thousand transactions and stays deserialized on the heap between checkpoints
 * ({@code state.cache.max.events}). The TaskManager is killed with SIGKILL while the cache holds it; the standby
 * restores the last checkpoint, which has what the cache held only if it was written back before the barrier. The
 * account crosses the threshold only after the restore, with a total over every transaction since the start: every
 * alert the rule's own logic expects must arrive with its total, once duplicates are dropped by alert_id.
 */
class HotKeyCrashRecoveryTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /**
     * With this seed the busier account (~2,700 transactions, ~62,000.00) crosses once, at about its 1,900th
     * transaction: after the kill, which comes a few seconds after its 1,000th. The other one never does.
     */
    private static final String RULES = "[{\"rule_id\": \"sum-10m-sliding\", \"version\": 1, \"type\": "
            + "\"SUM_OVER_THRESHOLD\", \"window\": {\"kind\": \"SLIDING\", \"size\": \"PT10M\"}, "
            + "\"threshold\": 45000.00}]";

    @Test
    @Timeout(480)
    void cachedHotKeysSurviveKillMinus9OnRocksDb() throws Exception {
        Path work = Paths.get("target", "hot-key-crash-it").toAbsolutePath();
        Path appJar = TestEnvironment.appJar();
        long t0 = System.nanoTime();
        // Two input shards: after the restore the other shard can deliver first, and the consumer's watermark would
        // then make the busy shard's replayed records late (HoldWatermarkUntilShardsResume).
        try (LocalKinesis kinesis = TestEnvironment.startKinesis(work, 2);
                FlinkCluster cluster = FlinkCluster.builder().taskManagers(2).slots(1)
                        .conf("state.backend.type", "rocksdb")
                        .conf("execution.checkpointing.interval", "2 s")
                        .conf("state.checkpoints.dir", work.resolve("checkpoints").toUri().toString())
                        .conf("heartbeat.interval", "1000")
                        .conf("heartbeat.timeout", "8000")
                        .start()) {
            timing("emulator and cluster (2 TMs x 1 slot, RocksDB) up", t0);
            Path rulesFile = Files.writeString(work.resolve("rules.json"), RULES);
            // The job's 30 s idle timeout, which also bounds the watermark hold after the restore: on a busy machine
            // the emulator can take more than the tests' 5 s to deliver a shard's first batch.
            Path config = TestEnvironment.withRules(TestEnvironment.withDefaultIdleness(TestEnvironment.writeConfig(
                    work.resolve("application-properties.json"), kinesis.endpoint(), "EARLY")), rulesFile);
            String jarId = cluster.uploadJar(appJar);
            String job = cluster.run(jarId, FraudDetectorJob.class.getName(), List.of("--config", config.toString()),
                    1, null);
            cluster.waitForRunning(job, TIMEOUT);
            PipelineProbe.await(kinesis.client(), StreamNames.INPUT, StreamNames.DEAD_LETTERS, Duration.ofSeconds(90));
            assertThat(cluster.get("/jobs/" + job + "/checkpoints/config").path("state_backend").asText())
                    .isEqualTo("EmbeddedRocksDBStateBackend");

            List<Rule> rules = RuleSetFile.read(rulesFile);
            GeneratorConfig scenario = GeneratorConfig.builder()
                    .rule(DetectionConfigFile.read(config))
                    .rules(rules)
                    .mix(new ScenarioMix(0, 0, 0, 0.05, 0, 0)) // no late records: see mixWithoutLateRecords
                    .accounts(2)
                    .rate(90)
                    .duration(Duration.ofSeconds(45))
                    .scenariosPerMinute(6)
                    .seed(29)
                    .build();
            TransactionGenerator generator = new TransactionGenerator(scenario,
                    new KinesisTarget(new RecordWriter(kinesis.client(), StreamNames.INPUT)), GeneratorClock.system());
            long generation = System.nanoTime();
            CompletableFuture<GroundTruth> generating = TestEnvironment.runAsync(generator);

            // Kill once a checkpoint has completed while the cache held the busy accounts, and more came since.
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> hotKeysCached(cluster, job) >= 1);
            long cachedAt = cluster.completedCheckpoints(job);
            timing("generation start to a key cached", generation);
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> cluster.completedCheckpoints(job) >= cachedAt + 2);
            int cachedAtKill = hotKeysCached(cluster, job);
            assertThat(cachedAtKill).as("keys cached when the TaskManager is killed").isPositive();
            Set<String> running = cluster.taskManagersOf(job);
            assertThat(running).hasSize(1);
            String victim = running.iterator().next();
            String standby = victim.equals("taskmanager-1") ? "taskmanager-2" : "taskmanager-1";
            long sentAtKill = generator.generated();
            long killedAt = System.currentTimeMillis();
            long pid = cluster.killHard(victim, Duration.ofSeconds(30));
            System.out.printf("[hot-key crash] kill -9 %s (pid %d) after %d records, %d keys cached%n", victim, pid,
                    sentAtKill, cachedAtKill);

            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> cluster.restoredCheckpointId(job).isPresent()
                            && cluster.taskManagersOf(job).equals(Set.of(standby)));
            cluster.waitForRunning(job, TIMEOUT);
            long restored = cluster.restoredCheckpointId(job).orElseThrow();
            System.out.printf("[hot-key crash] restored checkpoint %d on %s%n", restored, standby);
            assertThat(restored).isGreaterThanOrEqualTo(cachedAt + 2);
            assertThat(generating).as("transactions still flowing after the restore").isNotDone();

            GroundTruth truth = generating.get();
            assertThat(generator.generated()).isGreaterThan(sentAtKill);
            StreamCollector collected = TestEnvironment.collectUntilComplete(kinesis, truth, Duration.ofSeconds(90));
            EvaluationResult result = Evaluation.evaluate(truth, collected.alerts(), collected.deadLetters());
            TestEnvironment.print(result);
            TestEnvironment.assertExactAfterDedup(truth, result, 3);
            assertThat(truth.expectedAlerts).as("the cached account's alert, decided after the restore")
                    .anySatisfy(a -> {
                        assertThat(a.scenario).isEqualTo("background");
                        assertThat(a.txnCount).isGreaterThan(1_000);
                        assertThat(a.crossingSentAtMs).isGreaterThan(killedAt);
                    });
            // The restored states are as heavy as before the kill: the standby caches them too.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> hotKeysCached(cluster, job) >= 1);

            cluster.cancel(job);
            timing("whole test", t0);
        }
    }

    /** The evaluator's hotKeysCached gauge, summed over its subtasks, through the REST API. */
    static int hotKeysCached(FlinkCluster cluster, String job) {
        String vertex = RescaleThroughSavepointsTest.detectorVertex(cluster, job).path("id").asText();
        String metrics = "/jobs/" + job + "/vertices/" + vertex + "/metrics";
        List<String> ids = new ArrayList<>();
        for (JsonNode m : cluster.get(metrics)) {
            if (m.path("id").asText().endsWith(".hotKeysCached")) {
                ids.add(m.path("id").asText());
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalStateException("no hotKeysCached gauge yet on " + metrics);
        }
        int sum = 0;
        for (JsonNode m : cluster.get(metrics + "?get=" + String.join(",", ids))) {
            sum += Integer.parseInt(m.path("value").asText());
        }
        return sum;
    }
}
