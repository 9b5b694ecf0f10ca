package com.example.fraud.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.FraudDetectorJob;
import com.example.fraud.detector.config.ApplicationProperties;
import com.example.fraud.detector.config.JobConfig;
import com.example.fraud.model.Alert;
import com.example.fraud.model.Timestamps;
import com.example.fraud.tools.emulator.LocalKinesis;
import com.example.fraud.tools.emulator.StreamNames;
import com.example.fraud.tools.evaluate.ReceivedAlert;
import com.example.fraud.tools.evaluate.StreamCollector;
import com.example.fraud.tools.probe.PipelineProbe;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordRequest;

/**
 * The real consumer over two shards of the emulator: one shard receives transactions, the other nothing but malformed
 * records, two a second, for as long as the test runs. Before, every record counted as activity for the consumer's
 * idleness, so the malformed shard held the watermark at its start and no WINDOW_CLOSE alert came while the noise
 * lasted; now a shard with no valid transaction for watermark.idle.timeout (5 s here) stops holding it back.
 */
class RejectedRecordsOnAQuietShardTest {
    private static final Duration NOISE_FOR = Duration.ofSeconds(90);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    @Timeout(300)
    void aShardOfMalformedRecordsDoesNotHoldBackTheOtherShardsWindows() throws Exception {
        Path work = Paths.get("target", "rejected-records-quiet-shard").toAbsolutePath();
        LocalKinesis kinesis = TestEnvironment.startKinesis(work, 2);
        try (kinesis) {
            Path config = TestEnvironment.writeConfig(work.resolve("application-properties.json"),
                    kinesis.endpoint(), "WINDOW_CLOSE");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            env.enableCheckpointing(2_000);
            FraudDetectorJob.define(env, JobConfig.fromPropertyGroups(ApplicationProperties.fromFile(config)), false);
            JobClient job = env.executeAsync("rejected records on a quiet shard");
            try {
                DetectorEndToEndTest.awaitRunning(job);
                PipelineProbe.await(kinesis.client(), StreamNames.INPUT, StreamNames.DEAD_LETTERS,
                        Duration.ofSeconds(90));
                KinesisClient client = kinesis.client();
                String busyKey = keyInHalf(0);
                String noisyKey = keyInHalf(1);
                Set<String> shards = java.util.concurrent.ConcurrentHashMap.newKeySet();

                // The noise starts first and never stops before the alert: the noisy shard sends no transaction.
                AtomicBoolean alerted = new AtomicBoolean();
                AtomicInteger noise = new AtomicInteger();
                Thread noiseWriter = new Thread(() -> {
                    long end = System.nanoTime() + NOISE_FOR.toNanos();
                    while (!alerted.get() && System.nanoTime() < end) {
                        shards.add(put(client, noisyKey, "not json " + noise.incrementAndGet()));
                        sleep(500);
                    }
                }, "noise");
                noiseWriter.start();
                sleep(1_000);

                // Window [base, base + 10 s), in the past (within the clock-skew check), then a transaction 30 s
                // later that moves the busy shard's watermark past the window's end plus the 5 s bound.
                long base = System.currentTimeMillis() / 10_000 * 10_000 - 40_000;
                shards.add(put(client, busyKey, txn("q-1", "A", "2000.00", base + 1_000)));
                shards.add(put(client, busyKey, txn("q-2", "A", "1000.01", base + 2_000)));
                shards.add(put(client, busyKey, txn("q-3", "OTHER", "1.00", base + 30_000)));

                StreamCollector collected = new StreamCollector(client, StreamNames.ALERTS, StreamNames.DEAD_LETTERS);
                long deadline = System.nanoTime() + NOISE_FOR.toNanos();
                while (collected.alerts().isEmpty() && System.nanoTime() < deadline) {
                    collected.poll();
                    sleep(200);
                }
                boolean noiseStillRunning = noiseWriter.isAlive();
                alerted.set(true);
                noiseWriter.join();

                assertThat(shards).as("the two keys land on the two shards").hasSize(2);
                List<ReceivedAlert> alerts = collected.alerts();
                assertThat(alerts).as("a WINDOW_CLOSE alert while the other shard sent only malformed records")
                        .isNotEmpty();
                Alert a = alerts.get(0).alert;
                assertThat(a.accountId).isEqualTo("A");
                assertThat(a.trigger).isEqualTo(Alert.Trigger.WINDOW_CLOSE);
                assertThat(a.totalCents).isEqualTo(300_001);
                assertThat(a.windowStartMillis).isEqualTo(base);
                assertThat(noiseStillRunning).as("the alert came while the noise lasted").isTrue();
                // the noisy shard was read all along: its records reached the dead-letter stream
                assertThat(collected.deadLetters()).extracting(d -> d.reason).contains("MALFORMED_JSON");
            } finally {
                job.cancel().get();
            }
        }
    }

    private static String txn(String id, String account, String amount, long timeMillis) {
        return "{\"txn_id\":\"" + id + "\",\"account_id\":\"" + account + "\",\"amount\":" + amount
                + ",\"txn_time\":\"" + Timestamps.format(timeMillis) + "\"}";
    }

    /** Puts one record and returns the shard it went to. */
    private static String put(KinesisClient client, String partitionKey, String data) {
        return client.putRecord(PutRecordRequest.builder().streamName(StreamNames.INPUT).partitionKey(partitionKey)
                .data(SdkBytes.fromByteArray(data.getBytes(StandardCharsets.UTF_8))).build()).shardId();
    }

    /** A partition key whose MD5 falls in the lower (0) or upper (1) half of the hash range: one of two shards. */
    private static String keyInHalf(int half) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        BigInteger middle = BigInteger.ONE.shiftLeft(127);
        for (int i = 0; ; i++) {
            String key = "key-" + i;
            BigInteger hash = new BigInteger(1, md5.digest(key.getBytes(StandardCharsets.UTF_8)));
            if ((hash.compareTo(middle) >= 0 ? 1 : 0) == half) {
                return key;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
