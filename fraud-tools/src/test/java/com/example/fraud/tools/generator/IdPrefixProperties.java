package com.example.fraud.tools.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.model.Identifiers;
import com.example.fraud.tools.FraudTools;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import picocli.CommandLine;

/**
 * {@code generate --id-prefix} takes any text: it is refused with exit 2 and a message naming the option, or every
 * account id written starts with it and is one the detector accepts (so no record becomes a dead letter for it).
 */
class IdPrefixProperties {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Property(tries = 40)
    void anyPrefixIsRefusedByNameOrGivesIdsTheDetectorAccepts(@ForAll String prefix) throws Exception {
        Path dir = Files.createTempDirectory("id-prefix");
        Path out = dir.resolve("txns.jsonl");
        CommandLine cli = FraudTools.commandLine();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("generate", "--out", out.toString(), "--fast", "--count", "30", "--tail", "0",
                "--malformed", "0", "--id-prefix", prefix);
        if (code != 0) {
            assertThat(code).isEqualTo(2);
            assertThat(err.toString()).contains("--id-prefix");
            return;
        }
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            String id = JSON.readTree(line).path("account_id").asText(null);
            assertThat(id).startsWith(prefix);
            assertThat(Identifiers.problem("account_id", id)).as(id).isNull();
        }
    }
}
