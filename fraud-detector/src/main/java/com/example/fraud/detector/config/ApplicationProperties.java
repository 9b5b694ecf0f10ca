package com.example.fraud.detector.config;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Properties;

/**
 * Where the property groups come from: the MSF runtime properties on AWS, or a JSON file in the same
 * format ({@code [{"PropertyGroupId": ..., "PropertyMap": {...}}]}) locally and on other clusters.
 */
public final class ApplicationProperties {
    /** Used locally when neither --config nor FRAUD_CONFIG names a file. */
    public static final String DEFAULT_LOCAL_FILE = "config/application-properties-local.json";
    public static final String CONFIG_ENV = "FRAUD_CONFIG";

    private ApplicationProperties() {}

    /**
     * {@code --config FILE} wins; else locally {@code $FRAUD_CONFIG} or {@link #DEFAULT_LOCAL_FILE}; else the
     * MSF runtime properties.
     */
    public static Map<String, Properties> load(String[] args, boolean local) {
        String file = argument(args, "--config");
        if (file == null && local) {
            String env = System.getenv(CONFIG_ENV);
            file = env != null && !env.isBlank() ? env : DEFAULT_LOCAL_FILE;
        }
        if (file != null) {
            return fromFile(Paths.get(file));
        }
        Map<String, Properties> groups;
        try {
            groups = KinesisAnalyticsRuntime.getApplicationProperties();
        } catch (IOException e) {
            throw new ConfigException("Cannot read the MSF runtime properties: " + e.getMessage(), e);
        }
        if (groups.isEmpty()) {
            throw new ConfigException("No runtime properties found. On Managed Service for Apache Flink, configure "
                    + "the property groups (see README); on another cluster pass --config FILE.");
        }
        return groups;
    }

    public static Map<String, Properties> fromFile(Path path) {
        // The runtime library quietly returns an empty map for a missing file: check first.
        if (!Files.isRegularFile(path)) {
            throw new ConfigException("Config file not found: " + path.toAbsolutePath());
        }
        try {
            return KinesisAnalyticsRuntime.getApplicationProperties(path.toString());
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("Config file " + path.toAbsolutePath() + " is not valid application "
                    + "properties JSON ([{\"PropertyGroupId\": ..., \"PropertyMap\": {...}}]): " + e.getMessage(), e);
        }
    }

    private static String argument(String[] args, String name) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(name)) {
                if (i + 1 >= args.length) {
                    throw new ConfigException(name + " needs a file path");
                }
                return args[i + 1];
            }
            if (args[i].startsWith(name + "=")) {
                return args[i].substring(name.length() + 1);
            }
        }
        return null;
    }
}
