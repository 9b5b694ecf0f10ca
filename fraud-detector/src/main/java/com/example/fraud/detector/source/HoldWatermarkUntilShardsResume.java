package com.example.fraud.detector.source;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
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

/**
 * Chained to the Kinesis consumer: after a restore, holds its watermarks back until every shard this subtask was
 * reading at the checkpoint has delivered a record again, or {@code watermark.idle.timeout} has passed. The consumer
 * leaves a shard out of its watermark until the shard delivers, and after a restart none has: without this, the
 * first shard to deliver sets the watermark alone, and another shard's replayed transactions that were on time
 * before the crash come back late and are not counted.
 *
 * <p>A shard counts as read if it delivered within the idle timeout before the checkpoint (a shard closed by a
 * reshard, or idle, is not waited for). After a rescale a subtask may wait for shards it no longer reads: the
 * timeout releases it. The rules' operators never see a watermark below the one they restored, so nothing counted
 * before the crash is counted differently.
 */
public final class HoldWatermarkUntilShardsResume extends AbstractStreamOperator<ParsedRecord>
        implements OneInputStreamOperator<ParsedRecord, ParsedRecord> {
    private static final long serialVersionUID = 1L;

    private final long idleTimeoutMillis;

    private transient ListState<String> activeShards;
    /** When each shard last delivered (processing time), in a one-element array updated in place. */
    private transient Map<String, long[]> lastDelivered;
    /** After a restore: the shards that have not delivered yet (empty: nothing held). */
    private transient Set<String> awaited;
    private transient long holdUntil;

    public HoldWatermarkUntilShardsResume(long idleTimeoutMillis) {
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.chainingStrategy = ChainingStrategy.ALWAYS; // in the source's task: it sees that subtask's shards
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        activeShards = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("active-shards", Types.STRING));
        lastDelivered = new HashMap<>();
        awaited = new HashSet<>();
        if (context.isRestored()) {
            for (String shard : activeShards.get()) {
                awaited.add(shard);
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        holdUntil = getProcessingTimeService().getCurrentProcessingTime() + idleTimeoutMillis;
    }

    @Override
    public void processElement(StreamRecord<ParsedRecord> element) throws Exception {
        String shard = element.getValue().shardId;
        if (shard != null) {
            long[] at = lastDelivered.get(shard);
            if (at == null) {
                at = new long[1];
                lastDelivered.put(shard, at);
            }
            at[0] = getProcessingTimeService().getCurrentProcessingTime();
            if (!awaited.isEmpty()) {
                awaited.remove(shard);
            }
        }
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (!awaited.isEmpty()) {
            if (getProcessingTimeService().getCurrentProcessingTime() < holdUntil) {
                return; // downstream keeps the restored watermark
            }
            awaited.clear(); // the rest are idle, closed, or read by another subtask since a rescale
        }
        super.processWatermark(mark);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        long activeSince = getProcessingTimeService().getCurrentProcessingTime() - idleTimeoutMillis;
        activeShards.clear();
        for (Map.Entry<String, long[]> e : lastDelivered.entrySet()) {
            if (e.getValue()[0] >= activeSince) {
                activeShards.add(e.getKey());
            }
        }
        for (String shard : awaited) { // not delivered since the restore: waited for again from this checkpoint
            activeShards.add(shard);
        }
    }

    /** Tests: whether watermarks are held. */
    boolean holding() {
        return !awaited.isEmpty();
    }
}
