package com.example.fraud.tools.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.model.Transaction;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ground truth's replay on hand-made records: what the job's timers would decide, decided. */
class RuleReplayTest {
    private static final long T0 = 1_795_600_000_000L; // window-aligned

    /**
     * A window closed by the watermark while its key stays busy: the replay must sweep as the watermark moves (as the
     * job's timers fire), not only at the end, when the key's later transactions have already forgotten the window.
     */
    @Test
    void aWindowCloseAlertOfABusyKeyIsDecidedWhenTheWatermarkPasses() throws Exception {
        Rule merchants = RuleCodec.parse("{\"rule_id\":\"merchants\",\"version\":1,"
                + "\"type\":\"DISTINCT_COUNT_OVER_THRESHOLD\",\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT10S\"},"
                + "\"distinct\":\"merchant_id\",\"min_distinct\":3,\"firing\":\"WINDOW_CLOSE\"}");
        List<Transaction> stored = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            stored.add(txn(stored.size(), T0 + 1_000 * i, "MER-" + i));
        }
        for (long t = T0 + 10_000; t < T0 + 60_000; t += 200) { // the same merchant, 5 a second, for 50 s
            stored.add(txn(stored.size(), t, "MER-0"));
        }
        RuleSettings settings = RuleSettings.defaults().withMaxOutOfOrderness(java.time.Duration.ofSeconds(5))
                .withAllowedLateness(java.time.Duration.ofSeconds(5));

        List<GroundTruth.ExpectedAlert> alerts = RuleReplay.alertsOf(List.of(merchants), settings, stored);

        assertThat(alerts).extracting(a -> a.alertId + " " + a.trigger)
                .containsExactly("merchants:ACC-1:" + com.example.fraud.model.Timestamps.format(T0) + " WINDOW_CLOSE");
    }

    /** A late transaction revises a WINDOW_CLOSE alert in the job; the truth then expects one alert, its last total. */
    @Test
    void aRevisedWindowCloseAlertIsExpectedOnceWithTheWindowsFinalTotal() throws Exception {
        Rule count = RuleCodec.parse("{\"rule_id\":\"count\",\"version\":1,\"type\":\"COUNT_OVER_THRESHOLD\","
                + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT10S\"},\"min_count\":2,"
                + "\"firing\":\"WINDOW_CLOSE\"}");
        List<Transaction> stored = new ArrayList<>(List.of(txn(0, T0 + 1_000, "M"), txn(1, T0 + 2_000, "M"),
                txn(2, T0 + 16_000, "M"), // moves the watermark past the window's end: it alerts with 2
                txn(3, T0 + 3_000, "M"))); // late, within the allowed lateness: the alert is revised to 3
        RuleSettings settings = RuleSettings.defaults().withMaxOutOfOrderness(java.time.Duration.ofSeconds(5))
                .withAllowedLateness(java.time.Duration.ofSeconds(30));

        List<GroundTruth.ExpectedAlert> alerts = RuleReplay.alertsOf(List.of(count), settings, stored);

        assertThat(alerts).extracting(a -> a.trigger, a -> a.crossingSum.toPlainString(),
                a -> a.expectedSum.toPlainString(), a -> a.txnCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("WINDOW_CLOSE", "2.00", "3.00", 3));
    }

    private static Transaction txn(int n, long time, String merchant) {
        Transaction t = new Transaction("t-" + n, "ACC-1", 100, time);
        t.merchantId = merchant;
        return t;
    }
}
