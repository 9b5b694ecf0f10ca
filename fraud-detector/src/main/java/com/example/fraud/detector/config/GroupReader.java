package com.example.fraud.detector.config;

import java.time.Duration;
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

    <T> T get(ConfigOption<T> option) {
        try {
            return config.get(option);
        } catch (IllegalArgumentException e) {
            throw ConfigException.forProperty(group.id(), option.key(),
                    "cannot parse '" + raw.getProperty(option.key()) + "' (" + e.getMessage() + ")");
        }
    }

    <T> T required(ConfigOption<T> option) {
        T value = get(option);
        if (value == null || (value instanceof String && ((String) value).isEmpty())) {
            throw ConfigException.forProperty(group.id(), option.key(), "required but not set. "
                    + FraudDetectorOptions.describe(option));
        }
        return value;
    }

    Duration positive(ConfigOption<Duration> option) {
        Duration d = get(option);
        if (d.isZero() || d.isNegative()) {
            throw ConfigException.forProperty(group.id(), option.key(), "must be positive, got " + d);
        }
        return d;
    }

    Duration nonNegative(ConfigOption<Duration> option) {
        Duration d = get(option);
        if (d.isNegative()) {
            throw ConfigException.forProperty(group.id(), option.key(), "must not be negative, got " + d);
        }
        return d;
    }

    int positiveInt(ConfigOption<Integer> option) {
        int v = get(option);
        if (v <= 0) {
            throw ConfigException.forProperty(group.id(), option.key(), "must be positive, got " + v);
        }
        return v;
    }

    ConfigException error(ConfigOption<?> option, String problem) {
        return ConfigException.forProperty(group.id(), option.key(), problem);
    }
}
