package com.example.fraud.detector;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.MetricGroup;

/** Where the job's own counters live. */
public final class FraudMetrics {
    private FraudMetrics() {}

    /** MSF forwards custom metrics to CloudWatch only from the "kinesisanalytics" group. */
    public static MetricGroup group(RuntimeContext context) {
        return context.getMetricGroup().addGroup("kinesisanalytics");
    }
}
