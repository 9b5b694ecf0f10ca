package com.example.fraud.tools.generator;

import com.example.fraud.detector.config.ApplicationProperties;
import com.example.fraud.detector.config.ConfigException;
import com.example.fraud.detector.config.JobConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads the rule parameters from the detector's config file (MSF application-properties JSON:
 * {@code [{"PropertyGroupId": "Detection", "PropertyMap": {...}}]}) with the job's own reader: the Detection group,
 * validated as the job validates it; a key it does not set keeps the job's default; the stream groups may be absent.
 */
public final class DetectionConfigFile {
    private DetectionConfigFile() {}

    public static RuleSettings read(Path file) throws IOException {
        try {
            return RuleSettings.of(JobConfig.detection(ApplicationProperties.fromFile(file)));
        } catch (ConfigException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
