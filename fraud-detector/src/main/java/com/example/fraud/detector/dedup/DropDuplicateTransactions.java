package com.example.fraud.detector.dedup;

import com.example.fraud.detector.FraudMetrics;
import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.RejectReason;
import com.example.fraud.model.Transaction;
import com.example.fraud.model.TransactionCodec;
import com.example.fraud.detector.rules.BroadcastRuleSet;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleBook;
import com.example.fraud.rules.state.RuleState;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by account, before the transactions are routed to the rules' groupings: producers retry, so Kinesis can
 * deliver one transaction twice, and counting a retried 2,000.00 twice would flag an honest customer.
 * The first sighting of a txn_id goes on; a later one with the same amount and time is dropped and counted
 * ({@code duplicateTransactions}); one that differs is dead-lettered as DUPLICATE_TXN_ID
 * ({@code conflictingTransactions}). A transaction's identity is (account_id, txn_id): a retry always carries
 * its account.
 *
 * <p>A txn_id is remembered until no rule in force when it was first seen can count it any more (the longest
 * {@code countableUntil} of those rules: a tumbling window's end plus the allowed lateness, else the transaction's
 * time plus the allowed lateness); a later retry could only be dead-lettered as LATE, never counted. So this
 * operator reads the rule set too, from the same control stream. A rule added later starts with no state, but the
 * change reaches this operator and the rules independently: a transaction that passed here just before it may reach
 * the rules just after it and be counted under the new rule's longer horizon. So a rule change extends every
 * remembered id to the horizon of the rules now in force. Timers are rounded up to the second, as the rules' are, so
 * the ids of one window or second share a timer per account; a timer that finds an id extended sets the next.
 */
public class DropDuplicateTransactions
        extends KeyedBroadcastProcessFunction<String, Transaction, byte[], Transaction>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> CONFLICTS = new OutputTag<>("duplicate-txn-id") {};

    private static final MapStateDescriptor<String, SeenTransaction> SEEN =
            new MapStateDescriptor<>("seen", Types.STRING, TypeInformation.of(SeenTransaction.class));

    private final DetectionSettings settings;
    private final BroadcastRuleSet rules;

    private transient MapState<String, SeenTransaction> seen;
    private transient Counter duplicates;
    private transient Counter conflicts;

    public DropDuplicateTransactions(DetectionSettings settings, List<Rule> initialRules) {
        this.settings = settings;
        this.rules = new BroadcastRuleSet(initialRules);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        rules.initialize(context.getOperatorStateStore());
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // the rule set is in broadcast state, which the operator snapshots
    }

    @Override
    public void open(Configuration parameters) {
        seen = getRuntimeContext().getMapState(SEEN);
        duplicates = FraudMetrics.group(getRuntimeContext()).counter("duplicateTransactions");
        conflicts = FraudMetrics.group(getRuntimeContext()).counter("conflictingTransactions");
    }

    @Override
    public void processElement(Transaction txn, ReadOnlyContext ctx, Collector<Transaction> out) throws Exception {
        SeenTransaction first = seen.get(txn.txnId);
        if (first == null) {
            rules.book(ctx.getBroadcastState(BroadcastRuleSet.DESCRIPTOR));
            long forgetAt = forgetAt(txn.txnTimeMillis);
            seen.put(txn.txnId, new SeenTransaction(txn, forgetAt));
            ctx.timerService().registerEventTimeTimer(RuleState.timerFor(forgetAt));
            out.collect(txn);
            return;
        }
        String differences = first.differences(txn);
        if (differences.isEmpty()) {
            duplicates.inc();
            return;
        }
        conflicts.inc();
        // The detail names the id and the fields, not their values: it is kept even when payloads are not.
        ctx.output(CONFLICTS, settings.deadLetterPayload().deadLetter(RejectReason.DUPLICATE_TXN_ID,
                "txn_id " + txn.txnId + " was first seen with a different " + differences
                        + "; the first one was counted",
                TransactionCodec.encode(txn), txn.accountId, System.currentTimeMillis()));
    }

    @Override
    public void processBroadcastElement(byte[] record, Context ctx, Collector<Transaction> out) throws Exception {
        RuleBook.Outcome outcome =
                rules.apply(ctx.getBroadcastState(BroadcastRuleSet.DESCRIPTOR), record, System.currentTimeMillis());
        Rule now = outcome.changed ? rules.book(ctx.getBroadcastState(BroadcastRuleSet.DESCRIPTOR))
                .rule(outcome.ack.ruleId) : null;
        // A horizon is the window's (part of the state signature): a new rule or a reshaped one may lengthen it,
        // another limit or mode does not, a delete never. Rare, like the evaluator's scan on a change.
        if (now != null && (outcome.previous == null || outcome.previous.stateSignature() != now.stateSignature())) {
            ctx.applyToKeyedState(SEEN, (account, remembered) -> extend(remembered));
        }
    }

    /** Keeps each id for as long as a rule now in force could count it; never shortens (a rule removed may have). */
    private void extend(MapState<String, SeenTransaction> remembered) throws Exception {
        List<Map.Entry<String, SeenTransaction>> longer = null;
        for (Map.Entry<String, SeenTransaction> e : remembered.entries()) {
            if (forgetAt(e.getValue().txnTimeMillis) > e.getValue().forgetAtMillis) {
                if (longer == null) {
                    longer = new ArrayList<>();
                }
                longer.add(e);
            }
        }
        if (longer != null) {
            for (Map.Entry<String, SeenTransaction> e : longer) { // written after the iteration, never during it
                SeenTransaction first = e.getValue();
                first.forgetAtMillis = forgetAt(first.txnTimeMillis);
                remembered.put(e.getKey(), first);
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Transaction> out) throws Exception {
        long next = Long.MAX_VALUE;
        for (Iterator<Map.Entry<String, SeenTransaction>> it = seen.iterator(); it.hasNext(); ) {
            long forgetAt = it.next().getValue().forgetAtMillis;
            if (forgetAt <= timestamp) {
                it.remove();
            } else {
                next = Math.min(next, forgetAt);
            }
        }
        if (next == Long.MAX_VALUE) {
            seen.clear(); // the heap backend keeps an emptied map otherwise
        } else {
            // already set at the id's first sighting, unless a rule change extended it (Flink keeps one per time)
            ctx.timerService().registerEventTimeTimer(RuleState.timerFor(next));
        }
    }

    /** When the watermark has passed every moment at which a rule in force could count a transaction of time t. */
    private long forgetAt(long t) {
        long until = rules.countableUntil(t, settings.allowedLatenessMillis());
        // With no rule in force nothing can count it; a rule added later never saw the first sighting.
        return until != Long.MIN_VALUE ? until : t;
    }
}
