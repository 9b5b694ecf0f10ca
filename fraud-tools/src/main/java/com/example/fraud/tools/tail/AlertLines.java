package com.example.fraud.tools.tail;

import com.example.fraud.model.Alert;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.Money;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** One readable line per alert or dead letter. */
public final class AlertLines {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final int MAX_PAYLOAD_CHARS = 160;

    private AlertLines() {}

    /** ALERT ACC-00042 window [10:15:00Z, 10:16:00Z) total 3412.50 &gt; 3000.00 in 7 txns (CROSSING) */
    public static String alert(Alert a) {
        return "ALERT " + a.accountId + " window [" + time(a.windowStartMillis) + ", " + time(a.windowEndMillis)
                + ") total " + Money.format(a.totalCents) + " > " + Money.format(a.thresholdCents) + " in "
                + a.txnCount + (a.txnCount == 1 ? " txn" : " txns") + " (" + a.trigger + ")";
    }

    /** DEAD-LETTER LATE ACC-00017: window [...] closed; ... | {"txn_id":...} */
    public static String deadLetter(DeadLetter d) {
        String payload = d.payload == null ? "" : d.payload;
        if (payload.length() > MAX_PAYLOAD_CHARS) {
            payload = payload.substring(0, MAX_PAYLOAD_CHARS) + "... (" + d.payloadBytes + " bytes)";
        }
        return "DEAD-LETTER " + d.reason + (d.accountId == null ? "" : " " + d.accountId) + ": " + d.detail + " | "
                + payload;
    }

    /** HH:mm:ssZ, with milliseconds only when the time has some. */
    static String time(long epochMillis) {
        Instant t = Instant.ofEpochMilli(epochMillis);
        return (epochMillis % 1000 == 0 ? SECONDS : MILLIS).format(t);
    }
}
