package com.example.fraud.detector.config;

import static com.example.fraud.detector.config.FraudDetectorOptions.RULES;
import static com.example.fraud.detector.config.FraudDetectorOptions.RULES_FILE;

import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleCodec;
import com.example.fraud.rules.RuleSets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * The Rules group: the initial rule set from a JSON array in the {@code rules} property or in the file named by
 * {@code file}, each rule validated by the same {@link RuleCodec} as the control stream. Nothing set: the default
 * rule of the Detection settings, so a configuration without rules behaves as before rules were data.
 */
final class InitialRules {
    private InitialRules() {}

    static List<Rule> read(GroupReader g, DetectionSettings detection) {
        String inline = blankToNull(g.get(RULES));
        String file = blankToNull(g.get(RULES_FILE));
        if (inline != null && file != null) {
            throw g.error(RULES_FILE, "set either rules or file, not both");
        }
        if (inline != null) {
            return parseArray(g, RULES, inline, "");
        }
        if (file != null) {
            Path path = Paths.get(file);
            String text;
            try {
                text = Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                throw g.error(RULES_FILE, "cannot read " + path.toAbsolutePath() + " (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            }
            return parseArray(g, RULES_FILE, text, path.toAbsolutePath() + ": ");
        }
        return detection.defaultRules();
    }

    private static List<Rule> parseArray(GroupReader g, ConfigOption<String> option, String text, String where) {
        try {
            return RuleSets.parse(text);
        } catch (RuleSets.RuleSetException e) {
            // An empty set is almost surely a mistake: a job without rules flags nothing.
            throw g.error(option, where + e.getMessage() + (e.isEmpty() ? ", or leave " + option.key()
                    + " out for the default rule" : ""));
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
