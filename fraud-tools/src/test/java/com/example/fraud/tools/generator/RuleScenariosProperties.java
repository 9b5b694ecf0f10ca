package com.example.fraud.tools.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.rules.Rule;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Scenarios for rule sets drawn at random (one rule of each type, any window, grouping and limits the codec accepts
 * within the generator's bounds): whatever the parameters, a scenario meant to fire gives exactly one alert of its
 * rule, and no near miss gives one. The ground truth is the rules' own logic, so this checks that the scenarios
 * derive their amounts, counts, values, times and places correctly from each rule's parameters.
 */
class RuleScenariosProperties {

    @Property(tries = 25)
    void scenariosFireExactlyAsMeantForAnyRuleParameters(@ForAll("ruleSets") String rules, @ForAll long seed)
            throws Exception {
        List<Rule> parsed = RuleScenariosTest.parse(rules);
        GeneratorClock clock = GeneratorClock.simulated(RuleScenariosTest.START);
        GroundTruth truth = new TransactionGenerator(GeneratorConfig.builder().rules(parsed).seed(seed).accounts(40)
                .rate(10).duration(Duration.ofSeconds(90)).scenariosPerMinute(6)
                .mix(new ScenarioMix(0, 0, 0, 0.05, 0, 0)).build(), new MemoryTarget(clock::millis), clock).run();
        RuleScenariosTest.assertScenariosHold(truth);
        assertThat(truth.scenarios).filteredOn(c -> c.fires).isNotEmpty();
    }

    @Provide
    Arbitrary<String> ruleSets() {
        return Combinators.combine(sum(), count(), distinct(), smallThenLarge(), travel())
                .as((a, b, c, d, e) -> "[" + String.join(",", a, b, c, d, e) + "]");
    }

    private static Arbitrary<String> grouping() {
        return Arbitraries.of("account_id", "card_id", "merchant_id");
    }

    /** A window and firing mode: WINDOW_CLOSE only with a tumbling window. */
    private static Arbitrary<String> window() {
        return Combinators.combine(Arbitraries.of("TUMBLING", "SLIDING"), Arbitraries.integers().between(2, 90),
                Arbitraries.of("EARLY", "WINDOW_CLOSE"))
                .as((kind, seconds, firing) -> "\"window\":{\"kind\":\"" + kind + "\",\"size\":\"PT" + seconds
                        + "S\"},\"firing\":\"" + (kind.equals("SLIDING") ? "EARLY" : firing) + "\"");
    }

    private static Arbitrary<String> sum() {
        return Combinators.combine(grouping(), window(), Arbitraries.longs().between(2, 10_000_000))
                .as((g, w, cents) -> "{\"rule_id\":\"sum\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\",\"group_by\":\""
                        + g + "\"," + w + ",\"threshold\":" + amount(cents) + "}");
    }

    private static Arbitrary<String> count() {
        return Combinators.combine(grouping(), window(), Arbitraries.integers().between(1, 60))
                .as((g, w, n) -> "{\"rule_id\":\"count\",\"version\":1,\"type\":\"COUNT_OVER_THRESHOLD\",\"group_by\":\""
                        + g + "\"," + w + ",\"min_count\":" + n + "}");
    }

    private static Arbitrary<String> distinct() {
        return Combinators.combine(grouping(), window(), Arbitraries.of("merchant_id", "country", "card_id"),
                Arbitraries.integers().between(1, 30))
                .as((g, w, f, n) -> "{\"rule_id\":\"distinct\",\"version\":1,\"type\":\"DISTINCT_COUNT_OVER_THRESHOLD\","
                        + "\"group_by\":\"" + g + "\"," + w + ",\"distinct\":\"" + f + "\",\"min_distinct\":" + n + "}");
    }

    private static Arbitrary<String> smallThenLarge() {
        return Combinators.combine(grouping(), Arbitraries.longs().between(1, 10_000),
                Arbitraries.longs().between(1, 500_000), Arbitraries.integers().between(1, 40))
                .as((g, small, more, within) -> "{\"rule_id\":\"card-testing\",\"version\":1,\"type\":\"SMALL_THEN_LARGE\","
                        + "\"group_by\":\"" + g + "\",\"small_max\":" + amount(small) + ",\"large_min\":"
                        + amount(small + more) + ",\"within\":\"PT" + within + "S\"}");
    }

    private static Arbitrary<String> travel() {
        return Combinators.combine(grouping(), Arbitraries.doubles().between(1, 100_000).ofScale(1),
                Arbitraries.doubles().between(0, 2_000).ofScale(1), Arbitraries.integers().between(1, 600))
                .as((g, speed, km, within) -> "{\"rule_id\":\"travel\",\"version\":1,\"type\":\"IMPOSSIBLE_TRAVEL\","
                        + "\"group_by\":\"" + g + "\",\"max_speed_kmh\":" + speed + ",\"min_distance_km\":" + km
                        + ",\"within\":\"PT" + within + "S\"}");
    }

    private static String amount(long cents) {
        return String.format(Locale.ROOT, "%d.%02d", cents / 100, cents % 100);
    }
}
