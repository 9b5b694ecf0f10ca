package com.example.fraud.it.cluster;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * A tiny unbounded streaming job for {@link FlinkClusterTest}: numbers, throttled, counted per key in keyed
 * state (so savepoints carry state), into a discarding sink. Packaged into a jar at test time; it needs
 * nothing but the DataStream API that the cluster provides.
 *
 * <p>Arguments: {@code --sleep-ms N} pause per record in each subtask (default 5).
 */
public final class SlowCountingJob {

    private SlowCountingJob() {}

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        long sleepMs = params.getLong("sleep-ms", 5);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromSequence(0, Long.MAX_VALUE).name("Numbers").uid("numbers")
                .map(new Throttle(sleepMs)).name("Throttle").uid("throttle")
                .keyBy(new Modulo())
                .process(new CountPerKey()).name("Count per key").uid("count-per-key")
                .sinkTo(new DiscardingSink<>()).name("Discard").uid("discard");
        env.execute("slow-counting-job");
    }

    static final class Throttle implements MapFunction<Long, Long> {
        private final long sleepMs;

        Throttle(long sleepMs) {
            this.sleepMs = sleepMs;
        }

        @Override
        public Long map(Long value) throws Exception {
            Thread.sleep(sleepMs);
            return value;
        }
    }

    static final class Modulo implements KeySelector<Long, Long> {
        @Override
        public Long getKey(Long value) {
            return value % 8;
        }
    }

    static final class CountPerKey extends KeyedProcessFunction<Long, Long, Long> {
        private transient ValueState<Long> count;

        @Override
        public void open(Configuration parameters) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Long.class));
        }

        @Override
        public void processElement(Long value, Context ctx, Collector<Long> out) throws Exception {
            long next = (count.value() == null ? 0 : count.value()) + 1;
            count.update(next);
            out.collect(next);
        }
    }
}
