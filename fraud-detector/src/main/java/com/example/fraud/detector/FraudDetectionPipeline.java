package com.example.fraud.detector;

import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.dedup.DropDuplicateTransactions;
import com.example.fraud.detector.rules.RouteInvalidRecords;
import com.example.fraud.detector.rules.ThresholdDetector;
import com.example.fraud.detector.rules.TransactionTypeInfo;
import com.example.fraud.detector.source.ParsedRecord;
import com.example.fraud.detector.source.TransactionWatermarks;
import com.example.fraud.model.Alert;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.Transaction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The detection graph between any source of raw records and the sinks: shared by the Kinesis job, the
 * tests (scripted sources) and the benchmark (in-memory source).
 *
 * <pre>
 * source (parse, clock-skew check, per-shard watermarks) -> route invalid -> keyBy(account) -> drop duplicates
 *     -> (same partitioning) threshold detector -> alerts
 * dead letters: invalid records, conflicting duplicates, late transactions
 * </pre>
 */
public final class FraudDetectionPipeline {
    private FraudDetectionPipeline() {}

    /** The streams the graph produces. */
    public static final class Outputs {
        public final DataStream<Alert> alerts;
        /** Invalid records (MALFORMED_JSON, CLOCK_SKEW, ...), conflicting duplicates and late transactions. */
        public final DataStream<DeadLetter> deadLetters;

        Outputs(DataStream<Alert> alerts, DataStream<DeadLetter> deadLetters) {
            this.alerts = alerts;
            this.deadLetters = deadLetters;
        }
    }

    /** The graph behind a FLIP-27 source of raw records (tests' scripted shards, the benchmark's files). */
    public static Outputs build(StreamExecutionEnvironment env, Source<ParsedRecord, ?, ?> source,
            String sourceName, DetectionSettings settings) {
        configure(env);
        return build(env.fromSource(source, TransactionWatermarks.strategy(settings), sourceName,
                TypeInformation.of(ParsedRecord.class)).uid(SOURCE_UID), settings);
    }

    /** The uid of the source operator, whichever source feeds the graph. */
    public static final String SOURCE_UID = "transactions-source";

    /** No operator keeps or mutates a record it has emitted or received; a type that fell back to Kryo fails. */
    public static void configure(StreamExecutionEnvironment env) {
        // So chained operators may pass objects without copying them, and a Kryo fallback fails at start-up
        // rather than slowing down every record.
        env.getConfig().enableObjectReuse();
        env.getConfig().disableGenericTypes();
    }

    /** The graph behind parsed, timestamped and per-shard watermarked records (see {@link TransactionWatermarks}). */
    public static Outputs build(DataStream<ParsedRecord> records, DetectionSettings settings) {
        SingleOutputStreamOperator<Transaction> transactions = records
                .process(new RouteInvalidRecords(), TransactionTypeInfo.INSTANCE)
                .name("Route invalid records")
                .uid("route-invalid-records");

        KeySelector<Transaction, String> byAccount = txn -> txn.accountId;
        SingleOutputStreamOperator<Transaction> distinct = transactions
                .keyBy(byAccount)
                .process(new DropDuplicateTransactions(settings), TransactionTypeInfo.INSTANCE)
                .name("Drop duplicate transactions")
                .uid("drop-duplicate-transactions");

        // Still partitioned by account: the rule is chained to duplicate detection, no second shuffle.
        SingleOutputStreamOperator<Alert> alerts = DataStreamUtils.reinterpretAsKeyedStream(distinct, byAccount,
                        Types.STRING)
                .process(new ThresholdDetector(settings))
                .name("Sum over threshold per account window")
                .uid("threshold-detector");

        DataStream<DeadLetter> deadLetters = transactions.getSideOutput(RouteInvalidRecords.REJECTED)
                .union(distinct.getSideOutput(DropDuplicateTransactions.CONFLICTS),
                        alerts.getSideOutput(ThresholdDetector.LATE));
        return new Outputs(alerts, deadLetters);
    }
}
