package com.example.fraud.tools.kinesis;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** The one place that builds SDK v2 Kinesis clients, for the local emulator or for real AWS. */
public final class KinesisClients {
    /** The emulator accepts any credentials; these are never sent anywhere else. */
    private static final AwsBasicCredentials LOCAL_CREDENTIALS = AwsBasicCredentials.create("local", "local");

    private KinesisClients() {}

    /** A client for an endpoint override such as http://127.0.0.1:4568: dummy static credentials, us-east-1. */
    public static KinesisClient local(URI endpoint) {
        return KinesisClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(LOCAL_CREDENTIALS))
                .httpClientBuilder(http())
                .build();
    }

    /** A client for real AWS: the default credential chain and region (AWS_REGION, profile, ...). */
    public static KinesisClient aws() {
        return KinesisClient.builder().httpClientBuilder(http()).build();
    }

    /** {@link #local} when an endpoint is given, else {@link #aws}. */
    public static KinesisClient forEndpoint(String endpointOrNull) {
        return endpointOrNull == null || endpointOrNull.isBlank() ? aws() : local(URI.create(endpointOrNull));
    }

    private static ApacheHttpClient.Builder http() {
        // Short connect timeout: a missing emulator should fail fast, not after the 2 s x retries default.
        return ApacheHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(30))
                .maxConnections(16);
    }
}
