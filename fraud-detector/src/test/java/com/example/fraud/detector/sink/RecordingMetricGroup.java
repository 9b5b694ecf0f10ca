package com.example.fraud.detector.sink;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.OperatorIOMetricGroup;
import org.apache.flink.metrics.groups.OperatorMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/**
 * An operator's metric group that registers counters and gauges by their dotted path, with one set of I/O counters.
 */
final class RecordingMetricGroup extends UnregisteredMetricsGroup implements OperatorMetricGroup {
    private final String prefix;
    private final Map<String, Counter> counters;
    private final Map<String, Gauge<?>> gauges;
    private final OperatorIOMetricGroup io;

    RecordingMetricGroup(Map<String, Counter> counters) {
        this(counters, new ConcurrentHashMap<>());
    }

    RecordingMetricGroup(Map<String, Counter> counters, Map<String, Gauge<?>> gauges) {
        this("", counters, gauges, new FixedIoGroup());
    }

    private RecordingMetricGroup(String prefix, Map<String, Counter> counters, Map<String, Gauge<?>> gauges,
            OperatorIOMetricGroup io) {
        this.prefix = prefix;
        this.counters = counters;
        this.gauges = gauges;
        this.io = io;
    }

    @Override
    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
        gauges.putIfAbsent(prefix + name, gauge);
        return gauge;
    }

    @Override
    public Counter counter(String name) {
        return counter(name, new SimpleCounter());
    }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
        counters.putIfAbsent(prefix + name, counter);
        return counter;
    }

    @Override
    public MetricGroup addGroup(String name) {
        return new RecordingMetricGroup(prefix + name + ".", counters, gauges, io);
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
        return new RecordingMetricGroup(prefix + key + "." + value + ".", counters, gauges, io);
    }

    @Override
    public OperatorIOMetricGroup getIOMetricGroup() {
        return io;
    }

    /** The same counters on every call, as the runtime's. */
    private static final class FixedIoGroup extends UnregisteredMetricsGroup implements OperatorIOMetricGroup {
        private final Counter recordsIn = new SimpleCounter();
        private final Counter recordsOut = new SimpleCounter();
        private final Counter bytesIn = new SimpleCounter();
        private final Counter bytesOut = new SimpleCounter();

        @Override
        public Counter getNumRecordsInCounter() {
            return recordsIn;
        }

        @Override
        public Counter getNumRecordsOutCounter() {
            return recordsOut;
        }

        @Override
        public Counter getNumBytesInCounter() {
            return bytesIn;
        }

        @Override
        public Counter getNumBytesOutCounter() {
            return bytesOut;
        }
    }
}
