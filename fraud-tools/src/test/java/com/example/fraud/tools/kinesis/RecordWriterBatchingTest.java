package com.example.fraud.tools.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

class RecordWriterBatchingTest {
    private static final RetryPolicy FAST_RETRY = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2));

    @Test
    void splitsAt500RecordsPerCall() {
        StubKinesisClient client = StubKinesisClient.accepting();
        RecordWriter writer = new RecordWriter(client, "s", FAST_RETRY);

        WriteReport report = writer.write(records(1_201, 10));

        assertThat(client.requests).extracting(r -> r.records().size()).containsExactly(500, 500, 201);
        assertThat(sentIds(client)).isEqualTo(ids(1_201));
        assertThat(report.ackedCount()).isEqualTo(1_201);
        assertThat(report.ackCall(0)).isEqualTo(1);
        assertThat(report.ackCall(1_200)).isEqualTo(3);
        assertThat(writer.sent()).isEqualTo(1_201);
        assertThat(writer.retried()).isZero();
        assertThat(writer.failed()).isZero();
    }

    @Test
    void splitsAt5MiBPerCallCountingPartitionKeys() {
        StubKinesisClient client = StubKinesisClient.accepting();
        RecordWriter writer = new RecordWriter(client, "s", FAST_RETRY);
        // 100 KiB payloads: 51 fit in 5 MiB (52 would be 5.08 MiB with keys).
        List<OutgoingRecord> records = records(120, 100 * 1024);

        writer.write(records);

        for (PutRecordsRequest r : client.requests) {
            assertThat(bytes(r)).isLessThanOrEqualTo(RecordWriter.MAX_BYTES_PER_CALL);
        }
        assertThat(client.requests).extracting(r -> r.records().size()).containsExactly(51, 51, 18);
        assertThat(sentIds(client)).isEqualTo(ids(120));
    }

    @Test
    void batchEndNeverExceedsEitherLimit() {
        List<OutgoingRecord> small = records(501, 1);
        assertThat(RecordWriter.batchEnd(small, 0)).isEqualTo(500);
        assertThat(RecordWriter.batchEnd(small, 500)).isEqualTo(501);
        // Exactly 5 MiB fits: five records of 1 MiB including the key.
        String key = "k";
        List<OutgoingRecord> exact = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            exact.add(new OutgoingRecord(key, new byte[RecordWriter.MAX_RECORD_BYTES - 1]));
        }
        assertThat(RecordWriter.batchEnd(exact, 0)).isEqualTo(5);
    }

    @Test
    void aRecordOverOneMiBFailsAloneAndIsReported() {
        StubKinesisClient client = StubKinesisClient.accepting();
        RecordWriter writer = new RecordWriter(client, "s", FAST_RETRY);
        List<OutgoingRecord> records = new ArrayList<>(records(3, 10));
        records.add(1, new OutgoingRecord("big", new byte[RecordWriter.MAX_RECORD_BYTES]));

        WriteReport report = writer.write(records);

        assertThat(report.failedIndexes()).containsExactly(1);
        assertThat(report.error(1)).contains("1048576");
        assertThat(report.ackedCount()).isEqualTo(3);
        assertThat(writer.failed()).isEqualTo(1);
        assertThat(client.requests).allSatisfy(r -> assertThat(bytes(r)).isLessThan(RecordWriter.MAX_RECORD_BYTES));
    }

    @Test
    void retriesOnlyTheFailedEntriesInTheirOrder() {
        int[] call = {0};
        StubKinesisClient client = new StubKinesisClient(request -> {
            call[0]++;
            List<PutRecordsResultEntry> results = new ArrayList<>();
            int failed = 0;
            for (PutRecordsRequestEntry e : request.records()) {
                String id = new String(e.data().asByteArray(), StandardCharsets.UTF_8);
                boolean fail = call[0] == 1 && (id.equals("r-0002") || id.equals("r-0005"));
                results.add(fail
                        ? PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException")
                                .errorMessage("slow down").build()
                        : PutRecordsResultEntry.builder().shardId("s").sequenceNumber("1").build());
                failed += fail ? 1 : 0;
            }
            return PutRecordsResponse.builder().records(results).failedRecordCount(failed).build();
        });
        RecordWriter writer = new RecordWriter(client, "s", FAST_RETRY);

        WriteReport report = writer.write(records(8, 0));

        assertThat(client.requests).hasSize(2);
        assertThat(idsOf(client.requests.get(1))).containsExactly("r-0002", "r-0005");
        assertThat(writer.retried()).isEqualTo(2);
        assertThat(writer.sent()).isEqualTo(8);
        assertThat(report.ackCall(2)).isEqualTo(2);
        assertThat(report.ackCall(3)).isEqualTo(1);
    }

    @Test
    void givesUpAfterTheLastAttemptAndCountsTheRecordAsFailed() {
        StubKinesisClient client = new StubKinesisClient(request -> {
            List<PutRecordsResultEntry> results = new ArrayList<>();
            for (PutRecordsRequestEntry e : request.records()) {
                boolean fail = new String(e.data().asByteArray(), StandardCharsets.UTF_8).equals("r-0001");
                results.add(fail ? PutRecordsResultEntry.builder().errorCode("InternalFailure").errorMessage("boom").build()
                        : PutRecordsResultEntry.builder().shardId("s").sequenceNumber("1").build());
            }
            return PutRecordsResponse.builder().records(results).failedRecordCount(1).build();
        });
        RecordWriter writer = new RecordWriter(client, "s", FAST_RETRY);

        WriteReport report = writer.write(records(3, 0));

        assertThat(client.requests).hasSize(3); // maxAttempts
        assertThat(report.failedIndexes()).containsExactly(1);
        assertThat(report.error(1)).contains("3 attempts").contains("InternalFailure");
        assertThat(writer.failed()).isEqualTo(1);
        assertThat(writer.retried()).isEqualTo(2);
        assertThat(writer.sent()).isEqualTo(2);
    }

    @Test
    void aNonRetryableErrorFailsEveryUnsentRecordLoudly() {
        StubKinesisClient client = new StubKinesisClient(request -> {
            throw ResourceNotFoundException.builder().message("Stream nope not found").build();
        });
        RecordWriter writer = new RecordWriter(client, "nope", FAST_RETRY);

        assertThatThrownBy(() -> writer.write(records(700, 10)))
                .isInstanceOf(RecordWriteException.class)
                .hasMessageContaining("not found")
                .satisfies(e -> assertThat(((RecordWriteException) e).report().failedCount()).isEqualTo(700));
        assertThat(client.requests).hasSize(1);
        assertThat(writer.failed()).isEqualTo(700);
    }

    /** Payloads "r-0000", "r-0001", ..., zero-padded to {@code payloadBytes} when that is longer. */
    static List<OutgoingRecord> records(int n, int payloadBytes) {
        List<OutgoingRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] id = String.format("r-%04d", i).getBytes(StandardCharsets.UTF_8);
            byte[] data = Arrays.copyOf(id, Math.max(id.length, payloadBytes));
            if (payloadBytes <= id.length) {
                data = id;
            }
            out.add(new OutgoingRecord("key-" + (i % 7), data));
        }
        return out;
    }

    private static List<String> ids(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(String.format("r-%04d", i));
        }
        return out;
    }

    private static List<String> sentIds(StubKinesisClient client) {
        List<String> out = new ArrayList<>();
        for (PutRecordsRequest r : client.requests) {
            out.addAll(idsOf(r));
        }
        return out;
    }

    private static List<String> idsOf(PutRecordsRequest r) {
        List<String> out = new ArrayList<>();
        for (PutRecordsRequestEntry e : r.records()) {
            out.add(new String(e.data().asByteArray(), 0, 6, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static long bytes(PutRecordsRequest r) {
        long total = 0;
        for (PutRecordsRequestEntry e : r.records()) {
            total += e.data().asByteArrayUnsafe().length + e.partitionKey().length();
        }
        return total;
    }
}
