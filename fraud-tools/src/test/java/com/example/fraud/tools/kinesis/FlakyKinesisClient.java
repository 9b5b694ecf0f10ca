package com.example.fraud.tools.kinesis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Decorates a real client: chosen entries of a PutRecords call are answered as failed with
 * ProvisionedThroughputExceededException WITHOUT being forwarded (so a correct writer stores them exactly
 * once), and some whole calls throw a throttling exception. Counts what it injected, per record.
 */
final class FlakyKinesisClient implements KinesisClient {
    private final KinesisClient real;
    private final Predicate<String> failOnFirstSend;
    private final int throttleEveryNthCall;
    private final int maxThrottledCalls;
    private final Set<String> alreadyFailed = new HashSet<>();
    private int calls;
    int throttledCalls;
    int injectedEntryFailures;
    /** Entries re-sent because of an injected failure: partial failures plus every entry of a throttled call. */
    int injectedRecordFailures;

    FlakyKinesisClient(KinesisClient real, Predicate<String> failOnFirstSend, int throttleEveryNthCall,
            int maxThrottledCalls) {
        this.real = real;
        this.failOnFirstSend = failOnFirstSend;
        this.throttleEveryNthCall = throttleEveryNthCall;
        this.maxThrottledCalls = maxThrottledCalls;
    }

    @Override
    public PutRecordsResponse putRecords(PutRecordsRequest request) {
        calls++;
        if (calls % throttleEveryNthCall == 0 && throttledCalls < maxThrottledCalls) {
            throttledCalls++;
            injectedRecordFailures += request.records().size();
            throw ProvisionedThroughputExceededException.builder().statusCode(400)
                    .message("Rate exceeded for stream (injected)").build();
        }
        List<PutRecordsRequestEntry> forward = new ArrayList<>();
        boolean[] failed = new boolean[request.records().size()];
        for (int k = 0; k < failed.length; k++) {
            PutRecordsRequestEntry e = request.records().get(k);
            String id = new String(e.data().asByteArray(), StandardCharsets.UTF_8);
            if (failOnFirstSend.test(id) && alreadyFailed.add(id)) {
                failed[k] = true;
                injectedEntryFailures++;
                injectedRecordFailures++;
            } else {
                forward.add(e);
            }
        }
        List<PutRecordsResultEntry> forwarded = forward.isEmpty() ? List.of()
                : real.putRecords(request.toBuilder().records(forward).build()).records();
        List<PutRecordsResultEntry> merged = new ArrayList<>();
        int next = 0;
        int failures = 0;
        for (boolean f : failed) {
            if (f) {
                merged.add(PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException")
                        .errorMessage("Rate exceeded for shard (injected)").build());
                failures++;
            } else {
                PutRecordsResultEntry r = forwarded.get(next++);
                merged.add(r);
                failures += r.errorCode() != null ? 1 : 0;
            }
        }
        return PutRecordsResponse.builder().records(merged).failedRecordCount(failures).build();
    }

    @Override
    public String serviceName() {
        return real.serviceName();
    }

    @Override
    public void close() {}
}
