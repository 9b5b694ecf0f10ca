package com.example.fraud.bench;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;

/** Counts what reaches it into a job accumulator, so each contender's result can be cross-checked. */
final class CountingSink<T> extends RichSinkFunction<T> {
    private static final long serialVersionUID = 1L;

    private final String name;
    private transient LongCounter counter;

    CountingSink(String name) {
        this.name = name;
    }

    @Override
    public void open(Configuration parameters) {
        counter = new LongCounter();
        getRuntimeContext().addAccumulator(name, counter);
    }

    @Override
    public void invoke(T value, Context context) {
        counter.add(1);
    }
}
