package com.example.fraud.detector.rules;

import java.util.Arrays;

/** Keyed state of one account's window: exact sum, count, evidence, and whether it has alerted. */
public class WindowTotals {
    public long totalCents;
    public int txnCount;
    /** Ids of the first transactions, up to the configured cap. */
    public String[] txnIds = new String[0];
    public boolean alerted;

    public WindowTotals() {}

    void add(String txnId, long amountCents, int maxTxnIds) {
        totalCents += amountCents;
        txnCount++;
        if (txnIds.length < maxTxnIds) {
            txnIds = Arrays.copyOf(txnIds, txnIds.length + 1);
            txnIds[txnIds.length - 1] = txnId;
        }
    }
}
