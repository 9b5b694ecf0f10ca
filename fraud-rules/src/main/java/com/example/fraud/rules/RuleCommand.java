package com.example.fraud.rules;

/**
 * One record of the rules control stream: put a rule version, or delete a rule as of a version. A command may carry a
 * {@code command_id}, which the job echoes in its acknowledgement so that the sender finds the answer to its own
 * record; it is not part of the rule and is never stored.
 */
public final class RuleCommand {
    private final String ruleId;
    private final long version;
    private final Rule rule;
    private final String commandId;

    private RuleCommand(String ruleId, long version, Rule rule, String commandId) {
        this.ruleId = ruleId;
        this.version = version;
        this.rule = rule;
        this.commandId = commandId;
    }

    public static RuleCommand put(Rule rule) {
        return new RuleCommand(rule.id(), rule.version(), rule, null);
    }

    public static RuleCommand delete(String ruleId, long version) {
        return new RuleCommand(ruleId, version, null, null);
    }

    /** The same command, sent under {@code commandId} (see {@link RuleCodec#checkCommandId}). */
    public RuleCommand withCommandId(String commandId) {
        return new RuleCommand(ruleId, version, rule, commandId);
    }

    /** The sender's id for this record, or null. */
    public String commandId() {
        return commandId;
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

    /** The command's canonical JSON: the rule document, or the delete tombstone; without the command id. */
    public String json() {
        return rule != null ? rule.json() : RuleCodec.deleteJson(ruleId, version);
    }

    /** The control-stream record to send: the canonical JSON with the command id, if any. */
    public String record() {
        return commandId == null ? json() : RuleCodec.withCommandId(json(), commandId);
    }
}
