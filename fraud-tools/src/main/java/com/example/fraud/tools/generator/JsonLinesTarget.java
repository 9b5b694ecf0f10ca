package com.example.fraud.tools.generator;

import com.example.fraud.tools.kinesis.OutgoingRecord;
import com.example.fraud.tools.kinesis.WriteReport;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One record payload per line (the partition key is not written), to a file or stdout. A paced run flushes each
 * batch, so that a reader of the output sees it when it counts as stored; a {@code --fast} run flushes only when its
 * buffer fills and at the end (a sparse fast run sends a batch of one record per tick: a system call per record).
 */
public final class JsonLinesTarget implements RecordTarget {
    private final OutputStream out;
    private final boolean closeStream;
    private final boolean flushEachBatch;
    private final LongSupplier clock;
    private final String name;
    private long sent;
    private long batches;

    public JsonLinesTarget(OutputStream out, boolean closeStream, boolean flushEachBatch, LongSupplier clock,
            String name) {
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.closeStream = closeStream;
        this.flushEachBatch = flushEachBatch;
        this.clock = clock;
        this.name = name;
    }

    @Override
    public WriteReport send(List<OutgoingRecord> records) {
        WriteReport report = new WriteReport(records.size());
        try {
            for (OutgoingRecord r : records) {
                out.write(r.data());
                out.write('\n');
            }
            if (flushEachBatch) {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + name, e);
        }
        long now = clock.getAsLong();
        long call = ++batches;
        for (int i = 0; i < records.size(); i++) {
            report.acked(i, now, call);
        }
        sent += records.size();
        return report;
    }

    @Override
    public long sent() {
        return sent;
    }

    @Override
    public String describe() {
        return "file:" + name;
    }

    @Override
    public void close() {
        try {
            out.flush();
            if (closeStream) {
                out.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
