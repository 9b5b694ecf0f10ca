package com.example.fraud.tools.emulator;

import java.util.Objects;

/** A stream to create: name and shard count. */
public final class StreamSpec {
    private final String name;
    private final int shards;

    public StreamSpec(String name, int shards) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("stream name must not be empty");
        }
        if (shards < 1) {
            throw new IllegalArgumentException("stream " + name + " needs at least 1 shard, got " + shards);
        }
        this.name = name;
        this.shards = shards;
    }

    public static StreamSpec of(String name, int shards) {
        return new StreamSpec(name, shards);
    }

    public String name() {
        return name;
    }

    public int shards() {
        return shards;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StreamSpec)) {
            return false;
        }
        StreamSpec s = (StreamSpec) o;
        return shards == s.shards && name.equals(s.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, shards);
    }

    @Override
    public String toString() {
        return name + "(" + shards + (shards == 1 ? " shard)" : " shards)");
    }
}
