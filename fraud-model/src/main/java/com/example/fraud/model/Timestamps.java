package com.example.fraud.model;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** ISO-8601 instants, as the JSON contract spells them. */
public final class Timestamps {
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
