package com.example.fraud.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlertAndDeadLetterCodecTest {

    @Test
    void alertRoundTripsWithExactAmounts() {
        Alert a = new Alert();
        a.rule = "sum-over-threshold";
        a.accountId = "ACC-7";
        a.windowStartMillis = Instant.parse("2026-11-25T10:15:00Z").toEpochMilli();
        a.windowEndMillis = Instant.parse("2026-11-25T10:16:00Z").toEpochMilli();
        a.alertId = Alert.alertId(a.rule, a.accountId, a.windowStartMillis);
        a.totalCents = 300_001;
        a.txnCount = 2;
        a.thresholdCents = 300_000;
        a.txnIds = new String[] {"t-1", "t-2"};
        a.detectedAtMillis = Instant.parse("2026-11-25T10:15:31.005Z").toEpochMilli();
        a.trigger = Alert.Trigger.CROSSING.name();

        String json = new String(AlertCodec.encode(a), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"alert_id\":\"sum-over-threshold:ACC-7:2026-11-25T10:15:00Z\","
                + "\"rule\":\"sum-over-threshold\",\"account_id\":\"ACC-7\",\"window_start\":\"2026-11-25T10:15:00Z\","
                + "\"window_end\":\"2026-11-25T10:16:00Z\",\"total_amount\":3000.01,\"txn_count\":2,"
                + "\"threshold\":3000.00,\"txn_ids\":[\"t-1\",\"t-2\"],\"detected_at\":\"2026-11-25T10:15:31.005Z\","
                + "\"trigger\":\"CROSSING\"}");
        assertThat(AlertCodec.decode(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(a);
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
