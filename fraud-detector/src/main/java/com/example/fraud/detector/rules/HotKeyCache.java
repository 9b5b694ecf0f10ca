package com.example.fraud.detector.rules;

import com.example.fraud.detector.config.FraudDetectorOptions;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.KeyContext;

/**
 * The rule states of the busiest keys, kept deserialized between checkpoints when the state backend serializes
 * (RocksDB). Without it a flooded key's whole state, every transaction of its sliding look-backs, is read and
 * written on each of its transactions: quadratic in the key's traffic. A key enters once its states hold
 * {@link #MIN_WEIGHT} transactions and windows; the least recently used leave (written back) when the cache holds
 * more than its budget. What changed since is written to the backend before every checkpoint barrier
 * ({@link #writeBack}), so snapshots, restores and rescaling see the backend alone; a failure loses only what the
 * restore replays. A key heavier than the whole budget is not cached: {@code overBudget} counts its accesses. The
 * weights count a state's transactions, windows, and the windows' ids and distinct values. Task thread only.
 */
final class HotKeyCache {
    /** Below this weight a key's state costs little to (de)serialize. */
    static final int MIN_WEIGHT = FraudDetectorOptions.STATE_CACHE_MIN_WEIGHT;

    private final KeyContext keys;
    private final ValueState<RuleStates> backend;
    private final long budget;
    private final int minWeight;
    private final Counter overBudget;
    private final LinkedHashMap<String, Entry> cached = new LinkedHashMap<>(16, 0.75f, true);
    private long weight;

    private static final class Entry {
        final RuleStates states;
        long weight;
        /** Saved since the last write-back: an idle hot key is not rewritten at every checkpoint. */
        boolean dirty;

        Entry(RuleStates states) {
            this.states = states;
        }
    }

    HotKeyCache(KeyContext keys, ValueState<RuleStates> backend, long budget, int minWeight, Counter overBudget) {
        this.keys = keys;
        this.backend = backend;
        this.budget = budget;
        this.minWeight = minWeight;
        this.overBudget = overBudget;
    }

    /** The cached states of the current key, or null: then the backend holds them. */
    RuleStates get(String key) {
        Entry e = cached.get(key);
        return e == null ? null : e.states;
    }

    /**
     * Keeps the current key's states, changed or not: in the cache if they are heavy enough (or already there and
     * still half as heavy), else in the backend. Then writes back the least recently used over the budget.
     */
    void save(String key, RuleStates states) throws Exception {
        long w = states.weight();
        if (w > budget) {
            overBudget.inc();
        }
        Entry e = cached.get(key);
        if (e != null && (states.isEmpty() || w < minWeight / 2 || w > budget)) {
            cached.remove(key);
            weight -= e.weight;
            e = null;
        } else if (e == null && w >= minWeight && w <= budget) {
            e = new Entry(states);
            cached.put(key, e);
        }
        if (e == null) {
            write(states);
            return;
        }
        assert e.states == states : "a cached key's states are read from the cache and changed in place";
        weight += w - e.weight;
        e.weight = w;
        e.dirty = true;
        if (weight > budget) {
            evict(key);
        }
    }

    /** Least recently used first, never the current key (its states are the newest and within budget alone). */
    private void evict(String current) throws Exception {
        Iterator<Map.Entry<String, Entry>> it = cached.entrySet().iterator();
        while (weight > budget && it.hasNext()) {
            Map.Entry<String, Entry> oldest = it.next();
            if (oldest.getKey().equals(current)) {
                continue;
            }
            if (oldest.getValue().dirty) {
                keys.setCurrentKey(oldest.getKey());
                write(oldest.getValue().states);
            }
            weight -= oldest.getValue().weight;
            it.remove();
        }
        keys.setCurrentKey(current);
    }

    /** Writes what changed to the backend; with {@code empty}, also forgets every key (before the backend is scanned). */
    void writeBack(boolean empty) throws Exception {
        if (cached.isEmpty()) {
            return;
        }
        Object current = keys.getCurrentKey();
        for (Map.Entry<String, Entry> e : cached.entrySet()) {
            if (e.getValue().dirty) {
                keys.setCurrentKey(e.getKey());
                write(e.getValue().states);
                e.getValue().dirty = false;
            }
        }
        if (empty) {
            cached.clear();
            weight = 0;
        }
        if (current != null) {
            keys.setCurrentKey(current);
        }
    }

    int size() {
        return cached.size();
    }

    /** The transactions and windows cached, against the budget. */
    long weight() {
        return weight;
    }

    private void write(RuleStates states) throws Exception {
        if (states.isEmpty()) {
            backend.clear();
        } else {
            backend.update(states);
        }
    }
}
