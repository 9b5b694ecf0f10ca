package com.example.fraud.rules.types;

import static com.example.fraud.rules.RuleTesting.MINUTE;
import static com.example.fraud.rules.RuleTesting.SECOND;
import static com.example.fraud.rules.RuleTesting.T0;
import static com.example.fraud.rules.RuleTesting.rule;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.model.Alert;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleTesting.Driver;
import org.junit.jupiter.api.Test;

class SmallThenLargeTest {
    /** Small at most 1.00, large at least 500.00, within 10 minutes. */
    static Rule cardTesting() {
        return rule("{\"rule_id\":\"stl\",\"version\":2,\"type\":\"SMALL_THEN_LARGE\",\"small_max\":1.00,"
                + "\"large_min\":500.00,\"within\":\"PT10M\"}");
    }

    @Test
    void smallThenLargeWithinTFiresOncePerLarge() {
        Driver d = new Driver(cardTesting(), 0);
        d.send("s", 100, T0).send("l1", 50_000, T0 + 5 * MINUTE);
        assertThat(d.alerts).hasSize(1);
        Alert a = d.alerts.get(0);
        assertThat(a.alertId).isEqualTo("stl:acc-1:l1");
        assertThat(a.txnIds).containsExactly("s", "l1");
        assertThat(a.first.txnId).isEqualTo("s");
        assertThat(a.second.txnId).isEqualTo("l1");
        assertThat(a.totalCents).isEqualTo(50_100);
        assertThat(a.smallMaxCents).isEqualTo(100);
        assertThat(a.largeMinCents).isEqualTo(50_000);
        assertThat(a.windowStartMillis).isEqualTo(T0);
        assertThat(a.windowEndMillis).isEqualTo(T0 + 5 * MINUTE + 1);
        d.send("l2", 90_000, T0 + 6 * MINUTE);
        assertThat(d.alerts).extracting(x -> x.alertId).containsExactly("stl:acc-1:l1", "stl:acc-1:l2");
        // a second small does not re-alert the larges already alerted
        d.send("s2", 1, T0 + 5 * MINUTE + 30 * SECOND);
        assertThat(d.alerts).hasSize(2);
    }

    @Test
    void quotesTheLatestSmallBeforeTheLarge() {
        Driver d = new Driver(cardTesting(), 0);
        d.send("s1", 50, T0).send("s2", 60, T0 + MINUTE).send("l", 50_000, T0 + 2 * MINUTE);
        assertThat(d.alerts).hasSize(1);
        assertThat(d.alerts.get(0).txnIds).containsExactly("s2", "l");
    }

    @Test
    void exactlyWithinFiresOneMillisecondMoreDoesNot() {
        Driver at = new Driver(cardTesting(), 0);
        at.send("s", 100, T0).send("l", 50_000, T0 + 10 * MINUTE);
        assertThat(at.alerts).hasSize(1);
        Driver after = new Driver(cardTesting(), 0);
        after.send("s", 100, T0).send("l", 50_000, T0 + 10 * MINUTE + 1);
        assertThat(after.alerts).isEmpty();
        Driver same = new Driver(cardTesting(), 0);
        same.send("s", 100, T0).send("l", 50_000, T0);
        assertThat(same.alerts).hasSize(1);
    }

    @Test
    void largeFirstThenSmallOutOfOrderGivesTheSameAlertId() {
        Driver inOrder = new Driver(cardTesting(), 0);
        inOrder.send("s", 100, T0).send("l", 50_000, T0 + 5 * MINUTE);
        Driver outOfOrder = new Driver(cardTesting(), 10 * MINUTE);
        outOfOrder.send("l", 50_000, T0 + 5 * MINUTE);
        outOfOrder.watermark(T0 + 4 * MINUTE);
        assertThat(outOfOrder.alerts).isEmpty();
        outOfOrder.send("s", 100, T0);
        assertThat(outOfOrder.alerts).hasSize(1);
        Alert a = outOfOrder.alerts.get(0);
        assertThat(a.alertId).isEqualTo(inOrder.alerts.get(0).alertId).isEqualTo("stl:acc-1:l");
        assertThat(a.txnIds).containsExactly("s", "l");
        assertThat(a.windowStartMillis).isEqualTo(inOrder.alerts.get(0).windowStartMillis);
        // a small after the large in time does not pair with it
        Driver later = new Driver(cardTesting(), 10 * MINUTE);
        later.send("l", 50_000, T0).send("s", 100, T0 + 1);
        assertThat(later.alerts).isEmpty();
    }

    @Test
    void amountsBetweenTheLimitsAreIgnored() {
        Driver d = new Driver(cardTesting(), 0);
        d.send("mid1", 101, T0).send("mid2", 49_999, T0 + MINUTE);
        assertThat(d.alerts).isEmpty();
        assertThat(d.state).isNull(); // not even kept
        d.send("s", 100, T0 + 2 * MINUTE).send("mid3", 20_000, T0 + 3 * MINUTE).send("l", 50_000, T0 + 4 * MINUTE);
        assertThat(d.alerts).hasSize(1);
        assertThat(d.alerts.get(0).txnIds).containsExactly("s", "l");
    }

    /**
     * A hot key (a merchant with one small sale, then thousands of large ones within a long {@code within}): every
     * large one alerts, and a large one that has alerted can pair with nothing more, so it is not kept. Kept, each
     * later large one scanned back over all of them to reach the small one: quadratic (80,000 such transactions
     * took 20 s in one rule, and a week's worth of a busy merchant hours), and the state grew with every sale.
     */
    @Test
    void largeOnesThatHaveAlertedAreNotKeptSoAHotKeyStaysLinear() {
        Rule week = rule("{\"rule_id\":\"stl\",\"version\":1,\"type\":\"SMALL_THEN_LARGE\","
                + "\"group_by\":\"merchant_id\",\"small_max\":1.00,\"large_min\":500.00,\"within\":\"P7D\"}");
        Driver d = new Driver(week, MINUTE, "m");
        d.send("s", 99, T0);
        for (int i = 1; i <= 2_000; i++) {
            d.send("l" + i, 60_000, T0 + i * SECOND).lagBehind(5 * SECOND);
        }
        assertThat(d.alerts).hasSize(2_000).allSatisfy(a -> assertThat(a.txnIds[0]).isEqualTo("s"));
        assertThat(d.state.eventsInOrder()).extracting(e -> e.txnId).containsExactly("s");

        // out of order: larges wait for a small; the late small pairs them, and they are gone too
        Driver late = new Driver(cardTesting(), 10 * MINUTE);
        late.send("l1", 50_000, T0 + MINUTE).send("l2", 50_000, T0 + 2 * MINUTE).send("s", 100, T0);
        assertThat(late.alerts).extracting(a -> a.alertId).containsExactly("stl:acc-1:l1", "stl:acc-1:l2");
        assertThat(late.state.eventsInOrder()).extracting(e -> e.txnId).containsExactly("s");
        late.send("l3", 50_000, T0 + 3 * MINUTE);
        assertThat(late.alerts).extracting(a -> a.alertId).endsWith("stl:acc-1:l3");
    }
}
