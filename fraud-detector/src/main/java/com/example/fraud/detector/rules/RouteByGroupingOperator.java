package com.example.fraud.detector.rules;

import com.example.fraud.model.Transaction;
import java.util.List;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * The operator {@code process(BroadcastProcessFunction)} would build for {@link RouteByGrouping}, plus what a function
 * cannot see: each watermark the operator reaches (see {@link RouteByGrouping#watermarkReached}).
 */
public final class RouteByGroupingOperator
        extends CoBroadcastWithNonKeyedOperator<Transaction, byte[], GroupedTransaction> {
    private static final long serialVersionUID = 1L;

    private final RouteByGrouping route;

    public RouteByGroupingOperator(RouteByGrouping route) {
        super(route, List.of(BroadcastRuleSet.DESCRIPTOR));
        this.route = route;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        super.processWatermark(mark);
        route.watermarkReached(mark.getTimestamp());
    }
}
