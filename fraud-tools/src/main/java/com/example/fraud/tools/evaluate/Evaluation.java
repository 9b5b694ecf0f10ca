package com.example.fraud.tools.evaluate;

import com.example.fraud.model.Alert;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.InvalidRecordException;
import com.example.fraud.model.Money;
import com.example.fraud.model.RejectReason;
import com.example.fraud.model.Transaction;
import com.example.fraud.model.TransactionCodec;
import com.example.fraud.tools.generator.GroundTruth;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares what the detector produced with the ground truth: alerts deduplicated by alert_id (the sink is
 * at-least-once), precision and recall, misses and extras by name, detection latency, and the dead letters
 * (malformed by reason, late by txn id). Plain code: no I/O, callable from tests and other tools.
 */
public final class Evaluation {
    /** Malformed payloads carry their id as a txn_id-like marker, even when the JSON around it is broken. */
    private static final Pattern MARKER = Pattern.compile("(m-\\d{6,})");

    private Evaluation() {}

    public static EvaluationResult evaluate(GroundTruth truth, List<ReceivedAlert> alerts, List<DeadLetter> deadLetters) {
        return evaluate(truth, alerts, List.of(), deadLetters);
    }

    /**
     * As {@link #evaluate(GroundTruth, List, List)}, with the alerts of the shadow-alert stream: checked against the
     * expected alerts of SHADOW rules, apart from the live ones (which the overall figures are about).
     */
    public static EvaluationResult evaluate(GroundTruth truth, List<ReceivedAlert> alerts,
            List<ReceivedAlert> shadowAlerts, List<DeadLetter> deadLetters) {
        Map<String, GroundTruth.ExpectedAlert> expected = new LinkedHashMap<>();
        Map<String, GroundTruth.ExpectedAlert> expectedShadow = new LinkedHashMap<>();
        for (GroundTruth.ExpectedAlert e : truth.expectedAlerts) {
            (SHADOW.equals(e.mode) ? expectedShadow : expected).put(e.alertId, e);
        }
        Set<String> atThreshold = new HashSet<>();
        long thresholdCents = truth.settings.threshold == null ? Long.MIN_VALUE : Money.toCents(truth.settings.threshold);
        for (GroundTruth.UnflaggedWindow u : truth.unflaggedWindows) {
            if (u.sum != null && Money.toCents(u.sum) == thresholdCents) {
                atThreshold.add(Alert.alertId(com.example.fraud.rules.DefaultRules.SUM_OVER_THRESHOLD, u.accountId, u.windowStartMs));
            }
        }

        int[] dropped = new int[3]; // duplicates, outside the run, superseded revisions
        Map<String, ReceivedAlert> unique = unique(truth, alerts, dropped);
        int duplicates = dropped[0];
        int outside = dropped[1];
        Map<String, ReceivedAlert> uniqueShadow = unique(truth, shadowAlerts, new int[3]);

        LatencySummary latency = new LatencySummary();
        List<String> extra = new ArrayList<>();
        List<String> flaggedAtThreshold = new ArrayList<>();
        List<String> totalMismatches = new ArrayList<>();
        int truePositives = 0;
        for (ReceivedAlert r : unique.values()) {
            GroundTruth.ExpectedAlert e = expected.get(r.alert.alertId);
            if (e == null) {
                extra.add(r.alert.alertId);
                if (atThreshold.contains(r.alert.alertId)) {
                    flaggedAtThreshold.add(r.alert.alertId);
                }
                continue;
            }
            truePositives++;
            latency.record(r.arrivalMillis - e.crossingSentAtMs);
            long total = r.alert.totalCents;
            if (r.alert.first == null && "WINDOW_CLOSE".equals(e.trigger)) {
                // fired at the close: it reports the whole window, late transactions included (by revisions)
                if (!sameCents(total, e.expectedSum)) {
                    totalMismatches.add(r.alert.alertId + ": total " + Money.format(total) + ", expected "
                            + e.expectedSum + " for the window (revision " + r.alert.revision + ")");
                }
            } else if (r.alert.first == null && !sameCents(total, e.crossingSum)
                    && !sameCents(total, e.expectedSum)) {
                totalMismatches.add(r.alert.alertId + ": total " + Money.format(total) + ", expected "
                        + e.crossingSum + " at the crossing or " + e.expectedSum + " for the window");
            }
        }
        List<String> missed = new ArrayList<>();
        for (String id : expected.keySet()) {
            if (!unique.containsKey(id)) {
                missed.add(id);
            }
        }

        DeadLetterCheck dl = checkDeadLetters(truth, deadLetters);
        Collections.sort(missed);
        Collections.sort(extra);
        Collections.sort(flaggedAtThreshold);
        List<RuleResult> rules = perRule(truth, expected, unique, ACTIVE);
        List<RuleResult> shadowRules = perRule(truth, expectedShadow, uniqueShadow, SHADOW);
        List<String> nearMissesFlagged = nearMissesFlagged(truth, unique, uniqueShadow);
        return new EvaluationResult(expected.size(), unique.size(), duplicates, dropped[2], outside, truePositives,
                missed, extra,
                flaggedAtThreshold, totalMismatches, latency, dl.expectedByReason, dl.foundByReason, dl.wrongReason,
                dl.malformedMissing, truth.lateRecords.size(), dl.lateFound, dl.lateMissing, dl.lateUnexpected,
                dl.other, dl.outsideRun, rules, shadowRules, nearMissesFlagged);
    }

    private static final String ACTIVE = "ACTIVE";
    private static final String SHADOW = "SHADOW";

    /**
     * One alert per alert_id: its highest revision (the window's final total), flagged when its first revision
     * arrived. A second copy of the same revision is a duplicate; leaves out windows that are not this run's.
     */
    private static Map<String, ReceivedAlert> unique(GroundTruth truth, List<ReceivedAlert> alerts, int[] dropped) {
        Map<String, ReceivedAlert> unique = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (ReceivedAlert r : alerts) {
            if (!inRun(truth, r.alert)) {
                dropped[1]++;
                continue;
            }
            boolean duplicate = !seen.add(r.alert.alertId + '#' + r.alert.revision);
            ReceivedAlert kept = unique.get(r.alert.alertId);
            if (duplicate) {
                dropped[0]++;
            } else if (kept != null) {
                dropped[2]++;
            }
            if (kept == null) {
                unique.put(r.alert.alertId, r);
            } else {
                Alert latest = r.alert.revision > kept.alert.revision ? r.alert : kept.alert;
                unique.put(r.alert.alertId, new ReceivedAlert(latest, Math.min(r.arrivalMillis, kept.arrivalMillis)));
            }
        }
        return unique;
    }

    /**
     * One row per rule id and version: every evaluated rule of the truth in this mode (even with nothing expected),
     * and every other id or version seen on the stream. Matched by alert_id and version: an alert stamped with another
     * version than the truth's is an extra of its version and a miss of the truth's (after a rule change, an alert of
     * the version that should no longer decide, or not yet).
     */
    private static List<RuleResult> perRule(GroundTruth truth, Map<String, GroundTruth.ExpectedAlert> expected,
            Map<String, ReceivedAlert> received, String mode) {
        Map<String, RuleResult> rows = new TreeMap<>();
        for (GroundTruth.RuleInfo r : truth.rules) {
            if (mode.equals(r.mode)) {
                row(rows, r.ruleId, r.version, mode);
            }
        }
        for (ReceivedAlert r : received.values()) {
            RuleResult row = row(rows, r.alert.ruleId, r.alert.ruleVersion, mode);
            row.received++;
            GroundTruth.ExpectedAlert e = expected.get(r.alert.alertId);
            if (e == null || !sameVersion(e, r.alert)) {
                row.extra.add(r.alert.alertId);
            } else {
                row.expected++;
                row.matched++;
                row.timeToFlag.record(r.arrivalMillis - e.crossingSentAtMs);
            }
        }
        for (GroundTruth.ExpectedAlert e : expected.values()) {
            ReceivedAlert r = received.get(e.alertId);
            if (r == null || !sameVersion(e, r.alert)) {
                RuleResult row = row(rows, ruleIdOf(e), versionOf(e), mode);
                row.expected++;
                row.missed.add(e.alertId);
            }
        }
        for (RuleResult r : rows.values()) {
            Collections.sort(r.missed);
            Collections.sort(r.extra);
        }
        return new ArrayList<>(rows.values());
    }

    private static RuleResult row(Map<String, RuleResult> rows, String ruleId, long version, String mode) {
        String id = ruleId == null ? "?" : ruleId;
        return rows.computeIfAbsent(id + "\0" + String.format("%019d", version),
                k -> new RuleResult(id, version, mode));
    }

    /** Truth files from before rules were data hold only the default rule's alerts, version 1. */
    private static long versionOf(GroundTruth.ExpectedAlert e) {
        return e.ruleId == null ? 1 : e.ruleVersion;
    }

    /** Whether the alert is of the version the truth expects; such old truths name none, so any will do. */
    private static boolean sameVersion(GroundTruth.ExpectedAlert e, Alert a) {
        return e.ruleId == null || e.ruleVersion == a.ruleVersion;
    }

    /** Truth files from before rules were data hold only the default rule's alerts. */
    private static String ruleIdOf(GroundTruth.ExpectedAlert e) {
        return e.ruleId != null ? e.ruleId : com.example.fraud.rules.DefaultRules.SUM_OVER_THRESHOLD;
    }

    /** Received alerts, live or shadow, of a rule on a key the truth lists as that rule's near miss. */
    private static List<String> nearMissesFlagged(GroundTruth truth, Map<String, ReceivedAlert> live,
            Map<String, ReceivedAlert> shadow) {
        Map<String, String> nearMiss = new HashMap<>();
        for (GroundTruth.NearMiss m : truth.nearMisses) {
            nearMiss.put(m.ruleId + "\0" + m.groupKey, m.scenario);
        }
        List<String> out = new ArrayList<>();
        for (Map<String, ReceivedAlert> stream : List.of(live, shadow)) {
            for (ReceivedAlert r : stream.values()) {
                String scenario = nearMiss.get(r.alert.ruleId + "\0" + r.alert.groupKey);
                if (scenario != null) {
                    out.add(r.alert.alertId + " (" + scenario + ")");
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    /** Windows this run's records can fall into: from (start - bound) to the end of the run. */
    /**
     * Whether the alert's interval can hold this run's records: it ends after (start - bound) and starts before the
     * end. For the default rule's tumbling windows, the windows from the one holding (start - bound) to the one
     * holding the end.
     */
    private static boolean inRun(GroundTruth truth, Alert a) {
        if (truth.run == null || truth.run.startedAtMs == 0 || truth.settings.windowMs <= 0) {
            return true;
        }
        long end = a.windowEndMillis > a.windowStartMillis ? a.windowEndMillis
                : a.windowStartMillis + truth.settings.windowMs;
        return end > truth.run.startedAtMs - truth.settings.maxOutOfOrdernessMs
                && a.windowStartMillis <= Math.max(truth.run.endedAtMs, truth.run.startedAtMs);
    }

    private static boolean sameCents(long cents, java.math.BigDecimal amount) {
        return amount != null && Money.toCents(amount) == cents;
    }

    private static DeadLetterCheck checkDeadLetters(GroundTruth truth, List<DeadLetter> deadLetters) {
        DeadLetterCheck c = new DeadLetterCheck();
        Map<String, GroundTruth.MalformedRecord> malformed = new HashMap<>();
        for (GroundTruth.MalformedRecord m : truth.malformedRecords) {
            malformed.put(m.id, m);
            c.expectedByReason.merge(m.expectedReason, 1, Integer::sum);
            c.foundByReason.putIfAbsent(m.expectedReason, 0);
        }
        Set<String> lateIds = new HashSet<>();
        for (GroundTruth.LateRecord l : truth.lateRecords) {
            lateIds.add(l.txnId);
        }
        Set<String> malformedSeen = new HashSet<>();
        Set<String> lateSeen = new HashSet<>();
        long runStart = truth.run == null ? 0 : truth.run.startedAtMs;
        for (DeadLetter d : deadLetters) {
            if (d.rejectedAtMillis != 0 && d.rejectedAtMillis < runStart) {
                c.outsideRun++; // rejected before this run began: an earlier run on the same stream
                continue;
            }
            if (RejectReason.LATE.name().equals(d.reason)) {
                String txnId = txnIdOf(d);
                if (txnId != null && lateIds.contains(txnId)) {
                    lateSeen.add(txnId);
                } else if (txnId != null && txnId.startsWith("t-") && !lateIds.contains(txnId)) {
                    c.lateUnexpected.add(txnId);
                } else {
                    c.other.merge(d.reason, 1, Integer::sum);
                }
                continue;
            }
            String id = markerOf(d);
            GroundTruth.MalformedRecord m = id == null ? null : malformed.get(id);
            if (m == null) {
                c.other.merge(d.reason, 1, Integer::sum);
            } else if (!malformedSeen.add(id)) {
                continue; // a duplicate dead letter (at-least-once sink)
            } else if (m.expectedReason.equals(d.reason)) {
                c.foundByReason.merge(d.reason, 1, Integer::sum);
            } else {
                c.wrongReason.add(id + " (" + m.kind + "): expected " + m.expectedReason + ", got " + d.reason);
            }
        }
        for (GroundTruth.MalformedRecord m : truth.malformedRecords) {
            if (!malformedSeen.contains(m.id)) {
                c.malformedMissing.add(m.id + " (" + m.kind + ", " + m.expectedReason + ")");
            }
        }
        for (GroundTruth.LateRecord l : truth.lateRecords) {
            if (!lateSeen.contains(l.txnId)) {
                c.lateMissing.add(l.txnId);
            }
        }
        c.lateFound = lateSeen.size();
        Collections.sort(c.wrongReason);
        Collections.sort(c.malformedMissing);
        Collections.sort(c.lateMissing);
        Collections.sort(c.lateUnexpected);
        return c;
    }

    private static String txnIdOf(DeadLetter d) {
        if (d.payload == null) {
            return null;
        }
        try {
            Transaction t = TransactionCodec.decode(d.payloadBytes());
            return t.txnId;
        } catch (InvalidRecordException e) {
            return null;
        }
    }

    /** The generator's marker in a dead letter's record, whether kept as text or as base64. */
    private static String markerOf(DeadLetter d) {
        if (d.payload == null) {
            return null;
        }
        Matcher m = MARKER.matcher(DeadLetter.BASE64.equals(d.payloadEncoding)
                ? new String(d.payloadBytes(), StandardCharsets.ISO_8859_1) : d.payload);
        return m.find() ? m.group(1) : null;
    }

    private static final class DeadLetterCheck {
        final Map<String, Integer> expectedByReason = new TreeMap<>();
        final Map<String, Integer> foundByReason = new TreeMap<>();
        final List<String> wrongReason = new ArrayList<>();
        final List<String> malformedMissing = new ArrayList<>();
        final List<String> lateMissing = new ArrayList<>();
        final List<String> lateUnexpected = new ArrayList<>();
        final Map<String, Integer> other = new TreeMap<>();
        int lateFound;
        int outsideRun;
    }
}
