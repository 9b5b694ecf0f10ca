package com.example.fraud.tools.generator;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a run sent and what the detector must make of it; written by {@code generate --truth FILE} and read
 * by {@code evaluate}. Computed from the records actually stored (failed ones are listed, never counted).
 * Field names are written in snake_case ({@link GroundTruthFile}); times as ISO-8601 plus epoch millis
 * where the evaluator computes with them; amounts as JSON decimals with two places.
 */
public class GroundTruth {
    public static final int FORMAT = 1;

    public int format = FORMAT;
    public Settings settings = new Settings();
    public Run run = new Run();
    public Totals totals = new Totals();
    /**
     * The rules the truth was computed from (canonical JSON, as RuleCodec writes it). Empty in files written before
     * rules were data: the default rule of {@link #settings}.
     */
    public List<RuleInfo> rules = new ArrayList<>();
    /** Every alert the configured rules raise on the stored records, as their shared logic decides. */
    public List<ExpectedAlert> expectedAlerts = new ArrayList<>();
    /** How many scenarios of each kind were completed, per rule. */
    public List<ScenarioCount> scenarios = new ArrayList<>();
    /** Scenario keys that must NOT be flagged by their rule: just under, exactly at, split, slow. */
    public List<NearMiss> nearMisses = new ArrayList<>();
    /** Default rule: scenario windows that must NOT be flagged: at exactly the threshold, or just under it. */
    public List<UnflaggedWindow> unflaggedWindows = new ArrayList<>();
    public List<LateRecord> lateRecords = new ArrayList<>();
    public List<MalformedRecord> malformedRecords = new ArrayList<>();
    /** Records given up on after the last attempt: not in the stream, not in any expectation above. */
    public List<FailedRecord> failedRecords = new ArrayList<>();

    /**
     * One truth for runs sent one after the other against one job, e.g. before and after a rule change: their rules
     * (each id, version and mode once), expected alerts, near misses and records together, the run from the first's
     * start to the last's end, totals added up, the settings of the first. The runs must share no key (see
     * {@link GeneratorConfig#idPrefix}) and no alert id, or what one counts would change what the other expects.
     */
    public static GroundTruth combine(List<GroundTruth> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("nothing to combine");
        }
        GroundTruth all = new GroundTruth();
        all.settings = runs.get(0).settings;
        all.run.target = runs.get(0).run.target;
        all.run.startedAt = runs.get(0).run.startedAt;
        all.run.startedAtMs = runs.get(0).run.startedAtMs;
        Set<String> rules = new HashSet<>();
        Set<String> alertIds = new HashSet<>();
        for (GroundTruth t : runs) {
            all.run.mainEndedAt = t.run.mainEndedAt;
            all.run.mainEndedAtMs = t.run.mainEndedAtMs;
            all.run.endedAt = t.run.endedAt;
            all.run.endedAtMs = t.run.endedAtMs;
            all.totals.records += t.totals.records;
            all.totals.stored += t.totals.stored;
            all.totals.failed += t.totals.failed;
            all.totals.retried += t.totals.retried;
            all.totals.valid += t.totals.valid;
            all.totals.delayed += t.totals.delayed;
            all.totals.tail += t.totals.tail;
            all.totals.late += t.totals.late;
            all.totals.malformed += t.totals.malformed;
            all.totals.overBursts += t.totals.overBursts;
            all.totals.exactWindows += t.totals.exactWindows;
            all.totals.underWindows += t.totals.underWindows;
            all.totals.expectedAlerts += t.totals.expectedAlerts;
            for (RuleInfo r : t.rules) {
                if (rules.add(r.ruleId + '\0' + r.version + '\0' + r.mode)) {
                    all.rules.add(r);
                }
            }
            for (ExpectedAlert e : t.expectedAlerts) {
                if (!alertIds.add(e.alertId)) {
                    throw new IllegalArgumentException("alert " + e.alertId + " is expected by two of the runs: "
                            + "they share a key");
                }
                all.expectedAlerts.add(e);
            }
            all.scenarios.addAll(t.scenarios);
            all.nearMisses.addAll(t.nearMisses);
            all.unflaggedWindows.addAll(t.unflaggedWindows);
            all.lateRecords.addAll(t.lateRecords);
            all.malformedRecords.addAll(t.malformedRecords);
            all.failedRecords.addAll(t.failedRecords);
        }
        return all;
    }

    /** The rule parameters and generator options used. */
    public static class Settings {
        public BigDecimal threshold;
        public long windowMs;
        public long maxOutOfOrdernessMs;
        public long allowedLatenessMs;
        public int recordMaxBytes;
        public String firing;
        public int accounts;
        public long seed;
        public double rate;
        public long durationMs;
        public long count;
        public long tailMs;
        public double tailRate;
        public double overFraction;
        public double underFraction;
        public double exactFraction;
        public double delayedFraction;
        public double lateFraction;
        public double malformedFraction;
    }

    public static class Run {
        public String target;
        public String startedAt;
        public long startedAtMs;
        public String mainEndedAt;
        public long mainEndedAtMs;
        public String endedAt;
        public long endedAtMs;
    }

    public static class Totals {
        /** Records handed to the target, every kind. */
        public long records;
        public long stored;
        public long failed;
        public long retried;
        /** Valid, non-late transactions stored (on time, delayed, scenario and tail): what the rule counts. */
        public long valid;
        public long delayed;
        public long tail;
        public long late;
        public long malformed;
        public long overBursts;
        public long exactWindows;
        public long underWindows;
        public long expectedAlerts;
    }

    /** One configured rule. */
    public static class RuleInfo {
        public String ruleId;
        public long version;
        public String type;
        public String mode;
        public String groupBy;
        /** The canonical rule document. */
        public String json;
    }

    public static class ExpectedAlert {
        /** As the rule logic builds it: {@code rule_id:key:anchor}. */
        public String alertId;
        /** Null in files written before rules were data: then the default rule, version 1, ACTIVE. */
        public String ruleId;
        public long ruleVersion;
        public String ruleType;
        /** ACTIVE or SHADOW: which alert stream it must reach. */
        public String mode;
        public String groupBy;
        public String groupKey;
        public String accountId;
        public String windowStart;
        public String windowEnd;
        public long windowStartMs;
        public long windowEndMs;
        /** CROSSING, WINDOW_CLOSE or LATE_TRANSACTION, as decided in the replay. */
        public String trigger;
        /** Default rule: sum of every counted transaction of the window; otherwise the alert's total. */
        public BigDecimal expectedSum;
        public int txnCount;
        /** The transaction that decided the alert (in the order stored), or the last counted one at window close. */
        public String crossingTxnId;
        /** The alert's total when it was decided. */
        public BigDecimal crossingSum;
        /** Wall clock when the PutRecords call that stored the deciding record returned: time-to-flag starts here. */
        public long crossingSentAtMs;
        /**
         * The scenario that meant it ("burst", "rapid", "card-testing", "travel", ...), or "background" (plain
         * traffic, or another rule's scenario, that happened to match).
         */
        public String scenario;
    }

    public static class ScenarioCount {
        public String ruleId;
        public String scenario;
        /** Whether the scenario is meant to raise an alert of its rule. */
        public boolean fires;
        public int count;
    }

    public static class NearMiss {
        public String ruleId;
        /** The rule's grouping value the scenario used; no other traffic carries it. */
        public String groupKey;
        public String scenario;
        public String firstTxnId;
        public String lastTxnId;
    }

    public static class UnflaggedWindow {
        public String accountId;
        public String windowStart;
        public long windowStartMs;
        public BigDecimal sum;
        public int txnCount;
        /** "exact" (sum = threshold) or "under". */
        public String scenario;
    }

    public static class LateRecord {
        public String txnId;
        public String accountId;
        public BigDecimal amount;
        public String txnTime;
        public String windowStart;
        public String windowEnd;
        public long sentAtMs;
    }

    public static class MalformedRecord {
        /** The txn_id marker inside the payload ("m-000001"). */
        public String id;
        public String kind;
        /** A RejectReason name. */
        public String expectedReason;
        /** The payload as sent; an oversized one is cut to its first 200 characters. */
        public String payload;
        public boolean payloadTruncated;
        public int payloadBytes;
        public long sentAtMs;
    }

    public static class FailedRecord {
        public String id;
        public String kind;
        public String error;
    }
}
