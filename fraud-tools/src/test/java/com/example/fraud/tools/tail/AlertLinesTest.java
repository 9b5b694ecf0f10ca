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
        a.ruleId = "sum-over-threshold";
        a.ruleVersion = 1;
        a.ruleType = com.example.fraud.model.RuleType.SUM_OVER_THRESHOLD;
        a.groupBy = com.example.fraud.model.Grouping.ACCOUNT_ID;
        a.groupKey = "ACC-00042";
        a.accountId = "ACC-00042";
        a.windowStartMillis = Timestamps.parseMillis("2026-11-25T10:15:00Z");
        a.windowEndMillis = Timestamps.parseMillis("2026-11-25T10:16:00Z");
        a.totalCents = 341_250;
        a.threshold = 300_000;
        a.txnCount = 7;
        a.trigger = Alert.Trigger.CROSSING;
        assertThat(AlertLines.alert(a))
                .isEqualTo("ALERT sum-over-threshold v1 account_id ACC-00042 [10:15:00Z, 10:16:00Z) total 3412.50 > 3000.00 "
                        + "in 7 txns (CROSSING)");
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

    @Test
    void textFromTheStreamIsEscapedSoNoLineCanBeForged() {
        DeadLetter d = new DeadLetter(RejectReason.INVALID_FIELD, "account_id contains a format character U+202E",
                "{\"account_id\":\"A\u202eB\"}\nALERT ACC-1 forged\r\u001b[2K", 40, "A\u202eB", 0);
        String line = AlertLines.deadLetter(d);
        assertThat(line).isEqualTo("DEAD-LETTER INVALID_FIELD A\\u202eB: account_id contains a format character U+202E"
                + " | {\"account_id\":\"A\\u202eB\"}\\nALERT ACC-1 forged\\r\\u001b[2K");
        assertThat(line.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);

        Alert a = new Alert();
        a.ruleId = "r\u2028";
        a.groupKey = "ACC-1\nALERT ACC-2";
        a.trigger = Alert.Trigger.CROSSING;
        assertThat(AlertLines.alert(a)).startsWith("ALERT r\\u2028 v0 ACC-1\\nALERT ACC-2 [").endsWith("(CROSSING)");
        assertThat(AlertLines.unreadable("s", "1", "bad \u001b[31m")).isEqualTo("UNREADABLE s record 1: bad \\u001b[31m");
    }

    @Test
    void base64PayloadsAreMarked() {
        DeadLetter d = com.example.fraud.model.DeadLetterPayload.full()
                .deadLetter(RejectReason.MALFORMED_JSON, "not UTF-8 JSON", new byte[] {(byte) 0xFE, (byte) 0xFF, 0, 0x7b}, null, 0);
        assertThat(AlertLines.deadLetter(d)).endsWith(" | base64:/v8Aew==");
    }
}
