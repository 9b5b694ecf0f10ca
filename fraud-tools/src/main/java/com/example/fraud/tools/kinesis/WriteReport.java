package com.example.fraud.tools.kinesis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The outcome of one {@link RecordWriter#write} call, per record by its index in the list given: when its
 * successful PutRecords call returned (wall clock), that call's sequence number (increasing across calls, so
 * records can be ordered as they landed), or the error that made it fail.
 */
public final class WriteReport {
    private final long[] ackMillis;
    private final long[] ackCall;
    private final String[] errors;
    private int failed;

    public WriteReport(int size) {
        ackMillis = new long[size];
        ackCall = new long[size];
        errors = new String[size];
    }

    public int size() {
        return ackMillis.length;
    }

    public void acked(int index, long wallClockMillis, long callSequence) {
        ackMillis[index] = wallClockMillis;
        ackCall[index] = callSequence;
    }

    public void failed(int index, String error) {
        if (errors[index] == null) {
            failed++;
        }
        errors[index] = error == null ? "unknown error" : error;
    }

    public boolean isAcked(int index) {
        return ackCall[index] != 0;
    }

    /** Wall-clock millis when the PutRecords call that stored this record returned; 0 if it failed. */
    public long ackMillis(int index) {
        return ackMillis[index];
    }

    /** Sequence number of the successful PutRecords call (1, 2, ...); 0 if the record failed. */
    public long ackCall(int index) {
        return ackCall[index];
    }

    /** Why the record failed, or null if it was stored. */
    public String error(int index) {
        return errors[index];
    }

    public int failedCount() {
        return failed;
    }

    public int ackedCount() {
        return size() - failed;
    }

    /** Indexes of the failed records. */
    public List<Integer> failedIndexes() {
        if (failed == 0) {
            return Collections.emptyList();
        }
        List<Integer> out = new ArrayList<>(failed);
        for (int i = 0; i < errors.length; i++) {
            if (errors[i] != null) {
                out.add(i);
            }
        }
        return out;
    }
}
