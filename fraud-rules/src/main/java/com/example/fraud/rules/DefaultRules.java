package com.example.fraud.rules;

import com.example.fraud.model.Money;
import java.time.Duration;

/**
 * The rule set when none is configured: the detector's original rule, sum(amount) over a tumbling window strictly
 * above a threshold, per account.
 */
public final class DefaultRules {
    /** Its rule id; alert ids keep the form they had before rules were data. */
    public static final String SUM_OVER_THRESHOLD = "sum-over-threshold";

    private DefaultRules() {}

    /** Version 1 of the original rule with these parameters (the Detection settings). */
    public static Rule sumOverThreshold(long thresholdCents, long windowMillis, FiringMode firing) {
        String json = "{\"rule_id\":\"" + SUM_OVER_THRESHOLD + "\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
                + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"" + Duration.ofMillis(windowMillis) + "\"},"
                + "\"threshold\":" + Money.format(thresholdCents) + ",\"firing\":\"" + firing + "\"}";
        try {
            return RuleCodec.parse(json);
        } catch (RuleException e) {
            throw new IllegalArgumentException("not a valid default rule: " + e.getMessage(), e);
        }
    }
}
