package com.example.fraud.model;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** ISO-8601 instants, as the JSON contract spells them. */
public final class Timestamps {
    /**
     * The txn_time range accepted: years 0000 to 9999 (UTC), as four-digit ISO years spell them. Far enough from the
     * ends of a long that no window, lateness or skew arithmetic on a transaction's time can overflow.
     */
    public static final long MIN_TXN_TIME_MILLIS = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();
    public static final long MAX_TXN_TIME_MILLIS = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

    private Timestamps() {}

    /**
     * Epoch millis of an ISO-8601 instant that carries a zone offset ("Z" or "+02:00"); a local
     * date-time without an offset is ambiguous and rejected.
     */
    public static long parseMillis(String text) throws DateTimeParseException {
        long fast = FastIsoInstant.parseUtcMillis(text);
        if (fast != FastIsoInstant.NOT_HANDLED) {
            return fast;
        }
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from).toEpochMilli();
    }

    public static String format(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
