package com.example.fraud.tools.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.example.fraud.model.Alert;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.DeadLetterPayload;
import com.example.fraud.model.RejectReason;
import com.example.fraud.model.Transaction;
import com.example.fraud.model.TransactionCodec;
import com.example.fraud.tools.generator.GroundTruth;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    private static final long W = 60_000;
    private static final long T0 = 1_795_600_020_000L; // a window start
    private static final String RULE = "sum-over-threshold";

    @Test
    void countsMatchesMissesExtrasDuplicatesAndLatency() {
        GroundTruth truth = truth();
        List<ReceivedAlert> received = new ArrayList<>();
        received.add(alert("ACC-1", T0, 300_500, T0 + 10_500)); // crossing sent at T0 + 10_000: 500 ms
        received.add(alert("ACC-1", T0, 300_500, T0 + 10_900)); // duplicate after a restore
        received.add(alert("ACC-2", T0, 310_000, T0 + 21_500)); // 1500 ms
        received.add(alert("ACC-9", T0, 400_000, T0 + 30_000)); // not expected
        received.add(alert("ACC-EXACT", T0, 300_000, T0 + 40_000)); // flagged at exactly the threshold

        EvaluationResult r = Evaluation.evaluate(truth, received, List.of());

        assertThat(r.expected).isEqualTo(3);
        assertThat(r.received).isEqualTo(4);
        assertThat(r.duplicatesDropped).isEqualTo(1);
        assertThat(r.truePositives).isEqualTo(2);
        assertThat(r.precision).isCloseTo(0.5, within(1e-9));
        assertThat(r.recall).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(r.missed).containsExactly(id("ACC-3", T0));
        assertThat(r.extra).containsExactly(id("ACC-9", T0), id("ACC-EXACT", T0));
        assertThat(r.flaggedAtThreshold).containsExactly(id("ACC-EXACT", T0));
        assertThat(r.latency.count()).isEqualTo(2);
        assertThat(r.latency.p50()).isEqualTo(500);
        assertThat(r.latency.p99()).isEqualTo(1500);
        assertThat(r.latency.max()).isEqualTo(1500);
        assertThat(r.totalMismatches).isEmpty();
        assertThat(r.passed()).isFalse();
    }

    @Test
    void aPerfectRunPassesAndTheEarliestDuplicateSetsTheLatency() {
        GroundTruth truth = truth();
        List<ReceivedAlert> received = List.of(
                alert("ACC-3", T0, 305_000, T0 + 32_000),
                alert("ACC-1", T0, 300_500, T0 + 10_800),
                alert("ACC-1", T0, 300_500, T0 + 10_200),
                alert("ACC-2", T0, 312_000, T0 + 20_300)); // the window's final sum, as WINDOW_CLOSE reports

        EvaluationResult r = Evaluation.evaluate(truth, received, List.of());

        assertThat(r.passed()).isTrue();
        assertThat(r.precision).isEqualTo(1.0);
        assertThat(r.recall).isEqualTo(1.0);
        assertThat(r.duplicatesDropped).isEqualTo(1);
        assertThat(r.latency.max()).isEqualTo(2_000);
        assertThat(r.latency.p50()).isEqualTo(300);
    }

    /** A revision is not a duplicate: the highest revision's total is checked, flagged when revision 0 arrived. */
    @Test
    void aRevisedAlertCountsOnceWithItsLastTotalAndItsFirstArrival() {
        ReceivedAlert first = alert("ACC-2", T0, 311_000, T0 + 20_100); // short: a transaction was held back
        ReceivedAlert revised = alert("ACC-2", T0, 312_000, T0 + 45_000);
        revised.alert.revision = 1;
        List<ReceivedAlert> received = List.of(alert("ACC-1", T0, 300_500, T0 + 10_100), revised, first,
                alert("ACC-2", T0, 311_000, T0 + 20_400), // an at-least-once copy of revision 0
                alert("ACC-3", T0, 305_000, T0 + 30_100));

        EvaluationResult r = Evaluation.evaluate(truth(), received, List.of());

        assertThat(r.totalMismatches).isEmpty();
        assertThat(r.duplicatesDropped).isEqualTo(1);
        assertThat(r.revisionsSuperseded).isEqualTo(1);
        assertThat(r.latency.max()).isEqualTo(100);
        assertThat(r.passed()).isTrue();

        // without the revision, the short total is reported
        EvaluationResult shortOnly = Evaluation.evaluate(truth(), List.of(first), List.of());
        assertThat(shortOnly.totalMismatches).singleElement().asString().startsWith(id("ACC-2", T0));
    }

    /**
     * An alert the truth fired at the window's close must report the whole window: the total at the close alone
     * (a late transaction's revision missing) is a mismatch, where an EARLY alert may report its crossing.
     */
    @Test
    void aWindowCloseAlertMustReportTheWholeWindow() {
        GroundTruth truth = truth();
        truth.expectedAlerts.get(1).trigger = "WINDOW_CLOSE"; // ACC-2: 3100.00 at the close, 3120.00 in the end
        List<ReceivedAlert> atClose = List.of(alert("ACC-1", T0, 300_500, T0 + 10_100),
                alert("ACC-2", T0, 310_000, T0 + 20_100), alert("ACC-3", T0, 305_000, T0 + 30_100));

        assertThat(Evaluation.evaluate(truth, atClose, List.of()).totalMismatches).singleElement().asString()
                .startsWith(id("ACC-2", T0)).contains("3120.00");
        assertThat(Evaluation.evaluate(truth(), atClose, List.of()).totalMismatches).isEmpty(); // not at close
    }

    @Test
    void nothingExpectedAndNothingReceivedPasses() {
        GroundTruth truth = new GroundTruth();
        truth.settings.threshold = new BigDecimal("3000.00");
        EvaluationResult r = Evaluation.evaluate(truth, List.of(), List.of());
        assertThat(r.passed()).isTrue();
        assertThat(r.latency.count()).isZero();
    }

    @Test
    void nothingReceivedFailsOnRecall() {
        EvaluationResult r = Evaluation.evaluate(truth(), List.of(), List.of());
        assertThat(r.recall).isZero();
        assertThat(r.precision).isEqualTo(1.0);
        assertThat(r.missed).hasSize(3);
        assertThat(r.passed()).isFalse();
    }

    @Test
    void alertsOfOtherRunsWindowsAreLeftOutAndTotalsAreChecked() {
        GroundTruth truth = truth();
        truth.run.startedAtMs = T0 + 1_000;
        truth.run.endedAtMs = T0 + 50_000;
        List<ReceivedAlert> received = List.of(
                alert("ACC-1", T0, 300_500, T0 + 10_500),
                alert("ACC-2", T0, 999_999, T0 + 20_500), // wrong total
                alert("ACC-3", T0, 305_000, T0 + 30_500),
                alert("ACC-1", T0 - 10 * W, 350_000, T0 - 9 * W)); // an earlier run on the same stream

        EvaluationResult r = Evaluation.evaluate(truth, received, List.of());

        assertThat(r.outsideRun).isEqualTo(1);
        assertThat(r.passed()).isTrue();
        assertThat(r.totalMismatches).singleElement().asString().startsWith(id("ACC-2", T0));
    }

    @Test
    void deadLettersAreMatchedByMarkerReasonAndTxnId() {
        GroundTruth truth = truth();
        truth.malformedRecords.add(malformed("m-000001", "TRUNCATED_JSON", "MALFORMED_JSON"));
        truth.malformedRecords.add(malformed("m-000002", "STRING_AMOUNT", "INVALID_AMOUNT"));
        truth.malformedRecords.add(malformed("m-000003", "BAD_TXN_TIME", "INVALID_TXN_TIME"));
        truth.malformedRecords.add(malformed("m-000004", "NEGATIVE_AMOUNT", "INVALID_AMOUNT"));
        truth.lateRecords.add(late("t-000010"));
        truth.lateRecords.add(late("t-000011"));

        List<DeadLetter> dead = List.of(
                dl(RejectReason.MALFORMED_JSON, "{\"txn_id\":\"m-000001\",\"account_id\":\"ACC-1\",\"amount\":1"),
                dl(RejectReason.MALFORMED_JSON, "{\"txn_id\":\"m-000001\",\"account_id\":\"ACC-1\",\"amount\":1"),
                dl(RejectReason.MALFORMED_JSON, "{\"txn_id\":\"m-000002\",\"amount\":\"12.50\""),
                dl(RejectReason.INVALID_AMOUNT, "{\"txn_id\":\"m-000004\",\"amount\":-1.00}"),
                dl(RejectReason.LATE, txn("t-000010")),
                dl(RejectReason.LATE, txn("t-000099")),
                dl(RejectReason.MISSING_FIELD, "{\"foo\":1}"));

        EvaluationResult r = Evaluation.evaluate(truth, List.of(), dead);

        assertThat(r.malformedExpectedByReason).isEqualTo(Map.of("MALFORMED_JSON", 1, "INVALID_AMOUNT", 2,
                "INVALID_TXN_TIME", 1));
        assertThat(r.malformedFoundByReason).isEqualTo(Map.of("MALFORMED_JSON", 1, "INVALID_AMOUNT", 1,
                "INVALID_TXN_TIME", 0));
        assertThat(r.malformedWrongReason).containsExactly("m-000002 (STRING_AMOUNT): expected INVALID_AMOUNT, got MALFORMED_JSON");
        assertThat(r.malformedMissing).containsExactly("m-000003 (BAD_TXN_TIME, INVALID_TXN_TIME)");
        assertThat(r.lateExpected).isEqualTo(2);
        assertThat(r.lateFound).isEqualTo(1);
        assertThat(r.lateMissing).containsExactly("t-000011");
        assertThat(r.lateUnexpected).containsExactly("t-000099");
        assertThat(r.otherDeadLetters).isEqualTo(Map.of("MISSING_FIELD", 1));
        assertThat(r.deadLettersComplete()).isFalse();
    }

    @Test
    void deadLettersKeptAsBase64AreMatchedToo() {
        GroundTruth truth = truth();
        truth.malformedRecords.add(malformed("m-000005", "NOT_JSON", "MALFORMED_JSON"));
        // Control characters escape to 6 bytes each: the detector keeps such a record as base64.
        byte[] record = ("m-000005" + "\u0001".repeat(500)).getBytes(StandardCharsets.UTF_8);
        DeadLetter d = DeadLetterPayload.full().deadLetter(RejectReason.MALFORMED_JSON, "test", record, null,
                T0 + 60_000);
        assertThat(d.payloadEncoding).isEqualTo(DeadLetter.BASE64);

        EvaluationResult r = Evaluation.evaluate(truth, List.of(), List.of(d));

        assertThat(r.malformedFoundByReason).isEqualTo(Map.of("MALFORMED_JSON", 1));
        assertThat(r.malformedMissing).isEmpty();
        assertThat(r.otherDeadLetters).isEmpty();
    }

    private static GroundTruth truth() {
        GroundTruth t = new GroundTruth();
        t.settings.threshold = new BigDecimal("3000.00");
        t.settings.windowMs = W;
        t.settings.maxOutOfOrdernessMs = 5_000;
        t.expectedAlerts.add(expected("ACC-1", T0, "3005.00", "3005.00", T0 + 10_000));
        t.expectedAlerts.add(expected("ACC-2", T0, "3100.00", "3120.00", T0 + 20_000));
        t.expectedAlerts.add(expected("ACC-3", T0, "3050.00", "3050.00", T0 + 30_000));
        GroundTruth.UnflaggedWindow exact = new GroundTruth.UnflaggedWindow();
        exact.accountId = "ACC-EXACT";
        exact.windowStartMs = T0;
        exact.sum = new BigDecimal("3000.00");
        exact.scenario = "exact";
        t.unflaggedWindows.add(exact);
        return t;
    }

    private static GroundTruth.ExpectedAlert expected(String account, long start, String crossingSum, String sum,
            long sentAt) {
        GroundTruth.ExpectedAlert e = new GroundTruth.ExpectedAlert();
        e.alertId = id(account, start);
        e.accountId = account;
        e.windowStartMs = start;
        e.crossingSum = new BigDecimal(crossingSum);
        e.expectedSum = new BigDecimal(sum);
        e.crossingSentAtMs = sentAt;
        return e;
    }

    private static ReceivedAlert alert(String account, long start, long totalCents, long arrival) {
        Alert a = new Alert();
        a.alertId = id(account, start);
        a.ruleId = RULE;
        a.accountId = account;
        a.windowStartMillis = start;
        a.windowEndMillis = start + W;
        a.totalCents = totalCents;
        a.threshold = 300_000;
        a.txnIds = new String[0];
        return new ReceivedAlert(a, arrival);
    }

    private static String id(String account, long start) {
        return Alert.alertId(RULE, account, start);
    }

    private static GroundTruth.MalformedRecord malformed(String id, String kind, String reason) {
        GroundTruth.MalformedRecord m = new GroundTruth.MalformedRecord();
        m.id = id;
        m.kind = kind;
        m.expectedReason = reason;
        return m;
    }

    private static GroundTruth.LateRecord late(String txnId) {
        GroundTruth.LateRecord l = new GroundTruth.LateRecord();
        l.txnId = txnId;
        return l;
    }

    private static String txn(String id) {
        return new String(TransactionCodec.encode(new Transaction(id, "ACC-5", 1_000, T0 - 5 * W)), StandardCharsets.UTF_8);
    }

    private static DeadLetter dl(RejectReason reason, String payload) {
        return new DeadLetter(reason, "test", payload, payload.length(), null, T0 + 60_000);
    }
}
