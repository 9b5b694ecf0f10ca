package com.example.fraud.tools;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Durations as Flink's config writes them ("10 s", "500 ms", "1 min", "2h", or a bare number of
 * milliseconds), plus ISO-8601 ("PT10S"), so that the tools read the detector's config file the same way.
 */
public final class DurationText {
    private static final Pattern TEXT = Pattern.compile("\\s*(\\d+)\\s*([a-zA-Zµ]*)\\s*");

    private DurationText() {}

    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        String t = text.trim();
        if (t.startsWith("P") || t.startsWith("p")) {
            return Duration.parse(t);
        }
        Matcher m = TEXT.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (examples: 10 s, 500 ms, 1 min, 60000)");
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "":
            case "ms":
            case "milli":
            case "millis":
            case "millisecond":
            case "milliseconds":
                return Duration.ofMillis(n);
            case "ns":
            case "nano":
            case "nanos":
            case "nanosecond":
            case "nanoseconds":
                return Duration.ofNanos(n);
            case "us":
            case "µs":
            case "micro":
            case "micros":
            case "microsecond":
            case "microseconds":
                return Duration.ofNanos(Math.multiplyExact(n, 1000L));
            case "s":
            case "sec":
            case "secs":
            case "second":
            case "seconds":
                return Duration.ofSeconds(n);
            case "m":
            case "min":
            case "mins":
            case "minute":
            case "minutes":
                return Duration.ofMinutes(n);
            case "h":
            case "hour":
            case "hours":
                return Duration.ofHours(n);
            case "d":
            case "day":
            case "days":
                return Duration.ofDays(n);
            default:
                throw new IllegalArgumentException("unknown time unit '" + m.group(2) + "' in '" + text + "'");
        }
    }

    /** "1 min", "10 s", "250 ms": the largest unit that keeps it whole. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + " min";
        }
        if (ms != 0 && ms % 1000 == 0) {
            return ms / 1000 + " s";
        }
        return ms + " ms";
    }

    /** picocli converter, so every duration option accepts the same spellings as the config file. */
    public static final class Converter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parse(value);
        }
    }
}
