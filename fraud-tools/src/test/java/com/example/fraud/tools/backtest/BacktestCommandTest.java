package com.example.fraud.tools.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.model.Alert;
import com.example.fraud.model.AlertCodec;
import com.example.fraud.tools.FraudTools;
import com.example.fraud.tools.generator.GroundTruth;
import com.example.fraud.tools.generator.GroundTruthFile;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The backtest command over a hand-made file in which each rule type fires once, on a local Flink: the per-rule
 * figures, precision and recall against a ground truth, the dead letters by reason, a WINDOW_CLOSE rule fired by the
 * end of the input, gzip input, and a rule file with an invalid rule refused before anything runs.
 */
class BacktestCommandTest {
    static final String RULES = "[\n"
            + "{\"rule_id\":\"big-spender\",\"version\":3,\"type\":\"SUM_OVER_THRESHOLD\","
            + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},\"threshold\":100.00},\n"
            + "{\"rule_id\":\"velocity-card\",\"version\":1,\"type\":\"COUNT_OVER_THRESHOLD\",\"group_by\":\"card_id\","
            + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT1M\"},\"min_count\":3},\n"
            + "{\"rule_id\":\"many-merchants\",\"version\":1,\"type\":\"DISTINCT_COUNT_OVER_THRESHOLD\","
            + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},\"firing\":\"WINDOW_CLOSE\","
            + "\"distinct\":\"merchant_id\",\"min_distinct\":3},\n"
            + "{\"rule_id\":\"card-testing\",\"version\":1,\"type\":\"SMALL_THEN_LARGE\",\"group_by\":\"card_id\","
            + "\"small_max\":2.00,\"large_min\":500.00,\"within\":\"PT10M\"},\n"
            + "{\"rule_id\":\"travel\",\"version\":1,\"type\":\"IMPOSSIBLE_TRAVEL\",\"mode\":\"SHADOW\","
            + "\"max_speed_kmh\":900,\"min_distance_km\":100,\"within\":\"PT6H\"}\n"
            + "]";

    /** Time-ordered; each scenario fires exactly one rule, and the last window is closed by the end of input. */
    static final List<String> LINES = List.of(
            txn("b-1", "B1", "1.50", "10:00:00", "CB", "M1", ""),
            txn("d-1", "D1", "10.00", "10:00:00", "CD", "M1", ",\"lat\":52.52,\"lon\":13.405"),
            txn("c-1", "C1", "5.00", "10:00:01", "CC", "M1", ""),
            txn("c-2", "C1", "5.00", "10:00:02", "CC", "M1", ""),
            txn("c-3", "C1", "5.00", "10:00:03", "CC", "M1", ""),
            txn("c-3", "C1", "7.00", "10:00:04", "CC", "M1", ""), // same id, other content: DUPLICATE_TXN_ID
            "not json at all",
            txn("b-2", "B1", "600.00", "10:00:30", "CB", "M2", ""),
            txn("b-2", "B1", "600.00", "10:00:30", "CB", "M2", ""), // a retry: counted once, silently
            "{\"txn_id\":\"e-1\",\"account_id\":\"E1\",\"amount\":-5.00,\"txn_time\":\"2026-01-01T10:00:40Z\"}",
            txn("d-2", "D1", "10.00", "10:10:00", "CD", "M1", ",\"lat\":40.71,\"lon\":-74.0"),
            txn("a-1", "A1", "60.00", "10:20:05", "CA", "M1", ""),
            txn("a-2", "A1", "50.00", "10:20:10", "CA", "M2", ""),
            txn("a-3", "A1", "1.00", "10:20:20", "CA2", "M3", ""));

    @TempDir
    static Path dir;
    static Path rules;
    static Path plain;

    @BeforeAll
    static void files() throws IOException {
        rules = Files.writeString(dir.resolve("rules.json"), RULES);
        plain = Files.write(dir.resolve("txns.jsonl"), LINES);
    }

    static String txn(String id, String account, String amount, String time, String card, String merchant,
            String extra) {
        return "{\"txn_id\":\"" + id + "\",\"account_id\":\"" + account + "\",\"amount\":" + amount
                + ",\"txn_time\":\"2026-01-01T" + time + "Z\",\"card_id\":\"" + card + "\",\"merchant_id\":\""
                + merchant + "\"" + extra + "}";
    }

    @Test
    void everyRuleTypeFiresAndTheEndOfInputClosesTheLastWindow() throws Exception {
        Path out = dir.resolve("alerts-plain.jsonl");
        // One expected alert found, one missed, one of a rule that is not in the set.
        GroundTruth truth = new GroundTruth();
        for (String id : List.of("big-spender:B1:2026-01-01T10:00:00Z", "big-spender:Z9:2026-01-01T10:00:00Z",
                "retired-rule:B1:2026-01-01T10:00:00Z")) {
            GroundTruth.ExpectedAlert e = new GroundTruth.ExpectedAlert();
            e.alertId = id;
            truth.expectedAlerts.add(e);
        }
        Path truthFile = dir.resolve("truth.json");
        GroundTruthFile.write(truth, truthFile);

        Run run = backtest("--input", plain.toString(), "--rules", rules.toString(), "--out", out.toString(),
                "--parallelism", "2", "--truth", truthFile.toString());

        assertThat(run.code).as(run.err).isZero();
        assertThat(run.out).contains("records       14 read: 12 transactions, 2 invalid",
                "dead letters  3 (DUPLICATE_TXN_ID 1, INVALID_AMOUNT 1, MALFORMED_JSON 1)");
        // alerts, keys, per 1k; expected, matched, missed, extra, precision, recall
        assertThat(line(run.out, "big-spender v3").split("\\s+")).containsExactly("big-spender", "v3", "2", "2",
                "166.667", "2", "1", "1", "1", "0.5000", "0.5000");
        assertThat(line(run.out, "card-testing v1").split("\\s+")).containsExactly("card-testing", "v1", "1", "1",
                "83.333", "0", "0", "0", "1", "0.0000", "1.0000");
        assertThat(run.out).contains("expected alerts of rules not in this rule set: retired-rule 1");
        assertThat(line(run.out, "velocity-card v1")).containsSubsequence("1", "1", "83.333");
        assertThat(line(run.out, "many-merchants v1")).containsSubsequence("1", "1", "83.333");
        assertThat(line(run.out, "card-testing v1")).containsSubsequence("1", "1", "83.333");
        assertThat(run.out.substring(run.out.indexOf("shadow rules"))).contains("travel v1");

        assertThat(alerts(out)).extracting(a -> a.ruleId + " " + a.groupKey + " " + a.mode + " " + a.trigger)
                .containsExactlyInAnyOrder(
                        "big-spender B1 ACTIVE CROSSING",
                        "big-spender A1 ACTIVE CROSSING",
                        "velocity-card CC ACTIVE CROSSING",
                        "many-merchants A1 ACTIVE WINDOW_CLOSE",
                        "card-testing CB ACTIVE CROSSING",
                        "travel D1 SHADOW CROSSING");
        Alert b1 = alerts(out).stream().filter(a -> a.alertId.startsWith("big-spender:B1:")).findFirst()
                .orElseThrow();
        assertThat(b1.alertId).isEqualTo("big-spender:B1:2026-01-01T10:00:00Z");
        assertThat(b1.totalCents).isEqualTo(60_150); // the retried b-2 counted once
        assertThat(b1.ruleVersion).isEqualTo(3);
    }

    @Test
    void gzipInputGivesTheSameResultAsPlain() throws Exception {
        Path gz = dir.resolve("txns.jsonl.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write((String.join("\n", LINES) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path plainOut = dir.resolve("alerts-1.jsonl");
        Path gzOut = dir.resolve("alerts-gz.jsonl");
        Run plainRun = backtest("--input", plain.toString(), "--rules", rules.toString(), "--out",
                plainOut.toString());
        Run gzRun = backtest("--input", gz.toString(), "--rules", rules.toString(), "--out", gzOut.toString());

        assertThat(gzRun.code).as(gzRun.err).isZero();
        assertThat(withoutRunDetails(gzRun.out)).isEqualTo(withoutRunDetails(plainRun.out)).contains("14 read");
        assertThat(withoutDetectedAt(alerts(gzOut))).hasSize(6).isEqualTo(withoutDetectedAt(alerts(plainOut)));
    }

    @Test
    void anInvalidRuleFailsBeforeAnythingRunsNamingTheRuleAndTheField() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad-rules.json"), RULES.replace("\"min_count\":3",
                "\"min_cuont\":3"));
        Path out = dir.resolve("never.jsonl");

        Run run = backtest("--input", plain.toString(), "--rules", bad.toString(), "--out", out.toString());

        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).contains("rule 2 of 5", "rule 'velocity-card'", "field 'min_cuont'");
        assertThat(run.out).isEmpty();
        assertThat(out).doesNotExist();
    }

    @Test
    void missingFilesAreClearErrors() throws Exception {
        Run noInput = backtest("--input", dir.resolve("nope.jsonl").toString(), "--rules", rules.toString());
        Run noRules = backtest("--input", plain.toString(), "--rules", dir.resolve("nope.json").toString());

        assertThat(noInput.code).isEqualTo(2);
        assertThat(noInput.err).contains("Input not found", "nope.jsonl");
        assertThat(noRules.code).isEqualTo(2);
        assertThat(noRules.err).contains("Rules file not found", "nope.json");

        Path badTruth = Files.writeString(dir.resolve("truth-cut.json"), "{\"format\": 3, \"expected");
        Run truth = backtest("--input", plain.toString(), "--rules", rules.toString(), "--truth", badTruth.toString());
        assertThat(truth.code).isEqualTo(2);
        assertThat(truth.err).contains("truth-cut.json", "not a ground-truth file");
    }

    @Test
    void anOutThatWouldOverwriteOrFeedTheInputIsRefusedBeforeAnythingRuns() throws Exception {
        Path input = Files.write(dir.resolve("keep.jsonl"), LINES);
        Run same = backtest("--input", input.toString(), "--rules", rules.toString(), "--out", input.toString());
        assertThat(same.code).isEqualTo(2);
        assertThat(same.err).contains("is the input");
        assertThat(Files.readAllLines(input)).as("the input untouched").isEqualTo(LINES);

        Path shards = Files.createDirectories(dir.resolve("shards"));
        Files.write(shards.resolve("shard-0.jsonl"), LINES);
        Run inside = backtest("--input", shards.toString(), "--rules", rules.toString(), "--out",
                shards.resolve("alerts.jsonl").toString());
        assertThat(inside.code).isEqualTo(2);
        assertThat(inside.err).contains("inside the input directory");
        assertThat(shards.resolve("alerts.jsonl")).doesNotExist();
    }

    @Test
    void aJobFailureNamesItsCauseAndNoRecordsIsAnError() throws Exception {
        Path notGzip = Files.write(dir.resolve("plain.jsonl.gz"), LINES);
        Run corrupt = backtest("--input", notGzip.toString(), "--rules", rules.toString());
        assertThat(corrupt.code).isEqualTo(2);
        assertThat(corrupt.err).contains("the backtest job failed", "Not in GZIP format");

        Path empty = Files.write(dir.resolve("empty.jsonl"), List.of("", ""));
        Run none = backtest("--input", empty.toString(), "--rules", rules.toString());
        assertThat(none.code).isEqualTo(2);
        assertThat(none.err).contains("no records in");
    }

    @Test
    void blankLinesAreSkippedAndAConfigNeedsOnlyItsDetectionGroup() throws Exception {
        List<String> spaced = new java.util.ArrayList<>();
        for (String l : LINES) {
            spaced.add(l);
            spaced.add("");
        }
        Path input = Files.write(dir.resolve("spaced.jsonl"), spaced);
        Path config = Files.writeString(dir.resolve("detection-only.json"), "[{\"PropertyGroupId\":\"Detection\","
                + "\"PropertyMap\":{\"allowed.lateness\":\"60 s\"}}]");
        Run run = backtest("--input", input.toString(), "--rules", rules.toString(), "--config", config.toString());
        assertThat(run.code).as(run.err).isZero();
        assertThat(withoutRunDetails(run.out)).isEqualTo(withoutRunDetails(
                backtest("--input", plain.toString(), "--rules", rules.toString()).out)).contains("14 read");
    }

    /** The line of the report that starts with this rule. */
    private static String line(String report, String rule) {
        return report.lines().map(String::trim).filter(l -> l.startsWith(rule + " ")).findFirst().orElseThrow();
    }

    private static String withoutRunDetails(String report) {
        return report.lines().filter(l -> !l.startsWith("input") && !l.startsWith("time") && !l.startsWith("alerts "))
                .collect(Collectors.joining("\n"));
    }

    static List<Alert> alerts(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(l -> AlertCodec.decode(l.getBytes(StandardCharsets.UTF_8)))
                .collect(Collectors.toList());
    }

    static Set<Alert> withoutDetectedAt(List<Alert> alerts) {
        alerts.forEach(a -> a.detectedAtMillis = 0);
        return new HashSet<>(alerts);
    }

    private static Run backtest(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = FraudTools.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "backtest";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = cli.execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    private static final class Run {
        final int code;
        final String out;
        final String err;

        Run(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }
    }
}
