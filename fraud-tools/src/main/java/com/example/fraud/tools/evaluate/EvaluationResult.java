package com.example.fraud.tools.evaluate;

import java.util.List;
import java.util.Map;

/** What {@link Evaluation} found. Lists are sorted; maps are keyed by reject reason name. */
public final class EvaluationResult {
    public final int expected;
    /** Distinct alert ids received (after dedup, alerts of other runs' windows left out). */
    public final int received;
    public final int duplicatesDropped;
    /** Earlier revisions of revised WINDOW_CLOSE alerts: superseded by the highest one, which is what is checked. */
    public final int revisionsSuperseded;
    /** Alerts whose window lies outside this run's time range (older runs on the same stream). */
    public final int outsideRun;
    public final int truePositives;
    public final double precision;
    public final double recall;
    /** Expected alert ids not received. */
    public final List<String> missed;
    /** Received alert ids that were not expected. */
    public final List<String> extra;
    /** Extra alerts on windows that sum to exactly the threshold: the "strictly greater" rule was broken. */
    public final List<String> flaggedAtThreshold;
    /** Matched alerts whose total is neither the sum at the crossing nor the window's final sum. */
    public final List<String> totalMismatches;
    public final LatencySummary latency;

    public final Map<String, Integer> malformedExpectedByReason;
    /** Expected malformed records found in the dead letters with the expected reason, by reason. */
    public final Map<String, Integer> malformedFoundByReason;
    /** "m-000003: expected INVALID_AMOUNT, got MALFORMED_JSON" */
    public final List<String> malformedWrongReason;
    public final List<String> malformedMissing;
    public final int lateExpected;
    public final int lateFound;
    public final List<String> lateMissing;
    /** LATE dead letters for transactions that were not sent late (e.g. delayed ones that were dropped). */
    public final List<String> lateUnexpected;
    /** Dead letters matching nothing this run sent, by reason. */
    public final Map<String, Integer> otherDeadLetters;
    /** Dead letters rejected before this run started (earlier runs on the same stream), left out. */
    public final int deadLettersOutsideRun;
    /** Per rule id and version, live alerts (the alert stream) against the truth's ACTIVE rules' alerts. */
    public final List<RuleResult> rules;
    /** Per rule id and version, the shadow-alert stream against the truth's SHADOW rules' alerts. */
    public final List<RuleResult> shadowRules;
    /** Alerts received for a rule on a key of one of its near-miss scenarios: "alert_id (scenario)". */
    public final List<String> nearMissesFlagged;

    EvaluationResult(int expected, int received, int duplicatesDropped, int revisionsSuperseded, int outsideRun,
            int truePositives,
            List<String> missed, List<String> extra, List<String> flaggedAtThreshold, List<String> totalMismatches,
            LatencySummary latency, Map<String, Integer> malformedExpectedByReason,
            Map<String, Integer> malformedFoundByReason, List<String> malformedWrongReason, List<String> malformedMissing,
            int lateExpected, int lateFound, List<String> lateMissing, List<String> lateUnexpected,
            Map<String, Integer> otherDeadLetters, int deadLettersOutsideRun, List<RuleResult> rules,
            List<RuleResult> shadowRules, List<String> nearMissesFlagged) {
        this.expected = expected;
        this.received = received;
        this.duplicatesDropped = duplicatesDropped;
        this.revisionsSuperseded = revisionsSuperseded;
        this.outsideRun = outsideRun;
        this.truePositives = truePositives;
        // Nothing received means no false positive: precision 1.0 (recall then tells the story).
        this.precision = received == 0 ? 1.0 : (double) truePositives / received;
        this.recall = expected == 0 ? 1.0 : (double) truePositives / expected;
        this.missed = missed;
        this.extra = extra;
        this.flaggedAtThreshold = flaggedAtThreshold;
        this.totalMismatches = totalMismatches;
        this.latency = latency;
        this.malformedExpectedByReason = malformedExpectedByReason;
        this.malformedFoundByReason = malformedFoundByReason;
        this.malformedWrongReason = malformedWrongReason;
        this.malformedMissing = malformedMissing;
        this.lateExpected = lateExpected;
        this.lateFound = lateFound;
        this.lateMissing = lateMissing;
        this.lateUnexpected = lateUnexpected;
        this.otherDeadLetters = otherDeadLetters;
        this.deadLettersOutsideRun = deadLettersOutsideRun;
        this.rules = rules;
        this.shadowRules = shadowRules;
        this.nearMissesFlagged = nearMissesFlagged;
    }

    /**
     * The pass criterion of the evaluate command: precision = recall = 1.0 over the live alerts, which is every
     * ACTIVE rule (each id and version) at 1.0. Shadow rules are reported, never failed on.
     */
    public boolean passed() {
        if (precision != 1.0 || recall != 1.0) {
            return false;
        }
        for (RuleResult r : rules) {
            if (!r.passed()) {
                return false;
            }
        }
        return true;
    }

    /** Every expected malformed and late record was dead-lettered with the expected reason. */
    public boolean deadLettersComplete() {
        return malformedMissing.isEmpty() && malformedWrongReason.isEmpty() && lateMissing.isEmpty();
    }
}
