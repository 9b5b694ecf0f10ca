package com.example.fraud.detector.config;

import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/** Reads one property group's typed options, turning every parse or range error into a named one. */
final class GroupReader {
    private final PropertyGroup group;
    private final Properties raw;
    private final Configuration config;

    GroupReader(PropertyGroup group, Properties raw) {
        this.group = group;
        this.raw = raw == null ? new Properties() : raw;
        Map<String, String> map = new java.util.HashMap<>();
        for (String key : this.raw.stringPropertyNames()) {
            if (!group.accepts(key)) {
                throw ConfigException.forProperty(group.id(), key,
                        "unknown property; this group accepts " + group.knownKeys());
            }
            map.put(key, this.raw.getProperty(key).trim());
        }
        this.config = Configuration.fromMap(map);
    }

    Properties raw() {
        return raw;
    }

    /** The typed value, checked against the option's {@link Bounds} if it has any. */
    <T> T get(ConfigOption<T> option) {
        T value;
        try {
            value = config.get(option);
        } catch (IllegalArgumentException e) {
            throw ConfigException.forProperty(group.id(), option.key(),
                    "cannot parse '" + raw.getProperty(option.key()) + "' (" + e.getMessage() + ")");
        }
        Bounds<?> bounds = FraudDetectorOptions.bounds(option).orElse(null);
        if (value != null && bounds != null && !within(bounds, value)) {
            throw ConfigException.forProperty(group.id(), option.key(), "must be between " + bounds.describe()
                    + ", got " + Bounds.format(value));
        }
        return value;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean within(Bounds bounds, Object value) {
        return bounds.contains((Comparable) value);
    }

    <T> T required(ConfigOption<T> option) {
        T value = get(option);
        if (value == null || (value instanceof String && ((String) value).isEmpty())) {
            throw ConfigException.forProperty(group.id(), option.key(), "required but not set. "
                    + FraudDetectorOptions.describe(option));
        }
        return value;
    }

    ConfigException error(ConfigOption<?> option, String problem) {
        return ConfigException.forProperty(group.id(), option.key(), problem);
    }
}
