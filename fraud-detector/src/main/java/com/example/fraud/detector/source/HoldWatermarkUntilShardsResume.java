package com.example.fraud.detector.source;

import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Chained to the Kinesis consumer: after a restore, holds its watermarks (and an idle status) back until every shard
 * this subtask had read since it last started has delivered a record again, or {@code watermark.idle.timeout} has
 * passed since the operator opened. The consumer leaves a shard out of its watermark until the shard delivers, and
 * after a restart none has: without this, the first shard to deliver sets the watermark alone, and another shard's
 * replayed transactions that were on time before the crash come back late and are not counted. A shard that was
 * quiet at the checkpoint is waited for too: it may have been written to during the outage. So after a restore a
 * shard counts until it has been silent for the idle timeout, as at any other time; one that stays silent (idle, or
 * closed by a reshard) costs that wait after a restore, and is not waited for after the next one unless the job
 * restarted again within the wait.
 *
 * <p>While held, this subtask stays ACTIVE at no watermark, so downstream operators wait for it (their timers do
 * not fire; lateness is judged against the watermark they restored). Watermarks suppressed meanwhile are not sent
 * later: the next one the consumer emits, from every shard, is. The end-of-input watermark always passes.
 *
 * <p>After a rescale (the state was written at another parallelism) every subtask waits for every shard of the
 * checkpoint, since the consumer assigns shards to subtasks by its own hash: the timeout releases it from those
 * another subtask now reads. A checkpoint taken while holding marks the shards still awaited as carried over: at the
 * same parallelism a subtask waits for one of those only if no subtask has heard from it (after a rescale each
 * subtask carries every shard, most of which another subtask reads).
 */
public final class HoldWatermarkUntilShardsResume extends AbstractStreamOperator<ParsedRecord>
        implements OneInputStreamOperator<ParsedRecord, ParsedRecord> {
    private static final long serialVersionUID = 1L;
    /** Marks a shard still awaited at the checkpoint; Kinesis shard ids are "shardId-" and digits. */
    private static final String CARRIED = "~";

    private final long idleTimeoutMillis;

    /**
     * Union state: "parallelism:subtask:shard" for each shard a subtask had read since it started, and
     * "parallelism:subtask:~shard" for each it still awaited at the checkpoint.
     */
    private transient ListState<String> activeShards;
    /** The shards that delivered since this subtask started. */
    private transient Set<String> delivered;
    /** The connector passes one String instance per shard: a run of its records costs no set lookup. */
    private transient String lastShard;
    /** After a restore: the shards that have not delivered yet (empty: nothing held). */
    private transient Set<String> awaited;
    private transient long holdUntil;
    private transient WatermarkStatus upstreamStatus;

    public HoldWatermarkUntilShardsResume(long idleTimeoutMillis) {
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.chainingStrategy = ChainingStrategy.ALWAYS; // in the source's task: it sees that subtask's shards
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        activeShards = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("active-shards", Types.STRING));
        delivered = new HashSet<>();
        awaited = new HashSet<>();
        upstreamStatus = WatermarkStatus.ACTIVE;
        if (context.isRestored()) {
            int parallelism = getRuntimeContext().getNumberOfParallelSubtasks();
            String mine = parallelism + ":" + getRuntimeContext().getIndexOfThisSubtask() + ":";
            Set<String> all = new HashSet<>();
            Set<String> heardFrom = new HashSet<>();
            Set<String> carried = new HashSet<>();
            boolean rescaled = false;
            for (String entry : activeShards.get()) {
                String[] parts = entry.split(":", 3);
                rescaled |= Integer.parseInt(parts[0]) != parallelism;
                boolean awaitedThen = parts[2].startsWith(CARRIED);
                String shard = awaitedThen ? parts[2].substring(CARRIED.length()) : parts[2];
                all.add(shard);
                if (!awaitedThen) {
                    heardFrom.add(shard);
                }
                if (entry.startsWith(mine)) {
                    (awaitedThen ? carried : awaited).add(shard);
                }
            }
            if (rescaled) {
                awaited = all;
            } else {
                carried.removeAll(heardFrom);
                awaited.addAll(carried);
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        holdUntil = getProcessingTimeService().getCurrentProcessingTime() + idleTimeoutMillis;
        if (!awaited.isEmpty()) {
            getProcessingTimeService().registerTimer(holdUntil, time -> release());
        }
    }

    @Override
    public void processElement(StreamRecord<ParsedRecord> element) throws Exception {
        String shard = element.getValue().shardId;
        if (shard != null && shard != lastShard) {
            lastShard = shard;
            delivered.add(shard);
            if (!awaited.isEmpty() && awaited.remove(shard) && awaited.isEmpty()) {
                passOnHeldStatus();
            }
        }
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (!awaited.isEmpty() && mark.getTimestamp() != Long.MAX_VALUE
                && getProcessingTimeService().getCurrentProcessingTime() < holdUntil) {
            return;
        }
        release();
        super.processWatermark(mark);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        upstreamStatus = status;
        if (awaited.isEmpty() || status.isActive()) {
            super.processWatermarkStatus(status);
        }
        // An idle status is passed on at the release: downstream would otherwise stop waiting for this subtask.
    }

    /** Stops holding: the shards still awaited are idle, closed, or read by another subtask since a rescale. */
    private void release() throws Exception {
        if (awaited.isEmpty()) {
            return;
        }
        awaited.clear();
        passOnHeldStatus();
    }

    private void passOnHeldStatus() throws Exception {
        if (upstreamStatus.isIdle()) {
            super.processWatermarkStatus(upstreamStatus);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        String prefix = getRuntimeContext().getNumberOfParallelSubtasks() + ":"
                + getRuntimeContext().getIndexOfThisSubtask() + ":";
        activeShards.clear();
        for (String shard : delivered) {
            activeShards.add(prefix + shard);
        }
        for (String shard : awaited) { // not delivered since the restore: waited for again from this checkpoint
            activeShards.add(prefix + CARRIED + shard);
        }
    }
}
