package com.example.fraud.detector.dedup;

import com.example.fraud.model.Transaction;

/** What a txn_id was first seen with (the account is the state's key). A Flink POJO in keyed state (no Kryo). */
public class SeenTransaction {
    public long amountCents;
    public long txnTimeMillis;

    public SeenTransaction() {}

    SeenTransaction(Transaction txn) {
        amountCents = txn.amountCents;
        txnTimeMillis = txn.txnTimeMillis;
    }

    /** The fields of {@code txn} that differ from the first sighting, comma separated; empty when it is a retry. */
    String differences(Transaction txn) {
        if (amountCents != txn.amountCents) {
            return txnTimeMillis != txn.txnTimeMillis ? "amount, txn_time" : "amount";
        }
        return txnTimeMillis != txn.txnTimeMillis ? "txn_time" : "";
    }
}
