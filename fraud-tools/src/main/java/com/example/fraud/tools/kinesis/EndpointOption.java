package com.example.fraud.tools.kinesis;

import picocli.CommandLine.Option;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** picocli mixin: --endpoint for the emulator; without it, real AWS with the default chain and region. */
public final class EndpointOption {
    @Option(names = "--endpoint", paramLabel = "URL",
            description = "Kinesis endpoint override, e.g. http://127.0.0.1:4568 for the local emulator. "
                    + "Without it: real AWS, default credential chain and region.")
    public String endpoint;

    public KinesisClient client() {
        return KinesisClients.forEndpoint(endpoint);
    }

    public String describe() {
        return endpoint == null ? "AWS" : endpoint;
    }
}
