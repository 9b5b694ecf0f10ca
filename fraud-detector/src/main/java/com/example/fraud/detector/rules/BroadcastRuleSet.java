package com.example.fraud.detector.rules;

import com.example.fraud.model.Grouping;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleAck;
import com.example.fraud.rules.RuleBook;
import com.example.fraud.rules.RuleCodec;
import com.example.fraud.rules.RuleCommand;
import com.example.fraud.rules.RuleException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule set of one broadcast-connected operator: the configured initial rules, merged with the newest version of
 * each rule kept in broadcast state (rule id to canonical command JSON, deletions included). Every parallel instance
 * applies the same control records in the same order, so all hold the same set. Decoded once per restore and per
 * change, never per transaction.
 */
public final class BroadcastRuleSet implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final MapStateDescriptor<String, String> DESCRIPTOR =
            new MapStateDescriptor<>("rules", Types.STRING, Types.STRING);
    /**
     * Every rule in force (configured or changed at run time, rule id to rule JSON), as of the last change: kept by
     * the rule evaluator only, so that a restore can tell which versions the new configuration changed.
     */
    static final MapStateDescriptor<String, String> IN_FORCE =
            new MapStateDescriptor<>("rules-in-force", Types.STRING, Types.STRING);
    private static final Rule[] NONE = new Rule[0];
    private static final Logger LOG = LoggerFactory.getLogger(BroadcastRuleSet.class);

    private final List<String> initialRules;

    private transient RuleBook book;
    /** Stored entries that a version tie discarded at the last load, until {@link #initialize} drops them. */
    private transient List<String> replacedByConfiguration;
    /** The evaluator's {@link #IN_FORCE} state (null elsewhere); kept equal to the rules in force once recorded. */
    private transient BroadcastState<String, String> inForceState;
    private transient boolean inForceRecorded;
    private transient Map<Grouping, Rule[]> evaluatedByGrouping;
    private transient Map<Grouping, Rule[]> byGrouping;
    private transient Grouping[] evaluatedGroupings;
    private transient Rule[] inForce;

    public BroadcastRuleSet(List<Rule> initial) {
        List<String> json = new ArrayList<>();
        for (Rule r : initial) {
            json.add(r.json());
        }
        this.initialRules = json;
    }

    /** The set, loaded from broadcast state on first use after a (re)start. */
    public RuleBook book(ReadOnlyBroadcastState<String, String> state) throws Exception {
        if (book == null) {
            List<Rule> initial = new ArrayList<>();
            for (String json : initialRules) {
                initial.add(RuleCodec.parse(json));
            }
            RuleBook b = RuleBook.of(initial);
            replacedByConfiguration = new ArrayList<>();
            for (Map.Entry<String, String> e : state.immutableEntries()) {
                RuleCommand stored = RuleCodec.parseCommand(e.getValue().getBytes(StandardCharsets.UTF_8));
                RuleCommand discarded = b.restore(stored);
                if (discarded != null) {
                    LOG.warn("Rule '{}' version {}: the configuration's document replaces the one the job applied "
                            + "at run time with the same version ({}), as it would on a start without a snapshot; "
                            + "a change needs a higher version. Configured: {}", stored.ruleId(), stored.version(),
                            discarded.isDelete() ? "a deletion" : discarded.json(),
                            b.entries().get(stored.ruleId()).json());
                    replacedByConfiguration.add(stored.ruleId());
                }
            }
            book = b;
            index();
        }
        return book;
    }

    /**
     * At a (re)start, from the function's {@code initializeState}: loads the set, and removes from broadcast state the
     * runtime entries that a configured rule of the same version replaced, so that the configuration's document stays
     * the rule's on later restores too (and its WARN is given once), as it would after a start without a snapshot.
     */
    public void initialize(OperatorStateStore store) throws Exception {
        BroadcastState<String, String> state = store.getBroadcastState(DESCRIPTOR);
        book(state);
        for (String id : replacedByConfiguration) {
            state.remove(id);
        }
        replacedByConfiguration.clear();
    }

    /** Applies one control record; a record that is not a valid command is rejected and changes nothing. */
    public RuleBook.Outcome apply(BroadcastState<String, String> state, byte[] record, long nowMillis)
            throws Exception {
        RuleBook b = book(state);
        RuleCommand command;
        try {
            command = RuleCodec.parseCommand(record);
        } catch (RuleException e) {
            return new RuleBook.Outcome(RuleAck.rejected(e.ruleId(), 0,
                    RuleCodec.commandIdOf(record), e.getMessage(), nowMillis), false, null);
        }
        RuleBook.Outcome outcome = b.apply(command, nowMillis);
        if (outcome.changed) {
            state.put(command.ruleId(), command.json());
            index();
            if (inForceRecorded) {
                recordInForce(); // at most 100 entries, on a rule change
            }
        }
        return outcome;
    }

    /** A rule changed while the job was down (the configuration's new version, or a rollback), or at run time. */
    static final class Change {
        final Rule now;
        final Rule before;

        Change(Rule now, Rule before) {
            this.now = now;
            this.before = before;
        }
    }

    /**
     * After {@link #initialize}, for the rule evaluator: the rules in force whose document differs from the one in
     * force at the snapshot, with the same state shape (a new shape starts fresh anyway). A snapshot taken before they were
     * kept yields none. The stored set stays as it was until {@link #recordInForce}, so that a checkpoint taken
     * before the changes are decided finds them again after a failure.
     */
    List<Change> changesAcrossRestore(OperatorStateStore store) throws Exception {
        inForceState = store.getBroadcastState(IN_FORCE);
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<String, String> e : inForceState.immutableEntries()) {
            Rule before;
            try {
                before = RuleCodec.parse(e.getValue());
            } catch (RuleException unreadable) { // written by this code, so only by another release of it
                LOG.warn("Rule '{}' in force at the snapshot cannot be read by this release ({}): not compared with "
                        + "the rule now in force", e.getKey(), unreadable.getMessage());
                continue;
            }
            Rule now = book.rule(e.getKey());
            // the document, not only the version: a configured rule edited without a new version (or winning a
            // version tie) changed what is in force too
            if (now != null && !now.json().equals(before.json()) && now.stateSignature() == before.stateSignature()) {
                changes.add(new Change(now, before));
            }
        }
        return changes;
    }

    /** Once the changes across the restore are decided: stores the rules in force, and keeps them so from then on. */
    void recordInForce() throws Exception {
        inForceState.clear();
        for (Rule r : book.rules()) {
            inForceState.put(r.id(), r.json());
        }
        inForceRecorded = true;
    }

    /** The ACTIVE and SHADOW rules that group by {@code grouping}. */
    Rule[] evaluated(Grouping grouping) {
        return evaluatedByGrouping.getOrDefault(grouping, NONE);
    }

    /** Every rule in force (paused ones too: they keep state) that groups by {@code grouping}. */
    Rule[] all(Grouping grouping) {
        return byGrouping.getOrDefault(grouping, NONE);
    }

    /** The groupings that at least one ACTIVE or SHADOW rule uses. */
    Grouping[] evaluatedGroupings() {
        return evaluatedGroupings;
    }

    /**
     * Until when (exclusive, as {@code RuleLogic.countableUntil}) any rule in force could still count a transaction
     * of time {@code t}; paused rules too, as they may be resumed. {@code Long.MIN_VALUE} with no rule in force.
     */
    public long countableUntil(long t, long allowedLatenessMillis) {
        long until = Long.MIN_VALUE;
        for (Rule r : inForce) {
            until = Math.max(until, r.logic().countableUntil(t, allowedLatenessMillis));
        }
        return until;
    }

    private void index() {
        inForce = book.rules().toArray(NONE);
        evaluatedByGrouping = byGrouping(true);
        byGrouping = byGrouping(false);
        evaluatedGroupings = evaluatedByGrouping.keySet().toArray(new Grouping[0]);
    }

    private Map<Grouping, Rule[]> byGrouping(boolean evaluatedOnly) {
        Map<Grouping, List<Rule>> by = new EnumMap<>(Grouping.class);
        for (Rule r : book.rules()) {
            if (r.evaluated() || !evaluatedOnly) {
                by.computeIfAbsent(r.grouping(), g -> new ArrayList<>()).add(r);
            }
        }
        Map<Grouping, Rule[]> arrays = new EnumMap<>(Grouping.class);
        by.forEach((g, rules) -> arrays.put(g, rules.toArray(NONE)));
        return arrays;
    }
}
