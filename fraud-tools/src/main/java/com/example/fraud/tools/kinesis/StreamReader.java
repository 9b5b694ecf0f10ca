package com.example.fraud.tools.kinesis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Polls every shard of a stream with GetRecords (no enhanced fan-out: the emulator has none). One
 * {@link #poll()} makes at most one call per shard; callers pause between empty polls, which also keeps
 * under the 5 calls/s per shard limit of real Kinesis. Follows child shards after a reshard.
 */
public final class StreamReader {
    /** Where to start in each shard. */
    public enum Start {
        TRIM_HORIZON,
        LATEST
    }

    private static final int MAX_RECORDS_PER_CALL = 1000;

    private final KinesisClient client;
    private final String streamName;
    private final List<ShardCursor> shards = new ArrayList<>();
    private final Set<String> knownShards = new HashSet<>();

    public StreamReader(KinesisClient client, String streamName, Start start) {
        this.client = client;
        this.streamName = streamName;
        String nextToken = null;
        do {
            String token = nextToken;
            ListShardsResponse page = token == null
                    ? client.listShards(b -> b.streamName(streamName))
                    : client.listShards(b -> b.nextToken(token));
            for (Shard shard : page.shards()) {
                addShard(shard.shardId(), start == Start.LATEST ? ShardIteratorType.LATEST : ShardIteratorType.TRIM_HORIZON);
            }
            nextToken = page.nextToken();
        } while (nextToken != null);
    }

    /** Everything in the stream from TRIM_HORIZON until caught up with every shard. */
    public static List<Record> readAll(KinesisClient client, String streamName) {
        StreamReader reader = new StreamReader(client, streamName, Start.TRIM_HORIZON);
        List<Record> all = new ArrayList<>();
        do {
            List<Record> batch = reader.poll();
            all.addAll(batch);
            if (batch.isEmpty() && !reader.caughtUp()) {
                pause(Duration.ofMillis(100));
            }
        } while (!reader.caughtUp());
        return all;
    }

    /** One GetRecords per open shard; returns what they gave, shard by shard, each shard in order. */
    public List<Record> poll() {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            ShardCursor s = shards.get(i);
            if (s.iterator == null) {
                continue; // shard closed and fully read
            }
            GetRecordsResponse r;
            try {
                String iterator = s.iterator;
                r = client.getRecords(b -> b.shardIterator(iterator).limit(MAX_RECORDS_PER_CALL));
            } catch (ExpiredIteratorException e) {
                s.iterator = s.lastSequence == null
                        ? iterator(s.shardId, ShardIteratorType.TRIM_HORIZON, null)
                        : iterator(s.shardId, ShardIteratorType.AFTER_SEQUENCE_NUMBER, s.lastSequence);
                s.caughtUp = false;
                continue;
            } catch (ProvisionedThroughputExceededException e) {
                s.caughtUp = false;
                continue; // read again on the next poll
            }
            List<Record> records = r.records();
            out.addAll(records);
            if (!records.isEmpty()) {
                s.lastSequence = records.get(records.size() - 1).sequenceNumber();
            }
            Long behind = r.millisBehindLatest();
            s.iterator = r.nextShardIterator();
            s.caughtUp = s.iterator == null || (records.isEmpty() && (behind == null || behind == 0));
            if (s.iterator == null && r.hasChildShards()) {
                for (ChildShard child : r.childShards()) {
                    addShard(child.shardId(), ShardIteratorType.TRIM_HORIZON);
                }
            }
        }
        return out;
    }

    /** True when the last poll of every shard came back empty and at the tip (or the shard has ended). */
    public boolean caughtUp() {
        for (ShardCursor s : shards) {
            if (!s.caughtUp) {
                return false;
            }
        }
        return true;
    }

    public int shardCount() {
        return shards.size();
    }

    public String streamName() {
        return streamName;
    }

    private void addShard(String shardId, ShardIteratorType type) {
        if (knownShards.add(shardId)) {
            shards.add(new ShardCursor(shardId, iterator(shardId, type, null)));
        }
    }

    private String iterator(String shardId, ShardIteratorType type, String sequence) {
        return client.getShardIterator(b -> {
            b.streamName(streamName).shardId(shardId).shardIteratorType(type);
            if (sequence != null) {
                b.startingSequenceNumber(sequence);
            }
        }).shardIterator();
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static final class ShardCursor {
        final String shardId;
        String iterator;
        String lastSequence;
        boolean caughtUp;

        ShardCursor(String shardId, String iterator) {
            this.shardId = shardId;
            this.iterator = iterator;
        }
    }
}
