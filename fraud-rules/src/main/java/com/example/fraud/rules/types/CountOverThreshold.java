package com.example.fraud.rules.types;

import com.example.fraud.model.Alert;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.FiringMode;
import com.example.fraud.rules.Window;

/** At least {@code min_count} transactions in a window: velocity. */
public final class CountOverThreshold extends WindowedAggregate {
    private static final long serialVersionUID = 1L;

    private final int minCount;

    public CountOverThreshold(Window window, FiringMode firing, int minCount) {
        super(window, firing);
        this.minCount = minCount;
    }

    public int minCount() {
        return minCount;
    }

    @Override
    protected boolean crosses(long totalCents, int count, int distinct) {
        return count >= minCount;
    }

    @Override
    protected void describe(Alert a) {
        a.threshold = minCount;
    }

    @Override
    public boolean applies(Transaction txn) {
        return true;
    }

    @Override
    public long signature() {
        return Signatures.of("COUNT", window);
    }
}
