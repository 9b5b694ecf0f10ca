package com.example.fraud.tools.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fraud.tools.TestEmulator;
import com.example.fraud.tools.kinesis.OutgoingRecord;
import com.example.fraud.tools.kinesis.RecordWriter;
import com.example.fraud.tools.kinesis.StreamReader;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

class LocalKinesisTest {
    @Test
    void startsWithTheDefaultStreamsCreatesMoreOnTheRunningEmulatorAndStopsCleanly() throws Exception {
        LocalKinesis kinesis = TestEmulator.start(LocalKinesisTest.class, StreamNames.defaults());
        long pid = kinesis.pid();
        int port = kinesis.port();
        try {
            assertThat(kinesis.endpoint().toString()).isEqualTo("http://127.0.0.1:" + port);
            assertThat(port).isNotEqualTo(LocalKinesis.DEFAULT_PORT);
            assertThat(shards(kinesis, StreamNames.INPUT)).isEqualTo(2);
            assertThat(shards(kinesis, StreamNames.ALERTS)).isEqualTo(1);
            assertThat(shards(kinesis, StreamNames.DEAD_LETTERS)).isEqualTo(1);
            assertThat(shards(kinesis, StreamNames.RULES)).isEqualTo(1);
            assertThat(shards(kinesis, StreamNames.RULE_ACKS)).isEqualTo(1);
            assertThat(shards(kinesis, StreamNames.SHADOW_ALERTS)).isEqualTo(1);
            assertThat(summary(kinesis, StreamNames.INPUT).streamARN())
                    .isEqualTo(StreamNames.localArn(StreamNames.INPUT))
                    .isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/fraud-transactions");

            // As another engineer would: only create streams on an emulator that is already running.
            LocalKinesis.createStreams(kinesis.endpoint(), List.of(StreamSpec.of("extra", 3), StreamSpec.of(StreamNames.INPUT, 2)));
            assertThat(summary(kinesis, "extra").streamStatus()).isEqualTo(StreamStatus.ACTIVE);
            assertThat(shards(kinesis, "extra")).isEqualTo(3);

            new RecordWriter(kinesis.client(), "extra").write(List.of(
                    new OutgoingRecord("a", "one".getBytes(StandardCharsets.UTF_8)),
                    new OutgoingRecord("b", "two".getBytes(StandardCharsets.UTF_8))));
            assertThat(StreamReader.readAll(kinesis.client(), "extra")).extracting(Record::data)
                    .extracting(d -> d.asUtf8String()).containsExactlyInAnyOrder("one", "two");

            // A second emulator on the same port must refuse, not talk to the first one.
            assertThatThrownBy(() -> LocalKinesis.start(TestEmulator.emulatorDir(), port, Paths.get("target", "x.log")))
                    .isInstanceOf(IOException.class).hasMessageContaining("already in use");
        } finally {
            kinesis.close();
        }
        assertThat(kinesis.isRunning()).isFalse();
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        assertThat(handle.map(ProcessHandle::isAlive).orElse(false)).isFalse();
        try (ServerSocket free = new ServerSocket(port)) {
            assertThat(free.getLocalPort()).isEqualTo(port); // the port is released
        }
    }

    private static StreamDescriptionSummary summary(LocalKinesis kinesis, String stream) {
        return kinesis.client().describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary();
    }

    private static int shards(LocalKinesis kinesis, String stream) {
        return summary(kinesis, stream).openShardCount();
    }
}
