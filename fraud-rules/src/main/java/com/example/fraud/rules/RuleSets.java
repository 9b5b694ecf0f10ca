package com.example.fraud.rules;

import com.example.fraud.model.TerminalText;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A rule set: a JSON array of rule documents, as in a rules file, the {@code Rules} property group, or a backtest.
 * Every rule is validated by {@link RuleCodec}; ids are unique. One reader for the job, the tools and the benchmarks.
 */
public final class RuleSets {
    private RuleSets() {}

    /** The rules in document order, or an exception naming the rule (position and id) and the field. */
    public static List<Rule> parse(String json) throws RuleSetException {
        JsonNode root;
        try {
            root = RuleCodec.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new RuleSetException("not JSON: " + TerminalText.abbreviate(e.getOriginalMessage(), 200), null,
                    false);
        }
        if (root == null || !root.isArray()) {
            throw new RuleSetException("must be a JSON array of rule documents ([{\"rule_id\": ...}, ...])", null,
                    false);
        }
        if (root.isEmpty()) {
            throw new RuleSetException("an empty array: give at least one rule", null, true);
        }
        List<Rule> rules = new ArrayList<>(root.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            String at = "rule " + (i + 1) + " of " + root.size() + ": ";
            Rule rule;
            try {
                rule = RuleCodec.parse(RuleCodec.JSON.writeValueAsBytes(root.get(i)));
            } catch (RuleException e) {
                throw new RuleSetException(at + e.getMessage(), e, false);
            } catch (JsonProcessingException e) {
                throw new RuleSetException(at + e.getOriginalMessage(), null, false);
            }
            if (!ids.add(rule.id())) {
                throw new RuleSetException(at + "rule '" + TerminalText.escape(rule.id())
                        + "' appears twice; a rule id must be unique", null, false);
            }
            rules.add(rule);
        }
        return List.copyOf(rules);
    }

    /** An invalid rule set; {@link #ruleException()} names the rule and field when one rule is at fault. */
    public static final class RuleSetException extends Exception {
        private static final long serialVersionUID = 1L;

        private final boolean empty;

        RuleSetException(String message, RuleException cause, boolean empty) {
            super(message, cause);
            this.empty = empty;
        }

        /** The invalid rule's error (rule id, field), or null when the set as a whole is at fault. */
        public RuleException ruleException() {
            return (RuleException) getCause();
        }

        /** The array was empty: valid JSON, but a set that flags nothing. */
        public boolean isEmpty() {
            return empty;
        }
    }
}
