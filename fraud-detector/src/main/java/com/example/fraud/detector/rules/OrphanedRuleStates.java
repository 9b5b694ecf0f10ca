package com.example.fraud.detector.rules;

import com.example.fraud.model.Grouping;
import com.example.fraud.rules.Rule;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * Rule states that a restore leaves without a rule. A rule of the configured initial set that is gone from it after
 * a restore (or now groups by another field) has state on many keys, and the evaluator only ever looks states up by
 * the ids of the rules in force: nothing would reach those entries again. (Changes by command are cleaned up on every
 * key when they arrive; this is about the configuration.) So the (grouping, rule id) pairs that may hold state are
 * kept in operator state; after a restore, each timer of a key removes the key's states of pairs no longer in force.
 * Every rule state has a pending timer, so every such state is reached once its key's timer fires.
 */
final class OrphanedRuleStates {
    private static final ListStateDescriptor<String> DESCRIPTOR =
            new ListStateDescriptor<>("rule-state-owners", Types.STRING);
    private static final String[] NONE = new String[0];

    private ListState<String> state;
    /** Rule ids per grouping that held state at the snapshot restored from. */
    private final Map<Grouping, String[]> restored = new EnumMap<>(Grouping.class);
    private final Set<String> restoredOwners = new LinkedHashSet<>();

    static String owner(Grouping grouping, String ruleId) {
        return grouping.name() + '/' + ruleId;
    }

    void initialize(FunctionInitializationContext context) throws Exception {
        state = context.getOperatorStateStore().getUnionListState(DESCRIPTOR);
        if (!context.isRestored()) {
            return;
        }
        Map<Grouping, List<String>> ids = new EnumMap<>(Grouping.class);
        for (String owner : state.get()) {
            int slash = owner.indexOf('/');
            Grouping g;
            try {
                g = Grouping.valueOf(owner.substring(0, Math.max(slash, 0)));
            } catch (IllegalArgumentException e) {
                continue; // a grouping this version does not know has no keys here either
            }
            if (restoredOwners.add(owner)) {
                ids.computeIfAbsent(g, k -> new ArrayList<>()).add(owner.substring(slash + 1));
            }
        }
        ids.forEach((g, list) -> restored.put(g, list.toArray(NONE)));
    }

    /** Removes the key's states of rules that held state at the snapshot and are not rules of its grouping now. */
    void removeFrom(MapState<String, ?> states, Grouping grouping, Rule[] inForce) throws Exception {
        for (String id : restored.getOrDefault(grouping, NONE)) {
            if (!contains(inForce, id) && states.contains(id)) {
                states.remove(id);
            }
        }
    }

    /** The rules in force, and those restored (until a later snapshot, their keys may not all have been reached). */
    void snapshot(List<String> inForce) throws Exception {
        Set<String> owners = new LinkedHashSet<>(restoredOwners);
        if (inForce != null) {
            owners.addAll(inForce);
        }
        state.update(new ArrayList<>(owners));
    }

    private static boolean contains(Rule[] rules, String id) {
        for (Rule r : rules) {
            if (r.id().equals(id)) {
                return true;
            }
        }
        return false;
    }
}
