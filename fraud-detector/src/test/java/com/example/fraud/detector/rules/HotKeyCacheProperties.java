package com.example.fraud.detector.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.rules.HotKeyCacheTest.Run;
import com.example.fraud.detector.rules.HotKeyCacheTest.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Searches for a run in which the hot-key cache changes what the detector decides: random traffic over a few keys
 * (out of order, some of it late), watermarks, checkpoints with and without a restore, and rule changes (a rule
 * deleted, re-added with another window, a threshold changed, moved between ACTIVE, SHADOW and PAUSED), through three
 * rule types sharing each key's state, with a cache so small that keys enter, leave and are evicted all the time.
 * RocksDB with the cache must raise the alerts and shadow alerts (revisions included) of the heap backend, and at the
 * end leave no state in either.
 */
class HotKeyCacheProperties {
    private static final String RULES = "["
            + "{\"rule_id\":\"sum-1m\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
            + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT1M\"},\"threshold\":50.00},"
            + "{\"rule_id\":\"count-1m\",\"version\":1,\"type\":\"COUNT_OVER_THRESHOLD\",\"firing\":\"WINDOW_CLOSE\","
            + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},\"min_count\":6},"
            + "{\"rule_id\":\"card-testing\",\"version\":1,\"type\":\"SMALL_THEN_LARGE\",\"small_max\":1.00,"
            + "\"large_min\":40.00,\"within\":\"PT1M\"}]";

    @Property(tries = 30)
    void rocksDbWithTheCacheDecidesAsTheHeap(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int minWeight,
            @ForAll @IntRange(min = 1, max = 120) int budget) throws Exception {
        List<Step> steps = script(new Random(seed));
        Run heap = HotKeyCacheTest.run(steps, false, budget, RULES, minWeight);
        Run rocks = HotKeyCacheTest.run(steps, true, budget, RULES, minWeight);

        // The backends order timers of one timestamp differently (by key bytes on RocksDB), so keys' alerts
        // interleave differently; each alert and revision must be the same.
        assertThat(rocks.alerts).containsExactlyInAnyOrderElementsOf(heap.alerts);
        boolean shadow = heap.alerts.stream().anyMatch(a -> a.startsWith("shadow "));
        Statistics.label("shadow alerts").collect(shadow);
        Statistics.label("shadow alerts").coverage(c -> c.check(true).percentage(p -> p >= 20));
        assertThat(heap.keysInBackendAtCheckpoints.get(heap.keysInBackendAtCheckpoints.size() - 1)).isZero();
        assertThat(rocks.keysInBackendAtCheckpoints.get(rocks.keysInBackendAtCheckpoints.size() - 1)).isZero();
        assertThat(rocks.cachedAtCheckpoints.get(rocks.cachedAtCheckpoints.size() - 1)).isZero();
    }

    private static List<Step> script(Random r) {
        List<Step> steps = new ArrayList<>();
        String[] keys = {"A", "B", "C", "D"};
        long clock = 1_000_000;
        long watermark = Long.MIN_VALUE;
        int version = 1;
        int n = 100 + r.nextInt(400);
        for (int i = 0; i < n; i++) {
            int what = r.nextInt(100);
            if (what < 84) {
                // skewed towards A, the hot key; amounts from 0.01 to 60.00, mostly small
                String key = keys[Math.min(r.nextInt(6), 3)];
                long cents = r.nextInt(4) == 0 ? 1 + r.nextInt(6_000) : 1 + r.nextInt(150);
                long time = clock - (r.nextInt(5) == 0 ? r.nextInt(15_000) : 0); // some late beyond the 10 s
                steps.add(Step.txn("t" + i, key, cents, time));
                clock += r.nextInt(1_500);
            } else if (what < 92) {
                watermark = Math.max(watermark, clock - 1_000 - r.nextInt(3_000));
                steps.add(Step.watermark(watermark));
            } else if (what < 97) {
                steps.add(Step.checkpoint(r.nextBoolean()));
            } else {
                version++;
                switch (r.nextInt(5)) {
                    case 0:
                        steps.add(Step.command("{\"rule_id\":\"sum-1m\",\"version\":" + version + ",\"delete\":true}"));
                        break;
                    case 1: // another window: every key's state of the rule starts fresh
                        steps.add(Step.command("{\"rule_id\":\"sum-1m\",\"version\":" + version
                                + ",\"type\":\"SUM_OVER_THRESHOLD\",\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT"
                                + (1 + r.nextInt(3)) + "M\"},\"threshold\":50.00}"));
                        break;
                    case 2: // a threshold: open state kept
                        steps.add(Step.command("{\"rule_id\":\"sum-1m\",\"version\":" + version
                                + ",\"type\":\"SUM_OVER_THRESHOLD\",\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT1M\"},"
                                + "\"threshold\":" + (20 + r.nextInt(60)) + ".00,\"mode\":\"" + mode(r) + "\"}"));
                        break;
                    case 3: // the sliding rule's mode alone: its state, and the marks of its shadow alerts, kept
                        steps.add(Step.command("{\"rule_id\":\"sum-1m\",\"version\":" + version
                                + ",\"type\":\"SUM_OVER_THRESHOLD\",\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT1M\"},"
                                + "\"threshold\":50.00,\"mode\":\"" + mode(r) + "\"}"));
                        break;
                    default: // the tumbling rule's mode: windows that alerted in shadow alert live on activation
                        steps.add(Step.command("{\"rule_id\":\"count-1m\",\"version\":" + version
                                + ",\"type\":\"COUNT_OVER_THRESHOLD\",\"firing\":\""
                                + (r.nextBoolean() ? "WINDOW_CLOSE" : "EARLY") + "\",\"window\":{\"kind\":\"TUMBLING\","
                                + "\"size\":\"PT1M\"},\"min_count\":6,\"mode\":\"" + mode(r) + "\"}"));
                }
            }
        }
        steps.add(Step.watermark(Long.MAX_VALUE));
        steps.add(Step.checkpoint(false));
        return steps;
    }

    private static String mode(Random r) {
        int m = r.nextInt(4);
        return m == 0 ? "SHADOW" : m == 1 ? "PAUSED" : "ACTIVE";
    }
}
