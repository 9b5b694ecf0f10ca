package com.example.fraud.detector.rules;

import com.example.fraud.rules.state.RuleState;
import java.util.Arrays;

/**
 * The rule states of one key of one grouping, by rule id: one state read and one write per transaction and key
 * instead of one per rule. A key holds a state for a handful of rules at most, so lookups scan.
 */
public final class RuleStates {
    private String[] ids;
    private RuleState[] states;
    private int size;

    public RuleStates() {
        this(2);
    }

    public RuleStates(int capacity) {
        ids = new String[Math.max(capacity, 1)];
        states = new RuleState[ids.length];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public String id(int i) {
        return ids[i];
    }

    public RuleState state(int i) {
        return states[i];
    }

    /** The transactions, windows and the windows' ids and distinct values its states hold: what (de)serializing costs. */
    public long weight() {
        long w = 0;
        for (int i = 0; i < size; i++) {
            RuleState s = states[i];
            w += s.size + s.windowCount + s.alertedWindows.length + s.shadowAlertedWindows.length;
            for (int j = 0; j < s.windowCount; j++) {
                w += s.windows[j].idCount + s.windows[j].valueCount;
            }
        }
        return w;
    }

    public RuleState get(String id) {
        for (int i = 0; i < size; i++) {
            if (ids[i].equals(id)) {
                return states[i];
            }
        }
        return null;
    }

    public void put(String id, RuleState state) {
        for (int i = 0; i < size; i++) {
            if (ids[i].equals(id)) {
                states[i] = state;
                return;
            }
        }
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
            states = Arrays.copyOf(states, size * 2);
        }
        ids[size] = id;
        states[size++] = state;
    }

    /** Whether there was a state for {@code id}. */
    public boolean remove(String id) {
        for (int i = 0; i < size; i++) {
            if (ids[i].equals(id)) {
                removeAt(i);
                return true;
            }
        }
        return false;
    }

    public void removeAt(int i) {
        System.arraycopy(ids, i + 1, ids, i, size - i - 1);
        System.arraycopy(states, i + 1, states, i, size - i - 1);
        size--;
        ids[size] = null;
        states[size] = null;
    }
}
