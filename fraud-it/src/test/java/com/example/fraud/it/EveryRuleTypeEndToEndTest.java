package com.example.fraud.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.FraudDetectorJob;
import com.example.fraud.detector.config.ApplicationProperties;
import com.example.fraud.detector.config.JobConfig;
import com.example.fraud.tools.emulator.LocalKinesis;
import com.example.fraud.tools.emulator.StreamNames;
import com.example.fraud.tools.evaluate.Evaluation;
import com.example.fraud.tools.evaluate.EvaluationResult;
import com.example.fraud.tools.evaluate.RuleResult;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job, configured with a rule set of every type (one in shadow mode), against the emulator; the generator's
 * scenarios for that same rule set and its ground truth from the shared rule logic. Per rule: precision = recall = 1.0,
 * every rule with alerts expected, shadow alerts on their own stream only.
 */
class EveryRuleTypeEndToEndTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static final String RULES = "[\n"
            + "{\"rule_id\":\"sum\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
            + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT10S\"},\"threshold\":3000.00},\n"
            + "{\"rule_id\":\"velocity\",\"version\":1,\"type\":\"COUNT_OVER_THRESHOLD\",\"group_by\":\"card_id\","
            + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT10S\"},\"min_count\":12},\n"
            + "{\"rule_id\":\"merchants\",\"version\":1,\"type\":\"DISTINCT_COUNT_OVER_THRESHOLD\","
            + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT10S\"},\"distinct\":\"merchant_id\",\"min_distinct\":10,"
            + "\"firing\":\"WINDOW_CLOSE\"},\n"
            + "{\"rule_id\":\"countries\",\"version\":1,\"type\":\"DISTINCT_COUNT_OVER_THRESHOLD\",\"mode\":\"SHADOW\","
            + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT10S\"},\"distinct\":\"country\",\"min_distinct\":3},\n"
            + "{\"rule_id\":\"card-testing\",\"version\":1,\"type\":\"SMALL_THEN_LARGE\",\"group_by\":\"card_id\","
            + "\"small_max\":2.00,\"large_min\":500.00,\"within\":\"PT10S\"},\n"
            + "{\"rule_id\":\"travel\",\"version\":1,\"type\":\"IMPOSSIBLE_TRAVEL\","
            + "\"max_speed_kmh\":5000,\"min_distance_km\":50,\"within\":\"PT5M\"}\n"
            + "]";

    @Test
    @Timeout(300)
    void everyRuleTypeIsDetectedExactlyPerRule() throws Exception {
        Path work = Paths.get("target", "every-rule-type-it").toAbsolutePath();
        try (LocalKinesis kinesis = TestEnvironment.startKinesis(work)) {
            Path rulesFile = Files.writeString(work.resolve("rules.json"), RULES);
            Path config = TestEnvironment.writeConfig(work.resolve("application-properties.json"), kinesis.endpoint(),
                    "EARLY", Map.of());
            String groups = Files.readString(config).trim();
            Files.writeString(config, groups.substring(0, groups.length() - 1)
                    + ",{\"PropertyGroupId\":\"Rules\",\"PropertyMap\":{\"file\":\"" + rulesFile + "\"}}]");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            env.enableCheckpointing(2_000);
            FraudDetectorJob.define(env, JobConfig.fromPropertyGroups(ApplicationProperties.fromFile(config)), false);
            JobClient job = env.executeAsync("fraud-detector, every rule type");
            try {
                DetectorEndToEndTest.awaitRunning(job);
                PipelineProbe.await(kinesis.client(), StreamNames.INPUT, StreamNames.DEAD_LETTERS,
                        Duration.ofSeconds(90));
                GeneratorConfig scenario = GeneratorConfig.builder()
                        .rule(DetectionConfigFile.read(config))
                        .rules(RuleSetFile.read(rulesFile))
                        .mix(new ScenarioMix(0, 0, 0, 0.05, 0, 0))
                        .accounts(60)
                        .rate(40)
                        .duration(Duration.ofSeconds(40))
                        .scenariosPerMinute(6)
                        .seed(11)
                        .build();
                GroundTruth truth = new TransactionGenerator(scenario,
                        new KinesisTarget(new RecordWriter(kinesis.client(), StreamNames.INPUT)),
                        GeneratorClock.system()).run();

                EvaluationResult result = collect(kinesis, truth, Duration.ofSeconds(90));
                TestEnvironment.print(result);

                assertThat(truth.totals.failed).isZero();
                assertThat(result.rules).extracting(r -> r.ruleId).containsExactlyInAnyOrder("sum", "velocity",
                        "merchants", "card-testing", "travel");
                assertThat(result.shadowRules).extracting(r -> r.ruleId).containsExactly("countries");
                for (RuleResult r : result.rules) {
                    assertThat(r.expected).as(r.ruleId + " expected").isPositive();
                    assertThat(r.missed).as(r.ruleId + " missed").isEmpty();
                    assertThat(r.extra).as(r.ruleId + " extra").isEmpty();
                    assertThat(r.precision()).as(r.ruleId).isEqualTo(1.0);
                    assertThat(r.recall()).as(r.ruleId).isEqualTo(1.0);
                    assertThat(r.timeToFlag.count()).isEqualTo(r.expected);
                }
                RuleResult shadow = result.shadowRules.get(0);
                assertThat(shadow.expected).isPositive();
                assertThat(shadow.precision()).isEqualTo(1.0);
                assertThat(shadow.recall()).isEqualTo(1.0);
                assertThat(result.nearMissesFlagged).isEmpty();
                assertThat(truth.nearMisses.stream().map(m -> m.ruleId).collect(Collectors.toSet()))
                        .contains("sum", "velocity", "merchants", "countries", "card-testing", "travel");
                assertThat(result.passed()).isTrue();
            } finally {
                job.cancel().get();
            }
        }
    }

    /** Reads the three streams until every expected alert, live and shadow, is in (then once more), or time is up. */
    private static EvaluationResult collect(LocalKinesis kinesis, GroundTruth truth, Duration timeout)
            throws InterruptedException {
        StreamCollector c = new StreamCollector(kinesis.client(), StreamNames.ALERTS, null, StreamNames.SHADOW_ALERTS);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            c.poll();
            EvaluationResult r = Evaluation.evaluate(truth, c.alerts(), c.shadowAlerts(), c.deadLetters());
            if (c.caughtUp() && r.missed.isEmpty() && r.shadowRules.stream().allMatch(x -> x.missed.isEmpty())) {
                Thread.sleep(2_000); // extra or duplicate alerts would show up here
                c.poll();
                break;
            }
            Thread.sleep(500);
        }
        return Evaluation.evaluate(truth, c.alerts(), c.shadowAlerts(), c.deadLetters());
    }
}
