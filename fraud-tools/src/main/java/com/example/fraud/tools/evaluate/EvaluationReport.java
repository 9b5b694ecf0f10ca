package com.example.fraud.tools.evaluate;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints an {@link EvaluationResult} for people. Long lists are cut at {@value #MAX_LISTED} names. */
public final class EvaluationReport {
    private static final int MAX_LISTED = 50;

    private EvaluationReport() {}

    public static void print(EvaluationResult r, PrintWriter out) {
        out.printf(Locale.ROOT, "expected alerts     %d%n", r.expected);
        out.printf(Locale.ROOT, "received alerts     %d (distinct alert ids)%n", r.received);
        out.printf(Locale.ROOT, "duplicates dropped  %d%n", r.duplicatesDropped);
        if (r.revisionsSuperseded > 0) {
            out.printf(Locale.ROOT, "revisions           %d earlier revisions superseded (the highest is checked)%n",
                    r.revisionsSuperseded);
        }
        if (r.outsideRun > 0) {
            out.printf(Locale.ROOT, "outside this run    %d (windows of other runs, ignored)%n", r.outsideRun);
        }
        out.printf(Locale.ROOT, "precision           %.4f%n", r.precision);
        out.printf(Locale.ROOT, "recall              %.4f%n", r.recall);
        list(out, "missed alerts", r.missed);
        list(out, "extra alerts", r.extra);
        list(out, "flagged at exactly the threshold", r.flaggedAtThreshold);
        list(out, "alert totals that match neither the crossing nor the window sum", r.totalMismatches);
        out.println("detection latency   " + r.latency
                + (r.latency.negativeCount() > 0 ? " (" + r.latency.negativeCount() + " negative, counted as 0)" : ""));
        rules(out, "per rule, live alerts:", r.rules);
        rules(out, "per rule, shadow alerts (reported, never failed on):", r.shadowRules);
        list(out, "alerts on near-miss scenarios", r.nearMissesFlagged);

        out.println("malformed records   expected / found with the expected reason:");
        if (r.malformedExpectedByReason.isEmpty()) {
            out.println("  none sent");
        }
        for (Map.Entry<String, Integer> e : r.malformedExpectedByReason.entrySet()) {
            out.printf(Locale.ROOT, "  %-18s %d / %d%n", e.getKey(), e.getValue(),
                    r.malformedFoundByReason.getOrDefault(e.getKey(), 0));
        }
        list(out, "malformed with the wrong reason", r.malformedWrongReason);
        list(out, "malformed not dead-lettered", r.malformedMissing);
        out.printf(Locale.ROOT, "late records        expected %d, found %d%n", r.lateExpected, r.lateFound);
        list(out, "late records not dead-lettered", r.lateMissing);
        list(out, "LATE dead letters for records not sent late", r.lateUnexpected);
        if (!r.otherDeadLetters.isEmpty()) {
            out.println("other dead letters  " + r.otherDeadLetters);
        }
        if (r.deadLettersOutsideRun > 0) {
            out.println("dead letters of earlier runs ignored: " + r.deadLettersOutsideRun);
        }
        out.println(r.passed() ? "RESULT: PASS (precision = recall = 1.0" + (r.rules.size() > 1 ? " for every active rule"
                : "") + ")" : "RESULT: FAIL");
        out.flush();
    }

    private static void rules(PrintWriter out, String title, List<RuleResult> rows) {
        if (rows.isEmpty()) {
            return;
        }
        out.println(title);
        out.printf(Locale.ROOT, "  %-30s %5s %8s %8s %6s %6s %9s %7s  %s%n", "rule", "ver", "expected", "received",
                "missed", "extra", "precision", "recall", "time-to-flag p50 / p95 / p99");
        for (RuleResult r : rows) {
            LatencySummary t = r.timeToFlag;
            out.printf(Locale.ROOT, "  %-30s %5s %8d %8d %6d %6d %9.4f %7.4f  %s%n", r.ruleId, "v" + r.version,
                    r.expected, r.received, r.missed.size(), r.extra.size(), r.precision(), r.recall(),
                    t.count() == 0 ? "-" : t.p50() + " / " + t.p95() + " / " + t.p99() + " ms");
        }
        for (RuleResult r : rows) {
            list(out, "  " + r.ruleId + " v" + r.version + " missed", r.missed);
            list(out, "  " + r.ruleId + " v" + r.version + " extra", r.extra);
        }
    }

    /** The same report as JSON (for {@code evaluate --json}). */
    public static Map<String, Object> toJson(EvaluationResult r) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("passed", r.passed());
        m.put("expected_alerts", r.expected);
        m.put("received_alerts", r.received);
        m.put("duplicates_dropped", r.duplicatesDropped);
        m.put("revisions_superseded", r.revisionsSuperseded);
        m.put("outside_run", r.outsideRun);
        m.put("precision", r.precision);
        m.put("recall", r.recall);
        m.put("missed", r.missed);
        m.put("extra", r.extra);
        m.put("flagged_at_threshold", r.flaggedAtThreshold);
        m.put("total_mismatches", r.totalMismatches);
        m.put("detection_latency_ms", latency(r.latency));
        m.put("rules", rulesJson(r.rules));
        m.put("shadow_rules", rulesJson(r.shadowRules));
        m.put("near_misses_flagged", r.nearMissesFlagged);
        Map<String, Object> dl = new java.util.LinkedHashMap<>();
        dl.put("malformed_expected_by_reason", r.malformedExpectedByReason);
        dl.put("malformed_found_by_reason", r.malformedFoundByReason);
        dl.put("malformed_wrong_reason", r.malformedWrongReason);
        dl.put("malformed_missing", r.malformedMissing);
        dl.put("late_expected", r.lateExpected);
        dl.put("late_found", r.lateFound);
        dl.put("late_missing", r.lateMissing);
        dl.put("late_unexpected", r.lateUnexpected);
        dl.put("other", r.otherDeadLetters);
        dl.put("outside_run", r.deadLettersOutsideRun);
        m.put("dead_letters", dl);
        return m;
    }

    private static List<Map<String, Object>> rulesJson(List<RuleResult> rows) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (RuleResult r : rows) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("rule_id", r.ruleId);
            m.put("version", r.version);
            m.put("mode", r.mode);
            m.put("expected", r.expected);
            m.put("received", r.received);
            m.put("matched", r.matched);
            m.put("missed", r.missed);
            m.put("extra", r.extra);
            m.put("precision", r.precision());
            m.put("recall", r.recall());
            m.put("passed", r.passed());
            m.put("time_to_flag_ms", latency(r.timeToFlag));
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> latency(LatencySummary l) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("count", l.count());
        if (l.count() > 0) {
            m.put("p50", l.p50());
            m.put("p95", l.p95());
            m.put("p99", l.p99());
            m.put("max", l.max());
        }
        return m;
    }

    private static void list(PrintWriter out, String title, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        out.printf(Locale.ROOT, "%s (%d):%n", title, items.size());
        for (int i = 0; i < Math.min(MAX_LISTED, items.size()); i++) {
            out.println("  " + items.get(i));
        }
        if (items.size() > MAX_LISTED) {
            out.println("  ... and " + (items.size() - MAX_LISTED) + " more");
        }
    }
}
