package com.example.fraud.detector.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.model.Alert;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.RejectReason;
import com.example.fraud.model.RuleMode;
import com.example.fraud.model.RuleType;
import com.example.fraud.rules.RuleAck;
import org.junit.jupiter.api.Test;

class ConsoleLinesTest {
    @Test
    void aPayloadCanNeitherForgeNorEraseALine() {
        DeadLetter d = new DeadLetter(RejectReason.MALFORMED_JSON, "malformed JSON: '\u001b[2J'",
                "x\r\nALERT ACC-9 window [forged]\u001b[1A\u001b[2K\u202e", 60, "ACC-\u202e1\n", 0);
        String line = ConsoleLines.deadLetter(d);
        assertThat(line).isEqualTo("DEAD-LETTER MALFORMED_JSON ACC-\\u202e1\\n: malformed JSON: '\\u001b[2J' | "
                + "x\\r\\nALERT ACC-9 window [forged]\\u001b[1A\\u001b[2K\\u202e");
        assertThat(line.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    @Test
    void longPayloadsAreCutThenEscaped() {
        DeadLetter d = new DeadLetter(RejectReason.OVERSIZED, "too big", "\n".repeat(500), 500, null, 0);
        assertThat(ConsoleLines.deadLetter(d)).isEqualTo("DEAD-LETTER OVERSIZED: too big | " + "\\n".repeat(160) + "...");
    }

    @Test
    void alertAccountIsEscaped() {
        Alert a = new Alert();
        a.ruleId = "r\u001b[2J";
        a.groupBy = com.example.fraud.model.Grouping.ACCOUNT_ID;
        a.groupKey = "ACC\u001b]0;pwned\u0007";
        a.accountId = a.groupKey;
        a.trigger = Alert.Trigger.CROSSING;
        assertThat(ConsoleLines.alert(a)).startsWith("ALERT r\\u001b[2J v0 account_id ACC\\u001b]0;pwned\\u0007 window [")
                .endsWith("(CROSSING)");
    }

    @Test
    void ruleAcknowledgementsAreEscaped() {
        RuleAck rejected = RuleAck.rejected("r\u001b[2J", 7, "field 'threshold': got '\n\u202e'", 0);
        assertThat(ConsoleLines.ack(rejected))
                .isEqualTo("RULE-REJECTED r\\u001b[2J v7: field 'threshold': got '\\n\\u202e'");
        RuleAck unreadable = RuleAck.rejected(null, 0, "not a JSON document", 0);
        assertThat(ConsoleLines.ack(unreadable)).isEqualTo("RULE-REJECTED null v0: not a JSON document");

        RuleAck applied = RuleAck.rejected("velocity", 2, null, 0);
        applied.status = RuleAck.Status.APPLIED;
        applied.ruleType = RuleType.COUNT_OVER_THRESHOLD;
        applied.mode = RuleMode.SHADOW;
        assertThat(ConsoleLines.ack(applied)).isEqualTo("RULE-APPLIED velocity v2 COUNT_OVER_THRESHOLD SHADOW");
    }

    @Test
    void shadowAlertsAreMarked() {
        Alert a = new Alert();
        a.ruleId = "velocity";
        a.mode = RuleMode.SHADOW;
        a.groupBy = com.example.fraud.model.Grouping.CARD_ID;
        a.groupKey = "CARD-1";
        a.accountId = "ACC-1";
        a.trigger = Alert.Trigger.CROSSING;
        assertThat(ConsoleLines.alert(a)).startsWith("SHADOW-ALERT velocity v0 card_id CARD-1 window [");
    }
}
