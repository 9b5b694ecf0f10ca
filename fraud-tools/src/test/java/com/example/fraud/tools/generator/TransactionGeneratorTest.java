package com.example.fraud.tools.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fraud.model.Alert;
import com.example.fraud.model.InvalidRecordException;
import com.example.fraud.model.Money;
import com.example.fraud.model.RejectReason;
import com.example.fraud.model.Transaction;
import com.example.fraud.model.TransactionCodec;
import com.example.fraud.tools.kinesis.OutgoingRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's scenario math on a simulated clock (instant, reproducible) with the detector's default
 * rule: 3 minutes at 100 records/s plus the tail, replayed independently here from the records themselves.
 */
class TransactionGeneratorTest {
    private static final long START = 1_795_600_000_123L; // not window-aligned on purpose
    private static final RuleSettings RULE = RuleSettings.defaults();

    private static GroundTruth truth;
    private static MemoryTarget target;

    @BeforeAll
    static void generate() throws Exception {
        GeneratorClock clock = GeneratorClock.simulated(START);
        target = new MemoryTarget(clock::millis);
        truth = new TransactionGenerator(config(42).build(), target, clock).run();
    }

    private static GeneratorConfig.Builder config(long seed) {
        return GeneratorConfig.builder()
                .seed(seed)
                .duration(Duration.ofMinutes(3))
                .mix(ScenarioMix.defaults().withMalformed(0.001));
    }

    @Test
    void groundTruthMatchesAnIndependentReplayOfTheRecordsAsStored() throws Exception {
        Set<String> lateIds = truth.lateRecords.stream().map(l -> l.txnId).collect(Collectors.toSet());
        Map<String, long[]> sums = new HashMap<>(); // alertId -> {sum, count}
        Map<String, String[]> crossing = new LinkedHashMap<>(); // alertId -> {txnId, ackMillis}
        int valid = 0;
        for (int i = 0; i < target.records().size(); i++) {
            Transaction t = decodeValid(target.records().get(i));
            if (t == null || lateIds.contains(t.txnId)) {
                continue;
            }
            valid++;
            String id = Alert.alertId("sum-over-threshold", t.accountId, RULE.windowStart(t.txnTimeMillis));
            long[] s = sums.computeIfAbsent(id, k -> new long[2]);
            s[0] += t.amountCents;
            s[1]++;
            if (s[0] > RULE.thresholdCents() && !crossing.containsKey(id)) {
                crossing.put(id, new String[] {t.txnId, Long.toString(target.ackMillis(i))});
            }
        }

        assertThat(truth.totals.valid).isEqualTo(valid);
        assertThat(truth.expectedAlerts).extracting(a -> a.alertId).containsExactlyElementsOf(crossing.keySet());
        for (GroundTruth.ExpectedAlert a : truth.expectedAlerts) {
            long[] s = sums.get(a.alertId);
            assertThat(Money.toCents(a.expectedSum)).as(a.alertId).isEqualTo(s[0]).isGreaterThan(RULE.thresholdCents());
            assertThat(a.txnCount).isEqualTo((int) s[1]);
            assertThat(a.crossingTxnId).isEqualTo(crossing.get(a.alertId)[0]);
            assertThat(a.crossingSentAtMs).isEqualTo(Long.parseLong(crossing.get(a.alertId)[1]));
            assertThat(Money.toCents(a.crossingSum)).isGreaterThan(RULE.thresholdCents());
            assertThat(a.windowStartMs % RULE.windowMillis()).isZero();
        }
        // Only sums strictly over the threshold are flagged: every other window stays out.
        long notFlaggedButOver = sums.entrySet().stream()
                .filter(e -> e.getValue()[0] > RULE.thresholdCents() && !crossing.containsKey(e.getKey())).count();
        assertThat(notFlaggedButOver).isZero();
    }

    @Test
    void burstsAreFlaggedAndAtLeastOneAccountLandsExactlyAtTheThresholdUnflagged() {
        assertThat(truth.totals.overBursts).isGreaterThanOrEqualTo(3 * 5); // ~6 per window for 3 windows
        assertThat(truth.expectedAlerts).filteredOn(a -> a.scenario.equals("burst")).isNotEmpty();
        Set<String> flagged = truth.expectedAlerts.stream().map(a -> a.alertId).collect(Collectors.toSet());

        List<GroundTruth.UnflaggedWindow> exact = truth.unflaggedWindows.stream()
                .filter(u -> u.scenario.equals("exact")).collect(Collectors.toList());
        assertThat(exact).isNotEmpty();
        for (GroundTruth.UnflaggedWindow u : exact) {
            assertThat(u.sum).isEqualByComparingTo("3000.00");
            assertThat(flagged).doesNotContain(Alert.alertId("sum-over-threshold", u.accountId, u.windowStartMs));
        }
        List<GroundTruth.UnflaggedWindow> under = truth.unflaggedWindows.stream()
                .filter(u -> u.scenario.equals("under")).collect(Collectors.toList());
        assertThat(under).isNotEmpty();
        assertThat(under).extracting(u -> u.sum.toPlainString()).contains("2999.99");
        assertThat(under).allSatisfy(u -> assertThat(Money.toCents(u.sum)).isLessThan(RULE.thresholdCents()));
        assertThat(truth.totals.exactWindows).isEqualTo(exact.size());
        assertThat(truth.totals.underWindows).isEqualTo(under.size());
    }

    @Test
    void lateRecordsAreOldEnoughAndSmallAndDelayedOnesStayWithinTheBound() {
        assertThat(truth.lateRecords).isNotEmpty();
        Set<String> lateIds = new HashSet<>();
        for (GroundTruth.LateRecord l : truth.lateRecords) {
            lateIds.add(l.txnId);
            long windowEnd = RULE.windowEnd(com.example.fraud.model.Timestamps.parseMillis(l.txnTime));
            long limit = RULE.maxOutOfOrdernessMillis() + RULE.allowedLatenessMillis() + 10_000;
            assertThat(l.sentAtMs - windowEnd).as(l.txnId).isGreaterThan(limit);
            assertThat(Money.toCents(l.amount)).isBetween(1L, RULE.thresholdCents() / 4);
            // sent only once the run is bound + 5 s old, so that every shard's watermark has moved
            assertThat(l.sentAtMs - truth.run.startedAtMs).isGreaterThanOrEqualTo(RULE.maxOutOfOrdernessMillis() + 5_000);
        }
        int delayed = 0;
        for (int i = 0; i < target.records().size(); i++) {
            Transaction t = decodeValid(target.records().get(i));
            if (t == null || lateIds.contains(t.txnId)) {
                continue;
            }
            long lag = target.ackMillis(i) - t.txnTimeMillis; // the simulated clock stands still while sending
            if (lag != 0) {
                delayed++;
                assertThat(lag).as(t.txnId).isBetween(RULE.maxOutOfOrdernessMillis() / 5, RULE.maxOutOfOrdernessMillis() * 4 / 5);
            }
        }
        assertThat(delayed).isEqualTo(truth.totals.delayed).isGreaterThan(100);
    }

    @Test
    void everyMalformedKindIsSentAndTheModelRejectsItWithTheExpectedReason() {
        Map<String, OutgoingRecord> byMarker = new HashMap<>();
        for (OutgoingRecord r : target.records()) {
            String s = new String(r.data(), 0, Math.min(40, r.data().length), java.nio.charset.StandardCharsets.UTF_8);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(m-\\d{6})").matcher(s);
            if (m.find()) {
                byMarker.put(m.group(1), r);
            }
        }
        Set<MalformedKind> kinds = EnumSet.noneOf(MalformedKind.class);
        for (GroundTruth.MalformedRecord m : truth.malformedRecords) {
            kinds.add(MalformedKind.valueOf(m.kind));
            byte[] payload = byMarker.get(m.id).data();
            assertThat(payload.length).isEqualTo(m.payloadBytes);
            assertThat(rejectReason(payload)).as(m.id + " " + m.kind).isEqualTo(RejectReason.valueOf(m.expectedReason));
        }
        assertThat(kinds).containsExactlyInAnyOrder(MalformedKind.values());
        assertThat(truth.malformedRecords).filteredOn(m -> m.kind.equals("OVERSIZED"))
                .allSatisfy(m -> assertThat(m.payloadTruncated).isTrue());
    }

    @Test
    void theTailClosesEveryFlaggedWindowAndNeverCrossesItself() {
        assertThat(truth.run.endedAtMs - truth.run.mainEndedAtMs)
                .isGreaterThanOrEqualTo(RULE.windowMillis() + RULE.maxOutOfOrdernessMillis());
        long lastWindowEnd = truth.expectedAlerts.stream().mapToLong(a -> a.windowStartMs + RULE.windowMillis()).max()
                .orElseThrow();
        assertThat(truth.run.endedAtMs - RULE.maxOutOfOrdernessMillis()).isGreaterThan(lastWindowEnd);
        assertThat(truth.expectedAlerts).allSatisfy(a -> assertThat(a.crossingSentAtMs).isLessThan(truth.run.mainEndedAtMs));
        assertThat(truth.totals.tail).isGreaterThan(0);
        assertThat(truth.totals.stored).isEqualTo(target.records().size());
        assertThat(truth.totals.failed).isZero();
    }

    @Test
    void theSameSeedGivesTheSameRecordsAndAnotherSeedDoesNot() throws Exception {
        GeneratorConfig small = config(7).duration(Duration.ofSeconds(20)).tail(Duration.ofSeconds(2)).build();
        List<String> a = payloads(small, START);
        List<String> b = payloads(small, START);
        List<String> c = payloads(config(8).duration(Duration.ofSeconds(20)).tail(Duration.ofSeconds(2)).build(), START);
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(a).hasSizeGreaterThan(2_000);
    }

    @Test
    void countBoundsTheMainPhaseExactly() throws Exception {
        GeneratorClock clock = GeneratorClock.simulated(START);
        MemoryTarget t = new MemoryTarget(clock::millis);
        GroundTruth g = new TransactionGenerator(GeneratorConfig.builder().count(500).rate(200)
                .mix(ScenarioMix.defaults().withMalformed(0.01)).tail(Duration.ofSeconds(1)).build(), t, clock).run();
        long main = 0;
        for (int i = 0; i < t.records().size(); i++) {
            main += t.ackMillis(i) < g.run.mainEndedAtMs ? 1 : 0;
        }
        assertThat(main).isEqualTo(500);
        assertThat(g.totals.malformed).isGreaterThanOrEqualTo(MalformedKind.values().length);
        assertThat(g.totals.late).isGreaterThanOrEqualTo(1); // forced at the end: the run was shorter than bound + 5 s
        assertThat(g.unflaggedWindows).extracting(u -> u.scenario).contains("exact", "under");
    }

    @Test
    void theTruthReplayedOnItsOwnThreadIsTheOneReplayedInLine() throws Exception {
        GeneratorConfig c = config(43).duration(Duration.ofSeconds(90)).build();
        String threaded = GroundTruthFile.toJson(generate(c, true));
        GroundTruth inLine = generate(c, false);
        assertThat(threaded).isEqualTo(GroundTruthFile.toJson(inLine));
        // The scenario labels reach the replay in order with the records: the truth carries them.
        assertThat(inLine.expectedAlerts).extracting(a -> a.scenario).contains("burst");
        assertThat(inLine.unflaggedWindows).extracting(u -> u.scenario).contains("exact", "under");
    }

    private static GroundTruth generate(GeneratorConfig config, boolean threadedReplay) throws Exception {
        GeneratorClock clock = GeneratorClock.simulated(START);
        return new TransactionGenerator(config, new MemoryTarget(clock::millis), clock, threadedReplay).run();
    }

    @Test
    void fractionsThatLeaveNoRoomForPlainTrafficAreRejected() {
        GeneratorConfig c = GeneratorConfig.builder().accounts(300).rate(1)
                .mix(new ScenarioMix(0.5, 0.5, 0.5, 0, 0, 0)).build();
        assertThatThrownBy(() -> new TransactionGenerator(c, new MemoryTarget(() -> 0L), GeneratorClock.simulated(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no room");
    }

    @Test
    void theTruthFileRoundTrips(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("truth.json");
        GroundTruthFile.write(truth, file);
        GroundTruth read = GroundTruthFile.read(file);
        assertThat(read.expectedAlerts).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(truth.expectedAlerts);
        assertThat(read.settings).usingRecursiveComparison().isEqualTo(truth.settings);
        assertThat(read.totals).usingRecursiveComparison().isEqualTo(truth.totals);
        assertThat(read.lateRecords).hasSameSizeAs(truth.lateRecords);
        assertThat(read.malformedRecords).hasSameSizeAs(truth.malformedRecords);
        assertThat(java.nio.file.Files.readString(file)).contains("\"expected_alerts\"", "\"crossing_txn_id\"",
                "\"threshold\" : 3000.00");
    }

    private static List<String> payloads(GeneratorConfig config, long start) throws Exception {
        GeneratorClock clock = GeneratorClock.simulated(start);
        MemoryTarget t = new MemoryTarget(clock::millis);
        new TransactionGenerator(config, t, clock).run();
        List<String> out = new ArrayList<>();
        for (OutgoingRecord r : t.records()) {
            out.add(r.partitionKey() + " " + new String(r.data(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The transaction, or null if the detector would reject the record. */
    private static Transaction decodeValid(OutgoingRecord r) {
        if (r.data().length > RULE.recordMaxBytes()) {
            return null;
        }
        try {
            return TransactionCodec.decode(r.data());
        } catch (InvalidRecordException e) {
            return null;
        }
    }

    /** What the detector's deserializer does: size first, then the codec. */
    private static RejectReason rejectReason(byte[] payload) {
        if (payload.length > RULE.recordMaxBytes()) {
            return RejectReason.OVERSIZED;
        }
        try {
            TransactionCodec.decode(payload);
            return null;
        } catch (InvalidRecordException e) {
            return e.reason();
        }
    }
}
