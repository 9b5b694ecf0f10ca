package com.example.fraud.detector.rules;

import com.example.fraud.model.Alert;
import java.util.List;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;

/**
 * The operator {@code process(KeyedBroadcastProcessFunction)} would build for {@link EvaluateRules}, plus what a
 * function cannot do:
 *
 * <ul>
 *   <li>register timers for the keys that a rule change's state scan visits (the broadcast side has no timers);
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

    public EvaluateRulesOperator(EvaluateRules rules) {
        super(rules, List.of(BroadcastRuleSet.DESCRIPTOR));
        this.rules = rules;
    }

    @Override
    public void open() throws Exception {
        super.open();
        // The same service as the function's ("user-timers", created by super.open()), keyed by the backend's key.
        rules.timersForScans(new SimpleTimerService(
                getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this)));
        if (getKeyedStateBackend().isSafeToReuseKVState()) {
            rules.cacheHotKeys(this);
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        rules.writeBackHotKeys();
    }
}
