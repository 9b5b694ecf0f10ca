package com.example.fraud.tools.evaluate;

import java.util.ArrayList;
import java.util.List;

/**
 * One rule id and version on one alert stream: expected, received (distinct alert ids), missed and extra alerts,
 * precision, recall and time-to-flag. An alert matches an expected one of the same id and version; a received one
 * counts under the version the detector stamped on it, a missed one under the version of the ground truth.
 */
public final class RuleResult {
    public final String ruleId;
    public final long version;
    /** ACTIVE or SHADOW: which stream the row is about. */
    public final String mode;
    public int expected;
    public int received;
    public int matched;
    public final List<String> missed = new ArrayList<>();
    public final List<String> extra = new ArrayList<>();
    /** Time from the put of the deciding record to the alert's arrival on its stream, matched alerts only. */
    public final LatencySummary timeToFlag = new LatencySummary();

    RuleResult(String ruleId, long version, String mode) {
        this.ruleId = ruleId;
        this.version = version;
        this.mode = mode;
    }

    /** Nothing received: no false positive, so 1.0. */
    public double precision() {
        return received == 0 ? 1.0 : (double) matched / received;
    }

    /** Nothing expected: nothing to miss, so 1.0. */
    public double recall() {
        return expected == 0 ? 1.0 : (double) matched / expected;
    }

    public boolean passed() {
        return precision() == 1.0 && recall() == 1.0;
    }
}
