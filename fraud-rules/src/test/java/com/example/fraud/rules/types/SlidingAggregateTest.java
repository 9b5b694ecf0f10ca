package com.example.fraud.rules.types;

import static com.example.fraud.rules.RuleTesting.MINUTE;
import static com.example.fraud.rules.RuleTesting.SECOND;
import static com.example.fraud.rules.RuleTesting.T0;
import static com.example.fraud.rules.RuleTesting.rule;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.model.Alert;
import com.example.fraud.model.Alert.Trigger;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleTesting.Driver;
import org.junit.jupiter.api.Test;

class SlidingAggregateTest {
    static Rule sum(String kind, String threshold) {
        return rule("{\"rule_id\":\"sum\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\",\"window\":{\"kind\":\""
                + kind + "\",\"size\":\"PT1M\"},\"threshold\":" + threshold + "}");
    }

    static Rule count(int min) {
        return rule("{\"rule_id\":\"count\",\"version\":1,\"type\":\"COUNT_OVER_THRESHOLD\",\"window\":{\"kind\":"
                + "\"SLIDING\",\"size\":\"PT1M\"},\"min_count\":" + min + "}");
    }

    @Test
    void aBurstAcrossATumblingBoundaryIsCaughtBySlidingOnly() {
        Driver sliding = new Driver(sum("SLIDING", "100.00"), 0);
        Driver tumbling = new Driver(sum("TUMBLING", "100.00"), 0);
        long[] times = {T0 + 40 * SECOND, T0 + 50 * SECOND, T0 + 70 * SECOND, T0 + 80 * SECOND};
        for (int i = 0; i < times.length; i++) {
            sliding.send("t" + i, 3_000, times[i]).lagBehind(0);
            tumbling.send("t" + i, 3_000, times[i]).lagBehind(0);
        }
        sliding.watermark(T0 + 10 * MINUTE);
        tumbling.watermark(T0 + 10 * MINUTE);
        assertThat(tumbling.alerts).isEmpty();
        assertThat(sliding.alerts).hasSize(1);
        Alert a = sliding.alerts.get(0);
        // the look-back (t - 1 min, t] of the fourth transaction holds all four
        assertThat(a.alertId).isEqualTo("sum:acc-1:2026-01-01T00:01:20Z");
        assertThat(a.trigger).isEqualTo(Trigger.CROSSING);
        assertThat(a.windowStartMillis).isEqualTo(T0 + 80 * SECOND - MINUTE + 1);
        assertThat(a.windowEndMillis).isEqualTo(T0 + 80 * SECOND + 1);
        assertThat(a.totalCents).isEqualTo(12_000);
        assertThat(a.txnCount).isEqualTo(4);
        assertThat(a.txnIds).containsExactly("t0", "t1", "t2", "t3");
        assertThat(sliding.state).isNull();
    }

    @Test
    void theLookBackIncludesItsEndAndExcludesItsStart() {
        Driver d = new Driver(count(2), 0);
        d.send("a", 1, T0).send("b", 1, T0 + MINUTE); // (T0, T0 + 1 min] does not hold a
        assertThat(d.alerts).isEmpty();
        d.send("c", 1, T0 + MINUTE); // the same millisecond as b: in
        assertThat(d.alerts).hasSize(1);
        assertThat(d.alerts.get(0).txnIds).containsExactly("b", "c");
    }

    /** Re-alerting: an alert spends what it counted; the continuing burst alone stays under the limit. */
    @Test
    void aBurstAlertsOnceWhileItContinuesUnderTheLimitOnItsOwn() {
        Driver d = new Driver(sum("SLIDING", "100.00"), 0);
        d.send("a", 6_000, T0).send("b", 5_000, T0 + SECOND);
        assertThat(d.alerts).hasSize(1);
        for (int i = 0; i < 9; i++) { // 90.00 more within the same minute: over 100 with a and b, not without
            d.send("c" + i, 1_000, T0 + (2 + i) * SECOND).lagBehind(0);
        }
        assertThat(d.alerts).hasSize(1);
        assertThat(d.alerts.get(0).alertId).isEqualTo("sum:acc-1:2026-01-01T00:00:01Z");
    }

    @Test
    void aSecondBurstThatCrossesOnItsOwnAlertsAgain() {
        Driver d = new Driver(count(3), 0);
        d.send("a", 1, T0).send("b", 1, T0 + SECOND).send("c", 1, T0 + 2 * SECOND);
        d.send("d", 1, T0 + 3 * SECOND).send("e", 1, T0 + 4 * SECOND); // two more: 5 in the look-back, 2 unspent
        assertThat(d.alerts).hasSize(1);
        // a second burst within the same minute: d, e and f cross on their own
        d.send("f", 1, T0 + 30 * SECOND);
        assertThat(d.alerts).hasSize(2);
        assertThat(d.alerts.get(1).txnIds).containsExactly("d", "e", "f");
        assertThat(d.alerts.get(1).txnCount).isEqualTo(3);
        assertThat(d.alerts.get(1).windowStartMillis).isEqualTo(T0 + 30 * SECOND - MINUTE + 1);
        // and one much later
        d.lagBehind(0);
        d.send("g", 1, T0 + 10 * MINUTE).send("h", 1, T0 + 10 * MINUTE + 1).send("i", 1, T0 + 10 * MINUTE + 2);
        assertThat(d.alerts).extracting(a -> a.alertId).containsExactly("count:acc-1:2026-01-01T00:00:02Z",
                "count:acc-1:2026-01-01T00:00:30Z", "count:acc-1:2026-01-01T00:10:00.002Z");
    }

    @Test
    void aLateTransactionCompletesALaterLookBack() {
        Driver d = new Driver(count(3), 30 * SECOND);
        d.send("d", 1, T0 + 100 * SECOND).send("e", 1, T0 + 101 * SECOND);
        d.watermark(T0 + 60 * SECOND);
        // b at 45 s, still in time: alone in its own look-back, the third in the one ending at e (41 s, 101 s]
        d.send("b", 1, T0 + 45 * SECOND);
        assertThat(d.alerts).hasSize(1);
        Alert a = d.alerts.get(0);
        assertThat(a.alertId).isEqualTo("count:acc-1:2026-01-01T00:01:41Z");
        assertThat(a.txnIds).containsExactlyInAnyOrder("b", "d", "e");
        assertThat(a.windowStartMillis).isEqualTo(T0 + 41 * SECOND + 1);
        assertThat(a.windowEndMillis).isEqualTo(T0 + 101 * SECOND + 1);
    }

    @Test
    void anOutOfOrderTransactionCompletesTheLookBackOfALaterOne() {
        Driver d = new Driver(count(3), MINUTE);
        d.send("c", 1, T0 + 30 * SECOND).send("a", 1, T0 + 10 * SECOND);
        d.send("b", 1, T0 + 20 * SECOND); // completes the look-back ending at c, not its own (a, b only)
        assertThat(d.alerts).extracting(x -> x.alertId).containsExactly("count:acc-1:2026-01-01T00:00:30Z");
    }

    /**
     * Spent transactions never count again, even after the alert emptied the state: a transaction at or before
     * the deciding one that arrives in time is not a fresh start.
     */
    @Test
    void spentStaysSpentWhileTransactionsBeforeItCanStillArrive() {
        Driver d = new Driver(count(2), 30 * SECOND);
        d.send("a", 1, T0 + 100 * SECOND).send("b", 1, T0 + 101 * SECOND);
        assertThat(d.alerts).hasSize(1);
        d.watermark(T0 + 95 * SECOND);
        d.send("late", 1, T0 + 100 * SECOND + 500); // countable, but before the alert's deciding transaction
        d.send("c", 1, T0 + 102 * SECOND);
        assertThat(d.alerts).hasSize(1);
        d.send("e", 1, T0 + 103 * SECOND);
        assertThat(d.alerts).hasSize(2);
        d.watermark(T0 + 10 * MINUTE);
        assertThat(d.state).isNull();
        assertThat(d.lastState.isEmpty()).isTrue();
    }
}
