package com.example.fraud.detector.config;

/** Bad configuration, found at start-up. The message names the property group and property. */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    static ConfigException forProperty(String group, String key, String problem) {
        return new ConfigException("Invalid configuration: property group '" + group + "', property '" + key + "': "
                + problem);
    }
}
