package com.example.fraud.rules;

/** One record of the rules control stream: put a rule version, or delete a rule as of a version. */
public final class RuleCommand {
    private final String ruleId;
    private final long version;
    private final Rule rule;

    private RuleCommand(String ruleId, long version, Rule rule) {
        this.ruleId = ruleId;
        this.version = version;
        this.rule = rule;
    }

    public static RuleCommand put(Rule rule) {
        return new RuleCommand(rule.id(), rule.version(), rule);
    }

    public static RuleCommand delete(String ruleId, long version) {
        return new RuleCommand(ruleId, version, null);
    }

    public String ruleId() {
        return ruleId;
    }

    public long version() {
        return version;
    }

    /** The rule to put, or null for a delete. */
    public Rule rule() {
        return rule;
    }

    public boolean isDelete() {
        return rule == null;
    }

    /** The command's canonical JSON: the rule document, or the delete tombstone. */
    public String json() {
        return rule != null ? rule.json() : RuleCodec.deleteJson(ruleId, version);
    }
}
