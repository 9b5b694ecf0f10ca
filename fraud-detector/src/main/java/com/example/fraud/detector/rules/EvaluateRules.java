package com.example.fraud.detector.rules;

import com.example.fraud.detector.FraudMetrics;
import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.serialization.RuleStatesTypeInfo;
import com.example.fraud.model.Alert;
import com.example.fraud.model.RuleMode;
import com.example.fraud.rules.Evaluation;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleAck;
import com.example.fraud.rules.RuleBook;
import com.example.fraud.rules.RuleLogic;
import com.example.fraud.rules.state.RuleState;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.KeyedStateFunction;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Runs the rules of one grouping on one key (an account, card or merchant). The key's state is one value, its
 * {@link RuleStates}: a {@link RuleState} per rule of the grouping, by rule id, read and written once per transaction
 * rather than once per rule (per-rule map entries cost a state-table lookup each, a quarter of the job's time with ten
 * rules). Each rule type's logic ({@link RuleLogic}, in fraud-rules) decides; this operator only keeps state, timers,
 * and the rule set.
 *
 * <p>Timers: after each call the rule's next deadline (window close, or when its state expires) becomes an event-time
 * timer, unless an earlier one is pending for that state; on a timer every rule state of the key is advanced, and
 * dropped once empty, as is any state no rule in force owns. A deleted rule, or a version whose window or grouping
 * changed, has its state dropped on every key at once.
 *
 * <p>On RocksDB the busiest keys' states stay deserialized between checkpoints ({@link HotKeyCache}, written back by
 * {@link EvaluateRulesOperator} before each barrier): a flooded key then costs what it costs on the heap.
 *
 * <p>Outputs: ACTIVE alerts on the main output, SHADOW alerts on {@link #SHADOW_ALERTS}, and one acknowledgement per
 * control record on {@link #ACKS} (from the first parallel instance only: all instances apply the same records).
 */
public class EvaluateRules extends KeyedBroadcastProcessFunction<String, GroupedTransaction, byte[], Alert>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<Alert> SHADOW_ALERTS = new OutputTag<>("shadow-alerts") {};
    public static final OutputTag<RuleAck> ACKS = new OutputTag<>("rule-acks") {};

    static final ValueStateDescriptor<RuleStates> STATE =
            new ValueStateDescriptor<>("rule-states", RuleStatesTypeInfo.INSTANCE);

    private final DetectionSettings settings;
    private final BroadcastRuleSet rules;

    private transient RestoredWatermark watermarks;
    private transient ValueState<RuleStates> states;
    private transient Evaluation evaluation;
    private transient List<Alert> decided;
    private transient RuleMetrics alertsEmitted;
    private transient RuleMetrics lateTransactions;
    /** RocksDB only: the busiest keys' states, kept deserialized between checkpoints (null on the heap). */
    private transient HotKeyCache hotKeys;
    /** For the state scans of rule changes, which the broadcast side's context gives no timers for. */
    private transient TimerService scanTimers;
    private int hotKeyMinWeight = HotKeyCache.MIN_WEIGHT;
    /**
     * Rules the restart changed, decided by {@link #decideChangesAcrossRestore} before the first input; null once
     * decided.
     */
    private transient List<BroadcastRuleSet.Change> changesAcrossRestore;

    public EvaluateRules(DetectionSettings settings, List<Rule> initialRules) {
        this.settings = settings;
        this.rules = new BroadcastRuleSet(initialRules);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        watermarks = new RestoredWatermark();
        watermarks.initialize(context);
        rules.initialize(context.getOperatorStateStore());
        changesAcrossRestore = rules.changesAcrossRestore(context.getOperatorStateStore());
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        watermarks.snapshot();
    }

    @Override
    public void open(Configuration parameters) {
        states = getRuntimeContext().getState(STATE);
        evaluation = new Evaluation(settings.allowedLatenessMillis(), settings.maxTxnIds());
        decided = new ArrayList<>(4);
        alertsEmitted = new RuleMetrics(getRuntimeContext(), "alertsEmitted");
        lateTransactions = new RuleMetrics(getRuntimeContext(), "lateTransactions");
    }

    @Override
    public void processElement(GroupedTransaction in, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        rules.book(ctx.getBroadcastState(BroadcastRuleSet.DESCRIPTOR));
        long watermark = watermarks.effective(ctx.currentWatermark());
        long lateness = settings.allowedLatenessMillis();
        long now = System.currentTimeMillis(); // once per transaction, not per rule
        RuleStates held = null; // read once, on the first rule that counts the transaction
        for (Rule rule : rules.evaluated(in.grouping)) {
            RuleLogic logic = rule.logic();
            if (!logic.applies(in.txn)) {
                continue; // counted by RouteByGrouping
            }
            if (logic.countableUntil(in.txn.txnTimeMillis, lateness) <= watermark) {
                lateTransactions.of(rule.id()).inc();
                continue;
            }
            if (held == null) {
                held = read(ctx.getCurrentKey());
                if (held == null) {
                    held = new RuleStates();
                }
            }
            RuleState state = held.get(rule.id());
            if (state == null || state.signature != rule.stateSignature()) {
                state = new RuleState(rule.stateSignature());
                held.put(rule.id(), state);
            }
            logic.onTransaction(state, in.txn, evaluation.at(rule, in.key, watermark, now),
                    decided);
            emit(ctx, out);
            if (state.isEmpty()) {
                held.remove(rule.id());
            } else {
                schedule(ctx, state, logic.nextTimer(state, lateness, watermark));
            }
        }
        if (held != null) {
            save(ctx.getCurrentKey(), held);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        rules.book(ctx.getBroadcastState(BroadcastRuleSet.DESCRIPTOR));
        long watermark = watermarks.effective(ctx.timerService().currentWatermark());
        long lateness = settings.allowedLatenessMillis();
        String stateKey = ctx.getCurrentKey();
        String key = GroupedTransaction.keyOf(stateKey);
        long now = System.currentTimeMillis();
        RuleStates held = read(stateKey);
        if (held == null) {
            return;
        }
        Rule[] inForce = rules.all(GroupedTransaction.groupingOf(stateKey));
        boolean changed = dropUnowned(held, inForce);
        for (Rule rule : inForce) {
            RuleState state = held.get(rule.id());
            if (state == null) {
                continue;
            }
            long before = state.shape();
            if (state.timer <= timestamp) {
                state.timer = Long.MAX_VALUE; // this is it
            }
            rule.logic().onWatermark(state, evaluation.at(rule, key, watermark, now), decided);
            if (rule.evaluated()) {
                emit(ctx, out);
            } else {
                decided.clear(); // paused: its windows age out, but it decides nothing
            }
            if (state.isEmpty()) {
                held.remove(rule.id());
                changed = true;
            } else {
                schedule(ctx, state, rule.logic().nextTimer(state, lateness, watermark));
                changed |= state.shape() != before;
            }
        }
        if (changed) {
            save(stateKey, held);
        }
    }

    /**
     * Drops the states no rule in force owns, or owns in another shape (window, grouping, counted field): those of a
     * rule deleted or reshaped while the job ran were dropped when the change came; these are of rules that the
     * configuration no longer has after a restore, or that it has with another shape.
     */
    private static boolean dropUnowned(RuleStates held, Rule[] inForce) {
        boolean dropped = false;
        for (int i = held.size() - 1; i >= 0; i--) {
            Rule owner = null;
            for (Rule r : inForce) {
                if (r.id().equals(held.id(i))) {
                    owner = r;
                    break;
                }
            }
            if (owner == null || owner.stateSignature() != held.state(i).signature) {
                held.removeAt(i);
                dropped = true;
            }
        }
        return dropped;
    }

    @Override
    public void processBroadcastElement(byte[] record, Context ctx, Collector<Alert> out) throws Exception {
        RuleBook.Outcome outcome = rules.apply(ctx.getBroadcastState(BroadcastRuleSet.DESCRIPTOR), record,
                System.currentTimeMillis());
        if (outcome.changed && outcome.previous != null) {
            Rule now = rules.book(ctx.getBroadcastState(BroadcastRuleSet.DESCRIPTOR)).rule(outcome.ack.ruleId);
            if (now != null && now.stateSignature() == outcome.previous.stateSignature()) {
                if (now.evaluated()) {
                    decideUnderNewVersions(List.of(new BroadcastRuleSet.Change(now, outcome.previous)),
                            ctx.currentWatermark(),
                            f -> ctx.applyToKeyedState(STATE, f), new ScanOutput() {
                                @Override
                                public void live(Alert a) {
                                    out.collect(a);
                                }

                                @Override
                                public void shadow(Alert a) {
                                    ctx.output(SHADOW_ALERTS, a);
                                }
                            });
                }
            } else {
                String id = outcome.ack.ruleId;
                if (hotKeys != null) {
                    hotKeys.writeBack(true); // the scan below reads and changes the backend
                }
                ctx.applyToKeyedState(STATE, (key, state) -> {
                    RuleStates held = state.value();
                    if (held != null && held.remove(id)) {
                        if (held.isEmpty()) {
                            state.clear();
                        } else {
                            state.update(held);
                        }
                    }
                });
            }
        }
        if (getRuntimeContext().getIndexOfThisSubtask() == 0) {
            ctx.output(ACKS, outcome.ack);
        }
    }

    /** Visits every key's state: the broadcast side's {@code applyToKeyedState}, or the backend's at a restore. */
    interface KeyedScan {
        void apply(KeyedStateFunction<String, ValueState<RuleStates>> function) throws Exception;
    }

    /** Where a state scan's alerts go. */
    interface ScanOutput {
        void live(Alert a);

        void shadow(Alert a);
    }

    /**
     * A new version with the same state shape (limit, firing or mode changed) decides every key's state as it stands
     * now ({@code RuleLogic.onNewVersion}): an open window already over a lowered limit alerts at the change, not on
     * the key's next transaction, which may never come. A scan of the keyed state, as a reshaping change's drop is:
     * rule changes are rare. Each state's timer is scheduled again for the new version (a window that now fires at
     * close needs its close), through the operator's timer service, for the key the scan is on.
     */
    private void decideUnderNewVersions(List<BroadcastRuleSet.Change> changes, long currentWatermark,
            KeyedScan scan, ScanOutput to) throws Exception {
        if (hotKeys != null) {
            hotKeys.writeBack(true); // the scan below reads and changes the backend
        }
        long watermark = watermarks.effective(currentWatermark);
        long lateness = settings.allowedLatenessMillis();
        long now = System.currentTimeMillis();
        scan.apply((stateKey, state) -> { // one pass for all the changes: on RocksDB each reads every key
            RuleStates held = state.value();
            if (held == null) {
                return;
            }
            boolean changed = false;
            for (BroadcastRuleSet.Change c : changes) {
                Rule rule = c.now;
                RuleState rs = held.get(rule.id());
                if (rs == null || rs.signature != rule.stateSignature()) {
                    continue;
                }
                long before = rs.shape();
                rule.logic().onNewVersion(rs, c.before,
                        evaluation.at(rule, GroupedTransaction.keyOf(stateKey), watermark, now), decided);
                changed |= !decided.isEmpty();
                for (Alert a : decided) {
                    if (countShadow(a)) {
                        to.shadow(a);
                    } else {
                        to.live(a);
                    }
                }
                decided.clear();
                if (scanTimers != null) {
                    schedule(scanTimers, rs, rule.logic().nextTimer(rs, lateness, watermark));
                }
                changed |= rs.shape() != before;
            }
            if (changed) {
                state.update(held);
            }
        });
    }

    /** Whether {@link #decideChangesAcrossRestore} is still to run (once, before the first input). */
    boolean restorePending() {
        return changesAcrossRestore != null;
    }

    /**
     * Called by the operator before its first input after a restore: the versions the new configuration changed (a
     * lowered threshold, a shadow rule made ACTIVE) decide every key's state as a change on the control stream does,
     * rather than on each key's next transaction.
     */
    void decideChangesAcrossRestore(long currentWatermark, KeyedScan scan, ScanOutput to) throws Exception {
        List<BroadcastRuleSet.Change> evaluated = new ArrayList<>();
        for (BroadcastRuleSet.Change c : changesAcrossRestore) {
            if (c.now.evaluated()) {
                evaluated.add(c);
            }
        }
        if (!evaluated.isEmpty()) {
            decideUnderNewVersions(evaluated, currentWatermark, scan, to);
        }
        changesAcrossRestore = null;
        rules.recordInForce(); // only now: a checkpoint before this point keeps the changes to decide
    }

    /** The operator's timer service, which registers for the key the backend is on (set by the operator). */
    void timersForScans(TimerService timers) {
        this.scanTimers = timers;
    }

    /** The decided alerts out: ACTIVE ones on the main output, SHADOW ones on theirs. */
    private void emit(ReadOnlyContext ctx, Collector<Alert> out) {
        for (Alert a : decided) {
            if (countShadow(a)) {
                ctx.output(SHADOW_ALERTS, a);
            } else {
                out.collect(a);
            }
        }
        decided.clear();
    }

    private boolean countShadow(Alert a) {
        alertsEmitted.of(a.ruleId).inc();
        return a.mode == RuleMode.SHADOW;
    }

    /**
     * RocksDB: called by {@link EvaluateRulesOperator} when it opens; from then on the busiest keys' states are
     * cached.
     */
    void cacheHotKeys(KeyContext keys) {
        if (settings.stateCacheMaxEvents() > 0) {
            // A rate of hotKeyAccessesOverBudget: a key too heavy for the cache, (de)serialized on every access.
            HotKeyCache cache = new HotKeyCache(keys, states, settings.stateCacheMaxEvents(), hotKeyMinWeight,
                    FraudMetrics.group(getRuntimeContext()).counter("hotKeyAccessesOverBudget"));
            FraudMetrics.group(getRuntimeContext()).gauge("hotKeysCached", (Gauge<Integer>) cache::size);
            FraudMetrics.group(getRuntimeContext()).gauge("hotKeyEventsCached", (Gauge<Long>) cache::weight);
            hotKeys = cache;
        }
    }

    /** Tests: cache keys this light, so that short scripts exercise it. */
    EvaluateRules hotKeyMinWeight(int weight) {
        hotKeyMinWeight = weight;
        return this;
    }

    /** Before every checkpoint barrier: the backend gets what the cache holds. */
    void writeBackHotKeys() throws Exception {
        if (hotKeys != null) {
            hotKeys.writeBack(false);
        }
    }

    /** How many keys the hot-key cache holds (0 on the heap). */
    int hotKeysCached() {
        return hotKeys == null ? 0 : hotKeys.size();
    }

    private RuleStates read(String stateKey) throws Exception {
        RuleStates held = hotKeys == null ? null : hotKeys.get(stateKey);
        return held != null ? held : states.value();
    }

    private void save(String stateKey, RuleStates held) throws Exception {
        if (hotKeys != null) {
            hotKeys.save(stateKey, held);
        } else if (held.isEmpty()) {
            states.clear();
        } else {
            states.update(held); // on the heap the same object; RocksDB writes it back
        }
    }

    /**
     * Registers the state's deadline unless an earlier timer is already pending for it: a busy key then has about
     * one timer per rule horizon instead of one per transaction. Timers are rounded up to the last millisecond of
     * their second, so a key's rules share them; a window closes at most a second of event time late. A deadline at
     * or before the timer service's watermark is never registered (it would fire again at once, forever); one at or
     * before only the restored floor is, and fires once the watermark catches up.
     */
    private static void schedule(ReadOnlyContext ctx, RuleState state, long due) {
        schedule(ctx.timerService(), state, due);
    }

    private static void schedule(TimerService timers, RuleState state, long due) {
        long watermark = timers.currentWatermark();
        if (state.timer <= watermark) {
            state.timer = Long.MAX_VALUE; // fired (a timer fires once the watermark reaches it)
        }
        if (due == Long.MAX_VALUE || due <= watermark) {
            return;
        }
        long rounded = RuleState.timerFor(due);
        if (rounded < state.timer) {
            timers.registerEventTimeTimer(rounded);
            state.timer = rounded;
        }
    }
}
