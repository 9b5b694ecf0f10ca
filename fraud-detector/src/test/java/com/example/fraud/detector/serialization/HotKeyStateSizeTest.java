package com.example.fraud.detector.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.example.fraud.model.Alert;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.DefaultRules;
import com.example.fraud.rules.Evaluation;
import com.example.fraud.rules.FiringMode;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.state.RuleState;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RocksDB (de)serializes a key's whole rule state on every access. One account sending 1,000 transactions a second
 * (a producer bug, or an attacker's own account) under the default rule (60 s tumbling, 60 s of lateness) once kept
 * every transaction: 120,000 events, 6 MB read and written per transaction, and its subtask fell behind
 * quadratically. A tumbling rule now keeps each window's totals and its first alert ids only.
 */
class HotKeyStateSizeTest {
    private static final long T0 = 1_700_000_040_000L; // a minute boundary

    @ParameterizedTest
    @EnumSource(FiringMode.class)
    void aHotKeyUnderTheDefaultRuleKeepsAStateOfBoundedSize(FiringMode firing) throws Exception {
        Rule rule = DefaultRules.sumOverThreshold(3_000_00, 60_000, firing);
        Evaluation ctx = new Evaluation(60_000, 100);
        RuleState state = new RuleState(rule.stateSignature());
        List<Alert> alerts = new ArrayList<>();
        int perSecond = 1_000;
        int seconds = 120;
        long watermark = Long.MIN_VALUE;
        int largest = 0;
        for (int s = 0; s < seconds; s++) {
            for (int i = 0; i < perSecond; i++) {
                Transaction t = new Transaction();
                t.txnId = "t-" + s + "-" + i;
                t.accountId = "hot";
                t.amountCents = 1_00;
                t.txnTimeMillis = T0 + s * 1_000L + i;
                rule.logic().onTransaction(state, t, ctx.at(rule, "hot", watermark, 0), alerts);
            }
            watermark = T0 + s * 1_000L - 5_001; // 5 s out of orderness
            rule.logic().onWatermark(state, ctx.at(rule, "hot", watermark, 0), alerts);
            largest = Math.max(largest, serializedSize(state));
        }
        // the rule still works: EARLY alerts each minute at its crossing, WINDOW_CLOSE the closed one whole
        if (firing == FiringMode.EARLY) {
            assertThat(alerts).extracting(a -> a.windowStartMillis, a -> a.txnCount)
                    .containsExactly(tuple(T0, 3_001), tuple(T0 + 60_000, 3_001));
        } else {
            assertThat(alerts).extracting(a -> a.windowStartMillis, a -> a.txnCount)
                    .containsExactly(tuple(T0, 60_000));
            assertThat(alerts.get(0).txnIds).hasSize(100).startsWith("t-0-0", "t-0-1");
        }
        // two windows of at most 100 ids each, not 120,000 transactions (those were 6 MB)
        assertThat(largest).as("largest serialized state, bytes").isLessThan(8_000);
        RuleState read = RuleStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes(state)));
        assertThat(read.windowCount).isEqualTo(state.windowCount);
    }

    private static int serializedSize(RuleState state) throws Exception {
        return bytes(state).length;
    }

    private static byte[] bytes(RuleState state) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        RuleStateSerializer.INSTANCE.serialize(state, out);
        return out.getCopyOfBuffer();
    }
}
