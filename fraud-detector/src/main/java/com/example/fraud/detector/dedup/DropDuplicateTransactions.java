package com.example.fraud.detector.dedup;

import com.example.fraud.detector.FraudMetrics;
import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.RejectReason;
import com.example.fraud.model.Transaction;
import com.example.fraud.model.TransactionCodec;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by txn_id: producers retry, so Kinesis can deliver one transaction twice, and counting a retried
 * 2,000.00 twice would flag an honest customer. The first sighting goes on; a later record with the same
 * txn_id and the same account, amount and time is dropped and counted ({@code duplicateTransactions}); one
 * that differs is dead-lettered as DUPLICATE_TXN_ID ({@code conflictingTransactions}).
 *
 * <p>A txn_id is remembered until the watermark passes its time plus the detection horizon (window plus
 * allowed lateness), by one event-time timer. After that its window is gone, so a retry would be dead-lettered
 * as LATE by the rule rather than counted: nothing can be counted twice, and the state stays bounded.
 */
public class DropDuplicateTransactions extends KeyedProcessFunction<String, Transaction, Transaction> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> CONFLICTS = new OutputTag<>("duplicate-txn-id") {};

    private final DetectionSettings settings;

    private transient ValueState<SeenTransaction> seen;
    private transient Counter duplicates;
    private transient Counter conflicts;

    public DropDuplicateTransactions(DetectionSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(Configuration parameters) {
        seen = getRuntimeContext().getState(
                new ValueStateDescriptor<>("seen", TypeInformation.of(SeenTransaction.class)));
        duplicates = FraudMetrics.group(getRuntimeContext()).counter("duplicateTransactions");
        conflicts = FraudMetrics.group(getRuntimeContext()).counter("conflictingTransactions");
    }

    @Override
    public void processElement(Transaction txn, Context ctx, Collector<Transaction> out) throws Exception {
        SeenTransaction first = seen.value();
        if (first == null) {
            seen.update(new SeenTransaction(txn));
            ctx.timerService().registerEventTimeTimer(forgetAt(txn.txnTimeMillis));
            out.collect(txn);
            return;
        }
        String differences = first.differences(txn);
        if (differences.isEmpty()) {
            duplicates.inc();
            return;
        }
        conflicts.inc();
        // The detail names the fields, not their values: it is kept even when payloads are not.
        ctx.output(CONFLICTS, settings.deadLetterPayload().deadLetter(RejectReason.DUPLICATE_TXN_ID,
                "txn_id was first seen with a different " + differences + "; the first one was counted",
                TransactionCodec.encode(txn), txn.accountId, System.currentTimeMillis()));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Transaction> out) {
        seen.clear();
    }

    private long forgetAt(long txnTimeMillis) {
        long at = txnTimeMillis + settings.horizonMillis();
        return at < txnTimeMillis ? Long.MAX_VALUE : at; // overflow near the end of time
    }
}
