package com.example.fraud.detector.rules;

import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * The watermark a rule operator had reached when its last checkpoint or savepoint was taken. Flink does not keep
 * watermarks across a restore: a restored job starts again from the lowest one, while its state has already closed
 * and forgotten windows. A transaction that was unread at the snapshot (a shard held back, then marked idle) would
 * then count as on time, find its window alerted or gone, and be skipped without a trace, or counted into a fresh
 * window. With this floor it is LATE, as it would have been without the restore.
 *
 * <p>Each subtask snapshots the highest watermark it has seen; on restore, as union state, every subtask takes the
 * lowest of them: all had reached at least that. The floor is only a lower bound on the watermark at the snapshot
 * (it was seen with the last record or timer), so it never makes a transaction late that was not.
 */
final class RestoredWatermark {
    private static final ListStateDescriptor<Long> DESCRIPTOR = new ListStateDescriptor<>("watermark", Types.LONG);

    private ListState<Long> state;
    private long floor = Long.MIN_VALUE;
    private long highest = Long.MIN_VALUE;

    void initialize(FunctionInitializationContext context) throws Exception {
        state = context.getOperatorStateStore().getUnionListState(DESCRIPTOR);
        if (context.isRestored()) {
            long lowest = Long.MAX_VALUE;
            for (Long w : state.get()) {
                lowest = Math.min(lowest, w);
            }
            floor = lowest == Long.MAX_VALUE ? Long.MIN_VALUE : lowest; // none kept: a savepoint from before
        }
        highest = floor;
    }

    /** The watermark to decide with: the operator's current one, but never below the restored floor. */
    long effective(long current) {
        // The end of input (a drain) is not kept: after resuming, later transactions must not all be late; the
        // watermark before it is kept instead, by the router and the evaluator alike.
        if (current > highest && current != Long.MAX_VALUE) {
            highest = current;
        }
        return Math.max(current, floor);
    }

    void snapshot() throws Exception {
        state.update(List.of(highest));
    }
}
