package com.example.fraud.detector.rules;

import com.example.fraud.detector.FraudMetrics;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

/** Counters per rule id ({@code kinesisanalytics.rule.<id>.<name>}), created on first use and cached. */
final class RuleMetrics {
    private final RuntimeContext context;
    private final String name;
    private final Map<String, Counter> byRule = new HashMap<>();

    RuleMetrics(RuntimeContext context, String name) {
        this.context = context;
        this.name = name;
    }

    Counter of(String ruleId) {
        Counter c = byRule.get(ruleId);
        if (c == null) {
            c = FraudMetrics.group(context).addGroup("rule", ruleId).counter(name);
            byRule.put(ruleId, c);
        }
        return c;
    }
}
