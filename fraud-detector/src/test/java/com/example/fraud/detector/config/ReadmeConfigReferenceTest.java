package com.example.fraud.detector.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** The README's configuration reference is generated from the options: regenerate it when they change. */
class ReadmeConfigReferenceTest {
    @Test
    void readmeListsEveryOptionWithItsDefault() throws Exception {
        String readme = Files.readString(Paths.get("..", "README.md"));
        assertThat(readme)
                .as("README config reference is stale; regenerate it with ConfigReference.main")
                .contains(ConfigReference.markdown());
    }
}
