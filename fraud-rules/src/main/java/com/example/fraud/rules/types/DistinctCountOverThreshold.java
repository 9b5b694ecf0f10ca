package com.example.fraud.rules.types;

import com.example.fraud.model.Alert;
import com.example.fraud.model.DistinctField;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.FiringMode;
import com.example.fraud.rules.Window;

/** At least {@code min_distinct} distinct merchants, countries or cards in a window. */
public final class DistinctCountOverThreshold extends WindowedAggregate {
    private static final long serialVersionUID = 1L;

    private final DistinctField field;
    private final int minDistinct;

    public DistinctCountOverThreshold(Window window, FiringMode firing, DistinctField field, int minDistinct) {
        super(window, firing);
        this.field = field;
        this.minDistinct = minDistinct;
    }

    public DistinctField field() {
        return field;
    }

    public int minDistinct() {
        return minDistinct;
    }

    @Override
    protected boolean countsDistinct() {
        return true;
    }

    @Override
    protected String valueOf(Transaction txn) {
        return field.valueOf(txn);
    }

    @Override
    public boolean applies(Transaction txn) {
        return field.valueOf(txn) != null;
    }

    @Override
    protected boolean crosses(long totalCents, int count, int distinct) {
        return distinct >= minDistinct;
    }

    @Override
    protected void describe(Alert a) {
        a.threshold = minDistinct;
        a.distinctField = field;
    }

    @Override
    public long signature() {
        return Signatures.of("DISTINCT:" + field.name(), window);
    }
}
