package com.example.fraud.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.FraudDetectorJob;
import com.example.fraud.detector.config.ApplicationProperties;
import com.example.fraud.detector.config.JobConfig;
import com.example.fraud.model.Alert;
import com.example.fraud.model.AlertCodec;
import com.example.fraud.model.DeadLetterCodec;
import com.example.fraud.tools.FraudTools;
import com.example.fraud.tools.emulator.LocalKinesis;
import com.example.fraud.tools.emulator.StreamNames;
import com.example.fraud.tools.kinesis.StreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * The same records and rules (five types, one in shadow mode) through the live job (emulator, Kinesis source and
 * sinks) and through {@code backtest} over a file: the same alerts, field by field, apart from {@code detected_at}.
 * The records are time-ordered and none is late, so neither run's outcome depends on read timing; malformed lines, a
 * retried and a conflicting duplicate are among them. The input stream has one shard, so no record can be late in the
 * live run either, whatever the readers' timing. Tail transactions (which alert on nothing) close the last
 * windows in the live run; the backtest's end of input does that.
 */
class BacktestMatchesLiveTest {

    private static final String RULES = "["
            + "{\"rule_id\":\"sum-1m\",\"version\":2,\"type\":\"SUM_OVER_THRESHOLD\","
            + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},\"threshold\":300.00},"
            + "{\"rule_id\":\"count-card-2m\",\"version\":1,\"type\":\"COUNT_OVER_THRESHOLD\",\"group_by\":\"card_id\","
            + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT2M\"},\"min_count\":5},"
            + "{\"rule_id\":\"merchants-1m\",\"version\":1,\"type\":\"DISTINCT_COUNT_OVER_THRESHOLD\","
            + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},\"firing\":\"WINDOW_CLOSE\","
            + "\"distinct\":\"merchant_id\",\"min_distinct\":3},"
            + "{\"rule_id\":\"card-testing\",\"version\":1,\"type\":\"SMALL_THEN_LARGE\",\"group_by\":\"card_id\","
            + "\"small_max\":2.00,\"large_min\":500.00,\"within\":\"PT10M\"},"
            + "{\"rule_id\":\"travel\",\"version\":1,\"type\":\"IMPOSSIBLE_TRAVEL\",\"mode\":\"SHADOW\","
            + "\"max_speed_kmh\":900,\"min_distance_km\":100,\"within\":\"PT1H\"}]";

    private static final double[][] CITIES = {{52.52, 13.405}, {48.857, 2.352}, {40.713, -74.006}, {35.68, 139.69},
        {-33.87, 151.21}};

    @Test
    @Timeout(300)
    void aBacktestGivesTheLiveJobsAlertsApartFromDetectedAt() throws Exception {
        Path work = Paths.get("target", "backtest-matches-live-it").toAbsolutePath();
        Files.createDirectories(work);
        Path rules = Files.writeString(work.resolve("rules.json"), RULES);
        List<String> lines = records(Instant.now().minus(Duration.ofMinutes(20)).truncatedTo(ChronoUnit.MINUTES));
        Path input = Files.write(work.resolve("transactions.jsonl"), lines);

        // One input shard: with two, a shard whose reader started late (a loaded machine) could find the other
        // shard's watermark far ahead once its own idleness had excluded it, and see its records late, which is
        // a property of the live run's timing, not of the graph. The keyed operators still run at parallelism 2.
        try (LocalKinesis kinesis = TestEnvironment.startKinesis(work, 1)) {
            Path config = TestEnvironment.writeConfig(work.resolve("application-properties.json"), kinesis.endpoint(),
                    "EARLY", Map.of());
            TestEnvironment.withRules(config, rules);

            // The backtest: the same config file (Detection and Rules groups), the records as a file.
            Path backtestAlerts = work.resolve("backtest-alerts.jsonl");
            StringWriter report = new StringWriter();
            CommandLine cli = FraudTools.commandLine();
            cli.setOut(new PrintWriter(report));
            int code = cli.execute("backtest", "--input", input.toString(), "--config", config.toString(), "--out",
                    backtestAlerts.toString(), "--parallelism", "2");
            System.out.println(report);
            assertThat(code).isZero();
            List<Alert> backtest = Files.readAllLines(backtestAlerts).stream()
                    .map(l -> AlertCodec.decode(l.getBytes(StandardCharsets.UTF_8))).collect(Collectors.toList());
            // Every rule type fired, so the comparison below covers each.
            assertThat(backtest.stream().map(a -> a.ruleId).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrder("sum-1m", "count-card-2m", "merchants-1m", "card-testing", "travel");
            assertThat(report.toString()).contains(lines.size() + " read", "DUPLICATE_TXN_ID 1", "MALFORMED_JSON 2",
                    "INVALID_AMOUNT 1");

            // The live job over the same records, in the same order, through the input stream.
            KinesisClient client = kinesis.client();
            JobConfig jobConfig = JobConfig.fromPropertyGroups(ApplicationProperties.fromFile(config));
            // A local environment of its own, as the backtest has (a test-context environment would refuse the
            // backtest's explicit local one).
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2);
            FraudDetectorJob.define(env, jobConfig, false);
            // Written before the job starts, one put at a time: the shard holds them in the file's order.
            for (String line : lines) {
                client.putRecord(b -> b.streamName(StreamNames.INPUT).partitionKey(partitionKey(line))
                        .data(SdkBytes.fromString(line, StandardCharsets.UTF_8)));
            }
            JobClient job = env.executeAsync("fraud-detector, live side of the backtest comparison");
            List<Alert> live = new ArrayList<>();
            try {
                DetectorEndToEndTest.awaitRunning(job);
                StreamReader alerts = new StreamReader(client, StreamNames.ALERTS, StreamReader.Start.TRIM_HORIZON);
                StreamReader shadow = new StreamReader(client, StreamNames.SHADOW_ALERTS,
                        StreamReader.Start.TRIM_HORIZON);
                Set<String> expectedIds = ids(backtest);
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (!ids(live).containsAll(expectedIds) && System.nanoTime() < deadline) {
                    poll(alerts, live);
                    poll(shadow, live);
                    Thread.sleep(500);
                }
                // A little longer: an alert the backtest did not raise would show up here.
                Thread.sleep(3_000);
                poll(alerts, live);
                poll(shadow, live);
            } finally {
                job.cancel().get();
            }

            Map<String, Long> liveDeadLetters = StreamReader.readAll(client, StreamNames.DEAD_LETTERS).stream()
                    .map(r -> DeadLetterCodec.decode(r.data().asByteArray()).reason)
                    .collect(Collectors.groupingBy(r -> r, TreeMap::new, Collectors.counting()));
            System.out.printf(Locale.ROOT, "backtest %d alerts (%s), live %d alerts (%s); live dead letters %s%n",
                    backtest.size(), byRule(backtest), live.size(), byRule(live), liveDeadLetters);
            assertThat(liveDeadLetters).containsExactlyInAnyOrderEntriesOf(
                    Map.of("DUPLICATE_TXN_ID", 1L, "INVALID_AMOUNT", 1L, "MALFORMED_JSON", 2L));
            assertThat(live).hasSize(ids(live).size()); // no duplicates: nothing restarted
            assertThat(ids(live)).isEqualTo(ids(backtest));
            assertThat(withoutDetectedAt(live)).isEqualTo(withoutDetectedAt(backtest));
        }
    }

    /**
     * Background traffic of 16 accounts over 6 minutes (two cards each, a home city and now and then another one,
     * eight merchants, occasional tiny and large amounts), time-ordered, then bad lines and duplicates, then a tail.
     */
    private static List<String> records(Instant start) {
        Random random = new Random(42);
        List<String> lines = new ArrayList<>();
        long t = start.toEpochMilli();
        long end = t + Duration.ofMinutes(6).toMillis();
        int n = 0;
        while (t < end) {
            t += 300 + random.nextInt(1_500);
            int account = random.nextInt(16);
            double u = random.nextDouble();
            String amount = u < 0.08 ? "1.00" : u < 0.12 ? "650.00"
                    : String.format(Locale.ROOT, "%d.%02d", 5 + random.nextInt(90), random.nextInt(100));
            double[] city = CITIES[random.nextDouble() < 0.05 ? random.nextInt(CITIES.length) : account % 2];
            lines.add(txn("t-" + (++n), account, random.nextInt(2), amount, t, "M" + random.nextInt(8),
                    String.format(Locale.ROOT, ",\"lat\":%.3f,\"lon\":%.3f", city[0], city[1])));
            if (n == 100) {
                lines.add(lines.get(lines.size() - 1)); // a producer's retry: counted once
            }
            if (n == 200) {
                lines.add(lines.get(lines.size() - 1).replace("\"amount\":", "\"amount\":1")); // conflicting
                lines.add("{\"txn_id\": oops");
                lines.add("[1, 2, 3");
                lines.add("{\"txn_id\":\"neg\",\"account_id\":\"ACC-01\",\"amount\":-1.00,\"txn_time\":\""
                        + Instant.ofEpochMilli(t) + "\"}");
            }
        }
        // Past every window's end plus the out-of-orderness, on every account (so on every shard): the live job's
        // watermark closes the last windows. Alone in their windows, these alert on nothing.
        long tail = end + Duration.ofMinutes(2).toMillis();
        for (int a = 0; a < 16; a++) {
            lines.add(txn("tail-" + a, a, 9, "0.50", tail + a, "M0", ""));
        }
        return lines;
    }

    private static String txn(String id, int account, int card, String amount, long time, String merchant,
            String extra) {
        String acc = String.format(Locale.ROOT, "ACC-%02d", account);
        return "{\"txn_id\":\"" + id + "\",\"account_id\":\"" + acc + "\",\"amount\":" + amount + ",\"txn_time\":\""
                + Instant.ofEpochMilli(time) + "\",\"card_id\":\"" + acc + "-C" + card + "\",\"merchant_id\":\""
                + merchant + "\"" + extra + "}";
    }

    /** The account, as the generator partitions; a line without one goes to any shard. */
    private static String partitionKey(String line) {
        int at = line.indexOf("\"account_id\":\"");
        return at < 0 ? "malformed" : line.substring(at + 14, line.indexOf('"', at + 14));
    }

    private static void poll(StreamReader reader, List<Alert> into) {
        for (Record r : reader.poll()) {
            into.add(AlertCodec.decode(r.data().asByteArray()));
        }
    }

    private static Set<String> ids(List<Alert> alerts) {
        return alerts.stream().map(a -> a.alertId).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, Long> byRule(List<Alert> alerts) {
        return alerts.stream().collect(Collectors.groupingBy(a -> a.ruleId, TreeMap::new, Collectors.counting()));
    }

    /** Every field but detected_at, in a comparable form. */
    private static Set<String> withoutDetectedAt(List<Alert> alerts) {
        Set<String> out = new TreeSet<>();
        for (Alert a : alerts) {
            a.detectedAtMillis = 0;
            out.add(new String(AlertCodec.encode(a), StandardCharsets.UTF_8));
        }
        return out;
    }
}
