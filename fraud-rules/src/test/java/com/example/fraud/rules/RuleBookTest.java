package com.example.fraud.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fraud.model.RuleMode;
import com.example.fraud.rules.types.SumOverThreshold;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleBookTest {
    static RuleCommand put(String id, long version, String threshold) {
        return RuleCommand.put(RuleTesting.rule("{\"rule_id\":\"" + id + "\",\"version\":" + version
                + ",\"type\":\"SUM_OVER_THRESHOLD\",\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},"
                + "\"threshold\":" + threshold + "}"));
    }

    static RuleCommand delete(String id, long version) {
        return RuleCommand.delete(id, version);
    }

    static long threshold(RuleBook b, String id) {
        return ((SumOverThreshold) b.rule(id).logic()).thresholdCents();
    }

    @Test
    void aNewerVersionApplies() {
        RuleBook b = new RuleBook();
        RuleBook.Outcome first = b.apply(put("sum", 1, "3000"), 5);
        assertThat(first.ack.status).isEqualTo(RuleAck.Status.APPLIED);
        assertThat(first.changed).isTrue();
        assertThat(first.previous).isNull();
        assertThat(first.ack.atMillis).isEqualTo(5);

        RuleBook.Outcome second = b.apply(put("sum", 2, "2000"), 6);
        assertThat(second.ack.status).isEqualTo(RuleAck.Status.APPLIED);
        assertThat(second.ack.version).isEqualTo(2);
        assertThat(second.changed).isTrue();
        assertThat(second.previous.version()).isEqualTo(1);
        assertThat(threshold(b, "sum")).isEqualTo(200_000);
        assertThat(b.rules()).hasSize(1);
    }

    @Test
    void theSameVersionWithTheSameContentIsAppliedAndChangesNothing() {
        RuleBook b = new RuleBook();
        b.apply(put("sum", 3, "3000"), 0);
        Rule before = b.rule("sum");
        // the same document spelled differently: its canonical JSON is the same
        RuleBook.Outcome o = b.apply(put("sum", 3, "3000.00"), 1);
        assertThat(o.ack.status).isEqualTo(RuleAck.Status.APPLIED);
        assertThat(o.changed).isFalse();
        assertThat(b.rule("sum")).isSameAs(before);
    }

    @Test
    void olderOrSameVersionWithOtherContentIsRejectedWithAReason() {
        RuleBook b = new RuleBook();
        b.apply(put("sum", 3, "3000"), 0);
        RuleBook.Outcome older = b.apply(put("sum", 2, "10"), 1);
        assertThat(older.ack.status).isEqualTo(RuleAck.Status.REJECTED);
        assertThat(older.ack.reason).contains("version 2", "version 3");
        assertThat(older.changed).isFalse();
        RuleBook.Outcome same = b.apply(put("sum", 3, "10"), 2);
        assertThat(same.ack.status).isEqualTo(RuleAck.Status.REJECTED);
        assertThat(same.ack.reason).contains("not newer");
        assertThat(threshold(b, "sum")).isEqualTo(300_000);
        // a mode change is a change too
        RuleCommand shadow = RuleCommand.put(RuleCodec.withMode(b.rule("sum"), RuleMode.SHADOW, 3));
        assertThat(b.apply(shadow, 3).ack.status).isEqualTo(RuleAck.Status.REJECTED);
        assertThat(b.apply(RuleCommand.put(RuleCodec.withMode(b.rule("sum"), RuleMode.SHADOW, 4)), 4).changed)
                .isTrue();
        assertThat(b.rule("sum").mode()).isEqualTo(RuleMode.SHADOW);
    }

    @Test
    void deleteThenPutAgainWithAHigherVersion() {
        RuleBook b = new RuleBook();
        b.apply(put("sum", 1, "3000"), 0);
        RuleBook.Outcome del = b.apply(delete("sum", 2), 1);
        assertThat(del.ack.status).isEqualTo(RuleAck.Status.APPLIED);
        assertThat(del.ack.deleted).isTrue();
        assertThat(del.changed).isTrue();
        assertThat(del.previous.version()).isEqualTo(1);
        assertThat(b.rules()).isEmpty();
        assertThat(b.rule("sum")).isNull();
        assertThat(b.entries().get("sum").isDelete()).isTrue();

        // re-reading the control stream from its start never brings it back
        assertThat(b.apply(put("sum", 1, "3000"), 2).ack.status).isEqualTo(RuleAck.Status.REJECTED);
        assertThat(b.apply(put("sum", 2, "3000"), 2).ack.status).isEqualTo(RuleAck.Status.REJECTED);
        assertThat(b.apply(delete("sum", 2), 2).changed).isFalse();
        assertThat(b.rules()).isEmpty();

        RuleBook.Outcome again = b.apply(put("sum", 3, "100"), 3);
        assertThat(again.ack.status).isEqualTo(RuleAck.Status.APPLIED);
        assertThat(again.previous).isNull();
        assertThat(threshold(b, "sum")).isEqualTo(10_000);
    }

    @Test
    void deletingAnUnknownOrDeletedRuleIsRejected() {
        RuleBook b = new RuleBook();
        RuleBook.Outcome o = b.apply(delete("nope", 1), 0);
        assertThat(o.ack.status).isEqualTo(RuleAck.Status.REJECTED);
        assertThat(o.ack.reason).contains("no such rule");
        assertThat(b.entries()).isEmpty();
        b.apply(put("sum", 1, "3000"), 0);
        b.apply(delete("sum", 2), 0);
        assertThat(b.apply(delete("sum", 3), 0).ack.status).isEqualTo(RuleAck.Status.REJECTED);
    }

    @Test
    void restoreMergesAndTheNewerVersionWinsOnEitherSide() {
        RuleBook b = new RuleBook();
        b.apply(put("a", 5, "3000"), 0);
        b.apply(put("b", 1, "3000"), 0);
        b.restore(put("a", 4, "1")); // older stored: kept out
        b.restore(put("b", 2, "2")); // newer stored: wins
        b.restore(delete("c", 7)); // a tombstone is kept, so c v7 and older never come back
        b.restore(put("d", 1, "4"));
        assertThat(threshold(b, "a")).isEqualTo(300_000);
        assertThat(threshold(b, "b")).isEqualTo(200);
        assertThat(b.rule("c")).isNull();
        assertThat(b.apply(put("c", 7, "1"), 0).ack.status).isEqualTo(RuleAck.Status.REJECTED);
        assertThat(b.rules()).extracting(Rule::id).containsExactly("a", "b", "d");

        RuleBook restored = new RuleBook();
        restored.restore(delete("a", 6));
        for (RuleCommand c : b.entries().values()) {
            restored.restore(c);
        }
        assertThat(restored.rule("a")).isNull();
        assertThat(restored.rules()).extracting(Rule::id).containsExactly("b", "d");
    }

    @Test
    void onAVersionTieTheConfigurationWinsAsOnAFreshStartAndTheDiscardedRuntimeChangeIsReturned() {
        // configured v2 (threshold 4000) after the running job had applied a runtime change v2 (5000) or deleted v2
        RuleBook b = RuleBook.of(List.of(put("a", 2, "4000").rule(), put("b", 2, "4000").rule(),
                put("c", 2, "4000").rule()));
        assertThat(b.restore(put("a", 2, "5000")).json()).contains("5000");
        assertThat(threshold(b, "a")).isEqualTo(400_000);
        assertThat(b.restore(delete("b", 2)).isDelete()).isTrue();
        assertThat(threshold(b, "b")).isEqualTo(400_000);
        assertThat(b.restore(put("c", 2, "4000"))).as("the same document: nothing discarded").isNull();
        assertThat(b.restore(put("c", 1, "1"))).isNull();
        assertThat(threshold(b, "c")).isEqualTo(400_000);

        // a fresh start reads the same record from the control stream after the configuration: rejected
        RuleBook fresh = RuleBook.of(List.of(put("a", 2, "4000").rule()));
        assertThat(fresh.apply(put("a", 2, "5000"), 0).ack.status).isEqualTo(RuleAck.Status.REJECTED);
        assertThat(threshold(fresh, "a")).isEqualTo(400_000);
    }

    @Test
    void atMostMaxRules() {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < RuleBook.MAX_RULES; i++) {
            rules.add(put("r" + i, 1, "3000").rule());
        }
        RuleBook b = RuleBook.of(rules);
        RuleBook.Outcome over = b.apply(put("one-more", 1, "3000"), 0);
        assertThat(over.ack.status).isEqualTo(RuleAck.Status.REJECTED);
        assertThat(over.ack.reason).contains(String.valueOf(RuleBook.MAX_RULES));
        assertThat(b.rules()).hasSize(RuleBook.MAX_RULES);
        // changing one at the limit is fine, and a deletion makes room
        assertThat(b.apply(put("r0", 2, "1"), 0).changed).isTrue();
        assertThat(b.apply(delete("r1", 2), 0).changed).isTrue();
        assertThat(b.apply(put("one-more", 1, "3000"), 0).changed).isTrue();
        assertThat(b.rules()).hasSize(RuleBook.MAX_RULES);
    }

    @Test
    void anInitialSetNamesEachRuleOnce() {
        Rule r = put("x", 1, "3000").rule();
        assertThatThrownBy(() -> RuleBook.of(List.of(r, r))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acksRoundTrip() {
        RuleBook b = new RuleBook();
        RuleAck applied = b.apply(put("sum", 1, "3000"), 1_767_225_600_000L).ack;
        RuleAck decoded = RuleAck.decode(applied.encode());
        assertThat(decoded.toString()).isEqualTo(applied.toString());
        assertThat(decoded.ruleType).isEqualTo(applied.ruleType);
        assertThat(decoded.atMillis).isEqualTo(applied.atMillis);
        RuleAck rejected = RuleAck.decode(b.apply(put("sum", 1, "1"), 0).ack.encode());
        assertThat(rejected.status).isEqualTo(RuleAck.Status.REJECTED);
        assertThat(rejected.reason).contains("not newer");
    }

    @Test
    void everyAckEchoesTheCommandIdOfTheRecordItAnswers() {
        RuleBook b = new RuleBook();
        RuleAck applied = b.apply(put("sum", 1, "3000").withCommandId("a-1"), 0).ack;
        RuleAck retried = b.apply(put("sum", 1, "3000").withCommandId("a-2"), 0).ack;
        RuleAck stale = b.apply(put("sum", 1, "2000").withCommandId("b-1"), 0).ack;
        RuleAck missing = b.apply(delete("other", 1).withCommandId("c-1"), 0).ack;
        assertThat(List.of(applied, retried, stale, missing)).extracting(a -> a.status + " " + a.commandId)
                .containsExactly("APPLIED a-1", "APPLIED a-2", "REJECTED b-1", "REJECTED c-1");
        assertThat(RuleAck.decode(stale.encode()).commandId).isEqualTo("b-1");
        assertThat(RuleAck.decode(b.apply(put("sum", 2, "1"), 0).ack.encode()).commandId).isNull();
        assertThat(b.entries().get("sum").json()).as("the id is not part of what is stored").doesNotContain("a-1");
    }
}
