package com.example.fraud.detector.sink;

import com.example.fraud.model.Alert;
import com.example.fraud.model.AlertEvidence;
import com.example.fraud.model.RuleMode;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.TerminalText;
import com.example.fraud.model.Timestamps;
import com.example.fraud.rules.RuleAck;

/**
 * One readable console line per alert or dead letter, for local runs. Every text that came from input is
 * escaped with {@link TerminalText}, so that a record can neither forge nor erase a line, nor drive the terminal.
 */
public final class ConsoleLines {
    private static final int MAX_PAYLOAD_CHARS = 160;

    private ConsoleLines() {}

    public static String alert(Alert a) {
        return String.format("%s %s v%d %s %s window [%s, %s) %s (%s)", a.mode == RuleMode.SHADOW ? "SHADOW-ALERT"
                : "ALERT", TerminalText.escape(a.ruleId), a.ruleVersion, a.groupBy == null ? "" : a.groupBy.field(),
                TerminalText.escape(a.groupKey), Timestamps.format(a.windowStartMillis),
                Timestamps.format(a.windowEndMillis), AlertEvidence.of(a), a.trigger);
    }

    /** Every text of an acknowledgement can come from a control-stream record: the rule id and the reason. */
    public static String ack(RuleAck a) {
        StringBuilder line = new StringBuilder("RULE-").append(a.status).append(' ')
                .append(TerminalText.escape(String.valueOf(a.ruleId))).append(" v").append(a.version);
        if (a.deleted) {
            line.append(" deleted");
        } else if (a.ruleType != null) {
            line.append(' ').append(a.ruleType).append(' ').append(a.mode);
        }
        if (a.reason != null) {
            line.append(": ").append(TerminalText.escape(a.reason));
        }
        return line.toString();
    }

    public static String deadLetter(DeadLetter d) {
        String payload = d.payload == null ? "" : TerminalText.abbreviate(d.payload, MAX_PAYLOAD_CHARS);
        return String.format("DEAD-LETTER %s%s: %s | %s", TerminalText.escape(d.reason),
                d.accountId == null ? "" : " " + TerminalText.escape(d.accountId), TerminalText.escape(d.detail),
                payload);
    }
}
