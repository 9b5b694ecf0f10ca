package com.example.fraud.detector.rules;

import com.example.fraud.model.Alert;
import java.util.List;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;

/**
 * The operator {@code process(KeyedBroadcastProcessFunction)} would build for {@link EvaluateRules}, plus what a
 * function cannot do:
 *
 * <ul>
 *   <li>register timers for the keys that a rule change's state scan visits (the broadcast side has no timers);
 *   <li>after a restore, before its first input, scan the keyed state for the rule versions the restart changed
 *       (the function has no hook of its own there);
 *   <li>switch keys to write its cache of hot keys back to RocksDB before each checkpoint barrier (as Flink SQL's
 *       mini-batch operators flush their bundles). Only on a backend that hands out copies of its values (RocksDB,
 *       also under changelog): on the heap a state is never serialized between accesses, and a cached value would
 *       be the live one that asynchronous snapshots read.
 * </ul>
 *
 * STREAMING mode only (see {@link com.example.fraud.detector.FraudDetectionPipeline}).
 */
public final class EvaluateRulesOperator
        extends CoBroadcastWithKeyedOperator<String, GroupedTransaction, byte[], Alert> {
    private static final long serialVersionUID = 1L;

    private final EvaluateRules rules;
    private transient SimpleTimerService timers;

    public EvaluateRulesOperator(EvaluateRules rules) {
        super(rules, List.of(BroadcastRuleSet.DESCRIPTOR));
        this.rules = rules;
    }

    @Override
    public void open() throws Exception {
        super.open();
        // The same service as the function's ("user-timers", created by super.open()), keyed by the backend's key.
        timers = new SimpleTimerService(getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this));
        rules.timersForScans(timers);
        if (getKeyedStateBackend().isSafeToReuseKVState()) {
            rules.cacheHotKeys(this);
        }
        // On a quiet stream no input may come for a while: decide the restore's changes as soon as the task runs.
        ProcessingTimeService time = getProcessingTimeService();
        time.registerTimer(time.getCurrentProcessingTime(), t -> decideChangesAcrossRestore());
    }

    @Override
    public void processElement1(StreamRecord<GroupedTransaction> element) throws Exception {
        decideChangesAcrossRestore();
        super.processElement1(element);
    }

    @Override
    public void processElement2(StreamRecord<byte[]> element) throws Exception {
        decideChangesAcrossRestore();
        super.processElement2(element);
    }

    @Override
    public void processWatermark1(Watermark mark) throws Exception {
        decideChangesAcrossRestore();
        super.processWatermark1(mark);
    }

    @Override
    public void processWatermark2(Watermark mark) throws Exception {
        decideChangesAcrossRestore();
        super.processWatermark2(mark);
    }

    /**
     * Once, before the first input after a restore, or when the task runs (a processing-time callback, in case no
     * input comes); emits in the mailbox thread, as every input does.
     */
    private void decideChangesAcrossRestore() throws Exception {
        if (!rules.restorePending()) {
            return;
        }
        Object key = getCurrentKey(); // the input's, set before processElement; the scan moves the backend's
        rules.decideChangesAcrossRestore(timers.currentWatermark(),
                f -> this.<String>getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                        EvaluateRules.STATE, f),
                new EvaluateRules.ScanOutput() {
                    @Override
                    public void live(Alert a) {
                        output.collect(new StreamRecord<>(a));
                    }

                    @Override
                    public void shadow(Alert a) {
                        output.collect(EvaluateRules.SHADOW_ALERTS, new StreamRecord<>(a));
                    }
                });
        if (key != null) {
            setCurrentKey(key);
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        rules.writeBackHotKeys();
    }
}
