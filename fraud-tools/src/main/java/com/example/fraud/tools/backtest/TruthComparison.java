package com.example.fraud.tools.backtest;

import com.example.fraud.tools.generator.GroundTruth;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A backtest's alerts against a ground truth, per rule, matched by {@code alert_id}. An expected alert belongs to the
 * rule whose id its alert id starts with ({@code rule:key:anchor}); the longest such rule id wins, since a rule id
 * may itself contain a colon.
 */
public final class TruthComparison {
    /** Expected alerts of no rule in the set, by the rule id their alert id starts with. */
    public final Map<String, Long> unknownRules = new TreeMap<>();
    private final Map<String, PerRule> byRule = new HashMap<>();

    /** One rule's numbers; precision is 1.0 with no alert, recall 1.0 with none expected (as in evaluate). */
    public static final class PerRule {
        public final long expected;
        public final long received;
        public final long matched;
        public final long missed;
        public final long extra;

        PerRule(Set<String> expected, Set<String> received) {
            long both = 0;
            for (String id : received) {
                if (expected.contains(id)) {
                    both++;
                }
            }
            this.expected = expected.size();
            this.received = received.size();
            this.matched = both;
            this.missed = this.expected - both;
            this.extra = this.received - both;
        }

        public double precision() {
            return received == 0 ? 1.0 : (double) matched / received;
        }

        public double recall() {
            return expected == 0 ? 1.0 : (double) matched / expected;
        }
    }

    public static TruthComparison of(GroundTruth truth, BacktestResult result) {
        List<BacktestResult.RuleOutcome> rules = result.rules;
        Map<String, Set<String>> expected = new HashMap<>();
        for (BacktestResult.RuleOutcome r : rules) {
            expected.put(r.rule.id(), new HashSet<>());
        }
        TruthComparison c = new TruthComparison();
        for (GroundTruth.ExpectedAlert e : truth.expectedAlerts) {
            String owner = null;
            for (BacktestResult.RuleOutcome r : rules) {
                String id = r.rule.id();
                if (e.alertId.startsWith(id + ":") && (owner == null || id.length() > owner.length())) {
                    owner = id;
                }
            }
            if (owner == null) {
                int colon = e.alertId.indexOf(':');
                c.unknownRules.merge(colon < 0 ? e.alertId : e.alertId.substring(0, colon), 1L, Long::sum);
            } else {
                expected.get(owner).add(e.alertId);
            }
        }
        for (BacktestResult.RuleOutcome r : rules) {
            c.byRule.put(r.rule.id(), new PerRule(expected.get(r.rule.id()), r.alertIds()));
        }
        return c;
    }

    public PerRule rule(String ruleId) {
        return byRule.get(ruleId);
    }
}
