package com.example.fraud.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The versioned rule set: for each rule id, the newest version seen, which is a rule or a deletion. A command applies
 * only if its version is newer, so re-reading the control stream from its start, or restoring an older snapshot of
 * the stream position, never goes back to an older version. Not thread-safe.
 */
public final class RuleBook {
    /** More rules than this are refused: each is evaluated on every transaction of its grouping. */
    public static final int MAX_RULES = 100;

    private final Map<String, RuleCommand> newest = new TreeMap<>();
    private List<Rule> live = List.of();

    /** The outcome of {@link #apply}: the ack, and whether anything changed. */
    public static final class Outcome {
        public final RuleAck ack;
        public final boolean changed;
        /** The version replaced, or null (new rule, rejection). */
        public final Rule previous;

        public Outcome(RuleAck ack, boolean changed, Rule previous) {
            this.ack = ack;
            this.changed = changed;
            this.previous = previous;
        }
    }

    public RuleBook() {}

    /** A book holding {@code rules}, e.g. the configured initial set; ids must be distinct. */
    public static RuleBook of(List<Rule> rules) {
        RuleBook b = new RuleBook();
        for (Rule r : rules) {
            if (b.newest.put(r.id(), RuleCommand.put(r)) != null) {
                throw new IllegalArgumentException("rule '" + r.id() + "' is given twice");
            }
        }
        b.refresh();
        return b;
    }

    /** Applies a command if it is newer than what the book holds for its rule id. */
    public Outcome apply(RuleCommand c, long nowMillis) {
        RuleCommand current = newest.get(c.ruleId());
        if (current != null && c.version() <= current.version()) {
            if (c.version() == current.version() && c.json().equals(current.json())) {
                return new Outcome(RuleAck.applied(c, nowMillis), false, null); // a retried put: already in force
            }
            return new Outcome(RuleAck.rejected(c, "version " + c.version()
                    + " is not newer than version " + current.version() + " (" + (current.isDelete() ? "deleted"
                    : "in force") + "); a change needs a higher version", nowMillis), false, null);
        }
        if (c.isDelete() && (current == null || current.isDelete())) {
            return new Outcome(RuleAck.rejected(c, "no such rule", nowMillis), false, null);
        }
        if (!c.isDelete() && (current == null || current.isDelete()) && live.size() >= MAX_RULES) {
            return new Outcome(RuleAck.rejected(c, "the job already has " + MAX_RULES
                    + " rules; delete one first", nowMillis), false, null);
        }
        newest.put(c.ruleId(), c);
        refresh();
        return new Outcome(RuleAck.applied(c, nowMillis), true, current == null ? null : current.rule());
    }

    /**
     * Merges a stored entry (restore) into the configured rules: the newer version wins, whichever side it is on. On
     * a tie the configuration wins, as on a start without a snapshot, where the control stream's record of that
     * version is read after the configuration and rejected. Returns the stored entry a tie discarded when its
     * document differs (a runtime change the new configuration overrides), else null, so the caller can report it.
     */
    public RuleCommand restore(RuleCommand stored) {
        RuleCommand current = newest.get(stored.ruleId());
        if (current == null || stored.version() > current.version()) {
            newest.put(stored.ruleId(), stored);
            refresh();
            return null;
        }
        return stored.version() == current.version() && !stored.json().equals(current.json()) ? stored : null;
    }

    /** The rules in force (not deleted), by id. */
    public List<Rule> rules() {
        return live;
    }

    /** The newest command per rule id, deletions included: what a snapshot must keep. */
    public Map<String, RuleCommand> entries() {
        return Collections.unmodifiableMap(newest);
    }

    public Rule rule(String id) {
        RuleCommand c = newest.get(id);
        return c == null ? null : c.rule();
    }

    private void refresh() {
        List<Rule> rules = new ArrayList<>();
        for (RuleCommand c : newest.values()) {
            if (!c.isDelete()) {
                rules.add(c.rule());
            }
        }
        live = Collections.unmodifiableList(rules);
    }
}
