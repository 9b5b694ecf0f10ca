package com.example.fraud.tools.generator;

import com.example.fraud.tools.kinesis.OutgoingRecord;
import com.example.fraud.tools.kinesis.WriteReport;
import java.util.List;

/** Where generated records go: a Kinesis stream, a JSON-lines file or stdout, or memory (tests). */
public interface RecordTarget extends AutoCloseable {
    /** Writes the batch in order; the report says when each record was stored, or why it failed. */
    WriteReport send(List<OutgoingRecord> records);

    long sent();

    /** Re-sends after failures inside a batch; only targets that can fail have any. */
    default long retried() {
        return 0;
    }

    default long failed() {
        return 0;
    }

    /** For the truth file and the console, e.g. "kinesis:fraud-transactions". */
    String describe();

    @Override
    void close();
}
