package com.example.fraud.detector.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.fraud.detector.FraudDetectionPipeline;
import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.serialization.GroupedTransactionTypeInfo;
import com.example.fraud.detector.serialization.TransactionTypeInfo;
import com.example.fraud.detector.source.ParsedRecord;
import com.example.fraud.detector.source.TransactionWatermarks;
import com.example.fraud.detector.testing.Script;
import com.example.fraud.detector.testing.ScriptedShardSource;
import com.example.fraud.model.Alert;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleSets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointConfigOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A savepoint of the router and the rule evaluator as earlier versions wired them ({@code
 * connect(BroadcastStream).process(fn)}: no hot-key cache, no watermark recorded by the router) restores into today's
 * {@link RouteByGroupingOperator} and {@link EvaluateRulesOperator} on RocksDB, with nothing dropped: an MSF update
 * from a snapshot keeps every key's rule state.
 */
class EvaluateRulesSavepointCompatibilityTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final DetectionSettings SETTINGS = DetectionSettings.builder()
            .maxOutOfOrderness(Duration.ofSeconds(1)).allowedLateness(Duration.ofSeconds(10))
            .maxClockSkew(Duration.ZERO).idleTimeout(Duration.ofMinutes(10)).build();

    private static final String RULES = "[{\"rule_id\":\"sum-10m\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
            + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT10M\"},\"threshold\":2000.00}]";

    static final ConcurrentLinkedQueue<Alert> ALERTS = new ConcurrentLinkedQueue<>();

    /** Keeps alerts in this JVM; stateless, with a fixed uid, so both graphs have it. */
    static final class KeepAlerts implements SinkFunction<Alert> {
        @Override
        public void invoke(Alert alert, Context context) {
            ALERTS.add(alert);
        }
    }

    /**
     * H: 1,500 transactions of 1.00 before the savepoint, 600 after (the 2,001st crosses 2000.00 only if the first
     * 1,500 were restored); L's one large transaction marks the end of the first part.
     */
    private static Script script() {
        Script s = Script.shards("s0");
        for (int i = 0; i < 2_100; i++) {
            s.txn("s0", "h" + i, "H", "1.00", i * 0.1);
            if (i == 1_499) {
                s.txn("s0", "l0", "L", "3000.00", i * 0.1);
                s.pause();
                s.pause(); // held here (about 600 ms) while the test takes the savepoint
                for (int p = 0; p < 30; p++) {
                    s.pause();
                }
            }
        }
        return s;
    }

    private static StreamExecutionEnvironment env(String restoreFrom) {
        return env(restoreFrom, 1);
    }

    private static StreamExecutionEnvironment env(String restoreFrom, int parallelism) {
        Configuration conf = new Configuration();
        if (restoreFrom != null) {
            conf.set(SavepointConfigOptions.SAVEPOINT_PATH, restoreFrom);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.setStateBackend(new EmbeddedRocksDBStateBackend());
        FraudDetectionPipeline.configure(env);
        return env;
    }

    /** Source to rules as the job has them, with the evaluator wired the old or the new way. */
    private static void graph(StreamExecutionEnvironment env, boolean oldWiring) throws Exception {
        List<Rule> rules = RuleSets.parse(RULES);
        ScriptedShardSource source = script().unbounded(SETTINGS);
        DataStream<ParsedRecord> records = env.fromSource(source,
                TransactionWatermarks.strategy(SETTINGS, source.getBoundedness()), "scripted shards",
                TypeInformation.of(ParsedRecord.class)).uid(FraudDetectionPipeline.SOURCE_UID);
        DataStream<byte[]> commands = RuleCommands.withoutEventTime(RuleCommands.none(env));
        DataStream<Transaction> transactions = records
                .filter(r -> r.transaction != null).uid("valid")
                .map(r -> r.transaction, TransactionTypeInfo.INSTANCE).uid("transactions");
        RouteByGrouping route = new RouteByGrouping(SETTINGS, rules);
        KeyedStream<GroupedTransaction, String> grouped = (oldWiring
                ? transactions.connect(commands.broadcast(RuleCommands.BROADCAST_STATE))
                        .process(route, GroupedTransactionTypeInfo.INSTANCE).uid("route-by-grouping")
                : transactions.connect(commands.broadcast())
                        .transform("Route by rule grouping", GroupedTransactionTypeInfo.INSTANCE,
                                new RouteByGroupingOperator(route))
                        .uid("route-by-grouping"))
                .keyBy(GroupedTransaction::stateKey);
        EvaluateRules function = new EvaluateRules(SETTINGS, rules);
        DataStream<Alert> alerts = oldWiring
                ? grouped.connect(commands.broadcast(RuleCommands.BROADCAST_STATE))
                        .process(function, TypeInformation.of(Alert.class)).uid("evaluate-rules")
                : grouped.connect(commands.broadcast())
                        .transform("Evaluate rules", TypeInformation.of(Alert.class), new EvaluateRulesOperator(function))
                        .uid("evaluate-rules");
        alerts.addSink(new KeepAlerts()).uid("keep-alerts");
    }

    private static List<String> alertIds() {
        return ALERTS.stream().map(a -> a.alertId + " " + a.totalCents + " n" + a.txnCount).collect(Collectors.toList());
    }

    /** The hot key is cached when the savepoint is taken: stop-with-savepoint writes it back, and it moves subtask. */
    @Test
    @Timeout(120)
    void aHotKeyCachedAtAStopWithSavepointKeepsItsStateAcrossARescaleToTwo(@TempDir Path dir) throws Exception {
        ALERTS.clear();
        StreamExecutionEnvironment before = env(null, 1);
        graph(before, false);
        JobClient first = before.executeAsync("parallelism 1");
        await().atMost(Duration.ofSeconds(60)).until(() -> !ALERTS.isEmpty());
        String savepoint = first.stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                .get();

        ALERTS.clear();
        StreamExecutionEnvironment after = env(savepoint, 2);
        graph(after, false);
        JobClient second = after.executeAsync("parallelism 2");
        await().atMost(Duration.ofSeconds(60)).until(() -> !ALERTS.isEmpty());
        second.cancel().get();
        assertThat(alertIds()).containsExactly("sum-10m:H:2026-11-25T10:03:20Z 200100 n2001");
    }

    @Test
    @Timeout(120)
    void aSavepointOfTheOldWiringRestoresEveryKeysState(@TempDir Path dir) throws Exception {
        ALERTS.clear();
        StreamExecutionEnvironment old = env(null);
        graph(old, true);
        JobClient first = old.executeAsync("old wiring");
        await().atMost(Duration.ofSeconds(60)).until(() -> !ALERTS.isEmpty());
        String savepoint = first.stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                .get();
        assertThat(alertIds()).containsExactly("sum-10m:L:2026-11-25T10:02:29.900Z 300000 n1");

        ALERTS.clear();
        StreamExecutionEnvironment now = env(savepoint); // no allowNonRestoredState: all state must map
        graph(now, false);
        JobClient second = now.executeAsync("new wiring");
        await().atMost(Duration.ofSeconds(60)).until(() -> !ALERTS.isEmpty());
        second.cancel().get();
        assertThat(alertIds()).containsExactly("sum-10m:H:2026-11-25T10:03:20Z 200100 n2001");
    }
}
