package com.example.fraud.detector.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.model.Alert;
import com.example.fraud.model.Grouping;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.RuleSets;
import com.example.fraud.rules.state.Event;
import com.example.fraud.rules.state.RuleState;
import com.example.fraud.rules.state.WindowTotals;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * On RocksDB the busiest keys' rule states stay deserialized between checkpoints ({@link HotKeyCache}). Whatever the
 * cache does (keeps a key, writes it back over its budget or before a barrier, forgets it when a rule is deleted),
 * the alerts must be those of the heap backend, across snapshots and restores, and nothing may stay behind.
 */
class HotKeyCacheTest {
    /** A 10-minute sliding sum: its state keeps every transaction of the window, so a busy key weighs thousands. */
    private static final String SLIDING = "[{\"rule_id\":\"sum-10m\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
            + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT10M\"},\"threshold\":1500.00}]";

    /** One step of a run: a transaction, a watermark, a rule command, or a checkpoint (restored from, with "restore"). */
    static final class Step {
        final Transaction txn;
        final long watermark;
        final String command;
        final boolean checkpoint;
        final boolean restore;

        private Step(Transaction txn, long watermark, String command, boolean checkpoint, boolean restore) {
            this.txn = txn;
            this.watermark = watermark;
            this.command = command;
            this.checkpoint = checkpoint;
            this.restore = restore;
        }

        static Step txn(String id, String key, long cents, long time) {
            return new Step(new Transaction(id, key, cents, time), Long.MIN_VALUE, null, false, false);
        }

        static Step watermark(long t) {
            return new Step(null, t, null, false, false);
        }

        static Step command(String json) {
            return new Step(null, Long.MIN_VALUE, json, false, false);
        }

        static Step checkpoint(boolean restore) {
            return new Step(null, Long.MIN_VALUE, null, true, restore);
        }
    }

    /** What a run left: its alerts (all but detected_at), and the cache and backend at each checkpoint. */
    static final class Run {
        final List<String> alerts = new ArrayList<>();
        final List<Integer> cachedAtCheckpoints = new ArrayList<>();
        final List<Long> keysInBackendAtCheckpoints = new ArrayList<>();
    }

    private static KeyedBroadcastOperatorTestHarness<String, GroupedTransaction, byte[], Alert> open(
            DetectionSettings settings, boolean rocksDb, OperatorSubtaskState restore, String rules, int minWeight)
            throws Exception {
        var harness = new KeyedBroadcastOperatorTestHarness<>(
                new EvaluateRulesOperator(new EvaluateRules(settings, RuleSets.parse(rules)).hotKeyMinWeight(minWeight)),
                GroupedTransaction::stateKey, Types.STRING, 128, 1, 0);
        if (rocksDb) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
        harness.getTwoInputOperator().processWatermarkStatus2(WatermarkStatus.IDLE);
        return harness;
    }

    private static Run run(List<Step> steps, boolean rocksDb, int cacheBudget) throws Exception {
        return run(steps, rocksDb, cacheBudget, SLIDING, HotKeyCache.MIN_WEIGHT);
    }

    /** Plays the steps on one harness (a new one restored at each "restore" checkpoint). */
    static Run run(List<Step> steps, boolean rocksDb, int cacheBudget, String rules, int minWeight) throws Exception {
        DetectionSettings settings = DetectionSettings.builder().allowedLateness(Duration.ofSeconds(10))
                .maxClockSkew(Duration.ZERO).stateCacheMaxEvents(cacheBudget).build();
        Run run = new Run();
        var harness = open(settings, rocksDb, null, rules, minWeight);
        long checkpointId = 0;
        try {
            for (Step s : steps) {
                if (s.txn != null) {
                    harness.processElement(new GroupedTransaction(Grouping.ACCOUNT_ID, s.txn.accountId, s.txn),
                            s.txn.txnTimeMillis);
                } else if (s.watermark != Long.MIN_VALUE) {
                    harness.processWatermark(s.watermark);
                } else if (s.command != null) {
                    harness.processBroadcastElement(s.command.getBytes(StandardCharsets.UTF_8), 0);
                } else {
                    checkpointId++;
                    harness.prepareSnapshotPreBarrier(checkpointId); // as the task does before the barrier
                    OperatorSubtaskState snapshot = harness.snapshot(checkpointId, checkpointId);
                    EvaluateRules function = (EvaluateRules) ((EvaluateRulesOperator) harness.getTwoInputOperator()).getUserFunction();
                    run.cachedAtCheckpoints.add(function.hotKeysCached());
                    try (Stream<Object> keys = harness.getOperator().getKeyedStateBackend()
                            .getKeys(EvaluateRules.STATE.getName(), VoidNamespace.INSTANCE)) {
                        run.keysInBackendAtCheckpoints.add(keys.count());
                    }
                    if (s.restore) {
                        collect(harness, run);
                        harness.close();
                        harness = open(settings, rocksDb, snapshot, rules, minWeight);
                    }
                }
            }
            collect(harness, run);
        } finally {
            harness.close();
        }
        return run;
    }

    private static void collect(KeyedBroadcastOperatorTestHarness<String, GroupedTransaction, byte[], Alert> harness,
            Run run) {
        harness.extractOutputValues().forEach(a -> run.alerts.add(describe(a)));
        harness.getOutput().clear();
        var shadow = harness.getSideOutput(EvaluateRules.SHADOW_ALERTS);
        if (shadow != null) {
            shadow.forEach(a -> run.alerts.add("shadow " + describe(a.getValue())));
            shadow.clear();
        }
    }

    /** Everything an alert says but detected_at, which differs from run to run. */
    static String describe(Alert a) {
        return a.alertId + " r" + a.revision + " " + a.totalCents + " n" + a.txnCount + " [" + a.windowStartMillis + ","
                + a.windowEndMillis + ") " + String.join(",", a.txnIds);
    }

    /**
     * Keys taking turns, each with {@code perKey} transactions 100 ms apart and amounts of 0.01 to 1.00: a key crosses
     * the threshold about every 3,000 transactions, when an alert spends them.
     */
    private static List<Step> traffic(int perKey, List<String> keys, long seed, int checkpointEvery,
            boolean restore) {
        Random random = new Random(seed);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < perKey; i++) {
            long time = 1_000_000 + i * 100L;
            for (String key : keys) {
                steps.add(Step.txn(key + "-" + i, key, 1 + random.nextInt(100), time + random.nextInt(50)));
            }
            if (i % 50 == 49) {
                steps.add(Step.watermark(time - 1_000));
            }
            if (i % checkpointEvery == checkpointEvery - 1) {
                steps.add(Step.checkpoint(restore));
            }
        }
        return steps;
    }

    @Test
    void aHotKeyRaisesTheSameAlertsOnRocksDbAcrossCheckpointsAndRestoresAsOnTheHeap() throws Exception {
        List<Step> steps = traffic(7_000, List.of("A", "b"), 7, 1_000, true);
        steps.add(Step.watermark(Long.MAX_VALUE));
        Run heap = run(steps, false, 1_000_000);
        Run rocks = run(steps, true, 1_000_000);

        assertThat(heap.alerts).hasSizeGreaterThan(2);
        assertThat(rocks.alerts).isEqualTo(heap.alerts);
        assertThat(heap.cachedAtCheckpoints).containsOnly(0); // the heap needs no cache
        // Cached at every checkpoint (restored ones re-enter on their next transaction) but those right after an
        // alert spent their window (a key of under 500 transactions is written back and leaves).
        assertThat(rocks.cachedAtCheckpoints).containsExactly(2, 2, 0, 2, 2, 0, 2);
        assertThat(rocks.keysInBackendAtCheckpoints).containsOnly(2L); // written back before every barrier
    }

    @Test
    void overItsBudgetTheCacheWritesTheLeastRecentlyUsedKeysBack() throws Exception {
        List<Step> steps = traffic(4_000, List.of("A", "B", "C"), 11, 1_000, false);
        steps.add(Step.checkpoint(true));
        steps.add(Step.watermark(Long.MAX_VALUE));
        steps.add(Step.checkpoint(false));
        Run heap = run(steps, false, 1_000_000);
        Run rocks = run(steps, true, 2_500); // a 10-minute window of one key: at most 2 of the 3 fit

        assertThat(heap.alerts).hasSize(3);
        assertThat(rocks.alerts).isEqualTo(heap.alerts);
        // 1,000 transactions each: two fit; 2,000: one; ~3,000 (before the alerts): none, a key over the budget is
        // not cached; 1,000 again after the alerts: two.
        assertThat(rocks.cachedAtCheckpoints.subList(0, 5)).containsExactly(2, 1, 0, 2, 2);
        assertThat(rocks.keysInBackendAtCheckpoints.subList(0, 5)).containsOnly(3L);
        assertThat(rocks.cachedAtCheckpoints.get(5)).isZero(); // end of input: every state expired
        assertThat(rocks.keysInBackendAtCheckpoints.get(5)).isZero();
    }

    @Test
    void aRuleDeletedWhileItsKeysAreCachedLeavesNoStateBehind() throws Exception {
        List<Step> steps = traffic(2_000, List.of("A", "B"), 13, 10_000, false);
        steps.add(Step.command("{\"rule_id\":\"sum-10m\",\"version\":2,\"delete\":true}"));
        steps.add(Step.checkpoint(true));
        steps.addAll(traffic(10, List.of("A"), 17, 10_000, false).stream()
                .map(s -> s.txn == null ? s : Step.txn(s.txn.txnId + "'", "A", 1_000_000, s.txn.txnTimeMillis + 200_000))
                .collect(Collectors.toList()));
        steps.add(Step.checkpoint(false));
        Run rocks = run(steps, true, 1_000_000);

        assertThat(rocks.cachedAtCheckpoints).containsExactly(0, 0);
        assertThat(rocks.keysInBackendAtCheckpoints).containsExactly(0L, 0L);
        assertThat(rocks.alerts).isEqualTo(run(steps, false, 1_000_000).alerts);
    }

    @Test
    void aKeysWeightCountsItsWindowsIdsAndDistinctValues() {
        RuleState sliding = new RuleState(1);
        sliding.insert(new Event());
        sliding.insert(new Event());
        RuleState tumbling = new RuleState(2);
        WindowTotals w = new WindowTotals(0, true);
        w.idCount = 3;
        w.valueCount = 40; // a flood of distinct values into one WINDOW_CLOSE window weighs what it holds
        tumbling.addWindow(w);
        RuleStates held = new RuleStates();
        held.put("sliding", sliding);
        held.put("distinct", tumbling);
        assertThat(held.weight()).isEqualTo(2 + 1 + 3 + 40);
    }
}
