package com.example.fraud.rules;

import com.example.fraud.model.Grouping;
import com.example.fraud.model.RuleMode;
import com.example.fraud.model.RuleType;
import java.io.Serializable;

/**
 * A validated rule document: id, version, type, grouping, mode, and its type's logic with the parameters. Immutable.
 * Made only by {@link RuleCodec}, which also gives its canonical JSON ({@link #json()}), the form kept in state.
 */
public final class Rule implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final long version;
    private final RuleType type;
    private final Grouping grouping;
    private final RuleMode mode;
    private final RuleLogic logic;
    private final String json;
    private final long stateSignature;

    Rule(String id, long version, RuleType type, Grouping grouping, RuleMode mode, RuleLogic logic, String json) {
        this.id = id;
        this.version = version;
        this.type = type;
        this.grouping = grouping;
        this.mode = mode;
        this.logic = logic;
        this.json = json;
        this.stateSignature = logic.signature() * 31 + grouping.name().hashCode();
    }

    public String id() {
        return id;
    }

    public long version() {
        return version;
    }

    public RuleType type() {
        return type;
    }

    public Grouping grouping() {
        return grouping;
    }

    public RuleMode mode() {
        return mode;
    }

    public RuleLogic logic() {
        return logic;
    }

    /** The canonical JSON document: defaults filled in, fields in a fixed order. */
    public String json() {
        return json;
    }

    /** Whether the rule is evaluated (ACTIVE or SHADOW). */
    public boolean evaluated() {
        return mode != RuleMode.PAUSED;
    }

    /**
     * What the rule's keyed state means; a version with another signature starts fresh. Includes the grouping
     * (state is per key) and the logic's own signature (window, counted field), never limits or mode.
     */
    public long stateSignature() {
        return stateSignature; // computed once: it is read for every transaction
    }

    @Override
    public String toString() {
        return id + " v" + version + " " + type + " by " + grouping.field() + " " + mode;
    }
}
