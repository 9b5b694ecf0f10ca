package com.example.fraud.rules;

import static com.example.fraud.rules.RuleTesting.MINUTE;
import static com.example.fraud.rules.RuleTesting.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.model.Alert;
import com.example.fraud.model.RuleMode;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.RuleTesting.Driver;
import com.example.fraud.rules.types.CountOverThreshold;
import com.example.fraud.rules.types.DistinctCountOverThreshold;
import com.example.fraud.rules.types.ImpossibleTravel;
import com.example.fraud.rules.types.SmallThenLarge;
import com.example.fraud.rules.types.WindowedAggregate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.Provide;

/**
 * For every rule type and window kind, random transactions (a few windows' worth of times, out of order, random
 * amounts and optional fields) with a watermark that lags the newest time by a random bound: after a final
 * watermark far past everything, no state and no timer is left, and the alerts never exceed what the rule's
 * definition allows. For the aggregates, the alerted tumbling windows equal a plain group-by-window reference.
 */
class RuleStateProperties {
    static final String WIN_T = "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"}";
    static final String WIN_S = "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT1M\"}";
    static final String HEAD = "{\"rule_id\":\"r\",\"version\":1,\"type\":";

    static final List<String> AGGREGATES = List.of(
            HEAD + "\"SUM_OVER_THRESHOLD\"," + WIN_T + ",\"threshold\":200}",
            HEAD + "\"SUM_OVER_THRESHOLD\"," + WIN_T + ",\"firing\":\"WINDOW_CLOSE\",\"threshold\":200}",
            HEAD + "\"SUM_OVER_THRESHOLD\"," + WIN_S + ",\"threshold\":200}",
            HEAD + "\"COUNT_OVER_THRESHOLD\"," + WIN_T + ",\"min_count\":3}",
            HEAD + "\"COUNT_OVER_THRESHOLD\"," + WIN_T + ",\"firing\":\"WINDOW_CLOSE\",\"min_count\":3}",
            HEAD + "\"COUNT_OVER_THRESHOLD\"," + WIN_S + ",\"min_count\":3}",
            HEAD + "\"DISTINCT_COUNT_OVER_THRESHOLD\"," + WIN_T + ",\"distinct\":\"merchant_id\",\"min_distinct\":2}",
            HEAD + "\"DISTINCT_COUNT_OVER_THRESHOLD\"," + WIN_T + ",\"firing\":\"WINDOW_CLOSE\",\"distinct\":"
                    + "\"country\",\"min_distinct\":2}",
            HEAD + "\"DISTINCT_COUNT_OVER_THRESHOLD\"," + WIN_S + ",\"distinct\":\"card_id\",\"min_distinct\":2}");
    static final List<String> PAIRS = List.of(
            HEAD + "\"SMALL_THEN_LARGE\",\"small_max\":5,\"large_min\":100,\"within\":\"PT1M\"}",
            HEAD + "\"IMPOSSIBLE_TRAVEL\",\"max_speed_kmh\":900,\"within\":\"PT1M\"}");
    static final double[][] PLACES = {{52.52, 13.405}, {48.8566, 2.3522}, {40.7128, -74.006}, {52.39, 13.06}};

    @Property
    void noStateOrTimerOutlivesTheHorizonAndAlertsStayWithinTheDefinition(@ForAll("rules") String json,
            @ForAll("transactions") List<Transaction> txns, @ForAll("bounds") long lagBound,
            @ForAll("latenesses") long lateness) {
        Rule rule = RuleTesting.rule(json);
        Driver d = new Driver(rule, lateness);
        for (Transaction t : txns) {
            d.send(t).lagBehind(lagBound);
        }
        d.watermark(T0 + 1_000 * MINUTE);
        assertThat(d.state).as("state left after the horizon").isNull();
        if (d.lastState != null) {
            assertThat(d.lastState.isEmpty()).isTrue();
            assertThat(rule.logic().nextTimer(d.lastState, lateness, d.watermark)).isEqualTo(Long.MAX_VALUE);
        }
        assertThat(d.counted.size() + d.late + d.skipped).isEqualTo(txns.size());
        Set<String> ids = new HashSet<>();
        for (Alert a : d.alerts) {
            assertThat(ids.add(a.alertId + "#" + a.revision)).as("duplicate alert " + a.alertId).isTrue();
            assertThat(a.ruleId).isEqualTo("r");
            assertThat(a.groupKey).isEqualTo("acc-1");
            assertThat(a.windowStartMillis).isLessThan(a.windowEndMillis);
        }
        checkBound(rule.logic(), d);
    }

    /**
     * A rule changed while the job runs (any other version, same signature or not: limits, firing mode, type) leaves
     * no state or timer behind either, and never asks for a timer at or before the watermark.
     */
    @Property
    void noStateOrTimerOutlivesARuleChangedMidStream(@ForAll("rules") String before, @ForAll("rules") String after,
            @ForAll("transactions") List<Transaction> txns, @ForAll @IntRange(min = 0, max = 40) int changeAt,
            @ForAll("bounds") long lagBound, @ForAll("latenesses") long lateness) {
        Driver d = new Driver(RuleTesting.rule(before), lateness);
        for (int i = 0; i < txns.size(); i++) {
            if (i == changeAt) {
                d.change(RuleTesting.rule(after));
            }
            d.send(txns.get(i)).lagBehind(lagBound);
        }
        d.watermark(T0 + 1_000 * MINUTE);
        assertThat(d.state).as("state left after the horizon").isNull();
        assertThat(d.counted.size() + d.late + d.skipped).isEqualTo(txns.size());
    }

    /**
     * The shadow view decides as the live one does: the same rule in SHADOW mode raises, on its own output, exactly the
     * alerts it raises ACTIVE, for every rule type, also when its tumbling firing changes between EARLY and
     * WINDOW_CLOSE on the way, and whether or not its state is advanced at every watermark (the job advances every
     * rule of a key on any of the key's timers).
     */
    @Property
    void aShadowRuleDecidesExactlyWhatItDecidesLive(@ForAll("rules") String json,
            @ForAll("transactions") List<Transaction> txns, @ForAll("moves") Set<Integer> firingChanges,
            @ForAll("bounds") long lagBound, @ForAll("latenesses") long lateness) {
        Driver live = new Driver(RuleTesting.rule(json), lateness);
        Driver shadow = new Driver(RuleTesting.rule(withMode(json, 1, "SHADOW")), lateness);
        shadow.advanceOnEveryWatermark = true;
        String current = json;
        int version = 1;
        for (int i = 0; i < txns.size(); i++) {
            if (firingChanges.contains(i) && current.contains("TUMBLING")) {
                current = current.contains("WINDOW_CLOSE") ? current.replace(",\"firing\":\"WINDOW_CLOSE\"", "")
                        : current.replace("\"threshold\"", "\"firing\":\"WINDOW_CLOSE\",\"threshold\"")
                                .replace("\"min_count\"", "\"firing\":\"WINDOW_CLOSE\",\"min_count\"")
                                .replace("\"distinct\":", "\"firing\":\"WINDOW_CLOSE\",\"distinct\":");
                version++;
                live.change(RuleTesting.rule(current.replace("\"version\":1,", "\"version\":" + version + ",")));
                shadow.change(RuleTesting.rule(withMode(current, version, "SHADOW")));
            }
            live.send(txns.get(i)).lagBehind(lagBound);
            shadow.send(txns.get(i)).lagBehind(lagBound);
        }
        live.watermark(T0 + 1_000 * MINUTE);
        shadow.watermark(T0 + 1_000 * MINUTE);
        assertThat(shadow.alerts).allSatisfy(a -> assertThat(a.mode).isEqualTo(RuleMode.SHADOW));
        assertThat(decisions(shadow.alerts)).isEqualTo(decisions(live.alerts));
        assertThat(shadow.state).isNull();
    }

    /**
     * A rule moved between SHADOW and ACTIVE while transactions come (each move a new version, decided at once as the
     * evaluator does): neither output repeats an alert (same id and revision), and no state or timer is left.
     */
    @Property
    void movesBetweenShadowAndActiveNeverRepeatAnAlertOnEitherOutput(@ForAll("rules") String json,
            @ForAll("transactions") List<Transaction> txns,
            @ForAll("moves") Set<Integer> moves, @ForAll("bounds") long lagBound,
            @ForAll("latenesses") long lateness) {
        boolean shadowMode = true;
        int version = 1;
        Driver d = new Driver(RuleTesting.rule(withMode(json, version, "SHADOW")), lateness);
        for (int i = 0; i < txns.size(); i++) {
            if (moves.contains(i)) {
                shadowMode = !shadowMode;
                d.change(RuleTesting.rule(withMode(json, ++version, shadowMode ? "SHADOW" : "ACTIVE")));
            }
            d.send(txns.get(i)).lagBehind(lagBound);
        }
        d.watermark(T0 + 1_000 * MINUTE);
        Set<String> seen = new HashSet<>();
        for (Alert a : d.alerts) {
            assertThat(seen.add(a.mode + " " + a.alertId + "#" + a.revision)).as("repeated " + a.mode + " alert "
                    + a.alertId + "#" + a.revision).isTrue();
        }
        assertThat(d.state).as("state left after the horizon").isNull();
    }

    static String withMode(String json, int version, String mode) {
        return json.replace("\"version\":1,", "\"version\":" + version + ",\"mode\":\"" + mode + "\",");
    }

    /** What an alert decides: everything but the rule's version and mode. */
    static List<List<Object>> decisions(List<Alert> alerts) {
        List<List<Object>> out = new java.util.ArrayList<>();
        for (Alert a : alerts) {
            out.add(List.of(a.alertId, a.revision, a.trigger, a.totalCents, a.txnCount, List.of(a.txnIds),
                    a.windowStartMillis, a.windowEndMillis));
        }
        return out;
    }

    /** What the definition allows at most, and what each alert must show. */
    static void checkBound(RuleLogic logic, Driver d) {
        Map<String, Transaction> byId = new HashMap<>();
        for (Transaction t : d.counted) {
            byId.put(t.txnId, t);
        }
        if (logic instanceof WindowedAggregate) {
            WindowedAggregate w = (WindowedAggregate) logic;
            for (Alert a : d.alerts) {
                assertThat(byId.keySet()).containsAll(List.of(a.txnIds));
                assertThat(a.txnIds).hasSize(a.txnCount).doesNotHaveDuplicates();
            }
            if (w.window().kind() == Window.Kind.TUMBLING) {
                Set<Long> windows = new TreeSet<>();
                for (Transaction t : d.counted) {
                    windows.add(w.window().startOf(t.txnTimeMillis));
                }
                Map<Long, Alert> latest = new TreeMap<>();
                for (Alert a : d.alerts) {
                    Alert before = latest.put(a.windowStartMillis, a);
                    if (before == null) {
                        assertThat(a.revision).isZero();
                    } else {
                        assertThat(a.revision).as("revisions of one window's alert grow")
                                .isGreaterThan(before.revision);
                        assertThat(a.txnCount - before.txnCount).isEqualTo(a.revision - before.revision);
                    }
                    assertThat(windows).contains(a.windowStartMillis);
                }
                if (w.firing() == FiringMode.WINDOW_CLOSE) {
                    // the last revision counts every transaction of its window, whenever it arrived
                    for (Alert a : latest.values()) {
                        Set<String> inWindow = new TreeSet<>();
                        long total = 0;
                        for (Transaction t : d.counted) {
                            if (w.window().startOf(t.txnTimeMillis) == a.windowStartMillis) {
                                inWindow.add(t.txnId);
                                total += t.amountCents;
                            }
                        }
                        assertThat(new TreeSet<>(List.of(a.txnIds))).isEqualTo(inWindow);
                        assertThat(a.totalCents).isEqualTo(total);
                    }
                } else {
                    assertThat(d.alerts).allSatisfy(a -> assertThat(a.revision).isZero());
                }
            } else {
                // each alert spends at least the limit's worth of transactions, each at most once
                int perAlert = logic instanceof CountOverThreshold ? ((CountOverThreshold) logic).minCount()
                        : logic instanceof DistinctCountOverThreshold
                                ? ((DistinctCountOverThreshold) logic).minDistinct() : 1;
                assertThat(d.alerts.size()).isLessThanOrEqualTo(d.counted.size() / perAlert);
                Set<String> spent = new HashSet<>();
                for (Alert a : d.alerts) {
                    for (String id : a.txnIds) {
                        assertThat(spent.add(id)).as("counted by two alerts: " + id).isTrue();
                    }
                }
            }
        } else if (logic instanceof SmallThenLarge) {
            SmallThenLarge s = (SmallThenLarge) logic;
            for (Alert a : d.alerts) {
                Transaction small = byId.get(a.txnIds[0]);
                Transaction large = byId.get(a.txnIds[1]);
                assertThat(small.amountCents).isLessThanOrEqualTo(s.smallMaxCents());
                assertThat(large.amountCents).isGreaterThanOrEqualTo(s.largeMinCents());
                assertThat(large.txnTimeMillis - small.txnTimeMillis).isBetween(0L, s.withinMillis());
                assertThat(a.alertId).isEqualTo("r:acc-1:" + large.txnId);
            }
        } else {
            ImpossibleTravel it = (ImpossibleTravel) logic;
            assertThat(d.alerts.size()).isLessThanOrEqualTo(Math.max(0, d.counted.size() - 1));
            for (Alert a : d.alerts) {
                Transaction from = byId.get(a.txnIds[0]);
                Transaction to = byId.get(a.txnIds[1]);
                assertThat(to.txnTimeMillis - from.txnTimeMillis).isBetween(0L, it.withinMillis());
                assertThat(a.distanceKm).isGreaterThanOrEqualTo(it.minDistanceKm() - 0.05);
                assertThat(a.speedKmh).isGreaterThan(it.maxSpeedKmh() - 0.5);
                assertThat(a.alertId).isEqualTo("r:acc-1:" + to.txnId);
            }
        }
    }

    /** In-order input, TUMBLING EARLY: the alerted windows are exactly those whose aggregate is over the limit. */
    @Property
    void tumblingEarlyAlertsExactlyTheWindowsOverTheLimit(@ForAll("tumblingEarly") String json,
            @ForAll("transactions") List<Transaction> txns, @ForAll("bounds") long lagBound) {
        txns.sort((a, b) -> Long.compare(a.txnTimeMillis, b.txnTimeMillis));
        Rule rule = RuleTesting.rule(json);
        Driver d = new Driver(rule, 0);
        for (Transaction t : txns) {
            d.send(t).lagBehind(lagBound);
        }
        d.watermark(T0 + 1_000 * MINUTE);
        assertThat(d.late).isZero();
        assertThat(alertedWindows(d)).isEqualTo(reference((WindowedAggregate) rule.logic(), d.counted));
    }

    /** Out of order with lateness: EARLY and WINDOW_CLOSE flag the same windows, the reference's over what counted. */
    @Property
    void earlyAndWindowCloseFlagTheSameWindows(@ForAll("tumblingEarly") String json,
            @ForAll("transactions") List<Transaction> txns, @ForAll("bounds") long lagBound,
            @ForAll("latenesses") long lateness) {
        Rule early = RuleTesting.rule(json);
        Rule close = RuleTesting.rule(json.replace("\"window\":", "\"firing\":\"WINDOW_CLOSE\",\"window\":"));
        Driver e = new Driver(early, lateness);
        Driver c = new Driver(close, lateness);
        for (Transaction t : txns) {
            e.send(t).lagBehind(lagBound);
            c.send(t).lagBehind(lagBound);
        }
        e.watermark(T0 + 1_000 * MINUTE);
        c.watermark(T0 + 1_000 * MINUTE);
        assertThat(c.late).isEqualTo(e.late);
        assertThat(alertedWindows(c)).isEqualTo(alertedWindows(e))
                .isEqualTo(reference((WindowedAggregate) early.logic(), e.counted));
    }

    /**
     * Small then large, in any arrival order within the lateness: exactly the large transactions that have a small
     * one at most {@code within} before them alert, each once, with an id anchored on the large one.
     */
    @Property
    void smallThenLargeAlertsExactlyTheLargeOnesWithASmallOneBefore(@ForAll("transactions") List<Transaction> txns,
            @ForAll("bounds") long lagBound, @ForAll("latenesses") long lateness) {
        Rule rule = RuleTesting.rule(PAIRS.get(0));
        SmallThenLarge logic = (SmallThenLarge) rule.logic();
        Driver d = new Driver(rule, lateness);
        for (Transaction t : txns) {
            d.send(t).lagBehind(lagBound);
        }
        d.watermark(T0 + 1_000 * MINUTE);
        Set<String> expected = new TreeSet<>();
        for (Transaction large : d.counted) {
            if (large.amountCents < logic.largeMinCents()) {
                continue;
            }
            for (Transaction small : d.counted) {
                long dt = large.txnTimeMillis - small.txnTimeMillis;
                if (small.amountCents <= logic.smallMaxCents() && dt >= 0 && dt <= logic.withinMillis()) {
                    expected.add("r:acc-1:" + large.txnId);
                }
            }
        }
        Set<String> actual = new TreeSet<>();
        for (Alert a : d.alerts) {
            actual.add(a.alertId);
        }
        assertThat(actual).hasSameSizeAs(d.alerts).isEqualTo(expected);
    }

    /**
     * Sliding aggregates, in any arrival order within the lateness: the alerts (ids and aggregates, in order) equal
     * the documented definition computed plainly by scanning everything, which the rule's running aggregates and
     * forgetting must not change.
     */
    @Property
    void slidingAlertsMatchTheDefinitionScannedPlainly(@ForAll("sliding") String json,
            @ForAll("transactions") List<Transaction> txns, @ForAll("bounds") long lagBound,
            @ForAll("latenesses") long lateness) {
        Rule rule = RuleTesting.rule(json);
        Driver d = new Driver(rule, lateness);
        for (Transaction t : txns) {
            d.send(t).lagBehind(lagBound);
        }
        d.watermark(T0 + 1_000 * MINUTE);
        List<String> actual = new java.util.ArrayList<>();
        for (Alert a : d.alerts) {
            actual.add(a.alertId + " " + a.totalCents + "/" + a.txnCount + "/" + a.distinctCount);
        }
        assertThat(actual).isEqualTo(slidingReference((WindowedAggregate) rule.logic(), d.counted));
    }

    /**
     * Each arrival is evaluated at its own time and, when out of order, at the later times already received within
     * one look-back, in time order; an alert spends everything up to its time.
     */
    static List<String> slidingReference(WindowedAggregate logic, List<Transaction> arrivals) {
        long size = logic.window().sizeMillis();
        long spent = Long.MIN_VALUE;
        List<Transaction> kept = new java.util.ArrayList<>();
        List<String> alerts = new java.util.ArrayList<>();
        for (Transaction t : arrivals) {
            if (t.txnTimeMillis <= spent) {
                continue;
            }
            kept.add(t);
            TreeSet<Long> ends = new TreeSet<>();
            ends.add(t.txnTimeMillis);
            for (Transaction k : kept) {
                if (k.txnTimeMillis > t.txnTimeMillis && k.txnTimeMillis < t.txnTimeMillis + size) {
                    ends.add(k.txnTimeMillis);
                }
            }
            for (long end : ends) {
                if (end <= spent) {
                    continue;
                }
                long from = Math.max(end - size + 1, spent + 1);
                long total = 0;
                int count = 0;
                Set<String> values = new HashSet<>();
                for (Transaction k : kept) {
                    if (k.txnTimeMillis >= from && k.txnTimeMillis <= end) {
                        total += k.amountCents;
                        count++;
                        if (logic instanceof DistinctCountOverThreshold) {
                            values.add(((DistinctCountOverThreshold) logic).field().valueOf(k));
                        }
                    }
                }
                boolean crosses;
                if (logic instanceof CountOverThreshold) {
                    crosses = count >= ((CountOverThreshold) logic).minCount();
                } else if (logic instanceof DistinctCountOverThreshold) {
                    crosses = values.size() >= ((DistinctCountOverThreshold) logic).minDistinct();
                } else {
                    crosses = total > ((com.example.fraud.rules.types.SumOverThreshold) logic).thresholdCents();
                }
                if (crosses) {
                    int distinct = logic instanceof DistinctCountOverThreshold ? values.size() : 0;
                    alerts.add("r:acc-1:" + com.example.fraud.model.Timestamps.format(end) + " " + total + "/"
                            + count + "/" + distinct);
                    spent = end;
                }
            }
            long spentNow = spent;
            kept.removeIf(k -> k.txnTimeMillis <= spentNow);
        }
        return alerts;
    }

    static Set<Long> alertedWindows(Driver d) {
        Set<Long> s = new TreeSet<>();
        for (Alert a : d.alerts) {
            s.add(a.windowStartMillis);
        }
        return s;
    }

    /** Group by window, aggregate, compare: the definition, written plainly. */
    static Set<Long> reference(WindowedAggregate logic, List<Transaction> counted) {
        Map<Long, long[]> sums = new HashMap<>();
        Map<Long, Set<String>> values = new HashMap<>();
        for (Transaction t : counted) {
            if (!logic.applies(t)) {
                continue;
            }
            long start = logic.window().startOf(t.txnTimeMillis);
            long[] agg = sums.computeIfAbsent(start, k -> new long[2]);
            agg[0] += t.amountCents;
            agg[1]++;
            if (logic instanceof DistinctCountOverThreshold) {
                values.computeIfAbsent(start, k -> new HashSet<>())
                        .add(((DistinctCountOverThreshold) logic).field().valueOf(t));
            }
        }
        Set<Long> over = new TreeSet<>();
        for (Map.Entry<Long, long[]> e : sums.entrySet()) {
            boolean crosses;
            if (logic instanceof CountOverThreshold) {
                crosses = e.getValue()[1] >= ((CountOverThreshold) logic).minCount();
            } else if (logic instanceof DistinctCountOverThreshold) {
                crosses = values.get(e.getKey()).size() >= ((DistinctCountOverThreshold) logic).minDistinct();
            } else {
                crosses = e.getValue()[0] > ((com.example.fraud.rules.types.SumOverThreshold) logic).thresholdCents();
            }
            if (crosses) {
                over.add(e.getKey());
            }
        }
        return over;
    }

    /** Small then large: the next timer (asked on every transaction) is the latest horizon of any event kept. */
    @Property
    void smallThenLargeTimesTheLatestHorizon(@ForAll("transactions") List<Transaction> txns,
            @ForAll("latenesses") long lateness) {
        Rule rule = RuleTesting.rule(PAIRS.get(0));
        SmallThenLarge logic = (SmallThenLarge) rule.logic();
        com.example.fraud.rules.state.RuleState state = new com.example.fraud.rules.state.RuleState(0);
        long latest = Long.MIN_VALUE;
        for (Transaction t : txns) {
            state.insert(com.example.fraud.rules.state.Event.of(t));
            long reach = t.amountCents <= logic.smallMaxCents() ? t.txnTimeMillis + logic.withinMillis()
                    : t.txnTimeMillis;
            latest = Math.max(latest, reach + lateness);
            assertThat(logic.nextTimer(state, lateness, Long.MIN_VALUE)).isEqualTo(latest);
        }
    }

    @Provide
    Arbitrary<String> rules() {
        List<String> all = new java.util.ArrayList<>(AGGREGATES);
        all.addAll(PAIRS);
        return Arbitraries.of(all);
    }

    @Provide
    Arbitrary<String> sliding() {
        return Arbitraries.of(AGGREGATES.get(2), AGGREGATES.get(5), AGGREGATES.get(8));
    }

    @Provide
    Arbitrary<String> tumblingEarly() {
        return Arbitraries.of(AGGREGATES.get(0), AGGREGATES.get(3), AGGREGATES.get(6));
    }

    @Provide
    Arbitrary<Set<Integer>> moves() {
        return Arbitraries.integers().between(0, 40).set().ofMaxSize(5);
    }

    @Provide
    Arbitrary<Long> bounds() {
        return Arbitraries.oneOf(Arbitraries.of(0L, 1L, MINUTE), Arbitraries.longs().between(0, 2 * MINUTE));
    }

    @Provide
    Arbitrary<Long> latenesses() {
        return Arbitraries.of(0L, 1L, 5_000L, 30_000L, 2 * MINUTE);
    }

    @Provide
    Arbitrary<List<Transaction>> transactions() {
        Arbitrary<Long> times = Arbitraries.oneOf(Arbitraries.longs().between(0, 4 * MINUTE),
                Arbitraries.of(0L, MINUTE - 1, MINUTE, 2 * MINUTE - 1, 2 * MINUTE));
        Arbitrary<Long> amounts = Arbitraries.oneOf(Arbitraries.longs().between(1, 15_000),
                Arbitraries.of(1L, 500L, 501L, 10_000L, 20_000L));
        Arbitrary<String> values = Arbitraries.of("a", "b", "c").injectNull(0.2);
        Arbitrary<Integer> places = Arbitraries.integers().between(-1, PLACES.length - 1);
        Arbitrary<Transaction> txn = Combinators.combine(times, amounts, values, places).as((t, cents, v, p) -> {
            Transaction x = new Transaction(null, "acc-1", cents, T0 + t);
            x.merchantId = v;
            x.country = v == null ? null : v.toUpperCase() + "X";
            x.cardId = v;
            if (p >= 0) {
                x.lat = PLACES[p][0];
                x.lon = PLACES[p][1];
            }
            return x;
        });
        return txn.list().ofMaxSize(40).map(l -> {
            for (int i = 0; i < l.size(); i++) {
                l.get(i).txnId = "t" + i;
            }
            return l;
        });
    }
}
