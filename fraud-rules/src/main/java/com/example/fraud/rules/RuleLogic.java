package com.example.fraud.rules;

import com.example.fraud.model.Alert;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.state.RuleState;
import java.io.Serializable;
import java.util.List;

/**
 * The decisions of one rule type over one key's {@link RuleState}. No Flink: the job's operator, the generator's
 * ground truth and the backtest call exactly these methods, in the same order per key, so they agree. Calls for one
 * state must come from one thread.
 */
public interface RuleLogic extends Serializable {
    /** Whether the transaction carries the fields this rule reads besides its grouping; if not, the rule skips it. */
    boolean applies(Transaction txn);

    /** The last watermark at which a transaction of this time still counts; once the watermark reaches it, late. */
    long countableUntil(long txnTimeMillis, long allowedLatenessMillis);

    /** Counts a transaction (one that applies and is not late) and adds the alerts it decides to {@code out}. */
    void onTransaction(RuleState state, Transaction txn, Evaluation ctx, List<Alert> out);

    /** The watermark has advanced to {@code ctx.watermark}: fire what closes, forget what can no longer matter. */
    void onWatermark(RuleState state, Evaluation ctx, List<Alert> out);

    /**
     * A new version of the rule with the same {@link #signature} (another limit, firing or mode) has taken over this
     * state while the job runs: decide now what the new version decides on the state as it stands (an open window
     * already over a lowered limit), rather than on the key's next transaction, which may never come. Called only
     * for a version that is evaluated (ACTIVE or SHADOW), {@code ctx.rule} being the new version and {@code previous}
     * the one it replaces. The caller then schedules {@link #nextTimer} again. Default: nothing to decide.
     */
    default void onNewVersion(RuleState state, Rule previous, Evaluation ctx, List<Alert> out) {}

    /**
     * The first watermark after {@code watermark} at which {@link #onWatermark} has work for this state (a window to
     * close, something to forget); Long.MAX_VALUE when it is empty.
     */
    long nextTimer(RuleState state, long allowedLatenessMillis, long watermark);

    /**
     * The parameters that give the state its meaning (window kind and size, grouping, counted field). A new rule
     * version with another signature starts from empty state; thresholds are not part of it, so a changed
     * threshold applies to open windows.
     */
    long signature();
}
