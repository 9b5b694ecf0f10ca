package com.example.fraud.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.example.fraud.detector.FraudDetectorJob;
import com.example.fraud.detector.config.ApplicationProperties;
import com.example.fraud.detector.config.JobConfig;
import com.example.fraud.model.Alert;
import com.example.fraud.model.AlertCodec;
import com.example.fraud.model.RuleMode;
import com.example.fraud.model.Transaction;
import com.example.fraud.model.TransactionCodec;
import com.example.fraud.rules.RuleAck;
import com.example.fraud.rules.RuleException;
import com.example.fraud.tools.emulator.LocalKinesis;
import com.example.fraud.tools.emulator.StreamNames;
import com.example.fraud.tools.kinesis.StreamReader;
import com.example.fraud.tools.probe.PipelineProbe;
import com.example.fraud.tools.rules.RuleControl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * The job running against the emulator, its rules changed through the control stream with the `rules` command's own
 * code ({@link RuleControl}): a rule added, its threshold changed, put in shadow mode, paused and deleted, an invalid
 * command and a stale version rejected. Each change is acknowledged, and its effect on the alert streams asserted.
 * Every step ends with a transaction of the configured rule on the same account, so the alert streams have caught
 * up with the step before anything absent is asserted absent.
 */
class RulesChangedWhileRunningTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final Duration WAIT = Duration.ofSeconds(30);

    private KinesisClient client;
    private final List<Alert> alerts = new ArrayList<>();
    private final List<Alert> shadowAlerts = new ArrayList<>();
    private StreamReader alertReader;
    private StreamReader shadowReader;
    private int txnCounter;

    private static String velocity(int version, int minCount, String mode) {
        return "{\"rule_id\":\"velocity\",\"version\":" + version + ",\"type\":\"COUNT_OVER_THRESHOLD\",\"mode\":\""
                + mode + "\",\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1H\"},\"min_count\":" + minCount + "}";
    }

    @Test
    @Timeout(300)
    void aRuleIsAddedChangedShadowedPausedAndDeletedWhileTheJobRuns() throws Exception {
        Path work = Paths.get("target", "rules-changed-it").toAbsolutePath();
        try (LocalKinesis kinesis = TestEnvironment.startKinesis(work)) {
            client = kinesis.client();
            Path config = TestEnvironment.writeConfig(work.resolve("application-properties.json"), kinesis.endpoint(),
                    "EARLY", Map.of());
            JobConfig jobConfig = JobConfig.fromPropertyGroups(ApplicationProperties.fromFile(config));
            alertReader = new StreamReader(client, StreamNames.ALERTS, StreamReader.Start.TRIM_HORIZON);
            shadowReader = new StreamReader(client, StreamNames.SHADOW_ALERTS, StreamReader.Start.TRIM_HORIZON);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            env.enableCheckpointing(2_000);
            FraudDetectorJob.define(env, jobConfig, false);
            JobClient job = env.executeAsync("fraud-detector, rules changed while running");
            try {
                DetectorEndToEndTest.awaitRunning(job);
                PipelineProbe.await(client, StreamNames.INPUT, StreamNames.DEAD_LETTERS, Duration.ofSeconds(60));
                RuleControl rules = new RuleControl(client, StreamNames.RULES, StreamNames.RULE_ACKS);

                // Added: two transactions reach 2.
                RuleAck added = timed("add", () -> rules.put(bytes(velocity(1, 2, "ACTIVE")), WAIT));
                assertThat(added.status).isEqualTo(RuleAck.Status.APPLIED);
                spend("ADD", 2);
                assertThat(step("ADD")).containsExactly("sum-over-threshold:ADD v1 ACTIVE", "velocity:ADD v1 ACTIVE");

                // Changed: three (two and the closing one) are now under 4.
                RuleAck changed = timed("change", () -> rules.put(bytes(velocity(2, 4, "ACTIVE")), WAIT));
                assertThat(changed.version).isEqualTo(2);
                spend("CHANGE", 2);
                assertThat(step("CHANGE")).containsExactly("sum-over-threshold:CHANGE v1 ACTIVE");
                spend("CHANGE2", 3);
                assertThat(step("CHANGE2")).containsExactly("sum-over-threshold:CHANGE2 v1 ACTIVE",
                        "velocity:CHANGE2 v2 ACTIVE");

                // Shadow: its alert goes to the shadow stream only.
                RuleAck shadow = timed("shadow", () -> rules.setMode("velocity", RuleMode.SHADOW, WAIT));
                assertThat(shadow.mode).isEqualTo(RuleMode.SHADOW);
                assertThat(shadow.version).isEqualTo(3);
                spend("SHADOW", 3);
                assertThat(step("SHADOW")).containsExactly("sum-over-threshold:SHADOW v1 ACTIVE");
                await().atMost(WAIT).until(() -> keys(poll(shadowReader, shadowAlerts))
                        .contains("velocity:SHADOW v3 SHADOW"));

                // Paused: nothing from it anywhere.
                RuleAck paused = timed("pause", () -> rules.setMode("velocity", RuleMode.PAUSED, WAIT));
                assertThat(paused.mode).isEqualTo(RuleMode.PAUSED);
                spend("PAUSE", 3);
                assertThat(step("PAUSE")).containsExactly("sum-over-threshold:PAUSE v1 ACTIVE");

                // Deleted, then resurrected by neither a stale version nor an invalid command.
                RuleAck deleted = timed("delete", () -> rules.delete("velocity", WAIT));
                assertThat(deleted.deleted).isTrue();
                assertThat(rules.put(bytes(velocity(4, 1, "ACTIVE")), WAIT).reason)
                        .contains("not newer than version 5 (deleted)");
                client.putRecord(b -> b.streamName(StreamNames.RULES).partitionKey("x")
                        .data(SdkBytes.fromString("{\"rule_id\":\"broken\",\"version\":1,\"type\":\"NOPE\"}",
                                StandardCharsets.UTF_8)));
                assertThatThrownBy(() -> rules.put(bytes("{\"rule_id\":\"broken\",\"version\":1}"), WAIT))
                        .isInstanceOf(RuleException.class).hasMessageContaining("type");
                spend("DELETE", 3);
                assertThat(step("DELETE")).containsExactly("sum-over-threshold:DELETE v1 ACTIVE");

                assertThat(rules.list()).containsOnlyKeys(); // velocity deleted, the default rule never put

                // Two senders put the same id and version at once: the job applies one and rejects the other, and
                // each sender gets the answer to its own record (an ack is matched by its command id, not by
                // rule id and version, which both answers share).
                List<RuleAck> answers = putAtOnce(rules, velocity(6, 2, "ACTIVE"), velocity(6, 3, "SHADOW"));
                assertThat(answers).extracting(a -> a.status)
                        .containsExactlyInAnyOrder(RuleAck.Status.APPLIED, RuleAck.Status.REJECTED);
                int winner = answers.get(0).status == RuleAck.Status.APPLIED ? 0 : 1;
                assertThat(answers.get(winner).mode).isEqualTo(winner == 0 ? RuleMode.ACTIVE : RuleMode.SHADOW);
                assertThat(answers.get(1 - winner).reason).contains("version 6 is not newer than version 6");
                assertThat(rules.list().get("velocity").mode).isEqualTo(answers.get(winner).mode);

                List<RuleAck> acks = StreamReader.readAll(client, StreamNames.RULE_ACKS).stream()
                        .map(r -> RuleAck.decode(r.data().asByteArray())).collect(Collectors.toList());
                assertThat(acks).extracting(a -> a.ruleId + " v" + a.version + " " + a.status).containsExactly(
                        "velocity v1 APPLIED", "velocity v2 APPLIED", "velocity v3 APPLIED", "velocity v4 APPLIED",
                        "velocity v5 APPLIED", "velocity v4 REJECTED", "broken v0 REJECTED", "velocity v6 APPLIED",
                        "velocity v6 REJECTED");
                assertThat(acks.get(6).reason).contains("rule 'broken'").contains("type");
                assertThat(acks.get(6).commandId).as("a record sent without a command id").isNull();
                assertThat(acks).extracting(a -> a.commandId).filteredOn(id -> id != null).hasSize(8)
                        .doesNotHaveDuplicates();
                assertThat(keys(shadowAlerts)).containsExactly("velocity:SHADOW v3 SHADOW");
            } finally {
                job.cancel().get();
            }
        }
    }

    /** The alerts of one account's step, as "rule:account vN MODE", once its configured-rule alert is in. */
    private List<String> step(String account) {
        await().atMost(WAIT).until(() -> keys(poll(alertReader, alerts)).contains(
                "sum-over-threshold:" + account + " v1 ACTIVE"));
        return keys(alerts).stream().filter(k -> k.contains(":" + account + " ")).sorted().collect(Collectors.toList());
    }

    private static List<Alert> poll(StreamReader reader, List<Alert> into) {
        for (Record r : reader.poll()) {
            into.add(AlertCodec.decode(r.data().asByteArray()));
        }
        return into;
    }

    private static List<String> keys(List<Alert> alerts) {
        return alerts.stream().map(a -> a.ruleId + ":" + a.groupKey + " v" + a.ruleVersion + " " + a.mode).distinct()
                .collect(Collectors.toList());
    }

    /** {@code small} transactions of 1.00, then one that crosses the configured 3000.00 on its own. */
    private void spend(String account, int small) {
        long now = System.currentTimeMillis();
        List<String> amounts = new ArrayList<>();
        for (int i = 0; i < small; i++) {
            amounts.add("1.00");
        }
        amounts.add("3000.01");
        for (String amount : amounts) {
            Transaction t = new Transaction("r-" + (++txnCounter), account,
                    new java.math.BigDecimal(amount).movePointRight(2).longValueExact(), now + txnCounter);
            client.putRecord(b -> b.streamName(StreamNames.INPUT).partitionKey(account)
                    .data(SdkBytes.fromByteArray(TransactionCodec.encode(t))));
        }
    }

    /** Both documents put by two senders released together; their acks in the same order. */
    private static List<RuleAck> putAtOnce(RuleControl rules, String first, String second) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<RuleAck>> sent = new ArrayList<>();
            for (String doc : List.of(first, second)) {
                sent.add(senders.submit(() -> {
                    start.await();
                    return rules.put(bytes(doc), WAIT);
                }));
            }
            return List.of(sent.get(0).get(), sent.get(1).get());
        } finally {
            senders.shutdownNow();
        }
    }

    private interface Change {
        RuleAck run() throws Exception;
    }

    /** Runs a change and prints the time from its put to the ack, and from its put to when the job applied it. */
    private static RuleAck timed(String what, Change change) throws Exception {
        long put = System.currentTimeMillis();
        RuleAck ack = change.run();
        System.out.printf("[timing] rule %s: put to applied %d ms, put to ack read %d ms%n", what,
                ack.atMillis - put, System.currentTimeMillis() - put);
        return ack;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
