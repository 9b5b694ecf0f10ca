package com.example.fraud.detector;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.rules.FiringMode;
import com.example.fraud.detector.testing.Script;
import com.example.fraud.model.Alert;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.RejectReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records a hostile or buggy producer can write, through the whole graph on a MiniCluster with restarts turned
 * off: any exception would fail the job here, where in production it would restart and re-read the same record
 * forever. Window 60 s, threshold 3000.00, out-of-orderness 5 s, allowed lateness 0, max clock skew 30 s.
 */
class HostileInputPipelineTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** The reasons a record can be rejected for at the source. */
    private static final EnumSet<RejectReason> SOURCE_REASONS = EnumSet.of(
            RejectReason.MALFORMED_JSON, RejectReason.MISSING_FIELD,
            RejectReason.INVALID_FIELD, RejectReason.INVALID_AMOUNT,
            RejectReason.INVALID_TXN_TIME, RejectReason.OVERSIZED,
            RejectReason.CLOCK_SKEW);

    private static DetectionSettings.Builder settings() {
        return DetectionSettings.builder()
                .thresholdCents(300_000)
                .window(Duration.ofSeconds(60))
                .maxOutOfOrderness(Duration.ofSeconds(5))
                .maxClockSkew(Duration.ofSeconds(30))
                .allowedLateness(Duration.ZERO)
                .idleTimeout(Duration.ofMinutes(10))
                .maxRecordBytes(4096)
                .firing(FiringMode.EARLY);
    }

    @SuppressWarnings("deprecation")
    static FraudDetectionPipelineTest.Result run(Script script, DetectionSettings settings, int parallelism)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        env.getConfig().setAutoWatermarkInterval(10);
        env.setRestartStrategy(RestartStrategies.noRestart());
        FraudDetectionPipeline.Outputs outputs =
                FraudDetectionPipeline.build(env, script.bounded(settings), "hostile shards", settings);
        FraudDetectionPipelineTest.Result result = new FraudDetectionPipelineTest.Result();
        try (CloseableIterator<Alert> alerts = outputs.alerts.collectAsync();
                CloseableIterator<DeadLetter> deadLetters = outputs.deadLetters.collectAsync()) {
            env.execute("hostile input test"); // throws if any task failed
            alerts.forEachRemaining(result.alerts::add);
            deadLetters.forEachRemaining(result.deadLetters::add);
        }
        return result;
    }

    @Test
    void noByteSequenceCanFailTheJob() throws Exception {
        DetectionSettings s = settings().build();
        Script script = Script.shards("shard-0", "shard-1");
        List<byte[]> hostile = new ArrayList<>();
        // Four bytes that make Jackson guess UTF-32 with an odd byte order and fail with CharConversionException,
        // an I/O error, not a parse error: each one failed the job before the fix.
        hostile.add(new byte[] {0x00, 0x00, (byte) 0xff, (byte) 0xfe});
        hostile.add(new byte[] {(byte) 0xfe, (byte) 0xff, 0x00, 0x00});
        hostile.add(new byte[] {0x00, 0x7b, 0x00, 0x00});
        hostile.add(new byte[] {0x00, 0x00, 0x7b, 0x00});
        // Other encoding guesses: UTF-16/UTF-32 in the usual byte orders.
        hostile.add(new byte[] {0x00, 0x00, 0x00, 0x7b});
        hostile.add(new byte[] {0x7b, 0x00, 0x00, 0x00});
        hostile.add(new byte[] {0x00, 0x7b, 0x00, 0x22});
        hostile.add(new byte[] {(byte) 0xfe, (byte) 0xff, 0x00, 0x7b});
        hostile.add(new byte[] {(byte) 0xff, (byte) 0xfe, 0x7b, 0x00});
        hostile.add(new byte[0]);
        hostile.add("[".repeat(5000).getBytes(StandardCharsets.UTF_8));
        hostile.add(("{\"txn_id\":\"x\",\"account_id\":\"A\",\"amount\":1" + "0".repeat(2000) + ",\"txn_time\":"
                + "\"2026-11-25T10:00:01Z\"}").getBytes(StandardCharsets.UTF_8));
        Random random = new Random(20261126);
        for (int i = 0; i < 400; i++) {
            byte[] b = new byte[random.nextInt(12)];
            random.nextBytes(b);
            hostile.add(b);
            byte[] mutated = ("{\"txn_id\":\"v-" + i + "\",\"account_id\":\"M\",\"amount\":0.01,"
                    + "\"txn_time\":\"2026-11-25T10:00:01Z\"}").getBytes(StandardCharsets.UTF_8);
            for (int k = 0; k <= random.nextInt(3); k++) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            hostile.add(mutated);
        }
        int n = 0;
        for (byte[] record : hostile) {
            script.raw("shard-" + (n++ % 2), record);
        }
        // The detector still sees and flags what matters, in the middle of the noise.
        script.txn("shard-0", "A", "2000.00", 10).txn("shard-1", "A", "1000.01", 20).txn("shard-0", "Z", "1.00", 200);

        FraudDetectionPipelineTest.Result r = run(script, s, 2);

        assertThat(r.alerts).extracting(a -> a.accountId).containsExactly("A");
        // Every record but the mutations that stayed valid transactions (of 0.01 each) is dead-lettered.
        assertThat((long) r.deadLetters.size()).isBetween(hostile.size() - 400L, (long) hostile.size());
        assertThat(r.deadLetters).allSatisfy(d -> {
            assertThat(EnumSet.allOf(RejectReason.class)).extracting(Enum::name).contains(d.reason);
            assertThat(d.payloadSha256).hasSize(64);
        });
        assertThat(r.deadLetters).filteredOn(d -> d.accountId == null)
                .allSatisfy(d -> assertThat(SOURCE_REASONS).extracting(Enum::name).contains(d.reason));
        assertThat(r.deadLetterReasons()).contains("MALFORMED_JSON", "INVALID_AMOUNT");
    }

    @Test
    void transactionsDatedInTheFutureCannotBlindTheDetector() throws Exception {
        DetectionSettings s = settings().build();
        double threeYears = 3 * 365 * 86_400;
        Script script = Script.shards("shard-0", "shard-1")
                .txn("shard-0", "A", "10.00", 1).txn("shard-1", "B", "10.00", 1)
                // One valid-looking record a few years ahead on each shard, arriving now.
                .txnArrivingAt("shard-0", "p-0", "EVIL", "1.00", threeYears, 2)
                .txnArrivingAt("shard-1", "p-1", "EVIL", "1.00", threeYears, 2)
                .pause()
                .txn("shard-0", "A", "2000.00", 10).txn("shard-1", "A", "1000.01", 20)
                .txn("shard-0", "B", "3100.00", 70)
                .txn("shard-1", "C", "1500.00", 130).txn("shard-0", "C", "1500.01", 131)
                .txn("shard-0", "Z", "1.00", 300).txn("shard-1", "Z", "1.00", 300);

        FraudDetectionPipelineTest.Result r = run(script, s, 1);

        assertThat(r.alerts).extracting(a -> a.accountId + "@" + (a.windowStartMillis - Script.T0) / 1000)
                .containsExactlyInAnyOrder("A@0", "B@60", "C@120");
        assertThat(r.deadLetters).extracting(d -> d.reason, d -> d.accountId).containsExactly(
                org.assertj.core.groups.Tuple.tuple("CLOCK_SKEW", "EVIL"),
                org.assertj.core.groups.Tuple.tuple("CLOCK_SKEW", "EVIL"));
        assertThat(r.deadLetters.get(0).detail).contains("ahead of the record's arrival").contains("max.clock.skew");
    }

    @Test
    void aTransactionUpToTheClockSkewAheadIsCountedOneMillisecondMoreIsNot() throws Exception {
        DetectionSettings s = settings().build();
        Script script = Script.shards("shard-0")
                .txnArrivingAt("shard-0", "ok", "A", "3000.01", 40, 10) // exactly 30 s ahead
                .txnArrivingAt("shard-0", "no", "B", "3000.01", 40.001, 10) // 30.001 s ahead
                .txn("shard-0", "Z", "1.00", 200);

        FraudDetectionPipelineTest.Result r = run(script, s, 1);

        assertThat(r.alerts).extracting(a -> a.accountId).containsExactly("A");
        assertThat(r.deadLetters).extracting(d -> d.reason).containsExactly("CLOCK_SKEW");
    }

    @Test
    void aRetriedTransactionIsCountedOnceAndAConflictingOneNotAtAll() throws Exception {
        DetectionSettings s = settings().build();
        Script script = Script.shards("shard-0", "shard-1")
                // A retried 2,000.00 plus 500.00: 2,500.00, an honest customer; counted twice it would be 4,500.00.
                .txn("shard-0", "t-1", "A", "2000.00", 1).txn("shard-0", "t-2", "A", "500.00", 2)
                .txn("shard-1", "t-1", "A", "2000.00", 1)
                // The same id with another amount is not a retry: dead-lettered, never counted.
                .txn("shard-1", "t-3", "B", "100.00", 3).txn("shard-1", "t-3", "B", "2950.00", 4)
                .txn("shard-1", "t-4", "B", "2900.01", 5)
                .txn("shard-0", "t-9", "Z", "1.00", 200);

        FraudDetectionPipelineTest.Result r = run(script, s, 2);

        assertThat(r.alerts).extracting(a -> a.accountId + "=" + a.totalCents).containsExactly("B=300001");
        assertThat(r.deadLetters).extracting(d -> d.reason, d -> d.accountId).containsExactly(
                org.assertj.core.groups.Tuple.tuple("DUPLICATE_TXN_ID", "B"));
    }
}
