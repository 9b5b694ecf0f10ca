package com.example.fraud.detector.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * The closed range an option's value must lie in. Kept beside the options so that a value that would stall or
 * break the job (a zero window, a record Kinesis refuses) fails at start-up, and so the README can list it.
 */
public final class Bounds<T extends Comparable<T>> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final T min;
    private final T max;

    private Bounds(T min, T max) {
        this.min = min;
        this.max = max;
    }

    public static Bounds<Duration> durations(Duration min, Duration max) {
        return new Bounds<>(min, max);
    }

    public static Bounds<Integer> ints(int min, int max) {
        return new Bounds<>(min, max);
    }

    public T min() {
        return min;
    }

    public T max() {
        return max;
    }

    boolean contains(T value) {
        return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
    }

    /** "1 s .. 1 d" style, as the README shows it. */
    public String describe() {
        return format(min) + " .. " + format(max);
    }

    static String format(Object value) {
        if (value instanceof Duration) {
            Duration d = (Duration) value;
            if (d.isZero()) {
                return "0 s";
            }
            if (d.toMillis() % 86_400_000 == 0) {
                return d.toDays() + " d";
            }
            if (d.toMillis() % 3_600_000 == 0) {
                return d.toHours() + " h";
            }
            if (d.toMillis() % 60_000 == 0) {
                return d.toMinutes() + " min";
            }
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
        }
        if (value instanceof Integer) {
            return String.format("%,d", (Integer) value);
        }
        return String.valueOf(value);
    }
}
