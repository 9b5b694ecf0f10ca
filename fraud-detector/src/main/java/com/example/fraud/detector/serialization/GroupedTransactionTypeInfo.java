package com.example.fraud.detector.serialization;

import com.example.fraud.detector.rules.GroupedTransaction;

/** Hands Flink the {@link GroupedTransactionSerializer}. */
public final class GroupedTransactionTypeInfo extends SerializerTypeInfo<GroupedTransaction> {
    private static final long serialVersionUID = 1L;

    public static final GroupedTransactionTypeInfo INSTANCE = new GroupedTransactionTypeInfo();

    private GroupedTransactionTypeInfo() {
        super(GroupedTransaction.class, GroupedTransactionSerializer.INSTANCE);
    }
}
