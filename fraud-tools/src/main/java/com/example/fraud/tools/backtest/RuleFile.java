package com.example.fraud.tools.backtest;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A rules file: a JSON array of rule documents, each validated by the job's {@link RuleCodec}, ids unique. */
public final class RuleFile {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private RuleFile() {}

    /** The rules, or an exception naming the file, the rule's position and id, and the field. */
    public static List<Rule> read(Path file) throws IOException, InvalidRuleFileException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Rules file not found: " + file.toAbsolutePath());
        }
        String where = file.toAbsolutePath() + ": ";
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new InvalidRuleFileException(where + "not JSON: " + TerminalText.abbreviate(e.getOriginalMessage(),
                    200), null);
        }
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw new InvalidRuleFileException(where + "must be a non-empty JSON array of rule documents "
                    + "([{\"rule_id\": ...}, ...])", null);
        }
        List<Rule> rules = new ArrayList<>(root.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            String at = where + "rule " + (i + 1) + " of " + root.size() + ": ";
            Rule rule;
            try {
                rule = RuleCodec.parse(JSON.writeValueAsBytes(root.get(i)));
            } catch (RuleException e) {
                throw new InvalidRuleFileException(at + e.getMessage(), e);
            }
            if (!ids.add(rule.id())) {
                throw new InvalidRuleFileException(at + "rule '" + TerminalText.escape(rule.id())
                        + "' appears twice; a rule id must be unique", null);
            }
            rules.add(rule);
        }
        return List.copyOf(rules);
    }

    /** An invalid rules file; {@link #getCause()} is the {@link RuleException} (rule id, field) when there is one. */
    public static final class InvalidRuleFileException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidRuleFileException(String message, RuleException cause) {
            super(message, cause);
        }

        public RuleException ruleException() {
            return (RuleException) getCause();
        }
    }
}
