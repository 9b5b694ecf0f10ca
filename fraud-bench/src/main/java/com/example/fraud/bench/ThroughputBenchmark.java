package com.example.fraud.bench;

import com.example.fraud.detector.FraudDetectionPipeline;
import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.rules.RuleCommands;
import com.example.fraud.detector.serialization.TransactionTypeInfo;
import com.example.fraud.detector.source.ParsedRecord;
import com.example.fraud.detector.source.RouteInvalidRecords;
import com.example.fraud.detector.source.TransactionWatermarks;
import com.example.fraud.model.Transaction;
import com.example.fraud.model.Alert;
import com.example.fraud.rules.FiringMode;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleSets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/**
 * Records/s on the same pre-generated JSON lines of:
 * <ol>
 *   <li>the detector's real job graph (file source in place of Kinesis) with today's single default rule, and with a
 *       10-rule set (two of each type, {@code rules-10.json}), heap state;
 *   <li>Flink SQL: the original's window TVF for the single rule, and the rules of the set that SQL can express (the
 *       six aggregates: tumbling via TUMBLE, sliding via OVER ... RANGE INTERVAL) in one job;
 *   <li>a single-threaded plain Java loop (single rule);
 *   <li>the floor under any keyed graph over these records (not run by default): the job's source and parser, then
 *       the transactions sent to one keyed grouping (account), or to the three the rule set uses (account, card,
 *       merchant), each into a counter: no state, no rule, no duplicate filter;
 *   <li>the 10-rule graph with the RocksDB state backend (the one MSF uses) on input over at least 1 M accounts, and
 *       its checkpointed state per account.
 * </ol>
 * Each contender's alert count is printed (per rule for the rule sets) so that they can be cross-checked.
 *
 * <p>Usage: ThroughputBenchmark [--records 5000000 --accounts 5000 --parallelism 2 --runs 2
 * --only detector-1,detector,sql-1,sql,loop,floor-1,floor-3,heap-many,rocksdb,rocksdb-state,hot-key --rules FILE
 * --hot-key-records 120000
 * --rocksdb-accounts 1200000
 * --rocksdb-records 5000000 --rocksdb-runs 1]
 */
public final class ThroughputBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALL = "detector-1,detector,sql-1,sql,loop,heap-many,rocksdb";

    private ThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        long records = longArg(args, "--records", 5_000_000);
        int accounts = (int) longArg(args, "--accounts", 5_000);
        int parallelism = (int) longArg(args, "--parallelism", Runtime.getRuntime().availableProcessors());
        Path dir = Paths.get(stringArg(args, "--dir", "target/bench-data")).toAbsolutePath();
        Set<String> only = Set.of(stringArg(args, "--only", ALL).split(","));
        int runs = (int) longArg(args, "--runs", 2);
        String rulesFile = stringArg(args, "--rules", null);
        int manyAccounts = (int) longArg(args, "--rocksdb-accounts", 1_200_000);
        int rocksRuns = (int) longArg(args, "--rocksdb-runs", 1);
        long manyRecords = longArg(args, "--rocksdb-records", records);

        List<Rule> rules = rules(rulesFile);
        List<String> ruleIds = rules.stream().map(Rule::id).collect(Collectors.toList());
        DetectionSettings settings = DetectionSettings.builder().firing(FiringMode.EARLY).build();

        System.out.printf("Generating %,d records for %,d accounts in %s ...%n", records, accounts, dir);
        BenchData.ensure(dir, records, accounts, parallelism, 10_000, 7);
        List<Path> files = files(dir);

        System.out.printf("%nThroughput on %s, %d cores, Java %s%n", cpuModel(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.printf("Rule set (%d rules, %s): %s%n", rules.size(),
                rulesFile == null ? "rules-10.json" : rulesFile,
                rules.stream().map(r -> r.id() + (r.grouping().field().equals("account_id") ? ""
                        : "[" + r.grouping().field() + "]")).collect(Collectors.joining(", ")));
        System.out.printf("Each contender runs %d times in this JVM (the first ones warm up the JIT); the best run "
                + "counts.%n", runs);
        header();
        Map<String, Double> best = new LinkedHashMap<>();
        for (int run = 0; run < runs; run++) {
            boolean first = run == 0;
            if (only.contains("detector-1")) {
                best.merge("detector-1", detector("detector graph, 1 rule, heap (p=" + parallelism + ")", dir,
                        parallelism, settings, settings.defaultRules(), "heap", records, first), Math::max);
            }
            if (only.contains("detector")) {
                best.merge("detector", detector("detector graph, " + rules.size() + " rules, heap (p=" + parallelism
                        + ")", dir, parallelism, settings, rules, "heap", records, first), Math::max);
            }
            if (only.contains("sql-1")) {
                best.merge("sql-1", sqlSingleRule(dir, parallelism, records), Math::max);
            }
            if (only.contains("sql")) {
                best.merge("sql", sqlRuleSet(dir, parallelism, records, ruleIds, first), Math::max);
            }
            if (only.contains("loop")) {
                best.merge("loop", loop(files, settings), Math::max);
            }
            if (only.contains("floor-1")) {
                best.merge("floor-1", floor(dir, parallelism, settings, records, 1), Math::max);
            }
            if (only.contains("floor-3")) {
                best.merge("floor-3", floor(dir, parallelism, settings, records, 3), Math::max);
            }
        }
        if (only.contains("rocksdb") || only.contains("heap-many") || only.contains("rocksdb-state")) {
            Path manyDir = Paths.get(dir + "-" + manyAccounts + "-accounts");
            System.out.printf("%nGenerating %,d records for %,d accounts in %s ...%n", manyRecords, manyAccounts,
                    manyDir);
            BenchData.ensure(manyDir, manyRecords, manyAccounts, parallelism, 10_000, 7);
            long distinct = BenchData.distinctAccounts(manyDir);
            System.out.printf("%,d distinct accounts; RocksDB: incremental checkpoints, %s managed memory%n",
                    distinct, MANAGED);
            header();
            for (int run = 0; run < rocksRuns; run++) {
                if (only.contains("heap-many")) {
                    best.merge("heap-many", detector("detector graph, " + rules.size() + " rules, heap, "
                            + (distinct / 1000) + "k acc.", manyDir, parallelism, settings, rules, "heap", manyRecords,
                            run == 0), Math::max);
                }
                if (only.contains("rocksdb")) {
                    best.merge("rocksdb", detector("detector graph, " + rules.size() + " rules, RocksDB, "
                            + (distinct / 1000) + "k acc.", manyDir, parallelism, settings, rules, "rocksdb",
                            manyRecords, run == 0), Math::max);
                }
            }
            if (only.contains("rocksdb") || only.contains("rocksdb-state")) {
                rocksDbState(manyDir, parallelism, settings, rules, distinct, manyRecords);
            }
        }

        if (only.contains("hot-key")) {
            hotKey(dir, parallelism, longArg(args, "--hot-key-records", 120_000));
        }

        System.out.printf("%nbest records/s:%n");
        best.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-12s %,12.0f%n", k, v));
        if (best.containsKey("detector") && best.containsKey("sql")) {
            System.out.printf(Locale.ROOT, "detector (%d rules) / SQL (its %d aggregate rules) = %.2fx%n", rules.size(),
                    SQL_RULES.size(), best.get("detector") / best.get("sql"));
        }
        if (best.containsKey("detector-1") && best.containsKey("sql-1")) {
            System.out.printf(Locale.ROOT, "detector (1 rule) / SQL window TVF (1 rule) = %.2fx%n",
                    best.get("detector-1") / best.get("sql-1"));
        }
        if (best.containsKey("detector-1") && best.containsKey("loop")) {
            System.out.printf(Locale.ROOT, "detector (1 rule) per core / loop = %.2fx%n",
                    best.get("detector-1") / parallelism / best.get("loop"));
        }
    }

    private static final MemorySize MANAGED = MemorySize.parse("1g");

    /**
     * One account sending 1,000 transactions/s (a producer bug, or an attacker's own account) under the default rule
     * (60 s tumbling, 60 s lateness) firing at WINDOW_CLOSE, which keeps the whole window (as EARLY does while the sum
     * stays under the threshold), on RocksDB, which (de)serializes the key's whole rule state on every access, and on
     * the heap; then the same under a 10-minute sliding sum, whose state holds every transaction of its window. The
     * job must keep up: a state that grows with the key's traffic, (de)serialized whole, makes this quadratic.
     */
    private static void hotKey(Path dir, int parallelism, long records) throws Exception {
        DetectionSettings settings = DetectionSettings.builder().firing(FiringMode.WINDOW_CLOSE).build();
        Path hotDir = Paths.get(dir + "-hot-key");
        System.out.printf("%nGenerating %,d records for one account at 1,000/s in %s ...%n", records, hotDir);
        BenchData.ensure(hotDir, records, 1, parallelism, 1_000, 7);
        header();
        for (String backend : List.of("rocksdb", "heap")) {
            detector("hot key, 1,000/s, default rule, WINDOW_CLOSE, " + backend, hotDir, parallelism, settings,
                    settings.defaultRules(), backend, records, false);
        }
        // A sliding look-back keeps every transaction of its 10 minutes: the state of a flooded key grows with it.
        List<Rule> sliding = RuleSets.parse("[{\"rule_id\": \"sum-10m-sliding\", \"version\": 1, "
                + "\"type\": \"SUM_OVER_THRESHOLD\", \"window\": {\"kind\": \"SLIDING\", \"size\": \"PT10M\"}, "
                + "\"threshold\": 100000000.00}]");
        for (String backend : List.of("rocksdb", "heap")) {
            detector("hot key, 1,000/s, 10 min sliding sum, " + backend, hotDir, parallelism, settings, sliding,
                    backend, records, false);
        }
    }

    private static void header() {
        System.out.printf("%-48s %12s %9s %8s%n", "contender", "records/s", "seconds", "alerts");
    }

    /** The rule set: a JSON array of rule documents, read as the job reads its rules file. */
    static List<Rule> rules(String file) throws Exception {
        if (file != null) {
            return RuleSets.parse(Files.readString(Paths.get(file)));
        }
        try (InputStream in = ThroughputBenchmark.class.getResourceAsStream("/rules-10.json")) {
            return RuleSets.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static List<Path> files(Path dir) throws Exception {
        try (var list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted()
                    .collect(Collectors.toList());
        }
    }

    private static Configuration localConfig(String backend) {
        Configuration conf = new Configuration();
        if ("rocksdb".equals(backend)) {
            conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MANAGED);
        }
        return conf;
    }

    private static StreamExecutionEnvironment detectorGraph(StreamExecutionEnvironment env, Path dir,
            DetectionSettings settings, List<Rule> rules, List<String> ruleIds, boolean holdAtEnd) {
        FileSource<ParsedRecord> source = FileSource
                .forRecordStreamFormat(new JsonLinesFormat(settings, holdAtEnd),
                        new org.apache.flink.core.fs.Path(dir.toUri()))
                .build();
        FraudDetectionPipeline.Outputs outputs = FraudDetectionPipeline.build(env, source, "JSON lines", settings,
                rules, RuleCommands.none(env));
        outputs.alerts.addSink(new RuleCountingSink<Alert>(ruleIds, a -> a.ruleId)).name("count alerts");
        outputs.deadLetters.addSink(new DeadLetterCountingSink()).name("count dead letters");
        return env;
    }

    private static double detector(String name, Path dir, int parallelism, DetectionSettings settings,
            List<Rule> rules, String backend, long records, boolean perRule) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, localConfig(backend));
        if ("rocksdb".equals(backend)) {
            env.setStateBackend(new EmbeddedRocksDBStateBackend(true));
        }
        List<String> ruleIds = rules.stream().map(Rule::id).collect(Collectors.toList());
        detectorGraph(env, dir, settings, rules, ruleIds, false);
        JobExecutionResult result = env.execute("detector throughput");
        double rate = report(name, records, result, "alerts");
        Long deadLetters = result.getAccumulatorResult("deadLetters");
        if (deadLetters != null && deadLetters > 0) {
            StringBuilder reasons = new StringBuilder();
            result.getAllAccumulatorResults().forEach((k, v) -> {
                if (k.startsWith("deadLetters:")) {
                    reasons.append(String.format(Locale.ROOT, " %s %,d", k.substring("deadLetters:".length()), v));
                }
            });
            System.out.printf("  ! %,d dead letters (expected none):%s%n", deadLetters, reasons);
        }
        if (perRule && rules.size() > 1) {
            perRule(result, ruleIds);
        }
        return rate;
    }

    /**
     * The job's source, parser and invalid-record routing, then every transaction to {@code groupings} keyed
     * groupings (account, card, merchant) that only count: what any graph keyed that way costs before its logic.
     */
    private static double floor(Path dir, int parallelism, DetectionSettings settings, long records, int groupings)
            throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, new Configuration());
        FraudDetectionPipeline.configure(env);
        FileSource<ParsedRecord> source = FileSource
                .forRecordStreamFormat(new JsonLinesFormat(settings, false),
                        new org.apache.flink.core.fs.Path(dir.toUri()))
                .build();
        DataStream<Transaction> transactions = env.fromSource(source,
                        TransactionWatermarks.strategy(settings, source.getBoundedness()), "JSON lines",
                        TypeInformation.of(ParsedRecord.class))
                .process(new RouteInvalidRecords(), TransactionTypeInfo.INSTANCE);
        List<KeySelector<Transaction, String>> keys = List.of(t -> t.accountId,
                t -> t.cardId == null ? "" : t.cardId, t -> t.merchantId == null ? "" : t.merchantId);
        for (int i = 0; i < groupings; i++) {
            transactions.keyBy(keys.get(i)).addSink(new CountingSink<>("grouping-" + i)).name("count " + i);
        }
        JobExecutionResult result = env.execute("floor " + groupings);
        return report("floor: parse, " + groupings + (groupings == 1 ? " keyed grouping" : " keyed groupings")
                + " (p=" + parallelism + ")", records, result, "grouping-0");
    }

    private static void perRule(JobExecutionResult result, List<String> ruleIds) {
        StringBuilder b = new StringBuilder("  alerts per rule:");
        for (String id : ruleIds) {
            Long n = result.getAccumulatorResult("alerts:" + id);
            b.append(' ').append(id).append('=').append(n == null ? 0 : n);
        }
        System.out.println(b);
    }

    /** The original's approach to today's rule: a window TVF, sum(amount) > 3000 per account and minute. */
    private static double sqlSingleRule(Path dir, int parallelism, long records) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, new Configuration());
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        createTable(tables, dir);
        Table flagged = tables.sqlQuery("SELECT account_id, window_start, SUM(amount) AS total "
                + "FROM TABLE(TUMBLE(TABLE txns, DESCRIPTOR(txn_time), INTERVAL '60' SECOND)) "
                + "GROUP BY account_id, window_start, window_end HAVING SUM(amount) > 3000");
        tables.toDataStream(flagged).addSink(new CountingSink<>("alerts")).name("count alerts");
        JobExecutionResult result = env.execute("sql throughput");
        return report("Flink SQL window TVF, 1 rule (p=" + parallelism + ")", records, result, "alerts");
    }

    /** The rules of rules-10.json that SQL can express, by rule id (the two card-testing and travel rules cannot). */
    static final List<String> SQL_RULES = Arrays.asList("sum-1m-tumbling", "count-1m-tumbling",
            "distinct-merchants-1m-tumbling", "sum-10m-sliding-card", "count-5m-sliding-merchant",
            "distinct-countries-10m-sliding");

    /**
     * One SQL job for the six aggregate rules. The three tumbling rules share key and window, so one window aggregate
     * computes them (as a SQL author would write it); each sliding rule is an OVER window with RANGE INTERVAL, which
     * emits every transaction whose look-back is over the limit (no re-alerting rule, unlike the detector).
     */
    private static double sqlRuleSet(Path dir, int parallelism, long records, List<String> ruleIds, boolean perRule)
            throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, new Configuration());
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        createTable(tables, dir);
        tables.createTemporaryView("tumbling", tables.sqlQuery("SELECT account_id, window_start, SUM(amount) AS s, "
                + "COUNT(*) AS c, COUNT(DISTINCT merchant_id) AS d "
                + "FROM TABLE(TUMBLE(TABLE txns, DESCRIPTOR(txn_time), INTERVAL '1' MINUTE)) "
                + "GROUP BY account_id, window_start, window_end"));
        String sliding = "SELECT CAST('%s' AS STRING) AS rule_id, %s AS k FROM (SELECT %s, %s OVER (PARTITION BY %s "
                + "ORDER BY txn_time RANGE BETWEEN INTERVAL '%s' MINUTE PRECEDING AND CURRENT ROW) AS v FROM txns "
                + "WHERE %s IS NOT NULL) WHERE v %s";
        String query = String.join(" UNION ALL ",
                "SELECT CAST('sum-1m-tumbling' AS STRING) AS rule_id, account_id AS k FROM tumbling WHERE s > 3000",
                "SELECT CAST('count-1m-tumbling' AS STRING), account_id FROM tumbling WHERE c >= 160",
                "SELECT CAST('distinct-merchants-1m-tumbling' AS STRING), account_id FROM tumbling WHERE d >= 40",
                String.format(sliding, "sum-10m-sliding-card", "card_id", "card_id", "SUM(amount)", "card_id", "10",
                        "card_id", "> 50000"),
                String.format(sliding, "count-5m-sliding-merchant", "merchant_id", "merchant_id", "COUNT(*)",
                        "merchant_id", "5", "merchant_id", ">= 600"),
                String.format(sliding, "distinct-countries-10m-sliding", "account_id", "account_id",
                        "COUNT(DISTINCT country)", "account_id", "10", "country", ">= 4"));
        tables.toDataStream(tables.sqlQuery(query))
                .addSink(new RuleCountingSink<Row>(ruleIds, r -> (String) r.getField(0))).name("count alerts");
        JobExecutionResult result = env.execute("sql rule set throughput");
        double rate = report("Flink SQL, " + SQL_RULES.size() + " aggregate rules (p=" + parallelism + ")", records,
                result, "alerts");
        if (perRule) {
            perRule(result, SQL_RULES);
        }
        return rate;
    }

    private static void createTable(StreamTableEnvironment tables, Path dir) {
        tables.executeSql("CREATE TABLE txns (txn_id STRING, account_id STRING, amount DECIMAL(14, 2), "
                + "txn_time TIMESTAMP_LTZ(3), card_id STRING, merchant_id STRING, country STRING, lat DOUBLE, "
                + "lon DOUBLE, channel STRING, WATERMARK FOR txn_time AS txn_time - INTERVAL '5' SECOND) WITH ("
                + "'connector' = 'filesystem', 'path' = '" + dir.toUri() + "', 'format' = 'json', "
                + "'json.timestamp-format.standard' = 'ISO-8601', 'json.ignore-parse-errors' = 'false')");
    }

    private static double loop(List<Path> files, DetectionSettings settings) throws Exception {
        PlainLoop loop = new PlainLoop(settings.windowMillis(), settings.thresholdCents());
        long start = System.nanoTime();
        loop.run(files);
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = loop.records / seconds;
        System.out.printf(Locale.ROOT, "%-48s %,12.0f %9.2f %8d%n", "hand-written loop, 1 rule (1 thread)", rate,
                seconds, loop.alerts);
        return rate;
    }

    /**
     * The state the 10-rule graph holds on RocksDB with all records read: the readers hold at their files' ends (so
     * no end-of-input watermark clears it), a checkpoint triggered after that is read from the REST API.
     */
    private static void rocksDbState(Path dir, int parallelism, DetectionSettings settings, List<Rule> rules,
            long accounts, long records) throws Exception {
        Configuration conf = localConfig("rocksdb");
        int port = com.example.fraud.tools.emulator.LocalKinesis.freePort();
        conf.set(RestOptions.PORT, port);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        env.setParallelism(parallelism);
        env.setStateBackend(new EmbeddedRocksDBStateBackend(true));
        env.enableCheckpointing(5_000);
        Path checkpoints = dir.resolveSibling(dir.getFileName() + "-checkpoints");
        env.getCheckpointConfig().setCheckpointStorage(checkpoints.toUri().toString());
        JsonLinesFormat.EndGate.reset();
        detectorGraph(env, dir, settings, rules, rules.stream().map(Rule::id).collect(Collectors.toList()), true);
        int files = files(dir).size();
        long start = System.nanoTime();
        JobClient job = env.executeAsync("detector state on RocksDB");
        try {
            String jobId = job.getJobID().toString();
            while (JsonLinesFormat.EndGate.atEnd() < files) {
                if (job.getJobStatus().get().isGloballyTerminalState()) {
                    throw new IllegalStateException("the job ended before reading all input");
                }
                Thread.sleep(200);
            }
            long after = System.currentTimeMillis();
            double seconds = (System.nanoTime() - start) / 1e9;
            // Start-up included, the in-flight tail not: an approximation, with checkpoints every 5 s.
            System.out.printf(Locale.ROOT, "%-48s %,12.0f %9.2f %8s%n", "  same graph, RocksDB, input read", records
                    / seconds, seconds, "-");
            JsonNode latest;
            while (true) {
                Thread.sleep(1_000);
                latest = get(port, "/jobs/" + jobId + "/checkpoints").path("latest").path("completed");
                if (!latest.isMissingNode() && !latest.isNull() && latest.path("trigger_timestamp").asLong() > after) {
                    break;
                }
            }
            long id = latest.path("id").asLong();
            long total = latest.path("state_size").asLong();
            Map<String, String> names = new LinkedHashMap<>();
            for (JsonNode v : get(port, "/jobs/" + jobId).path("vertices")) {
                names.put(v.path("id").asText(), v.path("name").asText());
            }
            JsonNode tasks = get(port, "/jobs/" + jobId + "/checkpoints/details/" + id).path("tasks");
            System.out.printf(Locale.ROOT, "%nRocksDB state with all %s records read (checkpoint %d, full size of "
                    + "the incremental checkpoint):%n", dir.getFileName(), id);
            for (Map.Entry<String, String> v : names.entrySet()) {
                long size = tasks.path(v.getKey()).path("state_size").asLong();
                if (size > 0) {
                    System.out.printf(Locale.ROOT, "  %-60s %,14d B  %7.1f B per account%n",
                            abbreviate(v.getValue(), 60), size, size / (double) accounts);
                }
            }
            System.out.printf(Locale.ROOT, "  %-60s %,14d B  %7.1f B per account (%,d accounts)%n", "total", total,
                    total / (double) accounts, accounts);
        } finally {
            JsonLinesFormat.EndGate.release();
            try {
                job.cancel().get();
            } catch (Exception e) {
                // It may have finished on its own once released: nothing left to stop.
            }
        }
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private static double report(String name, long records, JobExecutionResult result, String alertsAccumulator) {
        double seconds = result.getNetRuntime() / 1000.0;
        double rate = records / seconds;
        Long alerts = result.getAccumulatorResult(alertsAccumulator);
        System.out.printf(Locale.ROOT, "%-48s %,12.0f %9.2f %8d%n", name, rate, seconds, alerts);
        return rate;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Paths.get("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (Exception e) {
            return "unknown CPU";
        }
    }

    static long longArg(String[] args, String name, long fallback) {
        String v = stringArg(args, name, null);
        return v == null ? fallback : Long.parseLong(v.replace("_", ""));
    }

    static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
