package com.example.fraud.bench;

import com.example.fraud.tools.FraudTools;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The {@code backtest} command with the 10-rule set: its report, time included. Two kinds of input:
 *
 * <ul>
 *   <li>{@code --data bench} (default): the throughput benchmark's files (generated if missing), 5,000 accounts with
 *       a thousand transactions each in 500 s of event time, so that every rule's state keeps all of them;
 *   <li>{@code --data generator}: the {@code generate} command's traffic (per-account habits, every rule's scenarios
 *       and near misses) written to a file with its ground truth, timed, then backtested against that truth. The
 *       event-time density is {@code --rate} (records/s; 10,000 puts 5 M records in about ten minutes, 8.27 in a
 *       week) and {@code --scenarios-per-minute}, per rule.
 * </ul>
 *
 * <p>Usage: BacktestBenchmark [--data bench|generator] [--records 5000000] [--accounts 5000 (bench) | 100000
 * (generator)] [--rate 10000 --scenarios-per-minute 6 --seed 7] [--parallelism 2] [--rules FILE] [--dir DIR]
 */
public final class BacktestBenchmark {
    private BacktestBenchmark() {}

    public static void main(String[] args) throws Exception {
        String data = ThroughputBenchmark.stringArg(args, "--data", "bench");
        long records = ThroughputBenchmark.longArg(args, "--records", 5_000_000);
        int parallelism = (int) ThroughputBenchmark.longArg(args, "--parallelism",
                Runtime.getRuntime().availableProcessors());
        String rules = ThroughputBenchmark.stringArg(args, "--rules", null);
        if ("bench".equals(data)) {
            int accounts = (int) ThroughputBenchmark.longArg(args, "--accounts", 5_000);
            Path dir = Paths.get(ThroughputBenchmark.stringArg(args, "--dir", "target/bench-data")).toAbsolutePath();
            rules = rules != null ? rules : copyRules(dir);
            System.out.printf("Generating %,d records for %,d accounts in %s ...%n", records, accounts, dir);
            BenchData.ensure(dir, records, accounts, parallelism, 10_000, 7);
            System.exit(FraudTools.commandLine().execute("backtest", "--input", dir.toString(), "--rules", rules,
                    "--parallelism", Integer.toString(parallelism)));
        } else if ("generator".equals(data)) {
            Path dir = Paths.get(ThroughputBenchmark.stringArg(args, "--dir", "target/bench-generated"))
                    .toAbsolutePath();
            Files.createDirectories(dir);
            rules = rules != null ? rules : copyRules(dir);
            Path input = dir.resolve("transactions.jsonl");
            Path truth = dir.resolve("truth.json");
            List<String> generate = List.of("generate", "--fast", "--out", input.toString(), "--truth",
                    truth.toString(), "--rules", rules,
                    "--count", Long.toString(records),
                    "--accounts", ThroughputBenchmark.stringArg(args, "--accounts", "100000"),
                    "--rate", ThroughputBenchmark.stringArg(args, "--rate", "10000"),
                    "--scenarios-per-minute", ThroughputBenchmark.stringArg(args, "--scenarios-per-minute", "6"),
                    "--seed", ThroughputBenchmark.stringArg(args, "--seed", "7"));
            System.out.println("fraud-tools " + String.join(" ", generate));
            long start = System.nanoTime();
            int exit = FraudTools.commandLine().execute(generate.toArray(new String[0]));
            System.out.printf("generate: %.1f s, exit %d%n%n", (System.nanoTime() - start) / 1e9, exit);
            if (exit != 0) {
                System.exit(exit);
            }
            System.exit(FraudTools.commandLine().execute("backtest", "--input", input.toString(), "--rules", rules,
                    "--truth", truth.toString(), "--parallelism", Integer.toString(parallelism)));
        } else {
            System.err.println("--data must be bench or generator, got " + data);
            System.exit(2);
        }
    }

    /** The 10-rule set, copied next to the data so that the command line can name it. */
    private static String copyRules(Path dir) throws Exception {
        Path copy = dir.resolveSibling("rules-10.json");
        Files.createDirectories(copy.getParent());
        try (InputStream in = BacktestBenchmark.class.getResourceAsStream("/rules-10.json")) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        return copy.toString();
    }
}
