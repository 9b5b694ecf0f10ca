package com.example.fraud.detector.config;

import static com.example.fraud.detector.config.FraudDetectorOptions.AWS_ENDPOINT;
import static com.example.fraud.detector.config.FraudDetectorOptions.AWS_REGION;
import static com.example.fraud.detector.config.FraudDetectorOptions.STREAM_ARN;

import java.io.Serializable;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Kinesis stream and the client properties to reach it, as the connector expects them. */
public final class StreamSettings implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:kinesis:([a-z0-9-]+):(\\d{12}):stream/([A-Za-z0-9_.-]{1,128})");

    private final String streamArn;
    private final String streamName;
    private final Properties clientProperties;

    private StreamSettings(String streamArn, String streamName, Properties clientProperties) {
        this.streamArn = streamArn;
        this.streamName = streamName;
        this.clientProperties = clientProperties;
    }

    static StreamSettings read(GroupReader group) {
        String arn = group.required(STREAM_ARN);
        Matcher m = ARN.matcher(arn);
        if (!m.matches()) {
            throw group.error(STREAM_ARN,
                    "not a Kinesis stream ARN (arn:aws:kinesis:REGION:ACCOUNT:stream/NAME): '" + arn + "'");
        }
        Properties client = new Properties();
        for (String key : group.raw().stringPropertyNames()) {
            if (key.startsWith(PropertyGroup.AWS_PREFIX)) {
                client.setProperty(key, group.raw().getProperty(key).trim());
            }
        }
        String region = group.get(AWS_REGION);
        client.setProperty(AWS_REGION.key(), region != null ? region : m.group(1));
        String endpoint = group.get(AWS_ENDPOINT);
        if (endpoint != null && !endpoint.matches("https?://.+")) {
            throw group.error(AWS_ENDPOINT, "must be an http:// or https:// URL, got '" + endpoint + "'");
        }
        return new StreamSettings(arn, m.group(3), client);
    }

    public String streamArn() {
        return streamArn;
    }

    public String streamName() {
        return streamName;
    }

    public String region() {
        return clientProperties.getProperty(AWS_REGION.key());
    }

    /** A copy: aws.region, aws.endpoint and any other aws.* keys from the group. */
    public Properties clientProperties() {
        Properties copy = new Properties();
        copy.putAll(clientProperties);
        return copy;
    }
}
