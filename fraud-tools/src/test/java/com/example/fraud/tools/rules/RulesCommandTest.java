package com.example.fraud.tools.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.tools.FraudTools;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RulesCommandTest {
    @TempDir
    Path dir;

    @Test
    void anInvalidRuleFileIsRefusedBeforeAnythingIsSentNamingTheRuleAndField() throws Exception {
        Path file = dir.resolve("rule.json");
        Files.writeString(file, "{\"rule_id\":\"velocity\",\"version\":2,\"type\":\"COUNT_OVER_THRESHOLD\","
                + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT10M\"},\"min_count\":0}");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(new FraudTools());
        RulesCommand rules = cli.getSubcommands().get("rules").getCommand();
        rules.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        // an endpoint nothing listens on: the command must fail on validation before any call
        int code = cli.execute("rules", "--endpoint", "http://127.0.0.1:9", "put", file.toString());
        assertThat(code).isEqualTo(RulesCommand.REJECTED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("rule 'velocity'").contains("min_count");
    }

    @Test
    void eachFailureHasItsOwnExitCodeAndMessage() throws Exception {
        Path rule = Files.writeString(dir.resolve("ok.json"), "{\"rule_id\":\"velocity\",\"version\":2,"
                + "\"type\":\"COUNT_OVER_THRESHOLD\",\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT10M\"},"
                + "\"min_count\":5}");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(new FraudTools());
        RulesCommand rules = cli.getSubcommands().get("rules").getCommand();
        rules.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        cli.setErr(new java.io.PrintWriter(err, true));

        // a valid rule, but nothing listens on the endpoint: not a rejection, not a timeout
        assertThat(cli.execute("rules", "--endpoint", "http://127.0.0.1:9", "--wait", "2s", "put", rule.toString()))
                .isEqualTo(RulesCommand.KINESIS_ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Kinesis error");
        assertThat(cli.execute("rules", "--endpoint", "http://127.0.0.1:9", "list"))
                .isEqualTo(RulesCommand.KINESIS_ERROR);

        err.reset();
        assertThat(cli.execute("rules", "put", dir.resolve("missing.json").toString()))
                .isEqualTo(RulesCommand.REJECTED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read the rule file")
                .contains("missing.json");

        err.reset();
        assertThat(cli.execute("rules")).as("no subcommand").isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("give a subcommand");
    }
}
