package com.example.fraud.it.reshard;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** Splits or merges a stream's shards with UpdateShardCount, as an operator would, and waits until it is done. */
public final class StreamResharding {
    private StreamResharding() {}

    /** UNIFORM_SCALING to {@code target} open shards; returns once the stream is ACTIVE with that many. */
    public static void updateShardCount(KinesisClient client, String stream, int target, Duration timeout) {
        client.updateShardCount(b -> b.streamName(stream).targetShardCount(target)
                .scalingType(ScalingType.UNIFORM_SCALING));
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            StreamDescriptionSummary s = client.describeStreamSummary(b -> b.streamName(stream))
                    .streamDescriptionSummary();
            return s.streamStatus() == StreamStatus.ACTIVE && s.openShardCount() == target;
        });
    }

    /** "shardId-000000000003[open, parent shardId-000000000000]" for each shard, for the test's log. */
    public static String describeShards(KinesisClient client, String stream) {
        List<Shard> shards = client.listShards(b -> b.streamName(stream)).shards();
        return shards.stream().map(s -> s.shardId() + "["
                + (s.sequenceNumberRange().endingSequenceNumber() == null ? "open" : "closed")
                + (s.parentShardId() == null ? "" : ", parent " + s.parentShardId())
                + (s.adjacentParentShardId() == null ? "" : " + " + s.adjacentParentShardId()) + "]")
                .collect(Collectors.joining(", "));
    }
}
