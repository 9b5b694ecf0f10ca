package com.example.fraud.tools.rules;

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

/**
 * A rule set file: a JSON array of rule documents, the format of the job's Rules group ({@code file}). Each rule is
 * validated by {@link RuleCodec}, the job's own validation; the first problem names the rule and the field.
 */
public final class RuleSetFile {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private RuleSetFile() {}

    /** The rules of {@code file}, in file order; IOException with the rule's position, id and field on a problem. */
    public static List<Rule> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Rules file not found: " + file.toAbsolutePath());
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not JSON: " + TerminalText.abbreviate(e.getOriginalMessage(), 200), e);
        }
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw new IOException(file + ": must be a non-empty JSON array of rule documents ([{\"rule_id\": ...}])");
        }
        List<Rule> rules = new ArrayList<>(root.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            Rule rule;
            try {
                rule = RuleCodec.parse(JSON.writeValueAsBytes(root.get(i)));
            } catch (RuleException e) {
                throw new IOException(file + ": rule " + (i + 1) + " of " + root.size() + ": " + e.getMessage(), e);
            }
            if (!ids.add(rule.id())) {
                throw new IOException(file + ": rule " + (i + 1) + " of " + root.size() + ": rule '"
                        + TerminalText.escape(rule.id()) + "' appears twice; a rule id must be unique");
            }
            rules.add(rule);
        }
        return List.copyOf(rules);
    }
}
