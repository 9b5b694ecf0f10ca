package com.example.fraud.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.FraudDetectorJob;
import com.example.fraud.detector.config.ApplicationProperties;
import com.example.fraud.detector.config.JobConfig;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A start without a checkpoint or savepoint (a first deployment, or a change that cannot restore state) must
 * not skip what was written while no job ran. A scenario is written while no job runs; then a job starts
 * without a snapshot, with the default {@code initial.position} (the config does not set it), and must still
 * raise every alert of that scenario. With LATEST as the default it would raise none.
 */
class StartWithoutSnapshotTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @Test
    @Timeout(300)
    void aFreshStartReadsTheRecordsWrittenWhileNoJobRan() throws Exception {
        Path work = Paths.get("target", "fresh-start-it").toAbsolutePath();
        long t0 = System.nanoTime();
        try (LocalKinesis kinesis = TestEnvironment.startKinesis(work)) {
            // No initial.position: this test is about the default.
            Path config = TestEnvironment.writeConfig(work.resolve("application-properties.json"), kinesis.endpoint(),
                    "EARLY", Map.of());
            assertThat(Files.readString(config)).doesNotContain("initial.position");
            JobConfig jobConfig = JobConfig.fromPropertyGroups(ApplicationProperties.fromFile(config));

            ScenarioMix mix = TestEnvironment.mixWithoutLateRecords();
            // Early firing raises an alert on its crossing record, so no tail is needed to close the windows.
            GeneratorConfig scenario = GeneratorConfig.builder().rule(DetectionConfigFile.read(config)).mix(mix)
                    .accounts(100).rate(60).duration(Duration.ofSeconds(20)).tail(Duration.ofSeconds(2)).seed(41)
                    .build();
            long generation = System.nanoTime();
            GroundTruth truth = new TransactionGenerator(scenario,
                    new KinesisTarget(new RecordWriter(kinesis.client(), StreamNames.INPUT)), GeneratorClock.system())
                    .run();
            TaskManagerCrashRecoveryTest.timing("scenario written while no job ran", generation);
            assertThat(truth.totals.expectedAlerts).isGreaterThanOrEqualTo(3);
            assertThat(truth.totals.failed).isZero();

            long restart = System.nanoTime();
            JobClient job = start(jobConfig, "fraud-detector, fresh start after an outage");
            try {
                StreamCollector collected =
                        TestEnvironment.collectUntilComplete(kinesis, truth, Duration.ofSeconds(90));
                TaskManagerCrashRecoveryTest.timing("fresh start to all alerts in", restart);
                EvaluationResult result = Evaluation.evaluate(truth, collected.alerts(), collected.deadLetters());
                TestEnvironment.print(result);

                assertThat(result.missed).as("alerts on records written while no job ran").isEmpty();
                assertThat(result.extra).isEmpty();
                assertThat(result.totalMismatches).isEmpty();
                assertThat(result.precision).isEqualTo(1.0);
                assertThat(result.recall).isEqualTo(1.0);
                assertThat(result.malformedMissing).isEmpty();
            } finally {
                job.cancel().get();
            }
        }
    }

    private static JobClient start(JobConfig config, String name) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(2_000);
        FraudDetectorJob.define(env, config, false);
        JobClient job = env.executeAsync(name);
        DetectorEndToEndTest.awaitRunning(job);
        return job;
    }
}
