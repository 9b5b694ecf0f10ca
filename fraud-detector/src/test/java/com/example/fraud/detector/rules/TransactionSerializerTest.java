package com.example.fraud.detector.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.model.Transaction;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class TransactionSerializerTest {
    @Test
    void roundTripsEveryFieldAndCopiesIndependently() throws Exception {
        Transaction t = new Transaction("t-ü-1", "ACC-42", 300_001, -1_000L);
        DataOutputSerializer out = new DataOutputSerializer(64);
        TransactionSerializer.INSTANCE.serialize(t, out);
        TransactionSerializer.INSTANCE.serialize(new Transaction("t-2", "B", 1, Long.MAX_VALUE), out);

        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertThat(TransactionSerializer.INSTANCE.deserialize(in)).isEqualTo(t);
        assertThat(TransactionSerializer.INSTANCE.deserialize(in)).isEqualTo(new Transaction("t-2", "B", 1, Long.MAX_VALUE));

        Transaction copy = TransactionSerializer.INSTANCE.copy(t);
        assertThat(copy).isEqualTo(t).isNotSameAs(t);
        assertThat(TransactionSerializer.INSTANCE.snapshotConfiguration().restoreSerializer())
                .isSameAs(TransactionSerializer.INSTANCE);
    }
}
