package com.example.fraud.tools.generator;

import com.example.fraud.tools.kinesis.OutgoingRecord;
import com.example.fraud.tools.kinesis.WriteReport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;

/** Keeps every record with the time it was "stored": for tests and in-process scenario checks. */
public final class MemoryTarget implements RecordTarget {
    private final LongSupplier clock;
    private final List<OutgoingRecord> records = new ArrayList<>();
    private final List<Long> ackMillis = new ArrayList<>();
    private long batches;

    public MemoryTarget(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public WriteReport send(List<OutgoingRecord> batch) {
        WriteReport report = new WriteReport(batch.size());
        long now = clock.getAsLong();
        long call = ++batches;
        for (int i = 0; i < batch.size(); i++) {
            records.add(batch.get(i));
            ackMillis.add(now);
            report.acked(i, now, call);
        }
        return report;
    }

    /** Every record in the order stored. */
    public List<OutgoingRecord> records() {
        return Collections.unmodifiableList(records);
    }

    /** When record {@code i} of {@link #records()} was stored. */
    public long ackMillis(int i) {
        return ackMillis.get(i);
    }

    @Override
    public long sent() {
        return records.size();
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {}
}
