package com.example.fraud.detector.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/** Prints the README's configuration reference from {@link FraudDetectorOptions}; a test keeps them equal. */
public final class ConfigReference {
    private ConfigReference() {}

    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("| Group | Property | Default | Range | Description |\n");
        md.append("| --- | --- | --- | --- | --- |\n");
        for (PropertyGroup group : FraudDetectorOptions.GROUPS) {
            for (ConfigOption<?> option : group.options()) {
                md.append("| `").append(group.id()).append("` | `").append(option.key()).append("` | ")
                        .append(defaultOf(option)).append(" | ")
                        .append(FraudDetectorOptions.bounds(option).map(Bounds::describe).orElse("")).append(" | ")
                        .append(FraudDetectorOptions.describe(option)).append(" |\n");
            }
            if (group.acceptsAwsClientKeys()) {
                md.append("| `").append(group.id()).append("` | `aws.*` | | | Other AWS client keys of the Kinesis ")
                        .append("connector, passed as they are (e.g. `aws.credentials.provider`). |\n");
            }
        }
        return md.toString();
    }

    private static String defaultOf(ConfigOption<?> option) {
        if (!option.hasDefaultValue()) {
            return "";
        }
        Object value = option.defaultValue();
        if (value instanceof Duration) {
            Duration d = (Duration) value;
            return "`" + (d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms") + "`";
        }
        return "`" + value + "`";
    }

    public static void main(String[] args) {
        System.out.print(markdown());
    }
}
