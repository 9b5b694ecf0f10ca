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
        out.println(r.passed() ? "RESULT: PASS (precision = recall = 1.0)" : "RESULT: FAIL");
        out.flush();
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
