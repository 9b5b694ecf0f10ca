package com.example.fraud.detector.rules;

import java.util.Collections;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

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
     * Commands carry no event time, and a connected operator's watermark is the minimum of its inputs: so the command
     * stream announces "no event time will ever come from here" (the maximum watermark) and never holds back
     * detection.
     */
    public static DataStream<byte[]> withoutEventTime(DataStream<byte[]> commands) {
        WatermarkStrategy<byte[]> strategy = WatermarkStrategy.forGenerator(ctx -> new NoEventTime());
        return commands.assignTimestampsAndWatermarks(strategy).name("Rule commands: no event time")
                .uid("rule-commands-watermarks");
    }

    private static final class NoEventTime implements WatermarkGenerator<byte[]> {
        @Override
        public void onEvent(byte[] event, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(Long.MAX_VALUE));
        }
    }
}
