package com.example.fraud.detector.rules;

import com.example.fraud.model.Alert;
import java.util.List;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;

/**
 * The operator {@code process(KeyedBroadcastProcessFunction)} would build for {@link EvaluateRules}, plus what a
 * function cannot do: switch keys to write its cache of hot keys back to RocksDB before each checkpoint barrier
 * (as Flink SQL's mini-batch operators flush their bundles). On the heap backend there is no cache: a state is
 * never serialized between accesses there.
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
        if (!(getKeyedStateBackend() instanceof HeapKeyedStateBackend)) {
            rules.cacheHotKeys(this);
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        rules.writeBackHotKeys();
    }
}
