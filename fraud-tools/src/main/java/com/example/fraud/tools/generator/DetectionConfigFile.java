package com.example.fraud.tools.generator;

import com.example.fraud.model.Money;
import com.example.fraud.tools.DurationText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the rule parameters from the detector's config file (MSF application-properties JSON:
 * {@code [{"PropertyGroupId": "Detection", "PropertyMap": {...}}]}). Only the Detection group is read;
 * a key it does not set keeps the detector's default.
 */
public final class DetectionConfigFile {
    public static final String GROUP = "Detection";

    private DetectionConfigFile() {}

    public static RuleSettings read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Config file not found: " + file.toAbsolutePath());
        }
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (root == null || !root.isArray()) {
            throw new IOException(file + " is not application-properties JSON "
                    + "([{\"PropertyGroupId\": ..., \"PropertyMap\": {...}}])");
        }
        RuleSettings s = RuleSettings.defaults();
        for (JsonNode group : root) {
            if (GROUP.equals(group.path("PropertyGroupId").asText())) {
                s = apply(s, group.path("PropertyMap"), file);
            }
        }
        return s;
    }

    private static RuleSettings apply(RuleSettings s, JsonNode map, Path file) throws IOException {
        try {
            String threshold = text(map, "threshold");
            if (threshold != null) {
                s = s.withThresholdCents(Money.toCents(new BigDecimal(threshold).stripTrailingZeros()));
            }
            String window = text(map, "window.size");
            if (window != null) {
                s = s.withWindow(DurationText.parse(window));
            }
            String bound = text(map, "watermark.max.out.of.orderness");
            if (bound != null) {
                s = s.withMaxOutOfOrderness(DurationText.parse(bound));
            }
            String lateness = text(map, "allowed.lateness");
            if (lateness != null) {
                s = s.withAllowedLateness(DurationText.parse(lateness));
            }
            String maxBytes = text(map, "record.max.bytes");
            if (maxBytes != null) {
                s = s.withRecordMaxBytes(Integer.parseInt(maxBytes));
            }
            String firing = text(map, "firing");
            if (firing != null) {
                s = s.withFiring(firing);
            }
            return s;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IOException("Bad value in the " + GROUP + " group of " + file + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode map, String key) {
        JsonNode v = map.get(key);
        return v == null || v.isNull() ? null : v.asText().trim();
    }
}
