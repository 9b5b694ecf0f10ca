package com.example.fraud.tools.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.model.Transaction;
import com.example.fraud.model.TransactionCodec;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleCodec;
import com.example.fraud.rules.types.Geo;
import com.example.fraud.tools.kinesis.OutgoingRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scenarios for a rule set with every type (tumbling and sliding windows, grouped by account, card and merchant),
 * on a simulated clock: each scenario meant to fire gives exactly one alert of its rule, no near miss gives one, every
 * kind runs, and a seed gives the same bytes every time.
 */
class RuleScenariosTest {
    static final long START = 1_795_600_000_123L;

    static final String RULES = "["
            + "{\"rule_id\":\"sum\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
            + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT30S\"},\"threshold\":3000.00},"
            + "{\"rule_id\":\"sum-sliding-card\",\"version\":2,\"type\":\"SUM_OVER_THRESHOLD\",\"group_by\":\"card_id\","
            + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT20S\"},\"threshold\":5000.00},"
            + "{\"rule_id\":\"velocity\",\"version\":1,\"type\":\"COUNT_OVER_THRESHOLD\","
            + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT30S\"},\"min_count\":30},"
            + "{\"rule_id\":\"merchant-busy\",\"version\":1,\"type\":\"COUNT_OVER_THRESHOLD\",\"group_by\":\"merchant_id\","
            + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT20S\"},\"min_count\":12,\"firing\":\"WINDOW_CLOSE\"},"
            + "{\"rule_id\":\"merchants\",\"version\":1,\"type\":\"DISTINCT_COUNT_OVER_THRESHOLD\",\"group_by\":\"card_id\","
            + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT30S\"},\"distinct\":\"merchant_id\",\"min_distinct\":12},"
            + "{\"rule_id\":\"countries\",\"version\":1,\"type\":\"DISTINCT_COUNT_OVER_THRESHOLD\",\"mode\":\"SHADOW\","
            + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT20S\"},\"distinct\":\"country\",\"min_distinct\":4},"
            + "{\"rule_id\":\"card-testing\",\"version\":1,\"type\":\"SMALL_THEN_LARGE\",\"group_by\":\"card_id\","
            + "\"small_max\":2.00,\"large_min\":500.00,\"within\":\"PT20S\"},"
            + "{\"rule_id\":\"travel\",\"version\":1,\"type\":\"IMPOSSIBLE_TRAVEL\","
            + "\"max_speed_kmh\":5000,\"min_distance_km\":50,\"within\":\"PT10M\"},"
            + "{\"rule_id\":\"paused\",\"version\":1,\"type\":\"COUNT_OVER_THRESHOLD\",\"mode\":\"PAUSED\","
            + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT10S\"},\"min_count\":1}"
            + "]";

    private static List<Rule> rules;
    private static GroundTruth truth;
    private static MemoryTarget target;

    @BeforeAll
    static void generate() throws Exception {
        rules = parse(RULES);
        GeneratorClock clock = GeneratorClock.simulated(START);
        target = new MemoryTarget(clock::millis);
        truth = new TransactionGenerator(config(rules, 7).build(), target, clock).run();
    }

    static GeneratorConfig.Builder config(List<Rule> rules, long seed) {
        return GeneratorConfig.builder().rules(rules).seed(seed).accounts(200).rate(50)
                .duration(Duration.ofMinutes(3)).scenariosPerMinute(6)
                .mix(new ScenarioMix(0, 0, 0, 0.05, 0.002, 0));
    }

    static List<Rule> parse(String array) throws Exception {
        List<Rule> out = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode n : new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(array)) {
            out.add(RuleCodec.parse(n.toString()));
        }
        return out;
    }

    @Test
    void everyScenarioMeantToFireGivesExactlyOneAlertOfItsRuleAndNoNearMissGivesAny() {
        assertScenariosHold(truth);
        assertThat(truth.nearMisses).isNotEmpty();
        assertThat(truth.expectedAlerts).extracting(a -> a.ruleId).doesNotContain("paused");
    }

    @Test
    void everyKindOfEveryEvaluatedRuleRuns() {
        Map<String, Set<String>> kinds = truth.scenarios.stream().collect(Collectors.groupingBy(c -> c.ruleId,
                Collectors.mapping(c -> c.scenario, Collectors.toSet())));
        assertThat(kinds.get("sum")).containsExactlyInAnyOrder("burst", "just-under", "exactly-at", "split-windows");
        assertThat(kinds.get("sum-sliding-card"))
                .containsExactlyInAnyOrder("burst", "just-under", "exactly-at", "split-windows");
        assertThat(kinds.get("velocity")).containsExactlyInAnyOrder("rapid", "just-under", "split-windows");
        assertThat(kinds.get("merchant-busy")).containsExactlyInAnyOrder("rapid", "just-under", "split-windows");
        assertThat(kinds.get("merchants")).containsExactlyInAnyOrder("many-merchants", "just-under", "split-windows");
        assertThat(kinds.get("countries")).containsExactlyInAnyOrder("many-country", "just-under", "split-windows");
        assertThat(kinds.get("card-testing")).containsExactlyInAnyOrder("card-testing", "small-above-limit",
                "large-below-limit", "too-slow");
        assertThat(kinds.get("travel")).containsExactlyInAnyOrder("travel", "slow-travel", "too-close");
        assertThat(kinds).doesNotContainKey("paused");
    }

    @Test
    void alertsCarryTheRuleHeaderAndShadowRulesAreMarked() {
        assertThat(truth.rules).extracting(r -> r.ruleId + " v" + r.version + " " + r.mode).contains(
                "sum-sliding-card v2 ACTIVE", "countries v1 SHADOW", "paused v1 PAUSED");
        assertThat(truth.expectedAlerts).allSatisfy(a -> assertThat(a.alertId).startsWith(a.ruleId + ":" + a.groupKey
                + ":"));
        assertThat(truth.expectedAlerts).filteredOn(a -> a.ruleId.equals("countries"))
                .isNotEmpty().allSatisfy(a -> assertThat(a.mode).isEqualTo("SHADOW"));
        assertThat(truth.expectedAlerts).filteredOn(a -> a.ruleId.equals("sum-sliding-card"))
                .allSatisfy(a -> assertThat(a.ruleVersion).isEqualTo(2));
        assertThat(truth.expectedAlerts).filteredOn(a -> a.ruleId.equals("merchant-busy"))
                .isNotEmpty().allSatisfy(a -> assertThat(a.trigger).isEqualTo("WINDOW_CLOSE"));
    }

    @Test
    void scenarioTransactionsMeanWhatTheirNamesSay() {
        Map<String, List<Transaction>> byAccount = new HashMap<>();
        for (OutgoingRecord r : target.records()) {
            Transaction t = decode(r);
            byAccount.computeIfAbsent(t.accountId, k -> new ArrayList<>()).add(t);
        }
        for (GroundTruth.NearMiss m : truth.nearMisses) {
            if (m.ruleId.equals("travel")) {
                List<Transaction> trip = byAccount.get(accountOf(m.firstTxnId));
                double km = Geo.distanceKm(trip.get(0).lat, trip.get(0).lon, trip.get(1).lat, trip.get(1).lon);
                long minutes = Math.max(60_000, trip.get(1).txnTimeMillis - trip.get(0).txnTimeMillis);
                if (m.scenario.equals("slow-travel")) {
                    assertThat(km).isGreaterThanOrEqualTo(50);
                    assertThat(km / (minutes / 3_600_000.0)).isLessThanOrEqualTo(5000);
                } else {
                    assertThat(km).isLessThan(50);
                }
            }
        }
        // Background purchases stay near home: no travel alert outside the scenarios.
        assertThat(truth.expectedAlerts).filteredOn(a -> a.ruleId.equals("travel"))
                .allSatisfy(a -> assertThat(a.scenario).isEqualTo("travel"));
    }

    private static Transaction decode(OutgoingRecord r) {
        try {
            return TransactionCodec.decode(r.data());
        } catch (com.example.fraud.model.InvalidRecordException e) {
            throw new AssertionError(e);
        }
    }

    private static String accountOf(String txnId) {
        for (OutgoingRecord r : target.records()) {
            Transaction t = decode(r);
            if (t.txnId.equals(txnId)) {
                return t.accountId;
            }
        }
        throw new AssertionError(txnId);
    }

    @Test
    void theSameSeedGivesTheSameBytesAndTruth() throws Exception {
        byte[][] a = run(7);
        byte[][] b = run(7);
        byte[][] c = run(8);
        assertThat(a[0]).isEqualTo(b[0]).isNotEqualTo(c[0]);
        assertThat(new String(a[1], StandardCharsets.UTF_8)).isEqualTo(new String(b[1], StandardCharsets.UTF_8));
    }

    @Test
    void theTruthReplayedOnItsOwnThreadIsTheOneReplayedInLine() throws Exception {
        byte[][] threaded = run(11, "", true);
        byte[][] inLine = run(11, "", false);
        assertThat(threaded[0]).isEqualTo(inLine[0]);
        assertThat(new String(threaded[1], StandardCharsets.UTF_8))
                .isEqualTo(new String(inLine[1], StandardCharsets.UTF_8))
                .contains("\"scenario\" : \"card-testing\""); // labels travel with the records, in order
    }

    @Test
    void anIdPrefixIsOnEveryAccountCardAndMerchantAndChangesNothingElse() throws Exception {
        String plain = new String(run(7)[0], StandardCharsets.UTF_8);
        String prefixed = new String(run(7, "B-")[0], StandardCharsets.UTF_8);
        assertThat(prefixed).contains("\"B-ACC-S", "\"B-CARD-S", "\"B-MER-S", "\"B-ACC-0", "\"B-CARD-0",
                "\"B-MER-0").doesNotContain("\"ACC-S", "\"ACC-0", "\"CARD-", "\"MER-");
        assertThat(prefixed.replace("\"B-", "\"")).isEqualTo(plain);
    }

    @Test
    void replayingTheStoredTransactionsGivesTheTruthsAlerts() {
        List<Transaction> stored = new ArrayList<>();
        for (OutgoingRecord r : target.records()) {
            try {
                stored.add(TransactionCodec.decode(r.data()));
            } catch (com.example.fraud.model.InvalidRecordException e) {
                // malformed: never counted
            }
        }
        List<GroundTruth.ExpectedAlert> replayed = RuleReplay.alertsOf(rules, RuleSettings.defaults(), stored);
        assertThat(replayed).extracting(a -> a.alertId + " v" + a.ruleVersion + " " + a.trigger)
                .containsExactlyInAnyOrderElementsOf(truth.expectedAlerts.stream()
                        .map(a -> a.alertId + " v" + a.ruleVersion + " " + a.trigger).collect(Collectors.toList()));
    }

    private static byte[][] run(long seed) throws Exception {
        return run(seed, "");
    }

    private static byte[][] run(long seed, String idPrefix) throws Exception {
        return run(seed, idPrefix, true);
    }

    private static byte[][] run(long seed, String idPrefix, boolean threadedReplay) throws Exception {
        GeneratorClock clock = GeneratorClock.simulated(START);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        GroundTruth g;
        try (JsonLinesTarget t = new JsonLinesTarget(out, false, false, clock::millis, "memory")) {
            g = new TransactionGenerator(config(rules, seed).duration(Duration.ofSeconds(40)).idPrefix(idPrefix)
                    .build(), t, clock, threadedReplay).run();
        }
        return new byte[][] {out.toByteArray(), GroundTruthFile.toJson(g).getBytes(StandardCharsets.UTF_8)};
    }

    /** The invariants of scenarios, for any rule set whose scenarios all completed. */
    static void assertScenariosHold(GroundTruth truth) {
        Map<String, Integer> fired = new HashMap<>();
        for (GroundTruth.ExpectedAlert a : truth.expectedAlerts) {
            fired.merge(a.ruleId + " " + a.scenario, 1, Integer::sum);
        }
        for (GroundTruth.ScenarioCount c : truth.scenarios) {
            if (c.fires) {
                assertThat(fired.getOrDefault(c.ruleId + " " + c.scenario, 0)).as(c.ruleId + " " + c.scenario)
                        .isEqualTo(c.count);
            } else {
                assertThat(fired).as(c.ruleId + " " + c.scenario).doesNotContainKey(c.ruleId + " " + c.scenario);
            }
        }
        Set<String> nearMissKeys = truth.nearMisses.stream().map(m -> m.ruleId + " " + m.groupKey)
                .collect(Collectors.toSet());
        assertThat(truth.expectedAlerts).filteredOn(a -> nearMissKeys.contains(a.ruleId + " " + a.groupKey))
                .isEmpty();
    }
}
