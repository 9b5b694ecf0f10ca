package com.example.fraud.detector.testing;

import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.source.ParsedRecord;
import com.example.fraud.detector.source.TransactionDeserializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A FLIP-27 source whose splits stand in for Kinesis shards: raw records are played in exactly the
 * scripted order, each through its own split output (as the Kinesis reader does), so per-shard
 * watermarking is exercised with the job's real deserializer and watermark strategy. A pause step
 * yields for a while so that periodic watermarks are emitted before the next record. A split keeps its reader's
 * position in the script, so a job restored from a checkpoint goes on from there, as from a Kinesis sequence number.
 */
public final class ScriptedShardSource implements Source<ParsedRecord, ScriptedShardSource.Shard, Set<String>> {
    private static final long serialVersionUID = 1L;

    /**
     * One scripted step: a record on a shard with its Kinesis arrival time, or a pause (payload == null) of every
     * reader (shard == null) or of the shard's reader only.
     */
    static final class Step implements Serializable {
        private static final long serialVersionUID = 1L;
        final String shard;
        final byte[] payload;
        final long arrivalMillis;
        final long pauseMillis;

        Step(String shard, byte[] payload, long arrivalMillis, long pauseMillis) {
            this.shard = shard;
            this.payload = payload;
            this.arrivalMillis = arrivalMillis;
            this.pauseMillis = pauseMillis;
        }
    }

    private final List<String> shards;
    private final List<Step> steps;
    private final boolean bounded;
    private final DetectionSettings settings;

    ScriptedShardSource(List<String> shards, List<Step> steps, boolean bounded, DetectionSettings settings) {
        this.shards = List.copyOf(shards);
        this.steps = List.copyOf(steps);
        this.bounded = bounded;
        this.settings = settings;
    }

    @Override
    public Boundedness getBoundedness() {
        return bounded ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<Shard, Set<String>> createEnumerator(SplitEnumeratorContext<Shard> context) {
        return new Enumerator(context, shards, Set.of());
    }

    @Override
    public SplitEnumerator<Shard, Set<String>> restoreEnumerator(
            SplitEnumeratorContext<Shard> context, Set<String> checkpoint) {
        return new Enumerator(context, shards, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<Shard> getSplitSerializer() {
        return new ShardSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Set<String>> getEnumeratorCheckpointSerializer() {
        return new ShardSetSerializer();
    }

    @Override
    public SourceReader<ParsedRecord, Shard> createReader(SourceReaderContext context) {
        return new Reader(steps, bounded, new TransactionDeserializer(settings));
    }

    /** A split: the shard's id, and the script step its reader goes on from after a restore. */
    public static final class Shard implements SourceSplit {
        final String id;
        final int position;

        Shard(String id, int position) {
            this.id = id;
            this.position = position;
        }

        @Override
        public String splitId() {
            return id;
        }
    }

    private static final class Enumerator implements SplitEnumerator<Shard, Set<String>> {
        private final SplitEnumeratorContext<Shard> context;
        private final List<String> shards;
        /** Shards handed to a reader: after a restore, readers have them back from their own state. */
        private final Set<String> assigned;

        Enumerator(SplitEnumeratorContext<Shard> context, List<String> shards, Set<String> assigned) {
            this.context = context;
            this.shards = shards;
            this.assigned = new HashSet<>(assigned);
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {}

        @Override
        public void addSplitsBack(List<Shard> splits, int subtaskId) {
            splits.forEach(s -> assigned.remove(s.id)); // assigned after the last checkpoint: again when it returns
        }

        @Override
        public void addReader(int subtaskId) {
            int parallelism = context.currentParallelism();
            for (int i = 0; i < shards.size(); i++) {
                if (i % parallelism == subtaskId && assigned.add(shards.get(i))) {
                    context.assignSplit(new Shard(shards.get(i), 0), subtaskId);
                }
            }
            context.signalNoMoreSplits(subtaskId);
        }

        @Override
        public Set<String> snapshotState(long checkpointId) {
            return new HashSet<>(assigned);
        }

        @Override
        public void close() {}
    }

    private static final class Reader implements SourceReader<ParsedRecord, Shard> {
        private final List<Step> steps;
        private final boolean bounded;
        private final TransactionDeserializer deserializer;
        private final Set<String> owned = new HashSet<>();
        private final Map<String, SourceOutput<ParsedRecord>> outputs = new LinkedHashMap<>();
        private boolean allSplitsAssigned;
        private int next;
        private CompletableFuture<Void> available = new CompletableFuture<>();

        Reader(List<Step> steps, boolean bounded, TransactionDeserializer deserializer) {
            this.steps = steps;
            this.bounded = bounded;
            this.deserializer = deserializer;
        }

        @Override
        public void start() {}

        @Override
        public InputStatus pollNext(ReaderOutput<ParsedRecord> output) {
            if (!allSplitsAssigned) {
                return InputStatus.NOTHING_AVAILABLE;
            }
            if (outputs.isEmpty()) {
                // Every owned shard holds back the watermark from the start, like an assigned Kinesis shard.
                for (String shard : owned) {
                    outputs.put(shard, output.createOutputForSplit(shard));
                }
            }
            while (next < steps.size()) {
                Step step = steps.get(next++);
                if (step.payload == null) {
                    if (step.shard != null && !owned.contains(step.shard)) {
                        continue; // another reader's pause
                    }
                    available = new CompletableFuture<>();
                    CompletableFuture.delayedExecutor(step.pauseMillis, TimeUnit.MILLISECONDS)
                            .execute(() -> available.complete(null));
                    return InputStatus.NOTHING_AVAILABLE;
                }
                if (owned.contains(step.shard)) {
                    outputs.get(step.shard).collect(deserializer.deserialize(step.payload, step.arrivalMillis));
                    return InputStatus.MORE_AVAILABLE;
                }
            }
            if (bounded) {
                return InputStatus.END_OF_INPUT;
            }
            available = new CompletableFuture<>(); // an open shard with nothing more to say
            return InputStatus.NOTHING_AVAILABLE;
        }

        @Override
        public List<Shard> snapshotState(long checkpointId) {
            List<Shard> splits = new ArrayList<>();
            owned.forEach(id -> splits.add(new Shard(id, next)));
            return splits;
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return available;
        }

        @Override
        public void addSplits(List<Shard> splits) {
            for (Shard s : splits) {
                owned.add(s.id);
                next = Math.max(next, s.position); // a reader's shards share its position in the script
            }
        }

        @Override
        public void notifyNoMoreSplits() {
            allSplitsAssigned = true;
            available.complete(null);
        }

        @Override
        public void close() {}
    }

    private static final class ShardSerializer implements SimpleVersionedSerializer<Shard> {
        @Override
        public int getVersion() {
            return 2;
        }

        @Override
        public byte[] serialize(Shard shard) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(shard.id);
                out.writeInt(shard.position);
            }
            return bytes.toByteArray();
        }

        @Override
        public Shard deserialize(int version, byte[] serialized) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                return new Shard(in.readUTF(), in.readInt());
            }
        }
    }

    private static final class ShardSetSerializer implements SimpleVersionedSerializer<Set<String>> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Set<String> shards) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(shards.size());
                for (String s : shards) {
                    out.writeUTF(s);
                }
            }
            return bytes.toByteArray();
        }

        @Override
        public Set<String> deserialize(int version, byte[] serialized) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                int n = in.readInt();
                Set<String> shards = new HashSet<>();
                for (int i = 0; i < n; i++) {
                    shards.add(in.readUTF());
                }
                return shards;
            }
        }
    }
}
