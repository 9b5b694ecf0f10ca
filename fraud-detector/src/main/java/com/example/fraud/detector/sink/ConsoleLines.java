package com.example.fraud.detector.sink;

import com.example.fraud.model.Alert;
import com.example.fraud.model.AlertEvidence;
import com.example.fraud.model.RuleMode;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.TerminalText;
import com.example.fraud.model.Timestamps;

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

    public static String deadLetter(DeadLetter d) {
        String payload = d.payload == null ? "" : TerminalText.abbreviate(d.payload, MAX_PAYLOAD_CHARS);
        return String.format("DEAD-LETTER %s%s: %s | %s", TerminalText.escape(d.reason),
                d.accountId == null ? "" : " " + TerminalText.escape(d.accountId), TerminalText.escape(d.detail),
                payload);
    }
}
