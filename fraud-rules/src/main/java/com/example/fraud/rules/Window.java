package com.example.fraud.rules;

import java.io.Serializable;
import java.time.Duration;

/** The window of an aggregate rule: its kind and size. Immutable. */
public final class Window implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How an aggregate rule's windows are laid out. */
    public enum Kind {
        /** Epoch-aligned, back to back: [k * size, (k + 1) * size). */
        TUMBLING,
        /** The {@code size} ending with each transaction, that transaction included: (t - size, t]. */
        SLIDING
    }

    private final Kind kind;
    private final long sizeMillis;

    public Window(Kind kind, Duration size) {
        this.kind = kind;
        this.sizeMillis = size.toMillis();
    }

    public Kind kind() {
        return kind;
    }

    public long sizeMillis() {
        return sizeMillis;
    }

    public Duration size() {
        return Duration.ofMillis(sizeMillis);
    }

    /** Start of the tumbling window that holds {@code t}. */
    public long startOf(long t) {
        return t - Math.floorMod(t, sizeMillis);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Window && ((Window) o).kind == kind && ((Window) o).sizeMillis == sizeMillis;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Long.hashCode(sizeMillis);
    }

    @Override
    public String toString() {
        return kind + " " + size();
    }
}
