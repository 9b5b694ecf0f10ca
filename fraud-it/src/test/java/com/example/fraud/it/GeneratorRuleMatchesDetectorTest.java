package com.example.fraud.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.config.ApplicationProperties;
import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.config.JobConfig;
import com.example.fraud.tools.generator.DetectionConfigFile;
import com.example.fraud.tools.generator.RuleSettings;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * The generator replays the rule to write its ground truth without depending on Flink, so it reads the
 * Detection group itself. This keeps its defaults and its reading of the shared file equal to the job's.
 */
class GeneratorRuleMatchesDetectorTest {

    @Test
    void defaultsAreTheDetectorsDefaults() {
        assertSame(RuleSettings.defaults(), DetectionSettings.defaults());
    }

    @Test
    void bothReadTheLocalConfigFileTheSameWay() throws Exception {
        Path file = Paths.get("..", "config", "application-properties-local.json");
        assertSame(DetectionConfigFile.read(file),
                JobConfig.fromPropertyGroups(ApplicationProperties.fromFile(file)).detection);
    }

    private static void assertSame(RuleSettings generator, DetectionSettings detector) {
        assertThat(generator.thresholdCents()).isEqualTo(detector.thresholdCents());
        assertThat(generator.windowMillis()).isEqualTo(detector.windowMillis());
        assertThat(generator.maxOutOfOrdernessMillis()).isEqualTo(detector.maxOutOfOrdernessMillis());
        assertThat(generator.allowedLatenessMillis()).isEqualTo(detector.allowedLatenessMillis());
        assertThat(generator.recordMaxBytes()).isEqualTo(detector.maxRecordBytes());
        assertThat(generator.firing()).isEqualTo(detector.firing().name());
    }
}
