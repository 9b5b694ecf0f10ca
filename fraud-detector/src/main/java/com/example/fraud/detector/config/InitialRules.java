package com.example.fraud.detector.config;

import static com.example.fraud.detector.config.FraudDetectorOptions.RULES;
import static com.example.fraud.detector.config.FraudDetectorOptions.RULES_FILE;

import com.example.fraud.model.TerminalText;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleCodec;
import com.example.fraud.rules.RuleException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;

/**
 * The Rules group: the initial rule set from a JSON array in the {@code rules} property or in the file named by
 * {@code file}, each rule validated by the same {@link RuleCodec} as the control stream. Nothing set: the default
 * rule of the Detection settings, so a configuration without rules behaves as before rules were data.
 */
final class InitialRules {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

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
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw g.error(option, where + "not JSON: " + TerminalText.abbreviate(e.getOriginalMessage(), 200));
        }
        if (root == null || !root.isArray()) {
            throw g.error(option, where + "must be a JSON array of rule documents ([{\"rule_id\": ...}, ...])");
        }
        if (root.isEmpty()) {
            // Almost surely a mistake: a job without rules flags nothing. Leave the property out for the default.
            throw g.error(option, where + "an empty array: give at least one rule, or leave " + option.key()
                    + " out for the default rule");
        }
        List<Rule> rules = new ArrayList<>(root.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            Rule rule;
            try {
                rule = RuleCodec.parse(JSON.writeValueAsBytes(root.get(i)));
            } catch (RuleException e) {
                throw g.error(option, where + "rule " + (i + 1) + " of " + root.size() + ": " + e.getMessage());
            } catch (JsonProcessingException e) {
                throw g.error(option, where + "rule " + (i + 1) + " of " + root.size() + ": " + e.getOriginalMessage());
            }
            if (!ids.add(rule.id())) {
                throw g.error(option, where + "rule " + (i + 1) + " of " + root.size() + ": rule '"
                        + TerminalText.escape(rule.id()) + "' appears twice; a rule id must be unique");
            }
            rules.add(rule);
        }
        return List.copyOf(rules);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
