package com.example.fraud.detector;

import static com.example.fraud.detector.testing.Script.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.rules.FiringMode;
import com.example.fraud.detector.testing.Script;
import com.example.fraud.detector.testing.ScriptedShardSource;
import com.example.fraud.model.Alert;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.Money;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole detection graph on a MiniCluster, fed by scripted shards in an exact order with explicit
 * transaction times. Window 60 s, threshold 3000.00, out-of-orderness 5 s unless a test says otherwise.
 */
class FraudDetectionPipelineTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static DetectionSettings.Builder settings() {
        return DetectionSettings.builder()
                .thresholdCents(300_000)
                .window(Duration.ofSeconds(60))
                .maxOutOfOrderness(Duration.ofSeconds(5))
                .allowedLateness(Duration.ZERO)
                .idleTimeout(Duration.ofMinutes(10)) // scripted shards are never idle unless a test says so
                .firing(FiringMode.EARLY);
    }

    /** What a run produced. */
    static final class Result {
        final List<Alert> alerts = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();

        /** "ACCOUNT@windowStartSeconds=total/count TRIGGER", sorted. */
        List<String> alertSummaries() {
            return alerts.stream().map(FraudDetectionPipelineTest::summary).sorted().collect(Collectors.toList());
        }

        /** "ACCOUNT@windowStartSeconds", sorted: what both firing modes must agree on. */
        List<String> flaggedWindows() {
            return alerts.stream().map(a -> a.accountId + "@" + (a.windowStartMillis - T0) / 1000).sorted()
                    .collect(Collectors.toList());
        }

        List<String> deadLetterReasons() {
            return deadLetters.stream().map(d -> d.reason).sorted().collect(Collectors.toList());
        }
    }

    static String summary(Alert a) {
        return a.accountId + "@" + (a.windowStartMillis - T0) / 1000 + "=" + Money.format(a.totalCents) + "/"
                + a.txnCount + " " + a.trigger;
    }

    private static StreamExecutionEnvironment environment(int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        env.getConfig().setAutoWatermarkInterval(10);
        env.getConfig().disableGenericTypes(); // fails the job if anything falls back to Kryo
        return env;
    }

    static Result run(ScriptedShardSource source, DetectionSettings settings, int parallelism) throws Exception {
        StreamExecutionEnvironment env = environment(parallelism);
        FraudDetectionPipeline.Outputs outputs = FraudDetectionPipeline.build(env, source, "scripted shards", settings);
        Result result = new Result();
        try (CloseableIterator<Alert> alerts = outputs.alerts.collectAsync();
                CloseableIterator<DeadLetter> deadLetters = outputs.deadLetters.collectAsync()) {
            env.execute("pipeline test");
            alerts.forEachRemaining(result.alerts::add);
            deadLetters.forEachRemaining(result.deadLetters::add);
        }
        return result;
    }

    static Result run(ScriptedShardSource source, DetectionSettings settings) throws Exception {
        return run(source, settings, 1);
    }

    @Test
    void batchExecutionIsRefusedWithItsReason() {
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        DetectionSettings s = settings().build();
        assertThatThrownBy(() -> FraudDetectionPipeline.build(env,
                Script.shards("s0").txn("s0", "A", "1.00", 1).bounded(s), "scripted shards", s))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("STREAMING mode only (execution.runtime-mode is BATCH)");
    }

    @Test
    void flagsStrictlyAboveTheThresholdWithCentsSummedExactly() throws Exception {
        DetectionSettings s = settings().build();
        Script script = Script.shards("shard-0")
                .txn("shard-0", "EXACT", "1500.00", 1).txn("shard-0", "EXACT", "1500.00", 2)
                .txn("shard-0", "CENT", "1500.00", 1).txn("shard-0", "CENT", "1500.01", 2)
                // 0.10 + 0.20 is not 0.30 in floating point; 1000.10 + 999.95 + 999.96 is 3000.01 in cents
                .txn("shard-0", "FLOAT", "1000.10", 3).txn("shard-0", "FLOAT", "999.95", 4)
                .txn("shard-0", "FLOAT", "999.96", 5)
                .txn("shard-0", "TENTHS", "0.10", 6).txn("shard-0", "TENTHS", "0.20", 7)
                .txn("shard-0", "TENTHS", "2999.70", 8);

        Result r = run(script.bounded(s), s);

        assertThat(r.alertSummaries()).containsExactly("CENT@0=3000.01/2 CROSSING", "FLOAT@0=3000.01/3 CROSSING");
        assertThat(r.deadLetters).isEmpty();
    }

    @Test
    void severalAccountsAndConsecutiveWindows() throws Exception {
        DetectionSettings s = settings().build();
        Script script = Script.shards("shard-0", "shard-1")
                .txn("shard-0", "A", "2000.00", 10).txn("shard-1", "B", "2500.00", 15)
                .txn("shard-0", "A", "1000.01", 50) // A, window 0: 3000.01
                .txn("shard-1", "B", "400.00", 59.999) // B, window 0: 2900.00
                .txn("shard-1", "B", "600.00", 60) // B, window 60: a new window, not 3500.00
                .txn("shard-0", "A", "2999.99", 70) // A, window 60: 2999.99
                .txn("shard-1", "B", "2400.01", 119.999) // B, window 60: 3000.01
                .txn("shard-0", "A", "3100.00", 150) // A, window 120
                .txn("shard-1", "C", "10.00", 200);

        Result r = run(script.bounded(s), s);

        assertThat(r.alertSummaries()).containsExactly(
                "A@0=3000.01/2 CROSSING", "A@120=3100.00/1 CROSSING", "B@60=3000.01/2 CROSSING");
        Alert a = r.alerts.stream().filter(x -> x.accountId.equals("A") && x.windowStartMillis == T0).findFirst().get();
        assertThat(a.alertId).isEqualTo("sum-over-threshold:A:2026-11-25T10:00:00Z");
        assertThat(a.windowEndMillis).isEqualTo(T0 + 60_000);
        assertThat(a.threshold).isEqualTo(300_000);
        assertThat(a.txnIds).containsExactly("t-1", "t-3");
    }

    @Test
    void aTransactionDelayedWithinTheBoundCountsInItsOwnWindow() throws Exception {
        DetectionSettings s = settings().firing(FiringMode.WINDOW_CLOSE).build();
        Script script = Script.shards("shard-0")
                .txn("shard-0", "A", "2000.00", 40)
                .txn("shard-0", "OTHER", "1.00", 63) // watermark now 63 - 5 = 58 s: window 0 still open
                .pause()
                .txn("shard-0", "A", "1000.01", 59) // 4 s behind the newest: counted in window 0
                .txn("shard-0", "OTHER", "1.00", 200);

        Result r = run(script.bounded(s), s);

        assertThat(r.alertSummaries()).containsExactly("A@0=3000.01/2 WINDOW_CLOSE");
        assertThat(r.deadLetters).isEmpty();
    }

    @Test
    void aTransactionLateBeyondTheBoundGoesToTheLateOutputNotTheSum() throws Exception {
        DetectionSettings s = settings().build();
        Script script = Script.shards("shard-0")
                .txn("shard-0", "A", "2000.00", 40)
                .txn("shard-0", "OTHER", "1.00", 70) // watermark 65 s: window 0 closed
                .pause()
                .txn("shard-0", "t-late", "A", "1000.01", 55) // would have crossed, had it come in time
                .txn("shard-0", "OTHER", "1.00", 200);

        Result r = run(script.bounded(s), s);

        assertThat(r.alerts).isEmpty();
        assertThat(r.deadLetters).singleElement().satisfies(d -> {
            assertThat(d.reason).isEqualTo("LATE");
            assertThat(d.accountId).isEqualTo("A");
            assertThat(d.payload).contains("\"txn_id\":\"t-late\"").contains("\"amount\":1000.01");
        });
    }

    @Test
    void aLateTransactionWithinTheAllowedLatenessStillRaisesTheAlert() throws Exception {
        DetectionSettings s = settings().allowedLateness(Duration.ofSeconds(30)).build();
        Script script = Script.shards("shard-0")
                .txn("shard-0", "A", "2000.00", 40)
                .txn("shard-0", "OTHER", "1.00", 70) // window 0 closed, within its allowed lateness
                .pause()
                .txn("shard-0", "A", "1000.01", 55)
                .txn("shard-0", "OTHER", "1.00", 200);

        Result r = run(script.bounded(s), s);

        assertThat(r.alertSummaries()).containsExactly("A@0=3000.01/2 LATE_TRANSACTION");
        assertThat(r.deadLetters).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(FiringMode.class)
    void oneAlertPerWindowHoweverFarTheSumGoes(FiringMode firing) throws Exception {
        DetectionSettings s = settings().firing(firing).build();
        Script script = Script.shards("shard-0");
        for (int i = 0; i < 10; i++) {
            script.txn("shard-0", "A", "1000.00", i * 5);
        }
        Result r = run(script.bounded(s), s);
        assertThat(r.flaggedWindows()).containsExactly("A@0");
        assertThat(r.alerts.get(0).totalCents).isEqualTo(firing == FiringMode.EARLY ? 400_000 : 1_000_000);
    }

    /**
     * The production case on MSF: one subtask reads two shards, and one shard is read far ahead of the
     * other. Per-subtask watermarking would drop every record of the lagging shard as late; per-shard
     * watermarking loses none.
     */
    @ParameterizedTest
    @EnumSource(FiringMode.class)
    void twoShardsReadByOneSubtaskLoseNothingWhenOneRunsAhead(FiringMode firing) throws Exception {
        DetectionSettings s = settings().firing(firing).build();
        Script script = Script.shards("shard-0", "shard-1");
        for (int minute = 0; minute < 3; minute++) { // shard-0 all the way to minute 3 first
            script.txn("shard-0", "A", "1600.00", minute * 60 + 10).txn("shard-0", "A", "1600.00", minute * 60 + 20);
            script.pause();
        }
        for (int minute = 0; minute < 3; minute++) { // then shard-1, from minute 0
            script.txn("shard-1", "B", "1600.00", minute * 60 + 10).txn("shard-1", "B", "1600.00", minute * 60 + 20);
            script.pause();
        }

        Result r = run(script.bounded(s), s);

        assertThat(r.flaggedWindows()).containsExactly("A@0", "A@120", "A@60", "B@0", "B@120", "B@60");
        assertThat(r.deadLetters).isEmpty();
    }

    @Test
    void fourShardsOnTwoSubtasks() throws Exception {
        DetectionSettings s = settings().build();
        Script script = Script.shards("shard-0", "shard-1", "shard-2", "shard-3");
        String[] accounts = {"A", "B", "C", "D"};
        for (int i = 0; i < 4; i++) {
            script.txn("shard-" + i, accounts[i], "1500.00", 10).txn("shard-" + i, accounts[i], "1500.0" + i, 20);
        }
        Result r = run(script.bounded(s), s, 2);
        assertThat(r.flaggedWindows()).containsExactly("B@0", "C@0", "D@0");
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // fails, rather than hangs, if stalled
    void anIdleShardDoesNotStallDetection() throws Exception {
        DetectionSettings s = settings().firing(FiringMode.WINDOW_CLOSE).idleTimeout(Duration.ofMillis(500)).build();
        Script script = Script.shards("shard-0", "shard-quiet")
                .txn("shard-0", "A", "2000.00", 10).txn("shard-0", "A", "1000.01", 20)
                .txn("shard-0", "OTHER", "1.00", 70); // past window 0's end + bound on shard-0 only
        // A record after shard-quiet has been idle for a while: otherwise both shards could turn idle at the same
        // periodic check (shard-0 has nothing more to say either), and the source would go idle without ever
        // emitting shard-0's watermark. That race, not the detector, once hung this test under CPU load.
        script.pause().pause().pause().txn("shard-0", "OTHER", "1.00", 71);
        // The source never ends and shard-quiet never speaks: only idleness can close window 0.
        assertThat(firstAlertsOfUnbounded(script, s, 1)).extracting(FraudDetectionPipelineTest::summary)
                .containsExactly("A@0=3000.01/2 WINDOW_CLOSE");
    }

    /**
     * A shard that delivers nothing but rejected records (here a malformed one every 300 ms, for 3 minutes) is idle
     * for the watermark as a silent one is. Before, any record counted as activity: the noisy shard's watermark stayed
     * at its start, and no window closed until the noise stopped.
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the noise outlasts it: fails, not hangs
    void aShardDeliveringOnlyRejectedRecordsDoesNotStallDetection() throws Exception {
        DetectionSettings s = settings().firing(FiringMode.WINDOW_CLOSE).idleTimeout(Duration.ofMillis(500)).build();
        Script script = Script.shards("shard-0", "shard-noise")
                .txn("shard-0", "A", "2000.00", 10).txn("shard-0", "A", "1000.01", 20)
                .txn("shard-0", "OTHER", "1.00", 70);
        for (int i = 0; i < 600; i++) {
            script.raw("shard-noise", "not json").pause();
            if (i == 3) {
                script.txn("shard-0", "OTHER", "1.00", 71); // after shard-noise has been quiet of transactions a while
            }
        }
        assertThat(firstAlertsOfUnbounded(script, s, 1)).extracting(FraudDetectionPipelineTest::summary)
                .containsExactly("A@0=3000.01/2 WINDOW_CLOSE");
    }

    /** Runs the script as a source that never ends (so only idleness moves a quiet shard) until n alerts came. */
    private static List<Alert> firstAlertsOfUnbounded(Script script, DetectionSettings s, int n) throws Exception {
        StreamExecutionEnvironment env = environment(1);
        FraudDetectionPipeline.Outputs outputs =
                FraudDetectionPipeline.build(env, script.unbounded(s), "scripted shards", s);
        CloseableIterator<Alert> alerts = outputs.alerts.collectAsync();
        JobClient job = env.executeAsync("unbounded scripted shards");
        try {
            List<Alert> first = new ArrayList<>();
            while (first.size() < n) {
                assertThat(alerts.hasNext()).isTrue();
                first.add(alerts.next());
            }
            return first;
        } finally {
            job.cancel().get();
            alerts.close();
        }
    }

    /**
     * Regression (RescaleThroughSavepointsTest, under load: a WINDOW_CLOSE alert one transaction short, and no dead
     * letter). A shard held back past the idle timeout lets the other close the window; the held-back transaction of
     * that window then arrives within the allowed lateness. It was counted into no alert; now it revises the alert.
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aTransactionFromAShardHeldBackPastTheIdleTimeoutRevisesTheWindowCloseAlert() throws Exception {
        DetectionSettings s = settings().firing(FiringMode.WINDOW_CLOSE).idleTimeout(Duration.ofMillis(500))
                .allowedLateness(Duration.ofSeconds(60)).build();
        Script script = Script.shards("shard-0", "shard-held-back")
                .txn("shard-0", "A", "2000.00", 10).txn("shard-0", "A", "1000.01", 20)
                .txn("shard-0", "OTHER", "1.00", 70);
        script.pause().pause().pause().txn("shard-0", "OTHER", "1.00", 71); // window 0 closes without shard 2
        script.pause().pause().pause().pause().pause().pause()
                .txn("shard-held-back", "A", "12.78", 30) // then its transaction of window 0 arrives
                .pause().txn("shard-0", "OTHER", "1.00", 73); // and the watermark moves on: the revision's timer
        List<Alert> alerts = firstAlertsOfUnbounded(script, s, 2);
        assertThat(alerts).extracting(FraudDetectionPipelineTest::summary, a -> a.revision)
                .containsExactly(tuple("A@0=3000.01/2 WINDOW_CLOSE", 0), tuple("A@0=3012.79/3 LATE_TRANSACTION", 1));
        assertThat(alerts.get(1).alertId).isEqualTo(alerts.get(0).alertId);
    }

    /**
     * Regression (the RocksDB benchmark's LATE dead letters): a finished split's subtask sends the maximum watermark,
     * and Flink 1.19's idleness counts any pause without records as idle, back pressure included. So once the
     * other subtask stalled for the idle timeout, the keyed operators' watermark was the finished one's: the end of
     * time, and every record the stalled split still had was LATE. A bounded input never waits for data, so it is
     * never marked idle.
     */
    @Test
    void aStalledSplitIsNotOvertakenByTheEndOfAFinishedOne() throws Exception {
        DetectionSettings s = settings().idleTimeout(Duration.ofMillis(500)).build();
        Script script = Script.shards("shard-0", "shard-1")
                .txn("shard-0", "A", "100.00", 10) // shard-0's subtask reads this and finishes
                .txn("shard-1", "B", "1000.00", 5);
        for (int i = 0; i < 6; i++) {
            script.pause("shard-1"); // 1.8 s without records on shard-1's subtask only, as under back pressure
        }
        script.txn("shard-1", "B", "2000.01", 11);

        Result r = run(script.bounded(s), s, 2);

        assertThat(r.deadLetterReasons()).isEmpty();
        assertThat(r.alertSummaries()).containsExactly("B@0=3000.01/2 CROSSING");
    }

    @Test
    void everyKindOfBadRecordReachesTheDeadLetterOutputWithItsReason() throws Exception {
        DetectionSettings s = settings().maxRecordBytes(256).build();
        String oversized = "{\"txn_id\":\"t-big\",\"account_id\":\"A\",\"amount\":1,\"txn_time\":\"2026-11-25T10:00:01Z\","
                + "\"note\":\"" + "x".repeat(300) + "\"}";
        Script script = Script.shards("shard-0")
                .txn("shard-0", "A", "2000.00", 1)
                .raw("shard-0", "this is not json")
                .raw("shard-0", "{\"account_id\":\"A\",\"amount\":5000,\"txn_time\":\"2026-11-25T10:00:02Z\"}")
                .raw("shard-0", "{\"txn_id\":\"t-x\",\"account_id\":42,\"amount\":5000,\"txn_time\":\"2026-11-25T10:00:02Z\"}")
                .raw("shard-0", "{\"txn_id\":\"t-x\",\"account_id\":\"A\",\"amount\":-5000,\"txn_time\":\"2026-11-25T10:00:02Z\"}")
                .raw("shard-0", "{\"txn_id\":\"t-x\",\"account_id\":\"A\",\"amount\":\"5000\",\"txn_time\":\"2026-11-25T10:00:02Z\"}")
                .raw("shard-0", "{\"txn_id\":\"t-x\",\"account_id\":\"A\",\"amount\":5000,\"txn_time\":\"2026-11-25 10:00\"}")
                .raw("shard-0", oversized)
                .raw("shard-0", new byte[] {(byte) 0xff, (byte) 0xfe, 0x00})
                .txn("shard-0", "A", "1000.01", 3);

        Result r = run(script.bounded(s), s);

        // None of the bad records counted (each one would have flagged A on its own), the good ones did.
        assertThat(r.alertSummaries()).containsExactly("A@0=3000.01/2 CROSSING");
        assertThat(r.deadLetterReasons()).containsExactly("INVALID_AMOUNT", "INVALID_AMOUNT", "INVALID_FIELD",
                "INVALID_TXN_TIME", "MALFORMED_JSON", "MALFORMED_JSON", "MISSING_FIELD", "OVERSIZED");
        DeadLetter big = r.deadLetters.stream().filter(d -> d.reason.equals("OVERSIZED")).findFirst().get();
        assertThat(big.payloadBytes).isEqualTo(oversized.length());
        assertThat(big.payload).hasSize(256).isEqualTo(oversized.substring(0, 256));
        assertThat(big.payloadTruncated).isTrue();
        assertThat(big.payloadSha256).isEqualTo(com.example.fraud.model.DeadLetterPayload.sha256Hex(
                oversized.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(big.detail).isEqualTo("record is " + oversized.length() + " bytes, the limit is 256");
        DeadLetter notJson = r.deadLetters.stream().filter(d -> d.payload.equals("this is not json")).findFirst().get();
        assertThat(notJson.reason).isEqualTo("MALFORMED_JSON");
        assertThat(notJson.detail).startsWith("malformed JSON");
    }

    /**
     * Early firing must flag exactly the windows that window-close firing flags, on shuffled input with
     * delays within the bound, across shards.
     */
    @Test
    void earlyAndWindowCloseFiringFlagTheSameWindowsOnOutOfOrderInput() throws Exception {
        Random random = new Random(42);
        Script script = Script.shards("shard-0", "shard-1");
        Map<String, Long> sums = new TreeMap<>();
        double clock = 0;
        for (int i = 0; i < 600; i++) {
            clock += random.nextDouble() * 0.8;
            int account = random.nextInt(12);
            // delayed by up to 4.5 s, inside the 5 s bound: never late
            double time = Math.max(0, clock - (random.nextInt(4) == 0 ? random.nextDouble() * 4.5 : 0));
            long cents = 1_000 + random.nextInt(account < 4 ? 90_000 : 20_000);
            String shard = "shard-" + (account % 2);
            script.txn(shard, "ACC-" + account, Money.format(cents), time);
            String window = "ACC-" + account + "@" + ((long) (time * 1000) / 60_000) * 60;
            sums.merge(window, cents, Long::sum);
            if (i % 50 == 0) {
                script.pause();
            }
        }
        List<String> expected = sums.entrySet().stream().filter(e -> e.getValue() > 300_000).map(Map.Entry::getKey)
                .sorted().collect(Collectors.toList());

        Result early = run(script.bounded(settings().build()), settings().build());
        Result atClose = run(script.bounded(settings().firing(FiringMode.WINDOW_CLOSE).build()),
                settings().firing(FiringMode.WINDOW_CLOSE).build());

        assertThat(expected).hasSizeGreaterThan(5);
        assertThat(early.flaggedWindows()).isEqualTo(expected);
        assertThat(atClose.flaggedWindows()).isEqualTo(expected);
        assertThat(early.alerts).allMatch(a -> a.trigger == Alert.Trigger.CROSSING);
        assertThat(atClose.alerts).allMatch(a -> a.trigger == Alert.Trigger.WINDOW_CLOSE);
        assertThat(early.deadLetters).isEmpty();
        assertThat(atClose.deadLetters).isEmpty();
    }
}
