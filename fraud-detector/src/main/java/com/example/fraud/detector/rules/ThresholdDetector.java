package com.example.fraud.detector.rules;

import com.example.fraud.detector.FraudMetrics;
import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.config.FiringMode;
import com.example.fraud.model.Alert;
import com.example.fraud.model.Alert.Trigger;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.RejectReason;
import com.example.fraud.model.Timestamps;
import com.example.fraud.model.Transaction;
import com.example.fraud.model.TransactionCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The rule: per account, per tumbling event-time window, flag when sum(amount) &gt; threshold, once.
 *
 * <p>State is one map entry per open window (start millis to {@link WindowTotals}); one event-time timer
 * per window removes it when the watermark passes {@code end + allowed lateness}, so nothing outlives
 * its window. In {@link FiringMode#EARLY} the alert fires on the crossing transaction; in
 * {@link FiringMode#WINDOW_CLOSE} on a timer at the window's end. Either way an alerted window never
 * alerts again. A transaction whose window is already gone is sent to {@link #LATE} with reason LATE.
 */
public class ThresholdDetector extends KeyedProcessFunction<String, Transaction, Alert> {
    private static final long serialVersionUID = 1L;

    public static final String RULE = Alert.SUM_OVER_THRESHOLD;
    public static final OutputTag<DeadLetter> LATE = new OutputTag<>("late") {};

    private final DetectionSettings settings;

    private transient MapState<Long, WindowTotals> windows;
    private transient Counter lateTransactions;
    private transient Counter alertsEmitted;

    public ThresholdDetector(DetectionSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(Configuration parameters) {
        windows = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("windows", Types.LONG, TypeInformation.of(WindowTotals.class)));
        lateTransactions = FraudMetrics.group(getRuntimeContext()).counter("lateTransactions");
        alertsEmitted = FraudMetrics.group(getRuntimeContext()).counter("alertsEmitted");
    }

    @Override
    public void processElement(Transaction txn, Context ctx, Collector<Alert> out) throws Exception {
        long size = settings.windowMillis();
        long start = txn.txnTimeMillis - Math.floorMod(txn.txnTimeMillis, size);
        long lastMillis = start + size - 1;
        long watermark = ctx.timerService().currentWatermark();

        if (lastMillis + settings.allowedLatenessMillis() <= watermark) {
            lateTransactions.inc();
            ctx.output(LATE, late(txn, start, watermark));
            return;
        }

        WindowTotals totals = windows.get(start);
        if (totals == null) {
            totals = new WindowTotals();
            ctx.timerService().registerEventTimeTimer(lastMillis + settings.allowedLatenessMillis());
            if (settings.firing() == FiringMode.WINDOW_CLOSE) {
                ctx.timerService().registerEventTimeTimer(lastMillis);
            }
        } else if (totals.alerted) {
            return; // the window's one alert is out: nothing more to learn from it
        }

        totals.add(txn.txnId, txn.amountCents, settings.maxTxnIds());
        boolean closed = watermark >= lastMillis;
        if (totals.totalCents > settings.thresholdCents() && (closed || settings.firing() == FiringMode.EARLY)) {
            out.collect(alert(ctx.getCurrentKey(), start, totals, closed ? Trigger.LATE_TRANSACTION : Trigger.CROSSING));
            totals.alerted = true;
        }
        windows.put(start, totals);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        long size = settings.windowMillis();
        List<Long> expired = new ArrayList<>(2);
        for (Map.Entry<Long, WindowTotals> entry : windows.entries()) {
            long start = entry.getKey();
            long lastMillis = start + size - 1;
            WindowTotals totals = entry.getValue();
            if (lastMillis <= timestamp && !totals.alerted && totals.totalCents > settings.thresholdCents()) {
                // Only WINDOW_CLOSE can get here: EARLY alerts as soon as the sum crosses.
                out.collect(alert(ctx.getCurrentKey(), start, totals, Trigger.WINDOW_CLOSE));
                totals.alerted = true;
                entry.setValue(totals);
            }
            if (lastMillis + settings.allowedLatenessMillis() <= timestamp) {
                expired.add(start);
            }
        }
        for (Long start : expired) {
            windows.remove(start);
        }
    }

    private Alert alert(String accountId, long start, WindowTotals totals, Trigger trigger) {
        alertsEmitted.inc();
        Alert a = new Alert();
        a.alertId = Alert.alertId(RULE, accountId, start);
        a.rule = RULE;
        a.accountId = accountId;
        a.windowStartMillis = start;
        a.windowEndMillis = start + settings.windowMillis();
        a.totalCents = totals.totalCents;
        a.txnCount = totals.txnCount;
        a.thresholdCents = settings.thresholdCents();
        a.txnIds = totals.txnIds;
        a.detectedAtMillis = System.currentTimeMillis();
        a.trigger = trigger.name();
        return a;
    }

    private DeadLetter late(Transaction txn, long start, long watermark) {
        String detail = "window [" + Timestamps.format(start) + ", " + Timestamps.format(start + settings.windowMillis())
                + ") closed; watermark " + Timestamps.format(watermark) + " is past its end plus the allowed lateness";
        return settings.deadLetterPayload().deadLetter(RejectReason.LATE, detail, TransactionCodec.encode(txn),
                txn.accountId, System.currentTimeMillis());
    }
}
