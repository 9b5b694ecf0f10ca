package com.example.fraud.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {
    @Test
    void readsTheSpellingsOfTheConfigFile() {
        assertThat(DurationText.parse("10 s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(DurationText.parse("500 ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse("1 min")).isEqualTo(Duration.ofMinutes(1));
        assertThat(DurationText.parse("2min")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationText.parse("60000")).isEqualTo(Duration.ofMinutes(1));
        assertThat(DurationText.parse(" 5 seconds ")).isEqualTo(Duration.ofSeconds(5));
        assertThat(DurationText.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationText.parse("PT90S")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void rejectsWhatItCannotRead() {
        assertThatThrownBy(() -> DurationText.parse("ten seconds")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DurationText.parse("10 fortnights")).hasMessageContaining("unknown time unit");
        assertThatThrownBy(() -> DurationText.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsWithTheLargestWholeUnit() {
        assertThat(DurationText.format(Duration.ofSeconds(60))).isEqualTo("1 min");
        assertThat(DurationText.format(Duration.ofSeconds(5))).isEqualTo("5 s");
        assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500 ms");
    }
}
