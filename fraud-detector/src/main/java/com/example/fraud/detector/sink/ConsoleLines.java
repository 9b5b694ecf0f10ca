package com.example.fraud.detector.sink;

import com.example.fraud.model.Alert;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.Money;
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
        return String.format("ALERT %s window [%s, %s) total %s > %s in %d txns (%s)",
                TerminalText.escape(a.accountId), Timestamps.format(a.windowStartMillis),
                Timestamps.format(a.windowEndMillis), Money.format(a.totalCents), Money.format(a.thresholdCents),
                a.txnCount, TerminalText.escape(a.trigger));
    }

    public static String deadLetter(DeadLetter d) {
        String payload = d.payload == null ? "" : TerminalText.abbreviate(d.payload, MAX_PAYLOAD_CHARS);
        return String.format("DEAD-LETTER %s%s: %s | %s", TerminalText.escape(d.reason),
                d.accountId == null ? "" : " " + TerminalText.escape(d.accountId), TerminalText.escape(d.detail),
                payload);
    }
}
