package com.example.fraud.detector.rules;

import java.util.Collections;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/** The stream of rule commands (raw control-stream records) as the rule operators need it. */
public final class RuleCommands {
    /** The broadcast state both rule operators keep: rule id to the newest command's canonical JSON. */
    public static final MapStateDescriptor<String, String> BROADCAST_STATE = BroadcastRuleSet.DESCRIPTOR;

    private RuleCommands() {}

    /** No commands: the initial rules only (tests, benchmark, backtest). */
    @SuppressWarnings("deprecation")
    public static DataStream<byte[]> none(StreamExecutionEnvironment env) {
        return env.fromCollection(Collections.<byte[]>emptyList(), PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .name("No rule commands").uid("rule-commands-none");
    }

    /**
     * Commands carry no event time, and a connected operator's watermark is the minimum over its active inputs. A
     * command stream at the maximum watermark would let an idle transaction input jump event time to the end of
     * time (every open window closes, every later transaction is late); one with no watermark would hold detection
     * back forever. So the command stream is marked idle for good and never forwards a watermark: detection follows
     * the transactions' watermark alone.
     */
    public static DataStream<byte[]> withoutEventTime(DataStream<byte[]> commands) {
        // Same parallelism as the command source, so it is chained to it: a rebalance in between would let two
        // commands overtake each other on their way to the broadcast.
        return commands.transform("Rule commands: no event time", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO,
                new NoEventTime()).setParallelism(commands.getParallelism()).uid("rule-commands-no-event-time");
    }

    /** Forwards records only; idle from the start, whatever watermarks or statuses come from upstream. */
    static final class NoEventTime extends AbstractStreamOperator<byte[]> implements OneInputStreamOperator<byte[], byte[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public void open() throws Exception {
            super.open();
            output.emitWatermarkStatus(WatermarkStatus.IDLE);
        }

        @Override
        public void processElement(StreamRecord<byte[]> element) {
            output.collect(element);
        }

        @Override
        public void processWatermark(org.apache.flink.streaming.api.watermark.Watermark mark) {}

        @Override
        public void processWatermarkStatus(WatermarkStatus status) {}
    }
}
