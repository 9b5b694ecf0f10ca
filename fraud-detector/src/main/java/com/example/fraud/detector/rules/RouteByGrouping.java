package com.example.fraud.detector.rules;

import com.example.fraud.detector.FraudMetrics;
import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.Grouping;
import com.example.fraud.model.RejectReason;
import com.example.fraud.model.Timestamps;
import com.example.fraud.model.Transaction;
import com.example.fraud.model.TransactionCodec;
import com.example.fraud.rules.Rule;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sends each transaction once to every grouping (account, card, merchant) that an ACTIVE or SHADOW rule uses, keyed
 * by the transaction's value of that field. A rule skips a transaction that lacks a field it reads (its grouping, a
 * location, a counted field), counted per rule as {@code skippedTransactions}. A transaction that is late for every
 * rule that reads it is dead-lettered as LATE, once, and not sent on (counted per rule as {@code lateTransactions},
 * here; the evaluator counts those late for some rules only). Lateness is judged against the watermark reached
 * before a restore too ({@link RestoredWatermark}).
 */
public class RouteByGrouping extends BroadcastProcessFunction<Transaction, byte[], GroupedTransaction>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> LATE = new OutputTag<>("late") {};

    private final DetectionSettings settings;
    private final BroadcastRuleSet rules;

    private transient RestoredWatermark watermarks;
    private transient Counter lateTransactions;
    private transient RuleMetrics skipped;
    private transient RuleMetrics lateByRule;

    public RouteByGrouping(DetectionSettings settings, List<Rule> initialRules) {
        this.settings = settings;
        this.rules = new BroadcastRuleSet(initialRules);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        watermarks = new RestoredWatermark();
        watermarks.initialize(context);
        rules.initialize(context.getOperatorStateStore());
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        watermarks.snapshot();
    }

    @Override
    public void open(Configuration parameters) {
        lateTransactions = FraudMetrics.group(getRuntimeContext()).counter("lateTransactions");
        skipped = new RuleMetrics(getRuntimeContext(), "skippedTransactions");
        lateByRule = new RuleMetrics(getRuntimeContext(), "lateTransactions");
    }

    @Override
    public void processElement(Transaction txn, ReadOnlyContext ctx, Collector<GroupedTransaction> out)
            throws Exception {
        rules.book(ctx.getBroadcastState(BroadcastRuleSet.DESCRIPTOR));
        long watermark = watermarks.effective(ctx.currentWatermark());
        long lateness = settings.allowedLatenessMillis();
        Grouping[] groupings = rules.evaluatedGroupings();
        int reading = 0; // bit g: a rule of groupings[g] reads the transaction
        boolean countable = false;
        for (int g = 0; g < groupings.length; g++) {
            String key = groupings[g].keyOf(txn);
            for (Rule rule : rules.evaluated(groupings[g])) {
                if (key == null || !rule.logic().applies(txn)) {
                    skipped.of(rule.id()).inc(); // lacks a field the rule reads
                } else {
                    reading |= 1 << g;
                    countable |= rule.logic().countableUntil(txn.txnTimeMillis, lateness) > watermark;
                }
            }
        }
        if (reading == 0) {
            return;
        }
        if (!countable) {
            // Not sent on: the evaluator's watermark can be behind this one (another subtask lags), and it would count
            // what is dead-lettered here. A retry the duplicate filter has forgotten comes after the watermark that
            // made it forget, so it is late here and stops here.
            lateTransactions.inc();
            for (int g = 0; g < groupings.length; g++) {
                if ((reading & 1 << g) != 0) {
                    for (Rule rule : rules.evaluated(groupings[g])) {
                        if (rule.logic().applies(txn)) {
                            lateByRule.of(rule.id()).inc();
                        }
                    }
                }
            }
            ctx.output(LATE, late(txn, watermark));
            return;
        }
        for (int g = 0; g < groupings.length; g++) {
            if ((reading & 1 << g) != 0) {
                out.collect(new GroupedTransaction(groupings[g], groupings[g].keyOf(txn), txn));
            }
        }
    }

    /**
     * Every watermark this operator reaches ({@link RouteByGroupingOperator}), not only those seen with a transaction:
     * the floor a restore takes from it must be no lower than the evaluator's, which sees the watermark with its
     * timers too; else a transaction on time here could be late there, and neither counted nor dead-lettered.
     */
    void watermarkReached(long watermark) {
        watermarks.effective(watermark);
    }

    @Override
    public void processBroadcastElement(byte[] record, Context ctx, Collector<GroupedTransaction> out)
            throws Exception {
        rules.apply(ctx.getBroadcastState(BroadcastRuleSet.DESCRIPTOR), record, System.currentTimeMillis());
    }

    private DeadLetter late(Transaction txn, long watermark) {
        // The id, so that a dead letter without its payload (payload policy HASH) still names its transaction.
        String detail = "txn_id " + txn.txnId + " is late for every rule that reads it: watermark " + Timestamps.format(watermark)
                + " is past the end of its windows plus the allowed lateness";
        return settings.deadLetterPayload().deadLetter(RejectReason.LATE, detail, TransactionCodec.encode(txn),
                txn.accountId, System.currentTimeMillis());
    }
}
