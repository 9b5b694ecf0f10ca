package com.example.fraud.bench;

import com.example.fraud.detector.FraudDetectionPipeline;
import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.rules.FiringMode;
import com.example.fraud.detector.source.ParsedRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * Records/s of (1) the detector's real job graph with a file source in place of Kinesis, (2) the
 * original's approach, a Flink SQL window TVF, and (3) a single-threaded plain Java loop, on the same
 * pre-generated JSON lines. Each contender's alert count is printed so that they can be seen to agree.
 */
public final class ThroughputBenchmark {
    private ThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        long records = longArg(args, "--records", 5_000_000);
        int accounts = (int) longArg(args, "--accounts", 5_000);
        int parallelism = (int) longArg(args, "--parallelism", Runtime.getRuntime().availableProcessors());
        Path dir = Paths.get(stringArg(args, "--dir", "target/bench-data"));
        String only = stringArg(args, "--only", "all");
        int runs = (int) longArg(args, "--runs", 2);

        System.out.printf("Generating %,d records for %,d accounts in %s ...%n", records, accounts, dir);
        BenchData.ensure(dir, records, accounts, parallelism, 10_000, 7);
        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().collect(Collectors.toList());
        }
        DetectionSettings settings = DetectionSettings.builder().firing(FiringMode.EARLY).build();

        System.out.printf("%nThroughput on %s, %d cores, Java %s%n", cpuModel(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.printf("Each contender runs %d times in this JVM (the first ones warm up the JIT); the best run counts.%n",
                runs);
        System.out.printf("%-44s %12s %9s %8s%n", "contender", "records/s", "seconds", "alerts");
        double detector = 0;
        double sql = 0;
        double loop = 0;
        for (int run = 0; run < runs; run++) {
            if (only.equals("all") || only.equals("detector")) {
                detector = Math.max(detector, detector(dir, parallelism, settings, records));
            }
            if (only.equals("all") || only.equals("sql")) {
                sql = Math.max(sql, sql(dir, parallelism, records));
            }
            if (only.equals("all") || only.equals("loop")) {
                loop = Math.max(loop, loop(files, settings));
            }
        }
        System.out.printf(Locale.ROOT, "%nbest: detector %,.0f records/s, SQL %,.0f records/s, loop %,.0f records/s%n",
                detector, sql, loop);
        if (detector > 0 && sql > 0 && loop > 0) {
            System.out.printf(Locale.ROOT, "%ndetector / SQL = %.2fx; detector per core / loop = %.2fx%n",
                    detector / sql, detector / parallelism / loop);
        }
    }

    private static double detector(Path dir, int parallelism, DetectionSettings settings, long records)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, new Configuration());
        env.getConfig().disableGenericTypes();
        FileSource<ParsedRecord> source = FileSource
                .forRecordStreamFormat(new JsonLinesFormat(settings),
                        new org.apache.flink.core.fs.Path(dir.toUri()))
                .build();
        FraudDetectionPipeline.Outputs outputs = FraudDetectionPipeline.build(env, source, "JSON lines", settings);
        outputs.alerts.addSink(new CountingSink<>("alerts")).name("count alerts");
        outputs.deadLetters.addSink(new CountingSink<>("deadLetters")).name("count dead letters");
        JobExecutionResult result = env.execute("detector throughput");
        return report("detector job graph (p=" + parallelism + ")", records, result, "alerts");
    }

    private static double sql(Path dir, int parallelism, long records) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, new Configuration());
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.executeSql("CREATE TABLE txns (txn_id STRING, account_id STRING, amount DECIMAL(14, 2), "
                + "txn_time TIMESTAMP_LTZ(3), WATERMARK FOR txn_time AS txn_time - INTERVAL '5' SECOND) WITH ("
                + "'connector' = 'filesystem', 'path' = '" + dir.toUri() + "', 'format' = 'json', "
                + "'json.timestamp-format.standard' = 'ISO-8601', 'json.ignore-parse-errors' = 'false')");
        Table flagged = tables.sqlQuery("SELECT account_id, window_start, SUM(amount) AS total "
                + "FROM TABLE(TUMBLE(TABLE txns, DESCRIPTOR(txn_time), INTERVAL '60' SECOND)) "
                + "GROUP BY account_id, window_start, window_end HAVING SUM(amount) > 3000");
        tables.toDataStream(flagged).addSink(new CountingSink<>("alerts")).name("count alerts");
        JobExecutionResult result = env.execute("sql throughput");
        return report("Flink SQL window TVF (p=" + parallelism + ")", records, result, "alerts");
    }

    private static double loop(List<Path> files, DetectionSettings settings) throws Exception {
        PlainLoop loop = new PlainLoop(settings.windowMillis(), settings.thresholdCents());
        long start = System.nanoTime();
        loop.run(files);
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = loop.records / seconds;
        System.out.printf(Locale.ROOT, "%-44s %,12.0f %9.2f %8d%n", "hand-written loop (1 thread)", rate, seconds,
                loop.alerts);
        return rate;
    }

    private static double report(String name, long records, JobExecutionResult result, String alertsAccumulator) {
        double seconds = result.getNetRuntime() / 1000.0;
        double rate = records / seconds;
        Long alerts = result.getAccumulatorResult(alertsAccumulator);
        System.out.printf(Locale.ROOT, "%-44s %,12.0f %9.2f %8d%n", name, rate, seconds, alerts);
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
