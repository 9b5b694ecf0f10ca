package com.example.fraud.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.tools.generator.GroundTruth;
import com.example.fraud.tools.generator.GroundTruthFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class FraudToolsCliTest {
    @ParameterizedTest
    @ValueSource(strings = {"emulator", "generate", "tail", "evaluate", "probe", "rules", "backtest"})
    void everySubcommandHasHelp(String command) {
        StringWriter out = new StringWriter();
        CommandLine cli = FraudTools.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute(command, "--help")).isZero();
        assertThat(out.toString()).contains("Usage: fraud-tools " + command);
    }

    @Test
    void generateWritesJsonLinesAndTheTruthFromTheConfigFile(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("app.json");
        Files.writeString(config, "[{\"PropertyGroupId\":\"Detection\",\"PropertyMap\":{\"window.size\":\"10 s\","
                + "\"allowed.lateness\":\"5 s\",\"max.clock.skew\":\"5 s\"}}]");
        Path out = dir.resolve("txns.jsonl");
        Path truthFile = dir.resolve("truth.json");

        CommandLine cli = FraudTools.commandLine();
        StringWriter console = new StringWriter();
        cli.setOut(new PrintWriter(console));
        int code = cli.execute("generate", "--config", config.toString(), "--threshold", "500",
                "--out", out.toString(), "--fast", "--count", "400", "--rate", "50", "--seed", "3",
                "--malformed", "0.01", "--truth", truthFile.toString());

        assertThat(code).isZero();
        assertThat(console.toString()).contains("window 10 s", "sent ", "retried 0, failed 0");
        GroundTruth truth = GroundTruthFile.read(truthFile);
        assertThat(truth.settings.windowMs).isEqualTo(10_000);
        assertThat(truth.settings.allowedLatenessMs).isEqualTo(5_000);
        assertThat(truth.settings.maxOutOfOrdernessMs).isEqualTo(5_000);
        assertThat(truth.settings.threshold).isEqualByComparingTo("500");
        assertThat(truth.settings.tailMs).isEqualTo(20_000); // window + bound + 5 s
        List<String> lines = Files.readAllLines(out);
        assertThat((long) lines.size()).isEqualTo(truth.totals.records).isEqualTo(truth.totals.stored);
        assertThat(truth.expectedAlerts).isNotEmpty();
        assertThat(truth.malformedRecords).hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void optionsOfTheDefaultRuleAreRefusedWithARuleSet(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.json"), "[{\"rule_id\":\"velocity\",\"version\":1,"
                + "\"type\":\"COUNT_OVER_THRESHOLD\",\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT1M\"},"
                + "\"min_count\":5}]");
        for (String option : List.of("--threshold=5", "--window=2h", "--over=0.5", "--under=0.1", "--exact=0.1")) {
            CommandLine cli = FraudTools.commandLine();
            StringWriter err = new StringWriter();
            cli.setErr(new PrintWriter(err));
            cli.setOut(new PrintWriter(new StringWriter()));
            assertThat(cli.execute("generate", "--out", dir.resolve("x.jsonl").toString(), "--fast", "--count", "10",
                    "--rules", rules.toString(), option)).as(option).isEqualTo(2);
            assertThat(err.toString()).contains(option.substring(0, option.indexOf('=')), "default rule");
        }
    }

    @Test
    void anIdPrefixGoesInFrontOfEveryAccountAndIsChecked(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("txns.jsonl");
        CommandLine cli = FraudTools.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        assertThat(cli.execute("generate", "--out", out.toString(), "--fast", "--count", "200", "--tail", "0",
                "--id-prefix", "B-")).isZero();
        List<String> withAccount = Files.readAllLines(out).stream().filter(l -> l.contains("\"account_id\":\""))
                .collect(java.util.stream.Collectors.toList());
        assertThat(withAccount).isNotEmpty().allMatch(l -> l.contains("\"account_id\":\"B-"));

        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("generate", "--out", out.toString(), "--fast", "--count", "1",
                "--id-prefix", "tab\t")).isEqualTo(2);
        assertThat(err.toString()).contains("--id-prefix");
    }

    @Test
    void aFastRunWithAnEndWritesTheSameBytesEveryTime(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("txns.jsonl");
        Path truth = dir.resolve("truth.json");
        Path rules = Files.writeString(dir.resolve("rules.json"), "["
                + "{\"rule_id\":\"sum\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
                + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT1M\"},\"threshold\":900.00},"
                + "{\"rule_id\":\"travel\",\"version\":1,\"type\":\"IMPOSSIBLE_TRAVEL\",\"max_speed_kmh\":900,"
                + "\"within\":\"PT1H\"}]");
        CommandLine cli = FraudTools.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        String[] args = {"generate", "--out", out.toString(), "--truth", truth.toString(), "--rules", rules.toString(),
            "--fast", "--count", "3000", "--rate", "50", "--seed", "5", "--end", "2026-11-01T00:00:00Z"};
        assertThat(cli.execute(args)).isZero();
        byte[] records = Files.readAllBytes(out);
        byte[] expected = Files.readAllBytes(truth);
        assertThat(cli.execute(args)).isZero();

        assertThat(Files.readAllBytes(out)).isEqualTo(records);
        assertThat(Files.readAllBytes(truth)).isEqualTo(expected);
        GroundTruth t = GroundTruthFile.read(truth);
        assertThat(t.expectedAlerts).extracting(a -> a.ruleId).contains("sum", "travel");
        assertThat(new String(records, java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"txn_time\":\"2026-10-31T23:").doesNotContain("\"txn_time\":\"2026-11-01T00:0");
    }

    @Test
    void anEndNeedsTheSimulatedClock(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cli = FraudTools.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("generate", "--out", dir.resolve("x").toString(), "--count", "1", "--end",
                "2026-11-01T00:00:00Z")).isEqualTo(2);
        assertThat(err.toString()).contains("--end only works with --fast");
    }

    @Test
    void fastNeedsAFileTarget() {
        StringWriter err = new StringWriter();
        CommandLine cli = FraudTools.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("generate", "--fast", "--count", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("--fast only works with --out");
    }
}
