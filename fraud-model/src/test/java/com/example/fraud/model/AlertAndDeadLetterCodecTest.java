package com.example.fraud.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlertAndDeadLetterCodecTest {

    @Test
    void sumAlertRoundTripsWithExactAmounts() {
        Alert a = header(RuleType.SUM_OVER_THRESHOLD);
        a.totalCents = 300_001;
        a.txnCount = 2;
        a.threshold = 300_000;

        String json = new String(AlertCodec.encode(a), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"alert_id\":\"sum-over-threshold:ACC-7:2026-11-25T10:15:00Z\","
                + "\"rule_id\":\"sum-over-threshold\",\"rule_version\":3,\"rule_type\":\"SUM_OVER_THRESHOLD\","
                + "\"mode\":\"ACTIVE\",\"group_by\":\"account_id\",\"group_key\":\"ACC-7\",\"account_id\":\"ACC-7\","
                + "\"window_start\":\"2026-11-25T10:15:00Z\",\"window_end\":\"2026-11-25T10:16:00Z\","
                + "\"trigger\":\"CROSSING\",\"revision\":0,\"detected_at\":\"2026-11-25T10:15:31.005Z\",\"txn_ids\":[\"t-1\",\"t-2\"],"
                + "\"total_amount\":3000.01,\"txn_count\":2,\"threshold\":3000.00}");
        assertThat(AlertCodec.decode(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(a);

        a.trigger = Alert.Trigger.LATE_TRANSACTION;
        a.revision = 2;
        assertThat(AlertCodec.decode(AlertCodec.encode(a))).isEqualTo(a);
        assertThat(new String(AlertCodec.encode(a), StandardCharsets.UTF_8)).contains("\"revision\":2,");
    }

    @Test
    void everyRuleTypesEvidenceRoundTrips() {
        Alert count = header(RuleType.COUNT_OVER_THRESHOLD);
        count.txnCount = 5;
        count.totalCents = 500;
        count.threshold = 5;
        Alert distinct = header(RuleType.DISTINCT_COUNT_OVER_THRESHOLD);
        distinct.distinctField = DistinctField.COUNTRY;
        distinct.distinctCount = 4;
        distinct.threshold = 3;
        Alert cardTesting = header(RuleType.SMALL_THEN_LARGE);
        cardTesting.first = AlertTxn.of("t-1", 1_000, 100, Double.NaN, Double.NaN);
        cardTesting.second = AlertTxn.of("t-2", 61_000, 90_000, Double.NaN, Double.NaN);
        cardTesting.smallMaxCents = 200;
        cardTesting.largeMinCents = 50_000;
        Alert travel = header(RuleType.IMPOSSIBLE_TRAVEL);
        travel.mode = RuleMode.SHADOW;
        travel.groupBy = Grouping.CARD_ID;
        travel.first = AlertTxn.of("t-1", 1_000, 100, 52.52, 13.405);
        travel.second = AlertTxn.of("t-2", 601_000, 100, 40.7128, -74.006);
        travel.distanceKm = 6385.2;
        travel.speedKmh = 38311;
        travel.maxSpeedKmh = 900;
        for (Alert a : new Alert[] {count, distinct, cardTesting, travel}) {
            assertThat(AlertCodec.decode(AlertCodec.encode(a))).isEqualTo(a);
        }
        assertThat(new String(AlertCodec.encode(travel), StandardCharsets.UTF_8))
                .contains("\"mode\":\"SHADOW\"", "\"group_by\":\"card_id\"",
                        "\"from\":{\"txn_id\":\"t-1\",\"txn_time\":\"1970-01-01T00:00:01Z\",\"amount\":1.00,"
                                + "\"lat\":52.52,\"lon\":13.405}", "\"speed_kmh\":38311.0");
    }

    private static Alert header(RuleType type) {
        Alert a = new Alert();
        a.ruleId = "sum-over-threshold";
        a.ruleVersion = 3;
        a.ruleType = type;
        a.mode = RuleMode.ACTIVE;
        a.groupBy = Grouping.ACCOUNT_ID;
        a.groupKey = "ACC-7";
        a.accountId = "ACC-7";
        a.windowStartMillis = Instant.parse("2026-11-25T10:15:00Z").toEpochMilli();
        a.windowEndMillis = Instant.parse("2026-11-25T10:16:00Z").toEpochMilli();
        a.alertId = Alert.alertId(a.ruleId, a.groupKey, a.windowStartMillis);
        a.txnIds = new String[] {"t-1", "t-2"};
        a.detectedAtMillis = Instant.parse("2026-11-25T10:15:31.005Z").toEpochMilli();
        a.trigger = Alert.Trigger.CROSSING;
        return a;
    }

    @Test
    void deadLetterRoundTrips() {
        DeadLetter d = new DeadLetter(RejectReason.INVALID_AMOUNT, "amount must be > 0, got -5", "{\"amount\":-5}", 13,
                null, Instant.parse("2026-11-25T10:15:31Z").toEpochMilli());
        DeadLetter back = DeadLetterCodec.decode(DeadLetterCodec.encode(d));
        assertThat(back).isEqualTo(d);
        assertThat(back.reason).isEqualTo("INVALID_AMOUNT");
    }
}
