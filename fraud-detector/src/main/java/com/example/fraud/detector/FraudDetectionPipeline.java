package com.example.fraud.detector;

import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.dedup.DropDuplicateTransactions;
import com.example.fraud.detector.rules.EvaluateRules;
import com.example.fraud.detector.rules.EvaluateRulesOperator;
import com.example.fraud.detector.rules.GroupedTransaction;
import com.example.fraud.detector.serialization.GroupedTransactionTypeInfo;
import com.example.fraud.detector.rules.RouteByGrouping;
import com.example.fraud.detector.rules.RouteByGroupingOperator;
import com.example.fraud.detector.source.RouteInvalidRecords;
import com.example.fraud.detector.rules.RuleCommands;
import com.example.fraud.detector.serialization.TransactionTypeInfo;
import com.example.fraud.detector.source.ParsedRecord;
import com.example.fraud.detector.source.TransactionWatermarks;
import com.example.fraud.model.Alert;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleAck;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The detection graph between any source of raw records and the sinks: shared by the Kinesis job, the
 * tests (scripted sources) and the benchmark (in-memory source).
 *
 * <pre>
 * source (parse, clock-skew check, per-shard watermarks) -> route invalid -> keyBy(account) -> drop duplicates
 *     -> route by grouping (account, card, merchant) -> keyBy(grouping key) -> evaluate rules -> alerts
 *                      ^                                                            ^     -> shadow alerts
 * rule commands -------+---------------- broadcast ---------------------------------+     -> rule acks
 * dead letters: invalid records, conflicting duplicates, transactions late for every rule
 * </pre>
 */
public final class FraudDetectionPipeline {
    private FraudDetectionPipeline() {}

    /** The streams the graph produces. */
    public static final class Outputs {
        /** Alerts of ACTIVE rules. */
        public final DataStream<Alert> alerts;
        /** Alerts of SHADOW rules: a stream of their own, so no consumer of live alerts can act on them. */
        public final DataStream<Alert> shadowAlerts;
        /** Invalid records (MALFORMED_JSON, CLOCK_SKEW, ...), conflicting duplicates and late transactions. */
        public final DataStream<DeadLetter> deadLetters;
        /** One acknowledgement per rule command: APPLIED or REJECTED with the reason. */
        public final DataStream<RuleAck> ruleAcks;

        Outputs(DataStream<Alert> alerts, DataStream<Alert> shadowAlerts, DataStream<DeadLetter> deadLetters,
                DataStream<RuleAck> ruleAcks) {
            this.alerts = alerts;
            this.shadowAlerts = shadowAlerts;
            this.deadLetters = deadLetters;
            this.ruleAcks = ruleAcks;
        }
    }

    /** The uid of the source operator, whichever source feeds the graph. */
    public static final String SOURCE_UID = "transactions-source";

    /** The graph behind a FLIP-27 source, with the default rule from the settings and no rule commands. */
    public static Outputs build(StreamExecutionEnvironment env, Source<ParsedRecord, ?, ?> source,
            String sourceName, DetectionSettings settings) {
        return build(env, source, sourceName, settings, settings.defaultRules(), RuleCommands.none(env));
    }

    /** The graph behind a FLIP-27 source of raw records (tests' scripted shards, the benchmark's files). */
    public static Outputs build(StreamExecutionEnvironment env, Source<ParsedRecord, ?, ?> source,
            String sourceName, DetectionSettings settings, List<Rule> rules, DataStream<byte[]> ruleCommands) {
        configure(env);
        return build(env.fromSource(source, TransactionWatermarks.strategy(settings, source.getBoundedness()),
                sourceName, TypeInformation.of(ParsedRecord.class)).uid(SOURCE_UID), settings, rules, ruleCommands);
    }

    /** No operator keeps or mutates a record it has emitted or received; a type that fell back to Kryo fails. */
    public static void configure(StreamExecutionEnvironment env) {
        // So chained operators may pass objects without copying them, and a Kryo fallback fails at start-up
        // rather than slowing down every record.
        env.getConfig().enableObjectReuse();
        env.getConfig().disableGenericTypes();
    }

    /**
     * The graph behind parsed, timestamped and per-shard watermarked records (see {@link TransactionWatermarks}),
     * with the initial rules and the stream of rule commands (raw control-stream records).
     */
    public static Outputs build(DataStream<ParsedRecord> records, DetectionSettings settings, List<Rule> rules,
            DataStream<byte[]> ruleCommands) {
        // BATCH would assume perfect watermarks (nothing late, timers at the end of each key) and would not read the
        // rule commands before the transactions into EvaluateRulesOperator: not the detector's semantics.
        RuntimeExecutionMode mode =
                records.getExecutionEnvironment().getConfiguration().get(ExecutionOptions.RUNTIME_MODE);
        if (mode != RuntimeExecutionMode.STREAMING) {
            throw new IllegalArgumentException("the detection graph runs in STREAMING mode only (execution.runtime-mode "
                    + "is " + mode + "); bounded inputs such as the backtest's files run in STREAMING mode too");
        }
        SingleOutputStreamOperator<Transaction> transactions = records
                .process(new RouteInvalidRecords(), TransactionTypeInfo.INSTANCE)
                .name("Route invalid records")
                .uid("route-invalid-records");

        DataStream<byte[]> commandRecords = RuleCommands.withoutEventTime(ruleCommands);
        BroadcastStream<byte[]> commands = commandRecords.broadcast(RuleCommands.BROADCAST_STATE);

        KeySelector<Transaction, String> byAccount = txn -> txn.accountId;
        SingleOutputStreamOperator<Transaction> distinct = transactions
                .keyBy(byAccount)
                .connect(commands) // how long a txn_id must be remembered depends on the rules
                .process(new DropDuplicateTransactions(settings, rules), TransactionTypeInfo.INSTANCE)
                .name("Drop duplicate transactions")
                .uid("drop-duplicate-transactions");

        // connect(commands).process(...) builds the same operator, without recording each watermark it reaches.
        SingleOutputStreamOperator<GroupedTransaction> grouped = distinct
                .connect(commandRecords.broadcast())
                .transform("Route by rule grouping", GroupedTransactionTypeInfo.INSTANCE,
                        new RouteByGroupingOperator(new RouteByGrouping(settings, rules)))
                .uid("route-by-grouping");

        KeySelector<GroupedTransaction, String> byGroupingKey = GroupedTransaction::stateKey;
        // connect(commands).process(...) builds the same operator in STREAMING mode, without the hot-key cache's
        // write-back.
        SingleOutputStreamOperator<Alert> alerts = grouped
                .keyBy(byGroupingKey)
                .connect(commandRecords.broadcast())
                .transform("Evaluate rules", TypeInformation.of(Alert.class),
                        new EvaluateRulesOperator(new EvaluateRules(settings, rules)))
                .uid("evaluate-rules");

        DataStream<DeadLetter> deadLetters = transactions.getSideOutput(RouteInvalidRecords.REJECTED)
                .union(distinct.getSideOutput(DropDuplicateTransactions.CONFLICTS),
                        grouped.getSideOutput(RouteByGrouping.LATE));
        return new Outputs(alerts, alerts.getSideOutput(EvaluateRules.SHADOW_ALERTS), deadLetters,
                alerts.getSideOutput(EvaluateRules.ACKS));
    }
}
