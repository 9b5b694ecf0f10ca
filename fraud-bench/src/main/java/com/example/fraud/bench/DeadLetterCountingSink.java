package com.example.fraud.bench;

import com.example.fraud.model.DeadLetter;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;

/** Counts dead letters into the accumulator "deadLetters" and per reason into "deadLetters:REASON" (LATE, ...). */
final class DeadLetterCountingSink extends RichSinkFunction<DeadLetter> {
    private static final long serialVersionUID = 1L;

    private transient LongCounter all;
    private transient Map<String, LongCounter> byReason;

    @Override
    public void open(Configuration parameters) {
        all = new LongCounter();
        getRuntimeContext().addAccumulator("deadLetters", all);
        byReason = new HashMap<>();
    }

    @Override
    public void invoke(DeadLetter d, Context context) {
        all.add(1);
        LongCounter c = byReason.get(d.reason);
        if (c == null) {
            c = new LongCounter();
            getRuntimeContext().addAccumulator("deadLetters:" + d.reason, c);
            byReason.put(d.reason, c);
        }
        c.add(1);
    }
}
