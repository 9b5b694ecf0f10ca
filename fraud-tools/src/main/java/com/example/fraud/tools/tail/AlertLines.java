package com.example.fraud.tools.tail;

import com.example.fraud.model.Alert;
import com.example.fraud.model.AlertEvidence;
import com.example.fraud.model.RuleMode;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.TerminalText;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One readable line per alert or dead letter. Every text read from a stream is escaped with {@link TerminalText}:
 * a record can neither forge nor erase a line, nor send escape sequences to the terminal.
 */
public final class AlertLines {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final int MAX_PAYLOAD_CHARS = 160;

    private AlertLines() {}

    /** ALERT sum-over-threshold v1 account_id ACC-00042 [10:15:00Z, 10:16:00Z) total 3412.50 &gt; 3000.00 in 7 txns (CROSSING) */
    public static String alert(Alert a) {
        return (a.mode == RuleMode.SHADOW ? "SHADOW-ALERT " : "ALERT ") + TerminalText.escape(a.ruleId) + " v"
                + a.ruleVersion + " " + (a.groupBy == null ? "" : a.groupBy.field() + " ")
                + TerminalText.escape(a.groupKey) + " [" + time(a.windowStartMillis) + ", " + time(a.windowEndMillis)
                + ") " + AlertEvidence.of(a) + " (" + a.trigger + (a.revision > 0 ? ", revision " + a.revision : "")
                + ")";
    }

    /** DEAD-LETTER LATE ACC-00017: window [...] closed; ... | {"txn_id":...} */
    public static String deadLetter(DeadLetter d) {
        String payload = d.payload == null ? "" : d.payload;
        if (DeadLetter.BASE64.equals(d.payloadEncoding)) {
            payload = "base64:" + payload;
        }
        if (payload.length() > MAX_PAYLOAD_CHARS) {
            payload = TerminalText.abbreviate(payload, MAX_PAYLOAD_CHARS) + " (" + d.payloadBytes + " bytes)";
        } else {
            payload = TerminalText.escape(payload);
        }
        return "DEAD-LETTER " + TerminalText.escape(d.reason)
                + (d.accountId == null ? "" : " " + TerminalText.escape(d.accountId)) + ": "
                + TerminalText.escape(d.detail) + " | " + payload;
    }

    /** Text of a record that could not be read at all (its error message may quote the record). */
    static String unreadable(String stream, String sequenceNumber, String message) {
        return "UNREADABLE " + TerminalText.escape(stream) + " record " + sequenceNumber + ": "
                + TerminalText.escape(message);
    }

    /** HH:mm:ssZ, with milliseconds only when the time has some. */
    static String time(long epochMillis) {
        Instant t = Instant.ofEpochMilli(epochMillis);
        return (epochMillis % 1000 == 0 ? SECONDS : MILLIS).format(t);
    }
}
