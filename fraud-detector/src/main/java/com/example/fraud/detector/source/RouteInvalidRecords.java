package com.example.fraud.detector.source;

import com.example.fraud.detector.FraudMetrics;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.RejectReason;
import com.example.fraud.model.Transaction;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Valid transactions go on; rejected records go to the dead-letter side output, counted by reason. */
public class RouteInvalidRecords extends ProcessFunction<ParsedRecord, Transaction> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("rejected") {};

    private transient Map<RejectReason, Counter> rejectedByReason;

    @Override
    public void open(org.apache.flink.configuration.Configuration parameters) {
        rejectedByReason = new EnumMap<>(RejectReason.class);
        for (RejectReason reason : RejectReason.values()) {
            rejectedByReason.put(reason,
                    FraudMetrics.group(getRuntimeContext()).addGroup("reason", reason.name()).counter("rejectedRecords"));
        }
    }

    @Override
    public void processElement(ParsedRecord record, Context ctx, Collector<Transaction> out) {
        if (record.isValid()) {
            out.collect(record.transaction);
        } else {
            rejectedByReason.get(RejectReason.valueOf(record.rejected.reason)).inc();
            ctx.output(REJECTED, record.rejected);
        }
    }
}
