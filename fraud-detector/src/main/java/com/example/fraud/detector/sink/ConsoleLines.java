package com.example.fraud.detector.sink;

import com.example.fraud.model.Alert;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.Money;
import com.example.fraud.model.Timestamps;

/** One readable console line per alert or dead letter, for local runs. */
public final class ConsoleLines {
    private ConsoleLines() {}

    public static String alert(Alert a) {
        return String.format("ALERT %s window [%s, %s) total %s > %s in %d txns (%s)", a.accountId,
                Timestamps.format(a.windowStartMillis), Timestamps.format(a.windowEndMillis), Money.format(a.totalCents),
                Money.format(a.thresholdCents), a.txnCount, a.trigger);
    }

    public static String deadLetter(DeadLetter d) {
        String payload = d.payload == null ? "" : d.payload;
        if (payload.length() > 160) {
            payload = payload.substring(0, 160) + "...";
        }
        return String.format("DEAD-LETTER %s: %s | %s", d.reason, d.detail, payload.replace('\n', ' '));
    }
}
