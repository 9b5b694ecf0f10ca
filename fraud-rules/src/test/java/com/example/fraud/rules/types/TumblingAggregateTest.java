package com.example.fraud.rules.types;

import static com.example.fraud.rules.RuleTesting.MINUTE;
import static com.example.fraud.rules.RuleTesting.SECOND;
import static com.example.fraud.rules.RuleTesting.T0;
import static com.example.fraud.rules.RuleTesting.rule;
import static com.example.fraud.rules.RuleTesting.txn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.example.fraud.model.Alert;
import com.example.fraud.model.Alert.Trigger;
import com.example.fraud.model.DistinctField;
import com.example.fraud.model.RuleType;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleTesting.Driver;
import com.example.fraud.rules.state.RuleState;
import com.example.fraud.rules.state.WindowTotals;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TumblingAggregateTest {
    static Rule sum(String firing, String threshold) {
        return rule("{\"rule_id\":\"sum\",\"version\":3,\"type\":\"SUM_OVER_THRESHOLD\",\"window\":"
                + "{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},\"firing\":\"" + firing + "\",\"threshold\":" + threshold
                + "}");
    }

    static Rule count(String firing, int min) {
        return rule("{\"rule_id\":\"count\",\"version\":1,\"type\":\"COUNT_OVER_THRESHOLD\",\"window\":{\"kind\":"
                + "\"TUMBLING\",\"size\":\"PT1M\"},\"firing\":\"" + firing + "\",\"min_count\":" + min + "}");
    }

    static Rule merchants(int min) {
        return rule("{\"rule_id\":\"merchants\",\"version\":1,\"type\":\"DISTINCT_COUNT_OVER_THRESHOLD\","
                + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},\"distinct\":\"merchant_id\",\"min_distinct\":"
                + min + "}");
    }

    static Transaction at(String id, String merchant, long time) {
        Transaction t = txn(id, "acc-1", 100, time);
        t.merchantId = merchant;
        return t;
    }

    @Test
    void sumExactlyAtTheThresholdDoesNotFireOneCentMoreDoes() {
        Driver d = new Driver(sum("EARLY", "100.00"), 0);
        d.send("a", 6_000, T0 + SECOND).send("b", 4_000, T0 + 2 * SECOND);
        assertThat(d.alerts).isEmpty();
        d.send("c", 1, T0 + 3 * SECOND);
        assertThat(d.alerts).hasSize(1);
        Alert a = d.alerts.get(0);
        assertThat(a.alertId).isEqualTo("sum:acc-1:2026-01-01T00:00:00Z");
        assertThat(a.ruleId).isEqualTo("sum");
        assertThat(a.ruleVersion).isEqualTo(3);
        assertThat(a.ruleType).isEqualTo(RuleType.SUM_OVER_THRESHOLD);
        assertThat(a.groupKey).isEqualTo("acc-1");
        assertThat(a.accountId).isEqualTo("acc-1");
        assertThat(a.trigger).isEqualTo(Trigger.CROSSING);
        assertThat(a.windowStartMillis).isEqualTo(T0);
        assertThat(a.windowEndMillis).isEqualTo(T0 + MINUTE);
        assertThat(a.totalCents).isEqualTo(10_001);
        assertThat(a.txnCount).isEqualTo(3);
        assertThat(a.threshold).isEqualTo(10_000);
        assertThat(a.txnIds).containsExactly("a", "b", "c");
    }

    @Test
    void oneAlertPerWindowAndTheNextWindowStartsFromZero() {
        Driver d = new Driver(sum("EARLY", "100.00"), 0);
        d.send("a", 20_000, T0 + SECOND).send("b", 20_000, T0 + 2 * SECOND).send("c", 20_000, T0 + 59_999);
        d.watermark(T0 + 30 * SECOND);
        // 60,000 ms is the next window: 50.00 + 50.00 is not over 100.00
        d.send("d", 5_000, T0 + MINUTE).send("e", 5_000, T0 + MINUTE + 1);
        assertThat(d.alerts).extracting(a -> a.alertId).containsExactly("sum:acc-1:2026-01-01T00:00:00Z");
        d.send("f", 1, T0 + MINUTE + 2);
        assertThat(d.alerts).extracting(a -> a.alertId)
                .containsExactly("sum:acc-1:2026-01-01T00:00:00Z", "sum:acc-1:2026-01-01T00:01:00Z");
        assertThat(d.alerts.get(1).txnIds).containsExactly("d", "e", "f");
    }

    @Test
    void countIsAtLeast() {
        Driver d = new Driver(count("EARLY", 3), 0);
        d.send("a", 1, T0).send("b", 1, T0 + 1);
        assertThat(d.alerts).isEmpty();
        d.send("c", 1, T0 + 2).send("d", 1, T0 + 3);
        assertThat(d.alerts).hasSize(1);
        assertThat(d.alerts.get(0).txnCount).isEqualTo(3);
        assertThat(d.alerts.get(0).threshold).isEqualTo(3);
        assertThat(d.alerts.get(0).txnIds).containsExactly("a", "b", "c");
    }

    @Test
    void distinctIsAtLeastAndTransactionsWithoutTheFieldDoNotApply() {
        Driver d = new Driver(merchants(3), 0);
        d.send(at("a", "m1", T0)).send(at("b", "m1", T0 + 1)).send(at("c", "m2", T0 + 2));
        d.send(at("x", null, T0 + 3)).send(at("y", null, T0 + 4));
        assertThat(d.alerts).isEmpty();
        assertThat(d.skipped).isEqualTo(2);
        assertThat(d.rule.logic().applies(at("x", null, T0))).isFalse();
        d.send(at("e", "m3", T0 + 5));
        assertThat(d.alerts).hasSize(1);
        Alert a = d.alerts.get(0);
        assertThat(a.distinctCount).isEqualTo(3);
        assertThat(a.distinctField).isEqualTo(DistinctField.MERCHANT_ID);
        assertThat(a.txnCount).isEqualTo(4);
        assertThat(a.txnIds).containsExactly("a", "b", "c", "e");
    }

    /** Three windows: over, exactly at, over. The same windows flag in both modes; only the moment differs. */
    @Test
    void earlyAndWindowCloseFlagTheSameWindows() {
        long[][] input = {{T0 + 1, 6_000}, {T0 + 2, 6_000}, {T0 + MINUTE + 1, 10_000},
            {T0 + 2 * MINUTE + 5, 10_000}, {T0 + 2 * MINUTE + 6, 1}};
        Driver early = new Driver(sum("EARLY", "100.00"), 0);
        Driver close = new Driver(sum("WINDOW_CLOSE", "100.00"), 0);
        for (int i = 0; i < input.length; i++) {
            early.send("t" + i, input[i][1], input[i][0]);
            close.send("t" + i, input[i][1], input[i][0]);
        }
        assertThat(early.alerts).extracting(a -> a.trigger).containsOnly(Trigger.CROSSING);
        assertThat(close.alerts).isEmpty();
        close.watermark(T0 + MINUTE - 2);
        assertThat(close.alerts).isEmpty();
        close.watermark(T0 + MINUTE - 1); // the window's last millisecond: closed
        assertThat(close.alerts).hasSize(1);
        close.watermark(T0 + 10 * MINUTE);
        assertThat(close.alerts).extracting(a -> a.trigger).containsOnly(Trigger.WINDOW_CLOSE);
        assertThat(ids(close.alerts)).isEqualTo(ids(early.alerts))
                .containsExactly("sum:acc-1:2026-01-01T00:00:00Z", "sum:acc-1:2026-01-01T00:02:00Z");
        assertThat(close.alerts.get(1).totalCents).isEqualTo(10_001);
        assertThat(close.alerts.get(1).accountId).isEqualTo("acc-1");
        assertThat(close.state).isNull();
    }

    @Test
    void aLateTransactionWithinTheAllowedLatenessDecidesAClosedWindow() {
        for (String firing : List.of("EARLY", "WINDOW_CLOSE")) {
            Driver d = new Driver(sum(firing, "100.00"), 10 * SECOND);
            d.send("a", 9_000, T0 + SECOND);
            d.watermark(T0 + MINUTE + 5 * SECOND); // closed, within the lateness
            assertThat(d.alerts).as(firing).isEmpty();
            d.send("b", 2_000, T0 + 30 * SECOND);
            assertThat(d.alerts).as(firing).hasSize(1);
            assertThat(d.alerts.get(0).trigger).isEqualTo(Trigger.LATE_TRANSACTION);
            assertThat(d.alerts.get(0).alertId).isEqualTo("sum:acc-1:2026-01-01T00:00:00Z");
            d.send("c", 50_000, T0 + 31 * SECOND); // EARLY: one alert per window; WINDOW_CLOSE: revised at a timer
            assertThat(d.alerts).as(firing).hasSize(1);
            int alerts = firing.equals("EARLY") ? 1 : 2;
            // past end + lateness the window is gone and its transactions are late
            d.watermark(T0 + MINUTE - 1 + 10 * SECOND);
            assertThat(d.alerts).as(firing).hasSize(alerts);
            d.send("e", 50_000, T0 + 32 * SECOND);
            assertThat(d.late).isEqualTo(1);
            assertThat(d.alerts).hasSize(alerts);
            assertThat(d.state).as(firing).isNull();
        }
    }

    /**
     * WINDOW_CLOSE reports the window's total. Transactions of an alerted window that arrive within the allowed
     * lateness (a shard held back past the idle timeout, say) revise the alert at the next timer: same id, the
     * window's whole total, revision = how many came since the first alert. Before revisions they were counted into
     * no alert, and the window's only alert stayed short.
     */
    @Test
    void aWindowCloseAlertIsRevisedAtTheNextTimerByTheTransactionsOfItsWindowThatArriveWithinTheLateness() {
        Driver d = new Driver(sum("WINDOW_CLOSE", "100.00"), 30 * SECOND);
        d.send("a", 6_000, T0 + SECOND).send("b", 5_000, T0 + 2 * SECOND);
        d.watermark(T0 + MINUTE);
        assertThat(d.alerts).extracting(a -> a.trigger, a -> a.revision, a -> a.totalCents, a -> a.txnCount)
                .containsExactly(tuple(Trigger.WINDOW_CLOSE, 0, 11_000L, 2));
        d.send("c", 250, T0 + 40 * SECOND).send("d", 1, T0 + 3 * SECOND); // late, within the lateness
        assertThat(d.alerts).hasSize(1); // coalesced until the watermark moves
        d.watermark(T0 + MINUTE + 1);
        d.send("e", 2, T0 + 4 * SECOND);
        d.watermark(T0 + MINUTE + 2);
        d.watermark(T0 + MINUTE + 3); // nothing new: no revision
        assertThat(d.alerts).extracting(a -> a.trigger, a -> a.revision, a -> a.totalCents, a -> a.txnCount)
                .containsExactly(tuple(Trigger.WINDOW_CLOSE, 0, 11_000L, 2),
                        tuple(Trigger.LATE_TRANSACTION, 2, 11_251L, 4),
                        tuple(Trigger.LATE_TRANSACTION, 3, 11_253L, 5));
        assertThat(ids(d.alerts)).containsOnly("sum:acc-1:2026-01-01T00:00:00Z");
        assertThat(d.alerts.get(2).txnIds).containsExactly("a", "b", "d", "e", "c"); // event-time order
        d.watermark(T0 + MINUTE - 1 + 30 * SECOND); // the lateness is over: late, and nothing kept
        d.send("f", 100, T0 + 4 * SECOND);
        assertThat(d.late).isEqualTo(1);
        assertThat(d.alerts).hasSize(3);
        assertThat(d.state).isNull();
    }

    /** However many late transactions come, a window's alert is revised at most once per timer. */
    @Test
    void aFloodOfLateTransactionsRevisesTheAlertOncePerTimer() {
        Driver d = new Driver(count("WINDOW_CLOSE", 2), 30 * SECOND);
        d.send("a", 1, T0).send("b", 1, T0 + 1);
        d.watermark(T0 + MINUTE);
        for (int i = 0; i < 10_000; i++) {
            d.send("late-" + i, 1, T0 + 2 + i % 1_000);
        }
        d.watermark(T0 + MINUTE + SECOND);
        assertThat(d.alerts).extracting(a -> a.revision, a -> a.txnCount)
                .containsExactly(tuple(0, 2), tuple(10_000, 10_002));
    }

    /**
     * EARLY with 1 s windows and a day of lateness: a busy key keeps a day of alerted windows, and every transaction
     * asks whether its window has alerted. They are kept sorted (a binary search, not a scan of up to 86,400), also
     * when alerts come out of order, and forgotten as a prefix.
     */
    @Test
    void alertedWindowsStaySortedAndAreForgottenAfterTheirLateness() {
        Rule r = rule("{\"rule_id\":\"count\",\"version\":1,\"type\":\"COUNT_OVER_THRESHOLD\",\"window\":{\"kind\":"
                + "\"TUMBLING\",\"size\":\"PT1S\"},\"min_count\":2}");
        Driver d = new Driver(r, 24 * 60 * MINUTE);
        int n = 20_000;
        for (int i = 0; i < n; i += 2) { // pairs of seconds, the later one first
            for (int j : new int[] {i + 1, i}) {
                long t = T0 + j * SECOND;
                d.send("t" + j + "a", 100, t).send("t" + j + "b", 100, t + 1).send("t" + j + "c", 100, t + 2);
            }
            d.lagBehind(5 * SECOND);
        }
        assertThat(d.alerts).hasSize(n);
        assertThat(d.alerts.stream().map(a -> a.windowStartMillis).distinct().count()).isEqualTo(n);
        long[] alerted = d.state.alertedWindows;
        assertThat(alerted).hasSize(n).isSorted();
        d.watermark(T0 + 24 * 60 * MINUTE + 10_000 * SECOND); // the first 10,000 windows' lateness is over
        assertThat(d.state.alertedWindows).hasSize(n - 10_000).isSorted();
        assertThat(d.state.alertedWindows[0]).isEqualTo(T0 + 10_000 * SECOND);
        d.watermark(T0 + 48 * 60 * MINUTE);
        assertThat(d.state).isNull();
    }

    /**
     * A state restored from a savepoint taken when tumbling rules kept their transactions: folded into window totals
     * on first use, alerted and late marks included, so its alerts and revisions go on as if nothing had changed.
     */
    @Test
    void aStateThatKeptTransactionsIsFoldedIntoWindowTotals() {
        Driver d = restoredAfterTheAlertOfT0(event("a", 6_000, T0 + SECOND, true, false),
                event("b", 5_000, T0 + 2 * SECOND, true, false),
                event("c", 300, T0 + 3 * SECOND, false, true), // came after the alert, not yet revised
                event("x", 20_000, T0 + MINUTE + SECOND, false, false));
        d.state.revisionsFrom = T0;
        RuleState old = d.state;
        d.send("d", 100, T0 + 4 * SECOND); // late for the alerted window, within the lateness
        assertThat(old.size).isZero();
        assertThat(old.windowCount).isEqualTo(2);
        d.watermark(T0 + 2 * MINUTE);
        assertThat(d.alerts).extracting(a -> a.windowStartMillis, a -> a.trigger, a -> a.revision, a -> a.totalCents,
                a -> a.txnCount).containsExactly(tuple(T0, Trigger.LATE_TRANSACTION, 2, 11_400L, 4),
                        tuple(T0 + MINUTE, Trigger.WINDOW_CLOSE, 0, 20_000L, 1));
        assertThat(d.alerts.get(0).txnIds).containsExactly("a", "b", "c", "d");
    }

    /**
     * An alerted window whose state holds none of the transactions its alert counted has no whole total to revise: its
     * alert dropped them (before revisions existed; or EARLY, and the rule became WINDOW_CLOSE), keeping nothing or
     * only transactions that came after it. A late transaction then revises nothing, before or after the fold.
     */
    @Test
    void anAlertedWindowWithoutTheTransactionsItsAlertCountedIsNotRevised() {
        for (Driver d : List.of(restoredAfterTheAlertOfT0(),
                restoredAfterTheAlertOfT0(event("l1", 5_000, T0 + 5 * SECOND, false, true)))) {
            d.send("l2", 50_000, T0 + 6 * SECOND);
            d.watermark(T0 + 5 * MINUTE);
            assertThat(d.alerts).isEmpty();
            assertThat(d.state).isNull();
        }
    }

    /**
     * A new version may change the firing mode and keep the state (it is not in the state signature). A WINDOW_CLOSE
     * state with a revision due, carried on by EARLY, which never revises: it must still expire, not ask for a timer
     * every second forever.
     */
    @Test
    void aRevisionDueWhenTheRuleBecomesEarlyDoesNotKeepTheStateAlive() {
        Driver closing = new Driver(sum("WINDOW_CLOSE", "100.00"), 30 * SECOND);
        closing.send("a", 20_000, T0 + SECOND).watermark(T0 + MINUTE);
        closing.send("late", 100, T0 + 2 * SECOND); // due at the next timer
        assertThat(closing.state.revisionsFrom).isEqualTo(T0);
        Driver early = new Driver(sum("EARLY", "100.00"), 30 * SECOND);
        assertThat(early.rule.stateSignature()).isEqualTo(closing.rule.stateSignature());
        early.state = closing.state;
        early.watermark = closing.watermark;
        early.send("b", 100, T0 + MINUTE + SECOND); // registers the state's timers under EARLY
        early.watermark(T0 + 10 * MINUTE);
        assertThat(early.state).isNull();
        assertThat(closing.alerts).hasSize(1);
        assertThat(early.alerts).isEmpty();
    }

    /**
     * A state written before shadow marks were kept apart (session 13): a shadow EARLY alert was a live mark on an open
     * window that kept its totals. Under an ACTIVE WINDOW_CLOSE version that window has its one alert: no close alert
     * and no live revision, neither after a transaction while it is open nor when it closes.
     */
    @Test
    void anOpenWindowMarkedLiveWithItsTotalsByAnOlderReleaseRaisesNoCloseAlertOrRevision() {
        for (boolean transactionWhileOpen : new boolean[] {true, false}) {
            Driver d = new Driver(sum("WINDOW_CLOSE", "100.00"), 30 * SECOND);
            RuleState old = new RuleState(d.rule.stateSignature());
            WindowTotals w = new WindowTotals(T0, false);
            w.add(T0 + SECOND, 15_000, "a", "acc-1", null, 100);
            old.addWindow(w);
            old.markAlerted(T0, true);
            d.state = old;
            d.watermark = T0 + 10 * SECOND;
            if (transactionWhileOpen) {
                d.send("b", 1_000, T0 + 20 * SECOND);
            }
            d.watermark(T0 + MINUTE + SECOND); // closed
            d.send("late", 1_000, T0 + 30 * SECOND); // within the lateness
            d.watermark(T0 + 10 * MINUTE);
            assertThat(d.alerts).as("transaction while open: " + transactionWhileOpen).isEmpty();
            assertThat(d.state).isNull();
        }
    }

    /**
     * A sum over 100.00, WINDOW_CLOSE, restored from a state written when tumbling rules kept their transactions: the
     * window at T0 has closed and alerted, the watermark is at its end.
     */
    private static Driver restoredAfterTheAlertOfT0(com.example.fraud.rules.state.Event... kept) {
        Driver d = new Driver(sum("WINDOW_CLOSE", "100.00"), 30 * SECOND);
        RuleState old = new RuleState(d.rule.stateSignature());
        for (com.example.fraud.rules.state.Event e : kept) {
            old.insert(e);
        }
        old.markAlerted(T0, true);
        old.closedThrough = T0 + MINUTE - 1;
        d.state = old;
        d.watermark = T0 + MINUTE;
        return d;
    }

    private static com.example.fraud.rules.state.Event event(String id, long cents, long time, boolean alerted,
            boolean late) {
        com.example.fraud.rules.state.Event e = com.example.fraud.rules.state.Event.of(txn(id, "acc-1", cents, time));
        e.alerted = alerted;
        e.late = late;
        return e;
    }

    static List<String> ids(List<Alert> alerts) {
        return alerts.stream().map(a -> a.alertId).collect(Collectors.toList());
    }

    /** A state that counts the binary searches a rule makes in it. */
    static final class CountingState extends RuleState {
        long searches;

        CountingState(long signature) {
            super(signature);
        }

        @Override
        public int upperBound(long t) {
            searches++;
            return super.upperBound(t);
        }

        @Override
        public int windowIndex(long start) {
            searches++;
            return super.windowIndex(start);
        }
    }

    /**
     * WINDOW_CLOSE with short windows and a long allowed lateness (1 s windows, 1 day): the closed windows wait a day
     * for late transactions, and a hot key has one per second. Finding the next window to close must not walk them
     * all on every transaction and timer: it did, one search per closed window kept (quadratic: 40,000 transactions
     * of one key took 139 s).
     */
    @Test
    void windowCloseFindsTheNextWindowToCloseWithoutWalkingTheClosedOnes() {
        Rule r = rule("{\"rule_id\":\"count\",\"version\":1,\"type\":\"COUNT_OVER_THRESHOLD\",\"window\":{\"kind\":"
                + "\"TUMBLING\",\"size\":\"PT1S\"},\"firing\":\"WINDOW_CLOSE\",\"min_count\":3}");
        Driver d = new Driver(r, 24 * 60 * MINUTE);
        CountingState state = new CountingState(r.stateSignature());
        d.state = state;
        int n = 5_000;
        for (int i = 0; i < n; i++) {
            long t = T0 + i * SECOND;
            d.send("t" + i, 100, t);
            if (i % 1_000 == 0) { // three in this second: its window closes over the limit
                d.send("t" + i + "b", 100, t + 1).send("t" + i + "c", 100, t + 2);
            }
            d.lagBehind(5 * SECOND);
        }
        assertThat(d.state).isSameAs(state);
        // every window kept for late transactions (alerted ones too: a late one revises the alert)
        assertThat(state.windowCount).isEqualTo(n);
        assertThat(d.alerts).extracting(a -> a.windowStartMillis)
                .containsExactly(T0, T0 + 1_000 * SECOND, T0 + 2_000 * SECOND, T0 + 3_000 * SECOND,
                        T0 + 4_000 * SECOND);
        assertThat(state.searches).as("binary searches for %s transactions", n).isLessThan(20L * n);
    }
}
