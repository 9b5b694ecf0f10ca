package com.example.fraud.detector.dedup;

import com.example.fraud.model.Transaction;

/** What a txn_id was first seen with. A Flink POJO in keyed state (no Kryo). */
public class SeenTransaction {
    public String accountId;
    public long amountCents;
    public long txnTimeMillis;

    public SeenTransaction() {}

    SeenTransaction(Transaction txn) {
        accountId = txn.accountId;
        amountCents = txn.amountCents;
        txnTimeMillis = txn.txnTimeMillis;
    }

    /** The fields of {@code txn} that differ from the first sighting, comma separated; empty when it is a retry. */
    String differences(Transaction txn) {
        StringBuilder diff = new StringBuilder();
        if (!accountId.equals(txn.accountId)) {
            diff.append("account_id");
        }
        if (amountCents != txn.amountCents) {
            diff.append(diff.length() > 0 ? ", " : "").append("amount");
        }
        if (txnTimeMillis != txn.txnTimeMillis) {
            diff.append(diff.length() > 0 ? ", " : "").append("txn_time");
        }
        return diff.toString();
    }
}
