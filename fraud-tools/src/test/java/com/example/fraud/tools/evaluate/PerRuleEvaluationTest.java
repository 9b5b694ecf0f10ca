package com.example.fraud.tools.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.model.Alert;
import com.example.fraud.model.RuleMode;
import com.example.fraud.tools.generator.GroundTruth;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per rule id and version: counts, precision, recall, time-to-flag; shadow alerts apart; the pass criterion. */
class PerRuleEvaluationTest {
    private static final long T0 = 1_795_600_020_000L;

    @Test
    void eachRuleAndVersionIsScoredApartAndShadowNeverFails() {
        GroundTruth truth = truth();
        List<ReceivedAlert> live = new ArrayList<>();
        live.add(received("sum", 1, "sum:ACC-1:a", T0 + 1_200, RuleMode.ACTIVE)); // 200 ms after its put
        live.add(received("sum", 1, "sum:ACC-1:a", T0 + 1_900, RuleMode.ACTIVE)); // duplicate
        live.add(received("velocity", 1, "velocity:ACC-2:b", T0 + 2_500, RuleMode.ACTIVE));
        live.add(received("velocity", 2, "velocity:ACC-3:c", T0 + 3_000, RuleMode.ACTIVE)); // after a change
        List<ReceivedAlert> shadow = List.of(received("trial", 1, "trial:ACC-9:x", T0 + 4_000, RuleMode.SHADOW));

        EvaluationResult r = Evaluation.evaluate(truth, live, shadow, List.of());

        assertThat(r.rules).extracting(x -> x.ruleId + " v" + x.version + " " + x.expected + "/" + x.received + "/"
                + x.missed.size() + "/" + x.extra.size()).containsExactly(
                        "sum v1 1/1/0/0", "travel v1 1/0/1/0", "velocity v1 1/1/0/0", "velocity v2 0/1/0/1");
        RuleResult sum = r.rules.get(0);
        assertThat(sum.precision()).isEqualTo(1.0);
        assertThat(sum.recall()).isEqualTo(1.0);
        assertThat(sum.timeToFlag.p50()).isEqualTo(200);
        assertThat(r.rules.get(1).recall()).isZero();
        assertThat(r.rules.get(1).missed).containsExactly("travel:ACC-4:d");
        assertThat(r.rules.get(3).precision()).isZero();
        assertThat(r.shadowRules).extracting(x -> x.ruleId + " " + x.mode + " " + x.expected + "/" + x.received)
                .containsExactly("trial SHADOW 1/1");
        assertThat(r.expected).isEqualTo(3); // live only
        assertThat(r.received).isEqualTo(3);
        assertThat(r.passed()).isFalse();
        assertThat(r.nearMissesFlagged).containsExactly("velocity:ACC-3:c (just-under)");

        StringWriter text = new StringWriter();
        EvaluationReport.print(r, new PrintWriter(text));
        assertThat(text.toString()).contains("per rule, live alerts:", "per rule, shadow alerts",
                "velocity:ACC-3:c (just-under)", "RESULT: FAIL");
        Map<String, Object> json = EvaluationReport.toJson(r);
        assertThat(json.get("passed")).isEqualTo(false);
        assertThat((List<?>) json.get("rules")).hasSize(4);
        assertThat((List<?>) json.get("shadow_rules")).hasSize(1);
    }

    @Test
    void everyActiveRuleExactPassesWhateverTheShadowStreamHolds() {
        List<ReceivedAlert> live = List.of(received("sum", 1, "sum:ACC-1:a", T0 + 1_200, RuleMode.ACTIVE),
                received("velocity", 1, "velocity:ACC-2:b", T0 + 2_500, RuleMode.ACTIVE),
                received("travel", 1, "travel:ACC-4:d", T0 + 2_600, RuleMode.ACTIVE));
        List<ReceivedAlert> shadow = List.of(received("trial", 1, "trial:ACC-8:y", T0 + 4_000, RuleMode.SHADOW));

        EvaluationResult r = Evaluation.evaluate(truth(), live, shadow, List.of());

        assertThat(r.rules).allSatisfy(x -> assertThat(x.passed()).isTrue());
        assertThat(r.shadowRules.get(0).passed()).isFalse(); // missed x, extra y: reported
        assertThat(r.passed()).isTrue();
        StringWriter text = new StringWriter();
        EvaluationReport.print(r, new PrintWriter(text));
        assertThat(text.toString()).contains("RESULT: PASS (precision = recall = 1.0 for every active rule)");
    }

    @Test
    void aRuleChangedBetweenTwoRunsIsScoredPerVersionAndAnAlertOfTheWrongVersionIsAMissAndAnExtra() {
        GroundTruth before = new GroundTruth();
        before.settings.windowMs = 60_000;
        before.rules.add(rule("sum", "ACTIVE"));
        before.expectedAlerts.add(expected("sum", "sum:A-1:a", "ACTIVE"));
        GroundTruth after = new GroundTruth();
        after.rules.add(rule("sum", "ACTIVE"));
        after.rules.get(0).version = 2;
        after.expectedAlerts.add(expected("sum", "sum:B-1:b", "ACTIVE"));
        after.expectedAlerts.get(0).ruleVersion = 2;
        GroundTruth both = GroundTruth.combine(List.of(before, after));
        assertThat(both.rules).extracting(x -> x.ruleId + " v" + x.version).containsExactly("sum v1", "sum v2");

        EvaluationResult right = Evaluation.evaluate(both, List.of(
                received("sum", 1, "sum:A-1:a", T0 + 1_200, RuleMode.ACTIVE),
                received("sum", 2, "sum:B-1:b", T0 + 1_300, RuleMode.ACTIVE)), List.of(), List.of());
        assertThat(right.rules).extracting(x -> x.ruleId + " v" + x.version + " " + x.expected + "/" + x.received
                + "/" + x.matched).containsExactly("sum v1 1/1/1", "sum v2 1/1/1");
        assertThat(right.passed()).isTrue();

        // The old version still deciding after the change: right by alert id, wrong per version.
        EvaluationResult stale = Evaluation.evaluate(both, List.of(
                received("sum", 1, "sum:A-1:a", T0 + 1_200, RuleMode.ACTIVE),
                received("sum", 1, "sum:B-1:b", T0 + 1_300, RuleMode.ACTIVE)), List.of(), List.of());
        assertThat(stale.recall).isEqualTo(1.0);
        assertThat(stale.rules).extracting(x -> x.ruleId + " v" + x.version + " " + x.expected + "/" + x.received
                + "/" + x.missed + "/" + x.extra).containsExactly("sum v1 1/2/[]/[sum:B-1:b]",
                        "sum v2 1/0/[sum:B-1:b]/[]");
        assertThat(stale.passed()).isFalse();
    }

    @Test
    void runsThatExpectTheSameAlertCannotBeCombined() {
        GroundTruth a = new GroundTruth();
        a.expectedAlerts.add(expected("sum", "sum:ACC-1:a", "ACTIVE"));
        GroundTruth b = new GroundTruth();
        b.expectedAlerts.add(expected("sum", "sum:ACC-1:a", "ACTIVE"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GroundTruth.combine(List.of(a, b)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sum:ACC-1:a");
    }

    private static GroundTruth truth() {
        GroundTruth t = new GroundTruth();
        t.settings.windowMs = 60_000;
        t.rules.add(rule("sum", "ACTIVE"));
        t.rules.add(rule("velocity", "ACTIVE"));
        t.rules.add(rule("travel", "ACTIVE"));
        t.rules.add(rule("trial", "SHADOW"));
        t.expectedAlerts.add(expected("sum", "sum:ACC-1:a", "ACTIVE"));
        t.expectedAlerts.add(expected("velocity", "velocity:ACC-2:b", "ACTIVE"));
        t.expectedAlerts.add(expected("travel", "travel:ACC-4:d", "ACTIVE"));
        t.expectedAlerts.add(expected("trial", "trial:ACC-9:x", "SHADOW"));
        GroundTruth.NearMiss m = new GroundTruth.NearMiss();
        m.ruleId = "velocity";
        m.groupKey = "ACC-3";
        m.scenario = "just-under";
        t.nearMisses.add(m);
        return t;
    }

    private static GroundTruth.RuleInfo rule(String id, String mode) {
        GroundTruth.RuleInfo r = new GroundTruth.RuleInfo();
        r.ruleId = id;
        r.version = 1;
        r.mode = mode;
        return r;
    }

    private static GroundTruth.ExpectedAlert expected(String rule, String alertId, String mode) {
        GroundTruth.ExpectedAlert e = new GroundTruth.ExpectedAlert();
        e.alertId = alertId;
        e.ruleId = rule;
        e.ruleVersion = 1;
        e.mode = mode;
        e.crossingSentAtMs = T0 + 1_000;
        return e;
    }

    private static ReceivedAlert received(String rule, long version, String alertId, long arrival, RuleMode mode) {
        Alert a = new Alert();
        a.alertId = alertId;
        a.ruleId = rule;
        a.ruleVersion = version;
        a.mode = mode;
        a.groupKey = alertId.split(":")[1];
        a.windowStartMillis = T0;
        a.windowEndMillis = T0 + 1;
        a.txnIds = new String[0];
        return new ReceivedAlert(a, arrival);
    }
}
