package com.example.fraud.rules;

/** An invalid rule document or command. The message names the rule (when known) and the field. */
public class RuleException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String ruleId;
    private final String field;
    private final String problem;

    public RuleException(String ruleId, String field, String problem) {
        super((ruleId == null ? "rule" : "rule '" + ruleId + "'") + (field == null ? "" : ", field '" + field + "'")
                + ": " + problem);
        this.ruleId = ruleId;
        this.field = field;
        this.problem = problem;
    }

    /** Null when the document has no readable rule_id. */
    public String ruleId() {
        return ruleId;
    }

    /** Null when the problem is not about one field. */
    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}
