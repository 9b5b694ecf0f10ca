package com.example.fraud.tools.backtest;

import com.example.fraud.model.Alert;
import com.example.fraud.model.RuleMode;
import com.example.fraud.model.TerminalText;
import com.example.fraud.rules.Rule;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What a backtest found: records read, dead letters by reason, and per rule its alerts and alerted keys. */
public final class BacktestResult {
    /** Lines read, each one record as the job would have received it. */
    public final long records;
    /** Records the parser rejected (malformed, oversized, ...): dead letters before any rule sees them. */
    public final long invalid;
    /** Dead letters by reason: invalid records, conflicting duplicates, transactions late for every rule. */
    public final Map<String, Long> deadLetters;
    /** From submission to the last alert received, the local cluster's start included. */
    public final long elapsedMillis;
    /** The job's own run time, as Flink reports it. */
    public final long jobMillis;
    /** In the rule set's order. */
    public final List<RuleOutcome> rules;

    private BacktestResult(long records, long invalid, Map<String, Long> deadLetters, long elapsedMillis,
            long jobMillis, List<RuleOutcome> rules) {
        this.records = records;
        this.invalid = invalid;
        this.deadLetters = deadLetters;
        this.elapsedMillis = elapsedMillis;
        this.jobMillis = jobMillis;
        this.rules = rules;
    }

    /** Parsed transactions: the denominator of alerts per 1,000. */
    public long transactions() {
        return records - invalid;
    }

    public RuleOutcome rule(String ruleId) {
        return rules.stream().filter(r -> r.rule.id().equals(ruleId)).findFirst().orElse(null);
    }

    /** One rule's alerts. Shadow rules' alerts went to the shadow-alert stream only: they are reported apart. */
    public static final class RuleOutcome {
        public final Rule rule;
        final Set<String> keys = new HashSet<>();
        final Set<String> alertIds = new HashSet<>();

        RuleOutcome(Rule rule) {
            this.rule = rule;
        }

        /** Distinct alert ids: a WINDOW_CLOSE alert revised by a late transaction is one alert. */
        public long alerts() {
            return alertIds.size();
        }

        /** Distinct alerted values of the rule's grouping (accounts, cards or merchants). */
        public int alertedKeys() {
            return keys.size();
        }

        public Set<String> alertIds() {
            return alertIds;
        }

        public double alertsPerThousand(long transactions) {
            return transactions == 0 ? 0 : alerts() * 1000.0 / transactions;
        }
    }

    /** Collects alerts as they arrive. */
    static final class Builder {
        private final Map<String, RuleOutcome> byId = new LinkedHashMap<>();
        private long received;

        Builder(List<Rule> rules) {
            for (Rule r : rules) {
                byId.put(r.id(), new RuleOutcome(r));
            }
        }

        void alert(Alert a) {
            RuleOutcome r = byId.get(a.ruleId);
            if (r == null) {
                // The job evaluates only the rules it was given: this would be a bug in the graph.
                throw new IllegalStateException("alert of a rule not in the rule set: " + a);
            }
            received++;
            r.keys.add(a.groupKey);
            r.alertIds.add(a.alertId);
        }

        long alertsReceived() {
            return received;
        }

        BacktestResult build(long records, long invalid, Map<String, Long> deadLetters, long elapsedMillis,
                long jobMillis) {
            return new BacktestResult(records, invalid, deadLetters, elapsedMillis, jobMillis,
                    new ArrayList<>(byId.values()));
        }
    }

    /** The report, plain text; with {@code truth}, per-rule precision and recall. */
    public void print(PrintWriter out, String input, int parallelism, TruthComparison truth) {
        double seconds = elapsedMillis / 1000.0;
        out.printf(Locale.ROOT, "input         %s%n", TerminalText.escape(input));
        out.printf(Locale.ROOT, "records       %,d read: %,d transactions, %,d invalid%n", records, transactions(),
                invalid);
        double job = jobMillis / 1000.0;
        out.printf(Locale.ROOT, "time          %.1f s, of which the job ran %.1f s, at parallelism %d (%,.0f records/s "
                + "in the job)%n", seconds, job, parallelism, job == 0 ? 0 : records / job);
        long dead = deadLetters.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder reasons = new StringBuilder();
        new TreeMap<>(deadLetters).forEach((k, v) -> reasons.append(reasons.length() == 0 ? "" : ", ").append(k)
                .append(' ').append(String.format(Locale.ROOT, "%,d", v)));
        out.printf(Locale.ROOT, "dead letters  %,d%s%n", dead, dead == 0 ? "" : " (" + reasons + ")");
        out.println();
        table(out, "rules", mode(RuleMode.ACTIVE), truth);
        List<RuleOutcome> shadow = mode(RuleMode.SHADOW);
        if (!shadow.isEmpty()) {
            out.println();
            table(out, "shadow rules (their alerts go to the shadow-alert stream only)", shadow, truth);
        }
        List<RuleOutcome> paused = mode(RuleMode.PAUSED);
        if (!paused.isEmpty()) {
            out.println();
            out.print("paused rules (not evaluated):");
            paused.forEach(r -> out.print(" " + TerminalText.escape(r.rule.id()) + " v" + r.rule.version()));
            out.println();
        }
        if (truth != null && !truth.unknownRules.isEmpty()) {
            out.println();
            out.print("expected alerts of rules not in this rule set:");
            truth.unknownRules.forEach((id, n) -> out.printf(Locale.ROOT, " %s %,d", TerminalText.escape(id), n));
            out.println();
        }
    }

    private List<RuleOutcome> mode(RuleMode mode) {
        List<RuleOutcome> in = new ArrayList<>();
        for (RuleOutcome r : rules) {
            if (r.rule.mode() == mode) {
                in.add(r);
            }
        }
        return in;
    }

    private void table(PrintWriter out, String title, Collection<RuleOutcome> outcomes, TruthComparison truth) {
        out.println(title);
        int width = 4;
        for (RuleOutcome r : outcomes) {
            width = Math.max(width, TerminalText.escape(r.rule.id()).length() + 1 + Long.toString(r.rule.version())
                    .length() + 1);
        }
        String row = "  %-" + width + "s %10s %10s %12s";
        String header = String.format(Locale.ROOT, row, "rule", "alerts", "keys", "per 1k txns");
        if (truth != null) {
            header += String.format(Locale.ROOT, " %9s %9s %7s %7s %9s %7s", "expected", "matched", "missed",
                    "extra", "precision", "recall");
        }
        out.println(header);
        for (RuleOutcome r : outcomes) {
            String line = String.format(Locale.ROOT, row, TerminalText.escape(r.rule.id()) + " v" + r.rule.version(),
                    String.format(Locale.ROOT, "%,d", r.alerts()), String.format(Locale.ROOT, "%,d", r.alertedKeys()),
                    String.format(Locale.ROOT, "%.3f", r.alertsPerThousand(transactions())));
            if (truth != null) {
                TruthComparison.PerRule t = truth.rule(r.rule.id());
                line += String.format(Locale.ROOT, " %,9d %,9d %,7d %,7d %9.4f %7.4f", t.expected, t.matched,
                        t.missed, t.extra, t.precision(), t.recall());
            }
            out.println(line);
        }
    }
}
