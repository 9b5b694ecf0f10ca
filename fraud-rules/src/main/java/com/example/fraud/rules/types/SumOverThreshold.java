package com.example.fraud.rules.types;

import com.example.fraud.model.Alert;
import com.example.fraud.rules.FiringMode;
import com.example.fraud.rules.Window;

/** sum(amount) in a window strictly greater than {@code threshold}: large spending in a short time. */
public final class SumOverThreshold extends WindowedAggregate {
    private static final long serialVersionUID = 1L;

    private final long thresholdCents;

    public SumOverThreshold(Window window, FiringMode firing, long thresholdCents) {
        super(window, firing);
        this.thresholdCents = thresholdCents;
    }

    public long thresholdCents() {
        return thresholdCents;
    }

    @Override
    protected boolean crosses(long totalCents, int count, int distinct) {
        return totalCents > thresholdCents;
    }

    @Override
    protected void describe(Alert a) {
        a.threshold = thresholdCents;
    }

    @Override
    public boolean applies(com.example.fraud.model.Transaction txn) {
        return true;
    }

    @Override
    public long signature() {
        return Signatures.of("SUM", window);
    }
}
