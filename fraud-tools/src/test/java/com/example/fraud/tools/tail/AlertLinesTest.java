package com.example.fraud.tools.tail;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.model.Alert;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.RejectReason;
import com.example.fraud.model.Timestamps;
import org.junit.jupiter.api.Test;

class AlertLinesTest {
    @Test
    void oneReadableLinePerAlert() {
        Alert a = new Alert();
        a.accountId = "ACC-00042";
        a.windowStartMillis = Timestamps.parseMillis("2026-11-25T10:15:00Z");
        a.windowEndMillis = Timestamps.parseMillis("2026-11-25T10:16:00Z");
        a.totalCents = 341_250;
        a.thresholdCents = 300_000;
        a.txnCount = 7;
        a.trigger = "CROSSING";
        assertThat(AlertLines.alert(a))
                .isEqualTo("ALERT ACC-00042 window [10:15:00Z, 10:16:00Z) total 3412.50 > 3000.00 in 7 txns (CROSSING)");
        a.windowEndMillis += 500;
        assertThat(AlertLines.alert(a)).contains("[10:15:00Z, 10:16:00.500Z)");
    }

    @Test
    void deadLettersShowReasonDetailAndAShortPayload() {
        DeadLetter d = new DeadLetter(RejectReason.OVERSIZED, "record is 70000 bytes", "x".repeat(500), 70_000, null, 0);
        String line = AlertLines.deadLetter(d);
        assertThat(line).startsWith("DEAD-LETTER OVERSIZED: record is 70000 bytes | xxx").endsWith("... (70000 bytes)");
        assertThat(line.length()).isLessThan(260);
    }
}
