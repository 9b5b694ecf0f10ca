package com.example.fraud.detector.rules;

import com.example.fraud.model.Transaction;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information that hands Flink the {@link TransactionSerializer} instead of the reflective POJO one. */
public final class TransactionTypeInfo extends TypeInformation<Transaction> {
    private static final long serialVersionUID = 1L;

    public static final TransactionTypeInfo INSTANCE = new TransactionTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<Transaction> getTypeClass() {
        return Transaction.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<Transaction> createSerializer(ExecutionConfig config) {
        return TransactionSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "Transaction";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof TransactionTypeInfo;
    }

    @Override
    public int hashCode() {
        return TransactionTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof TransactionTypeInfo;
    }
}
