package com.example.fraud.tools.emulator;

import java.util.List;

/** Default stream names and shard counts of the local setup, matching config/application-properties-local.json. */
public final class StreamNames {
    public static final String INPUT = "fraud-transactions";
    public static final String ALERTS = "fraud-alerts";
    public static final String DEAD_LETTERS = "fraud-dead-letters";

    public static final int INPUT_SHARDS = 2;
    public static final int ALERTS_SHARDS = 1;
    public static final int DEAD_LETTERS_SHARDS = 1;

    /** The emulator's fixed account and default region. */
    public static final String LOCAL_ACCOUNT_ID = "000000000000";
    public static final String LOCAL_REGION = "us-east-1";

    private StreamNames() {}

    /** ARN of a stream on the emulator: arn:aws:kinesis:us-east-1:000000000000:stream/NAME. */
    public static String localArn(String streamName) {
        return "arn:aws:kinesis:" + LOCAL_REGION + ":" + LOCAL_ACCOUNT_ID + ":stream/" + streamName;
    }

    /** The three streams with their default shard counts. */
    public static List<StreamSpec> defaults() {
        return List.of(
                StreamSpec.of(INPUT, INPUT_SHARDS),
                StreamSpec.of(ALERTS, ALERTS_SHARDS),
                StreamSpec.of(DEAD_LETTERS, DEAD_LETTERS_SHARDS));
    }
}
