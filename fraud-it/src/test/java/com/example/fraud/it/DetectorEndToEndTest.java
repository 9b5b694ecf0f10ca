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
import com.example.fraud.tools.probe.PipelineProbe;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole product on one machine: the emulator, the real job (Kinesis source and sinks) with
 * parallelism 1 over a two-shard input stream, the generator with every scenario, and the evaluation.
 */
class DetectorEndToEndTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    @Timeout(300)
    void everyScenarioThroughTheEmulatorIsDetectedExactly() throws Exception {
        Path work = Paths.get("target", "e2e").toAbsolutePath();
        LocalKinesis kinesis = TestEnvironment.startKinesis(work);
        try (kinesis) {
            Path config = TestEnvironment.writeConfig(work.resolve("application-properties.json"), kinesis.endpoint(), "EARLY");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            env.enableCheckpointing(2_000);
            FraudDetectorJob.define(env, JobConfig.fromPropertyGroups(ApplicationProperties.fromFile(config)), false);
            JobClient job = env.executeAsync("fraud-detector end to end");
            try {
                awaitRunning(job);
                Duration probe = PipelineProbe.await(
                        kinesis.client(), StreamNames.INPUT, StreamNames.DEAD_LETTERS, Duration.ofSeconds(90));
                System.out.println("[timing] job RUNNING to reading its input: " + probe.toMillis() + " ms");
                GeneratorConfig scenario = GeneratorConfig.builder()
                        .rule(DetectionConfigFile.read(config))
                        .mix(ScenarioMix.defaults().withMalformed(0.01))
                        .accounts(120)
                        .rate(80)
                        .duration(Duration.ofSeconds(30))
                        .seed(7)
                        .build();
                GroundTruth truth = new TransactionGenerator(scenario,
                        new KinesisTarget(new RecordWriter(kinesis.client(), StreamNames.INPUT)), GeneratorClock.system())
                        .run();

                StreamCollector collected = TestEnvironment.collectUntilComplete(kinesis, truth, Duration.ofSeconds(90));
                EvaluationResult result = Evaluation.evaluate(truth, collected.alerts(), collected.deadLetters());
                TestEnvironment.print(result);

                // The scenario really has every case in it.
                assertThat(truth.totals.expectedAlerts).isGreaterThanOrEqualTo(5);
                assertThat(truth.totals.exactWindows).isPositive();
                assertThat(truth.totals.underWindows).isPositive();
                assertThat(truth.totals.delayed).isPositive();
                assertThat(truth.totals.late).isPositive();
                assertThat(truth.totals.malformed).isPositive();
                assertThat(truth.totals.failed).isZero();
                // Exactly the expected alerts, after alert_id dedup.
                assertThat(result.missed).isEmpty();
                assertThat(result.extra).isEmpty();
                assertThat(result.flaggedAtThreshold).isEmpty();
                assertThat(result.totalMismatches).isEmpty();
                assertThat(result.precision).isEqualTo(1.0);
                assertThat(result.recall).isEqualTo(1.0);
                // Late and malformed records reached the dead-letter stream with their reasons.
                assertThat(result.lateFound).isEqualTo(result.lateExpected).isEqualTo(truth.totals.late);
                assertThat(result.lateMissing).isEmpty();
                assertThat(result.malformedMissing).isEmpty();
                assertThat(result.malformedWrongReason).isEmpty();
                assertThat(result.malformedFoundByReason).isEqualTo(result.malformedExpectedByReason);
            } finally {
                job.cancel().get();
            }
        }
        assertThat(kinesis.isRunning()).isFalse();
    }

    static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job not RUNNING: " + job.getJobStatus().get());
            }
            Thread.sleep(200);
        }
    }
}
