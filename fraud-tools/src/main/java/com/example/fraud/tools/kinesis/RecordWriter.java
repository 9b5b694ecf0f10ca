package com.example.fraud.tools.kinesis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.KmsThrottlingException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Writes records with PutRecords, at most {@value #MAX_RECORDS_PER_CALL} records and 5 MiB per call.
 *
 * <p>Entries that fail inside a call (FailedRecordCount &gt; 0) and whole calls that are throttled are
 * retried with exponential backoff and jitter, up to {@link RetryPolicy#maxAttempts()} attempts. Only the
 * failed entries are sent again, in their original order and before any later record, which keeps the
 * order per partition key as far as Kinesis allows (a failed entry can still land after a later entry of
 * the same key that succeeded in the same call). A record is never dropped silently: after the last
 * attempt it is counted in {@link #failed()} and reported in the {@link WriteReport}.
 *
 * <p>Retries happen here, not hidden in the SDK, so that {@link #retried()} counts every re-send. One
 * writer per thread; the counters may be read from any thread.
 */
public final class RecordWriter {
    public static final int MAX_RECORDS_PER_CALL = 500;
    public static final long MAX_BYTES_PER_CALL = 5L * 1024 * 1024;
    /** Per record, payload plus partition key. */
    public static final int MAX_RECORD_BYTES = 1024 * 1024;

    private final KinesisClient client;
    private final String streamName;
    private final RetryPolicy retry;
    private final LongSupplier wallClock;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();

    public RecordWriter(KinesisClient client, String streamName) {
        this(client, streamName, RetryPolicy.defaults());
    }

    public RecordWriter(KinesisClient client, String streamName, RetryPolicy retry) {
        this(client, streamName, retry, System::currentTimeMillis);
    }

    public RecordWriter(KinesisClient client, String streamName, RetryPolicy retry, LongSupplier wallClock) {
        this.client = client;
        this.streamName = streamName;
        this.retry = retry;
        this.wallClock = wallClock;
    }

    /**
     * Writes all records, in order, in as few calls as the limits allow; returns when each is stored or has
     * failed for good.
     *
     * @throws RecordWriteException on a non-retryable error; the records not stored are counted as failed
     */
    public WriteReport write(List<OutgoingRecord> records) {
        WriteReport report = new WriteReport(records.size());
        int from = 0;
        while (from < records.size()) {
            OutgoingRecord first = records.get(from);
            if (first.billedBytes() > MAX_RECORD_BYTES) {
                // Kinesis would reject the whole call: fail this record alone.
                fail(report, new int[] {from}, 1, "record is " + first.billedBytes() + " bytes with its key; "
                        + "Kinesis accepts at most " + MAX_RECORD_BYTES);
                from++;
                continue;
            }
            int to = batchEnd(records, from);
            try {
                sendWithRetries(records, from, to, report);
            } catch (RecordWriteException e) {
                for (int i = to; i < records.size(); i++) {
                    fail(report, new int[] {i}, 1, "not attempted after: " + e.getMessage());
                }
                throw e;
            }
            from = to;
        }
        return report;
    }

    /**
     * End (exclusive) of the call that starts at {@code from}: as many records as fit in 500 records and
     * 5 MiB. A record over the per-record limit ends the call before it (it is failed on its own).
     */
    static int batchEnd(List<OutgoingRecord> records, int from) {
        long bytes = 0;
        int i = from;
        while (i < records.size() && i - from < MAX_RECORDS_PER_CALL) {
            int size = records.get(i).billedBytes();
            if (size > MAX_RECORD_BYTES || bytes + size > MAX_BYTES_PER_CALL) {
                break;
            }
            bytes += size;
            i++;
        }
        return Math.max(i, from + 1);
    }

    private void sendWithRetries(List<OutgoingRecord> records, int from, int to, WriteReport report) {
        int pendingCount = to - from;
        int[] pending = new int[pendingCount];
        List<PutRecordsRequestEntry> entries = new ArrayList<>(pendingCount);
        for (int i = from; i < to; i++) {
            pending[i - from] = i;
            OutgoingRecord r = records.get(i);
            entries.add(PutRecordsRequestEntry.builder()
                    .partitionKey(r.partitionKey())
                    .data(SdkBytes.fromByteArrayUnsafe(r.data()))
                    .build());
        }
        for (int attempt = 1; ; attempt++) {
            String error;
            try {
                PutRecordsResponse response = client.putRecords(
                        PutRecordsRequest.builder().streamName(streamName).records(entries).build());
                long ackMillis = wallClock.getAsLong();
                long call = calls.incrementAndGet();
                List<PutRecordsResultEntry> results = response.records();
                if (results.size() != pendingCount) {
                    throw new RecordWriteException("PutRecords answered " + results.size() + " results for "
                            + pendingCount + " records", null, fail(report, pending, pendingCount, "bad response"));
                }
                int stillFailing = 0;
                List<PutRecordsRequestEntry> retryEntries = new ArrayList<>();
                error = null;
                for (int k = 0; k < pendingCount; k++) {
                    PutRecordsResultEntry result = results.get(k);
                    if (result.errorCode() == null) {
                        report.acked(pending[k], ackMillis, call);
                    } else {
                        error = result.errorCode() + ": " + result.errorMessage();
                        pending[stillFailing++] = pending[k]; // compacts in place, order kept
                        retryEntries.add(entries.get(k));
                    }
                }
                sent.addAndGet(pendingCount - stillFailing);
                if (stillFailing == 0) {
                    return;
                }
                pendingCount = stillFailing;
                entries = retryEntries;
            } catch (SdkException e) {
                if (!isRetryable(e)) {
                    throw new RecordWriteException("PutRecords to " + streamName + " failed: " + e.getMessage(), e,
                            fail(report, pending, pendingCount, e.getClass().getSimpleName() + ": " + e.getMessage()));
                }
                error = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (attempt >= retry.maxAttempts()) {
                fail(report, pending, pendingCount, "gave up after " + attempt + " attempts; last error " + error);
                return;
            }
            retried.addAndGet(pendingCount);
            pause(retry.delayMillis(attempt + 1));
        }
    }

    private WriteReport fail(WriteReport report, int[] indexes, int count, String error) {
        for (int k = 0; k < count; k++) {
            report.failed(indexes[k], error);
        }
        failed.addAndGet(count);
        return report;
    }

    /** Throttling, limits and server or network faults are worth another try; anything else is not. */
    static boolean isRetryable(SdkException e) {
        if (e instanceof ProvisionedThroughputExceededException || e instanceof LimitExceededException
                || e instanceof KmsThrottlingException || e instanceof SdkClientException) {
            return true;
        }
        if (e instanceof AwsServiceException) {
            AwsServiceException s = (AwsServiceException) e;
            return s.isThrottlingException() || s.statusCode() >= 500;
        }
        return e.retryable();
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }

    public String streamName() {
        return streamName;
    }

    /** Records stored. */
    public long sent() {
        return sent.get();
    }

    /** Re-sends: each time a record is sent again after a failed entry or a failed call. */
    public long retried() {
        return retried.get();
    }

    /** Records given up on (after the last attempt, or on a non-retryable error). */
    public long failed() {
        return failed.get();
    }

    /** Successful PutRecords calls. */
    public long calls() {
        return calls.get();
    }
}
