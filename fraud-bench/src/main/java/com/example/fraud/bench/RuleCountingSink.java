package com.example.fraud.bench;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;

/** Counts alerts per rule id into job accumulators named {@code alerts:<rule id>}, and all of them into "alerts". */
final class RuleCountingSink<T> extends RichSinkFunction<T> {
    private static final long serialVersionUID = 1L;

    /** The rule id of an output record. */
    interface RuleOf<T> extends Serializable {
        String ruleId(T value);
    }

    private final List<String> ruleIds;
    private final RuleOf<T> ruleOf;
    private transient Map<String, LongCounter> counters;
    private transient LongCounter all;

    RuleCountingSink(List<String> ruleIds, RuleOf<T> ruleOf) {
        this.ruleIds = ruleIds;
        this.ruleOf = ruleOf;
    }

    @Override
    public void open(Configuration parameters) {
        counters = new HashMap<>();
        for (String id : ruleIds) {
            LongCounter c = new LongCounter();
            getRuntimeContext().addAccumulator("alerts:" + id, c);
            counters.put(id, c);
        }
        all = new LongCounter();
        getRuntimeContext().addAccumulator("alerts", all);
    }

    @Override
    public void invoke(T value, Context context) {
        all.add(1);
        LongCounter c = counters.get(ruleOf.ruleId(value));
        if (c != null) {
            c.add(1);
        }
    }
}
