package com.example.fraud.detector.serialization;

import com.example.fraud.model.Transaction;

/** Hands Flink the {@link TransactionSerializer} instead of the reflective POJO one. */
public final class TransactionTypeInfo extends SerializerTypeInfo<Transaction> {
    private static final long serialVersionUID = 1L;

    public static final TransactionTypeInfo INSTANCE = new TransactionTypeInfo();

    private TransactionTypeInfo() {
        super(Transaction.class, TransactionSerializer.INSTANCE);
    }
}
