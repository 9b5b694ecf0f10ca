package com.example.fraud.bench;

import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.dedup.DropDuplicateTransactions;
import com.example.fraud.detector.dedup.SeenTransaction;
import com.example.fraud.detector.rules.RuleCommands;
import com.example.fraud.detector.serialization.TransactionTypeInfo;
import com.example.fraud.model.Transaction;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.apache.flink.streaming.api.operators.TimerHeapInternalTimer;
import org.apache.flink.streaming.api.operators.TimerSerializer;

/**
 * What duplicate detection costs in state: one MapState entry (txn_id to SeenTransaction) per transaction under its
 * account, held until the window's end plus the allowed lateness, and one event-time timer per account and window
 * (shared by all of that window's ids).
 *
 * <p>1. Exact serialized bytes of a typical entry with the job's serializers. 2. Checkpointed state of the
 * real operator (HashMap and RocksDB backends, full checkpoints) after N1 and N2 distinct txn_ids, whose
 * difference divided by N2 - N1 is the cost per txn_id; for the HashMap backend also the live heap difference.
 *
 * <p>Usage: DedupStateSize [--small 50000 --large 250000 --dir target/dedup-state]
 */
public final class DedupStateSize {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the source has emitted; the source runs in this JVM (local environment). */
    static final AtomicLong EMITTED = new AtomicLong();

    private DedupStateSize() {}

    public static void main(String[] args) throws Exception {
        long small = ThroughputBenchmark.longArg(args, "--small", 50_000);
        long large = ThroughputBenchmark.longArg(args, "--large", 250_000);
        Path dir = Path.of(ThroughputBenchmark.stringArg(args, "--dir", "target/dedup-state")).toAbsolutePath();
        serializedEntry();
        for (String backend : new String[] {"hashmap", "rocksdb"}) {
            long[] a = measure(backend, small, dir);
            long[] b = measure(backend, large, dir);
            double n = large - small;
            System.out.printf(Locale.ROOT, "%-8s checkpoint (full): %,d B at %,d ids, %,d B at %,d ids -> %.1f B per "
                    + "txn_id%n", backend, a[0], small, b[0], large, (b[0] - a[0]) / n);
            if ("hashmap".equals(backend)) {
                System.out.printf(Locale.ROOT, "%-8s live heap after GC: %,d B vs %,d B -> %.1f B per txn_id%n",
                        backend, a[1], b[1], (b[1] - a[1]) / n);
            }
        }
    }

    /** The bytes one remembered txn_id takes once serialized, as RocksDB and checkpoints hold it. */
    private static void serializedEntry() throws Exception {
        Transaction txn = new Transaction(UUID.randomUUID().toString(), "ACC-00042", 123_456, 1_795_000_000_000L);
        SeenTransaction seen = new SeenTransaction();
        seen.amountCents = txn.amountCents;
        seen.txnTimeMillis = txn.txnTimeMillis;
        TypeSerializer<SeenTransaction> valueSerializer =
                TypeInformation.of(SeenTransaction.class).createSerializer(new ExecutionConfig());
        DataOutputSerializer out = new DataOutputSerializer(256);
        StringSerializer.INSTANCE.serialize(txn.accountId, out);
        int account = out.length();
        out.clear();
        StringSerializer.INSTANCE.serialize(txn.txnId, out);
        int key = out.length();
        out.clear();
        valueSerializer.serialize(seen, out);
        int value = out.length();
        out.clear();
        new TimerSerializer<>(StringSerializer.INSTANCE, VoidNamespaceSerializer.INSTANCE)
                .serialize(new TimerHeapInternalTimer<>(txn.txnTimeMillis + 120_000, txn.accountId,
                        VoidNamespace.INSTANCE), out);
        int timer = out.length();
        // RocksDB: a map entry's key is key-group (1 B up to max parallelism 128) + account + namespace (1 B) + the
        // user key (txn_id); the timer (one per account and window, shared) is key-group + timer, empty value.
        System.out.printf(Locale.ROOT, "serializer (%s): account \"%s\" -> %d B; txn_id \"%s\" (%d chars) -> %d B; "
                + "SeenTransaction {amount, time} -> value %d B; timer (per account and window) %d B%n",
                valueSerializer.getClass().getSimpleName(), txn.accountId, account, txn.txnId, txn.txnId.length(), key,
                value, timer);
        System.out.printf(Locale.ROOT, "RocksDB raw (before block overhead and compression): map entry %d B per txn_id, "
                + "plus %d B per account and window%n", 1 + account + 1 + key + value, 1 + timer);
    }

    /** {checkpointed state size of the dedup vertex, live heap after GC} with {@code ids} distinct txn_ids held. */
    private static long[] measure(String backend, long ids, Path dir) throws Exception {
        Configuration conf = new Configuration();
        int port = com.example.fraud.tools.emulator.LocalKinesis.freePort();
        conf.set(RestOptions.PORT, port);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        env.setParallelism(1);
        env.getConfig().enableObjectReuse();
        env.getConfig().disableGenericTypes();
        env.enableCheckpointing(2_000);
        env.getCheckpointConfig().setCheckpointStorage(dir.resolve(backend + "-" + ids).toUri().toString());
        if ("rocksdb".equals(backend)) {
            env.setStateBackend(new EmbeddedRocksDBStateBackend(false));
        } else {
            env.setStateBackend(new HashMapStateBackend());
        }
        DetectionSettings settings = DetectionSettings.defaults();
        EMITTED.set(0);
        env.addSource(new DistinctTransactions(ids), TransactionTypeInfo.INSTANCE)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Transaction>forMonotonousTimestamps()
                        .withTimestampAssigner((t, ts) -> t.txnTimeMillis))
                .keyBy(t -> t.accountId)
                .connect(RuleCommands.withoutEventTime(RuleCommands.none(env)).broadcast(RuleCommands.BROADCAST_STATE))
                .process(new DropDuplicateTransactions(settings, settings.defaultRules()),
                        TransactionTypeInfo.INSTANCE)
                .name("Drop duplicate transactions")
                .addSink(new DiscardingSink<>());
        JobClient job = env.executeAsync("dedup state " + backend + " " + ids);
        try {
            String jobId = job.getJobID().toString();
            while (EMITTED.get() < ids) {
                Thread.sleep(200);
            }
            long after = System.currentTimeMillis();
            // A checkpoint triggered after the last record has all of them.
            while (true) {
                Thread.sleep(1_000);
                JsonNode latest = get(port, "/jobs/" + jobId + "/checkpoints").path("latest").path("completed");
                if (!latest.isMissingNode() && !latest.isNull() && latest.path("trigger_timestamp").asLong() > after) {
                    long heap = liveHeap();
                    return new long[] {latest.path("state_size").asLong(), heap};
                }
            }
        } finally {
            job.cancel().get();
        }
    }

    private static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /** N distinct transactions, 1 ms of event time apart (all inside one horizon), then idle until cancelled. */
    static final class DistinctTransactions implements SourceFunction<Transaction> {
        private static final long serialVersionUID = 1L;
        private final long count;
        private volatile boolean running = true;

        DistinctTransactions(long count) {
            this.count = count;
        }

        @Override
        public void run(SourceContext<Transaction> ctx) throws Exception {
            long base = 1_795_000_000_000L;
            for (long i = 0; i < count && running; i++) {
                synchronized (ctx.getCheckpointLock()) {
                    ctx.collect(new Transaction(new UUID(0x5eed_0000_0000_0000L ^ i * 0x9E3779B97F4A7C15L, i)
                            .toString(), String.format(Locale.ROOT, "ACC-%05d", i % 5000), 1000 + i % 100_000,
                            base + i % 100_000));
                }
                EMITTED.incrementAndGet();
            }
            while (running) {
                Thread.sleep(100);
            }
        }

        @Override
        public void cancel() {
            running = false;
        }
    }
}
