package com.example.fraud.tools.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionConfigFileTest {
    @Test
    void defaultsEqualTheDetectorsDefaults() {
        RuleSettings d = RuleSettings.defaults();
        assertThat(d.thresholdCents()).isEqualTo(300_000);
        assertThat(d.windowMillis()).isEqualTo(60_000);
        assertThat(d.maxOutOfOrdernessMillis()).isEqualTo(5_000);
        assertThat(d.allowedLatenessMillis()).isEqualTo(60_000);
        assertThat(d.recordMaxBytes()).isEqualTo(65_536);
    }

    @Test
    void readsOnlyTheDetectionGroupAndKeepsDefaultsForWhatItOmits(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("app.json");
        Files.writeString(file, "[{\"PropertyGroupId\":\"InputStream\",\"PropertyMap\":{\"threshold\":\"1\"}},"
                + "{\"PropertyGroupId\":\"Detection\",\"PropertyMap\":{\"threshold\":\"2500.5\",\"window.size\":\"10 s\","
                + "\"watermark.max.out.of.orderness\":\"500 ms\",\"allowed.lateness\":\"5000\","
                + "\"max.clock.skew\":\"2 s\",\"firing\":\"WINDOW_CLOSE\",\"alert.max.txn.ids\":\"100\"}}]");

        RuleSettings s = DetectionConfigFile.read(file);

        assertThat(s.thresholdCents()).isEqualTo(250_050);
        assertThat(s.windowMillis()).isEqualTo(10_000);
        assertThat(s.maxOutOfOrdernessMillis()).isEqualTo(500);
        assertThat(s.allowedLatenessMillis()).isEqualTo(5_000);
        assertThat(s.recordMaxBytes()).isEqualTo(65_536);
        assertThat(s.firing()).isEqualTo("WINDOW_CLOSE");
    }

    @Test
    void validatesAsTheJobDoes(@TempDir Path dir) throws IOException {
        // The job refuses a clock skew beyond the allowed lateness, an unknown key, an unknown group: so does this.
        Path skew = Files.writeString(dir.resolve("skew.json"), "[{\"PropertyGroupId\":\"Detection\",\"PropertyMap\":"
                + "{\"allowed.lateness\":\"5 s\"}}]");
        assertThatThrownBy(() -> DetectionConfigFile.read(skew)).hasMessageContaining("max.clock.skew")
                .hasMessageContaining("skew.json");
        Path unknownKey = Files.writeString(dir.resolve("key.json"), "[{\"PropertyGroupId\":\"Detection\","
                + "\"PropertyMap\":{\"window\":\"10 s\"}}]");
        assertThatThrownBy(() -> DetectionConfigFile.read(unknownKey)).hasMessageContaining("'window'");
        Path unknownGroup = Files.writeString(dir.resolve("group.json"), "[{\"PropertyGroupId\":\"Detect\","
                + "\"PropertyMap\":{}}]");
        assertThatThrownBy(() -> DetectionConfigFile.read(unknownGroup)).hasMessageContaining("'Detect'");
    }

    @Test
    void namesTheFileAndTheProblem(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "[{\"PropertyGroupId\":\"Detection\",\"PropertyMap\":{\"threshold\":\"12.345\"}}]");
        assertThatThrownBy(() -> DetectionConfigFile.read(bad)).hasMessageContaining("Detection").hasMessageContaining("bad.json");
        assertThatThrownBy(() -> DetectionConfigFile.read(dir.resolve("missing.json"))).hasMessageContaining("not found");
    }
}
