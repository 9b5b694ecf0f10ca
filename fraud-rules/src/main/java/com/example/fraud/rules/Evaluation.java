package com.example.fraud.rules;

import com.example.fraud.model.Alert;

/**
 * The call context of {@link RuleLogic}: which rule and key, the event-time watermark, and the job-wide settings.
 * Mutable and reused by its owner for every call, so the hot path allocates nothing for it.
 */
public final class Evaluation {
    public Rule rule;
    public String key;
    public long watermark = Long.MIN_VALUE;
    public long allowedLatenessMillis;
    /** How many transaction ids an alert quotes at most. */
    public int maxTxnIds = 100;
    /** Wall-clock time for {@code detected_at}. */
    public long nowMillis;

    public Evaluation() {}

    public Evaluation(long allowedLatenessMillis, int maxTxnIds) {
        this.allowedLatenessMillis = allowedLatenessMillis;
        this.maxTxnIds = maxTxnIds;
    }

    public Evaluation at(Rule rule, String key, long watermark, long nowMillis) {
        this.rule = rule;
        this.key = key;
        this.watermark = watermark;
        this.nowMillis = nowMillis;
        return this;
    }

    /** An alert with the rule's header and the key filled in; the rule type adds interval and evidence. */
    public Alert newAlert(String anchor, String accountId) {
        Alert a = new Alert();
        a.alertId = Alert.alertId(rule.id(), key, anchor);
        a.ruleId = rule.id();
        a.ruleVersion = rule.version();
        a.ruleType = rule.type();
        a.mode = rule.mode();
        a.groupBy = rule.grouping();
        a.groupKey = key;
        a.accountId = accountId;
        a.detectedAtMillis = nowMillis;
        return a;
    }
}
