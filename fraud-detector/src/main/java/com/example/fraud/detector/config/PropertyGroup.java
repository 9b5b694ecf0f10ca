package com.example.fraud.detector.config;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;

/** One MSF property group: its id and the options it accepts. */
public final class PropertyGroup {
    /** Keys with this prefix in a stream group are handed to the Kinesis connector as they are. */
    public static final String AWS_PREFIX = "aws.";

    private final String id;
    private final String description;
    private final boolean acceptsAwsClientKeys;
    private final List<ConfigOption<?>> options;

    PropertyGroup(String id, String description, boolean acceptsAwsClientKeys, List<ConfigOption<?>> options) {
        this.id = id;
        this.description = description;
        this.acceptsAwsClientKeys = acceptsAwsClientKeys;
        this.options = List.copyOf(options);
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** Whether other {@code aws.*} keys (credentials provider, retries) pass through to the connector. */
    public boolean acceptsAwsClientKeys() {
        return acceptsAwsClientKeys;
    }

    public List<ConfigOption<?>> options() {
        return options;
    }

    public boolean accepts(String key) {
        return options.stream().anyMatch(o -> o.key().equals(key))
                || (acceptsAwsClientKeys && key.startsWith(AWS_PREFIX));
    }

    public String knownKeys() {
        return options.stream().map(ConfigOption::key).collect(Collectors.joining(", "))
                + (acceptsAwsClientKeys ? ", aws.*" : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PropertyGroup && ((PropertyGroup) o).id.equals(id);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id);
    }

    @Override
    public String toString() {
        return id;
    }
}
