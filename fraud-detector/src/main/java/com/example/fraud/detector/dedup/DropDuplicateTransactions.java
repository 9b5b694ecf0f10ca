package com.example.fraud.detector.dedup;

import com.example.fraud.detector.FraudMetrics;
import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.RejectReason;
import com.example.fraud.model.Transaction;
import com.example.fraud.model.TransactionCodec;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by account, in front of the rule and on the same partitioning (no extra shuffle): producers retry, so
 * Kinesis can deliver one transaction twice, and counting a retried 2,000.00 twice would flag an honest customer.
 * The first sighting of a txn_id goes on; a later one with the same amount and time is dropped and counted
 * ({@code duplicateTransactions}); one that differs is dead-lettered as DUPLICATE_TXN_ID
 * ({@code conflictingTransactions}). A transaction's identity is (account_id, txn_id): a retry always carries
 * its account, and keying by account keeps this stage on the rule's partitioning.
 *
 * <p>A txn_id is remembered until the watermark passes its window's end plus the allowed lateness, when the rule
 * forgets the window too: a later retry could only be dead-lettered as LATE, never counted. All ids of one window
 * share one event-time timer per account, as the rule's window does.
 */
public class DropDuplicateTransactions extends KeyedProcessFunction<String, Transaction, Transaction> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> CONFLICTS = new OutputTag<>("duplicate-txn-id") {};

    private final DetectionSettings settings;

    private transient MapState<String, SeenTransaction> seen;
    private transient Counter duplicates;
    private transient Counter conflicts;

    public DropDuplicateTransactions(DetectionSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(Configuration parameters) {
        seen = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("seen", Types.STRING, TypeInformation.of(SeenTransaction.class)));
        duplicates = FraudMetrics.group(getRuntimeContext()).counter("duplicateTransactions");
        conflicts = FraudMetrics.group(getRuntimeContext()).counter("conflictingTransactions");
    }

    @Override
    public void processElement(Transaction txn, Context ctx, Collector<Transaction> out) throws Exception {
        SeenTransaction first = seen.get(txn.txnId);
        if (first == null) {
            seen.put(txn.txnId, new SeenTransaction(txn));
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
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Transaction> out) throws Exception {
        for (Iterator<Map.Entry<String, SeenTransaction>> it = seen.iterator(); it.hasNext(); ) {
            if (forgetAt(it.next().getValue().txnTimeMillis) <= timestamp) {
                it.remove();
            }
        }
        if (seen.isEmpty()) {
            seen.clear(); // the heap backend keeps an emptied map otherwise
        }
    }

    /** The end of the transaction's window plus the allowed lateness: when the rule forgets the window. */
    private long forgetAt(long txnTimeMillis) {
        long size = settings.windowMillis();
        long end = txnTimeMillis - Math.floorMod(txnTimeMillis, size) + size;
        long at = end + settings.allowedLatenessMillis();
        return at < txnTimeMillis ? Long.MAX_VALUE : at; // overflow near the end of time
    }
}
