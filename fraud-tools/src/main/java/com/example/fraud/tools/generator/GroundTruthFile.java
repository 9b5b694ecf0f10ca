package com.example.fraud.tools.generator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes {@link GroundTruth} as pretty-printed snake_case JSON. */
public final class GroundTruthFile {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private GroundTruthFile() {}

    public static void write(GroundTruth truth, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        MAPPER.writeValue(file.toFile(), truth);
    }

    public static GroundTruth read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Ground-truth file not found: " + file.toAbsolutePath());
        }
        GroundTruth truth;
        try {
            truth = MAPPER.readValue(file.toFile(), GroundTruth.class);
        } catch (JsonProcessingException e) {
            throw new IOException(file + " is not a ground-truth file (from 'generate --truth'): "
                    + e.getOriginalMessage(), e);
        }
        if (truth == null) {
            throw new IOException(file + " is empty, not a ground-truth file (from 'generate --truth')");
        }
        if (truth.format != GroundTruth.FORMAT) {
            throw new IOException(file + " has ground-truth format " + truth.format + "; this tool reads "
                    + GroundTruth.FORMAT);
        }
        return truth;
    }

    public static String toJson(GroundTruth truth) throws IOException {
        return MAPPER.writeValueAsString(truth);
    }
}
