package com.example.fraud.tools.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.tools.TestEmulator;
import com.example.fraud.tools.emulator.LocalKinesis;
import com.example.fraud.tools.emulator.StreamSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.Record;

/** RecordWriter against the real emulator, with partial failures and throttling injected in between. */
class RecordWriterEmulatorTest {
    private static final String STREAM = "writer-test";
    private static LocalKinesis kinesis;

    @BeforeAll
    static void start() throws Exception {
        kinesis = TestEmulator.start(RecordWriterEmulatorTest.class, List.of(StreamSpec.of(STREAM, 2)));
    }

    @AfterAll
    static void stop() {
        if (kinesis != null) {
            kinesis.close();
        }
    }

    @Test
    void everyRecordArrivesExactlyOnceDespitePartialFailuresAndThrottling() {
        // Every 7th record fails on its first send; every 2nd call is throttled (at most 2 times): calls are
        // 500 with 72 failed, throttled, the 72, throttled (150 new), 150 with 21 failed, the 21.
        FlakyKinesisClient flaky = new FlakyKinesisClient(kinesis.client(),
                id -> Integer.parseInt(id.substring(2)) % 7 == 0, 2, 2);
        RecordWriter writer = new RecordWriter(flaky, STREAM, new RetryPolicy(6, Duration.ofMillis(5), Duration.ofMillis(50)));
        List<OutgoingRecord> records = new ArrayList<>();
        for (int i = 0; i < 650; i++) {
            records.add(new OutgoingRecord("ACC-" + (i % 13), String.format("r-%04d", i).getBytes(StandardCharsets.UTF_8)));
        }

        WriteReport report = writer.write(records);

        assertThat(flaky.injectedEntryFailures).isEqualTo(93); // 0, 7, ..., 644
        assertThat(flaky.throttledCalls).isEqualTo(2);
        assertThat(writer.retried()).isEqualTo(flaky.injectedRecordFailures).isEqualTo(93 + 72 + 150);
        assertThat(writer.failed()).isZero();
        assertThat(writer.sent()).isEqualTo(650);
        assertThat(report.ackedCount()).isEqualTo(650);

        Map<String, Integer> seen = new TreeMap<>();
        for (Record r : StreamReader.readAll(kinesis.client(), STREAM)) {
            seen.merge(r.data().asUtf8String(), 1, Integer::sum);
        }
        assertThat(seen).hasSize(650);
        assertThat(seen.values()).containsOnly(1);
        assertThat(seen.keySet()).contains("r-0000", "r-0007", "r-0649");
    }
}
