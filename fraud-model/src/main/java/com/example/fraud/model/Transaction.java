package com.example.fraud.model;

import java.util.Objects;

/**
 * One card or account transaction. A Flink POJO (public fields, no-arg constructor) so that it is
 * serialized by the PojoSerializer, never by Kryo. Money is held in integer cents to stay exact.
 */
public class Transaction {
    public String txnId;
    public String accountId;
    public long amountCents;
    /** Event time: the transaction's own timestamp, epoch milliseconds. */
    public long txnTimeMillis;

    public Transaction() {}

    public Transaction(String txnId, String accountId, long amountCents, long txnTimeMillis) {
        this.txnId = txnId;
        this.accountId = accountId;
        this.amountCents = amountCents;
        this.txnTimeMillis = txnTimeMillis;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Transaction)) {
            return false;
        }
        Transaction that = (Transaction) o;
        return amountCents == that.amountCents
                && txnTimeMillis == that.txnTimeMillis
                && Objects.equals(txnId, that.txnId)
                && Objects.equals(accountId, that.accountId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(txnId, accountId, amountCents, txnTimeMillis);
    }

    @Override
    public String toString() {
        return "Transaction{" + txnId + ", " + accountId + ", " + Money.format(amountCents) + ", "
                + Timestamps.format(txnTimeMillis) + '}';
    }
}
