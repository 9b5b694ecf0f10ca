package com.example.fraud.detector.rules;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.MetricGroup;

/** Where the job's own counters live. */
final class FraudMetrics {
    private FraudMetrics() {}

    /** MSF forwards custom metrics to CloudWatch only from the "kinesisanalytics" group. */
    static MetricGroup group(RuntimeContext context) {
        return context.getMetricGroup().addGroup("kinesisanalytics");
    }
}
