package com.example.fraud.tools.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.model.Alert;
import com.example.fraud.model.AlertCodec;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.DeadLetterCodec;
import com.example.fraud.model.InvalidRecordException;
import com.example.fraud.model.Money;
import com.example.fraud.model.RejectReason;
import com.example.fraud.model.Timestamps;
import com.example.fraud.model.Transaction;
import com.example.fraud.model.TransactionCodec;
import com.example.fraud.tools.FraudTools;
import com.example.fraud.tools.TestEmulator;
import com.example.fraud.tools.emulator.LocalKinesis;
import com.example.fraud.tools.emulator.StreamNames;
import com.example.fraud.tools.generator.GeneratorClock;
import com.example.fraud.tools.generator.GeneratorConfig;
import com.example.fraud.tools.generator.GroundTruth;
import com.example.fraud.tools.generator.GroundTruthFile;
import com.example.fraud.tools.generator.KinesisTarget;
import com.example.fraud.tools.generator.RuleSettings;
import com.example.fraud.tools.generator.ScenarioMix;
import com.example.fraud.tools.generator.TransactionGenerator;
import com.example.fraud.tools.kinesis.OutgoingRecord;
import com.example.fraud.tools.kinesis.RecordWriter;
import com.example.fraud.tools.kinesis.StreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * The generator writing to the emulator in-process, then the evaluate command against alert and dead-letter
 * streams filled by a stand-in "perfect detector" computed from the ground truth. Small, short windows keep
 * it to a few seconds.
 */
class GenerateEvaluateEmulatorTest {
    private static LocalKinesis kinesis;

    @BeforeAll
    static void start() throws Exception {
        kinesis = TestEmulator.start(GenerateEvaluateEmulatorTest.class, StreamNames.defaults());
    }

    @AfterAll
    static void stop() {
        if (kinesis != null) {
            kinesis.close();
        }
    }

    @Test
    void generatedRecordsLandOnTheStreamAndEvaluatePassesOnlyWhenEveryAlertArrived(@TempDir Path dir)
            throws Exception {
        RuleSettings rule = RuleSettings.defaults().withWindow(Duration.ofSeconds(2))
                .withMaxOutOfOrderness(Duration.ofMillis(500)).withAllowedLateness(Duration.ofSeconds(1));
        GeneratorConfig config = GeneratorConfig.builder().rule(rule).accounts(50).seed(11).rate(300).count(400)
                .tail(Duration.ofSeconds(1)).mix(ScenarioMix.defaults().withMalformed(0.005)).build();
        RecordWriter writer = new RecordWriter(kinesis.client(), StreamNames.INPUT);
        GroundTruth truth = new TransactionGenerator(config, new KinesisTarget(writer), GeneratorClock.system()).run();
        Path truthFile = dir.resolve("truth.json");
        GroundTruthFile.write(truth, truthFile);

        // What is on the input stream is exactly what the truth says was stored.
        List<Record> input = StreamReader.readAll(kinesis.client(), StreamNames.INPUT);
        assertThat((long) input.size()).isEqualTo(truth.totals.stored).isEqualTo(writer.sent());
        assertThat(truth.totals.failed).isZero();
        assertThat(truth.expectedAlerts).isNotEmpty();
        assertThat(truth.malformedRecords).hasSizeGreaterThanOrEqualTo(8);
        assertThat(truth.lateRecords).isNotEmpty();
        assertThat(flaggedIn(input, truth, rule)).containsExactlyInAnyOrderElementsOf(
                truth.expectedAlerts.stream().map(a -> a.alertId).collect(Collectors.toList()));

        // A perfect detector, minus one alert: evaluate must fail and name it.
        List<GroundTruth.ExpectedAlert> expected = truth.expectedAlerts;
        List<OutgoingRecord> alerts = new ArrayList<>();
        for (GroundTruth.ExpectedAlert e : expected.subList(0, expected.size() - 1)) {
            alerts.add(alertRecord(e, truth));
        }
        put(StreamNames.ALERTS, alerts);
        put(StreamNames.DEAD_LETTERS, deadLetters(truth));
        StringWriter firstOut = new StringWriter();
        assertThat(evaluate(truthFile, firstOut)).isEqualTo(1);
        assertThat(firstOut.toString()).contains("missed alerts (1):", expected.get(expected.size() - 1).alertId,
                "RESULT: FAIL");

        // The last alert arrives, plus a duplicate as after a restore: now it passes.
        put(StreamNames.ALERTS, List.of(alertRecord(expected.get(expected.size() - 1), truth),
                alertRecord(expected.get(0), truth)));
        StringWriter secondOut = new StringWriter();
        assertThat(evaluate(truthFile, secondOut)).isZero();
        assertThat(secondOut.toString()).contains("expected alerts     " + expected.size(),
                "duplicates dropped  1", "precision           1.0000", "recall              1.0000",
                "late records        expected " + truth.lateRecords.size() + ", found " + truth.lateRecords.size(),
                "OVERSIZED", "RESULT: PASS");
    }

    private static int evaluate(Path truthFile, StringWriter out) {
        CommandLine cli = FraudTools.commandLine();
        cli.setOut(new PrintWriter(out));
        return cli.execute("evaluate", "--endpoint", kinesis.endpoint().toString(), "--truth", truthFile.toString());
    }

    /** The rule applied to the input stream as read back, in stream order per shard. */
    private static Set<String> flaggedIn(List<Record> input, GroundTruth truth, RuleSettings rule) {
        Set<String> late = truth.lateRecords.stream().map(l -> l.txnId).collect(Collectors.toSet());
        java.util.Map<String, Long> sums = new java.util.HashMap<>();
        Set<String> flagged = new LinkedHashSet<>();
        for (Record r : input) {
            byte[] data = r.data().asByteArrayUnsafe();
            Transaction t;
            try {
                t = data.length > rule.recordMaxBytes() ? null : TransactionCodec.decode(data);
            } catch (InvalidRecordException e) {
                t = null;
            }
            if (t == null || late.contains(t.txnId)) {
                continue;
            }
            String id = Alert.alertId("sum-over-threshold", t.accountId, rule.windowStart(t.txnTimeMillis));
            if (sums.merge(id, t.amountCents, Long::sum) > rule.thresholdCents()) {
                flagged.add(id);
            }
        }
        return flagged;
    }

    private static OutgoingRecord alertRecord(GroundTruth.ExpectedAlert e, GroundTruth truth) {
        Alert a = new Alert();
        a.alertId = e.alertId;
        a.ruleId = "sum-over-threshold";
        a.ruleVersion = e.ruleVersion;
        a.accountId = e.accountId;
        a.windowStartMillis = e.windowStartMs;
        a.windowEndMillis = e.windowStartMs + truth.settings.windowMs;
        a.totalCents = Money.toCents(e.crossingSum);
        a.txnCount = e.txnCount;
        a.threshold = Money.toCents(truth.settings.threshold);
        a.txnIds = new String[] {e.crossingTxnId};
        a.detectedAtMillis = System.currentTimeMillis();
        a.trigger = Alert.Trigger.CROSSING;
        return new OutgoingRecord(a.accountId, AlertCodec.encode(a));
    }

    private static List<OutgoingRecord> deadLetters(GroundTruth truth) {
        List<OutgoingRecord> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (GroundTruth.MalformedRecord m : truth.malformedRecords) {
            out.add(new OutgoingRecord(m.id, DeadLetterCodec.encode(new DeadLetter(RejectReason.valueOf(m.expectedReason),
                    "stand-in", m.payload, m.payloadBytes, null, now))));
        }
        Set<String> seen = new HashSet<>();
        for (GroundTruth.LateRecord l : truth.lateRecords) {
            assertThat(seen.add(l.txnId)).isTrue();
            byte[] txn = TransactionCodec.encode(new Transaction(l.txnId, l.accountId, Money.toCents(l.amount),
                    Timestamps.parseMillis(l.txnTime)));
            out.add(new OutgoingRecord(l.accountId, DeadLetterCodec.encode(new DeadLetter(RejectReason.LATE, "stand-in",
                    new String(txn, StandardCharsets.UTF_8), txn.length, l.accountId, now))));
        }
        return out;
    }

    private static void put(String stream, List<OutgoingRecord> records) {
        RecordWriter w = new RecordWriter(kinesis.client(), stream);
        assertThat(w.write(records).failedCount()).isZero();
    }
}
