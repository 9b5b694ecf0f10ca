package com.example.fraud.tools.emulator;

import java.util.List;

/** Default stream names and shard counts of the local setup, matching config/application-properties-local.json. */
public final class StreamNames {
    public static final String INPUT = "fraud-transactions";
    public static final String ALERTS = "fraud-alerts";
    public static final String DEAD_LETTERS = "fraud-dead-letters";
    /** The rules control stream: rule documents and deletes in, read by the job from TRIM_HORIZON. */
    public static final String RULES = "fraud-rules";
    /** The job's acknowledgement of every control-stream record. */
    public static final String RULE_ACKS = "fraud-rule-acks";
    /** Alerts of SHADOW rules. */
    public static final String SHADOW_ALERTS = "fraud-shadow-alerts";

    public static final int INPUT_SHARDS = 2;
    public static final int ALERTS_SHARDS = 1;
    public static final int DEAD_LETTERS_SHARDS = 1;
    /** One shard: one reader sees every rule change in the order it was written. */
    public static final int RULES_SHARDS = 1;
    public static final int RULE_ACKS_SHARDS = 1;
    public static final int SHADOW_ALERTS_SHARDS = 1;

    /** The emulator's fixed account and default region. */
    public static final String LOCAL_ACCOUNT_ID = "000000000000";
    public static final String LOCAL_REGION = "us-east-1";

    private StreamNames() {}

    /** ARN of a stream on the emulator: arn:aws:kinesis:us-east-1:000000000000:stream/NAME. */
    public static String localArn(String streamName) {
        return "arn:aws:kinesis:" + LOCAL_REGION + ":" + LOCAL_ACCOUNT_ID + ":stream/" + streamName;
    }

    /** Every stream of the job with its default shard count. */
    public static List<StreamSpec> defaults() {
        return withInputShards(INPUT_SHARDS);
    }

    /** Every stream of the job, the input with this many shards and the others with their defaults. */
    public static List<StreamSpec> withInputShards(int inputShards) {
        return List.of(
                StreamSpec.of(INPUT, inputShards),
                StreamSpec.of(ALERTS, ALERTS_SHARDS),
                StreamSpec.of(DEAD_LETTERS, DEAD_LETTERS_SHARDS),
                StreamSpec.of(RULES, RULES_SHARDS),
                StreamSpec.of(RULE_ACKS, RULE_ACKS_SHARDS),
                StreamSpec.of(SHADOW_ALERTS, SHADOW_ALERTS_SHARDS));
    }
}
