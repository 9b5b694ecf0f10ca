package com.example.fraud.tools.rules;

import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleSets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A rule set file: a JSON array of rule documents, the format of the job's Rules group ({@code file}), read by the
 * job's own {@link RuleSets}; the first problem names the file, the rule's position and id, and the field.
 */
public final class RuleSetFile {
    private RuleSetFile() {}

    /**
     * The rules of {@code file}, in file order. An invalid set is an IOException whose cause is the
     * {@link RuleSets.RuleSetException} (with the rule's {@code RuleException} when one rule is at fault).
     */
    public static List<Rule> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Rules file not found: " + file.toAbsolutePath());
        }
        try {
            return RuleSets.parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (RuleSets.RuleSetException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
