package com.example.fraud.bench;

import com.example.fraud.tools.FraudTools;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

/**
 * The {@code backtest} command over the throughput benchmark's data (the same files, generated if missing) with the
 * 10-rule set: its report, time included.
 *
 * <p>Usage: BacktestBenchmark [--records 5000000 --accounts 5000 --parallelism 2 --rules FILE]
 */
public final class BacktestBenchmark {
    private BacktestBenchmark() {}

    public static void main(String[] args) throws Exception {
        long records = ThroughputBenchmark.longArg(args, "--records", 5_000_000);
        int accounts = (int) ThroughputBenchmark.longArg(args, "--accounts", 5_000);
        int parallelism = (int) ThroughputBenchmark.longArg(args, "--parallelism",
                Runtime.getRuntime().availableProcessors());
        Path dir = Paths.get(ThroughputBenchmark.stringArg(args, "--dir", "target/bench-data")).toAbsolutePath();
        String rules = ThroughputBenchmark.stringArg(args, "--rules", null);
        if (rules == null) {
            Path copy = dir.resolveSibling("rules-10.json");
            try (InputStream in = BacktestBenchmark.class.getResourceAsStream("/rules-10.json")) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            rules = copy.toString();
        }
        System.out.printf("Generating %,d records for %,d accounts in %s ...%n", records, accounts, dir);
        BenchData.ensure(dir, records, accounts, parallelism, 10_000, 7);
        System.exit(FraudTools.commandLine().execute("backtest", "--input", dir.toString(), "--rules", rules,
                "--parallelism", Integer.toString(parallelism)));
    }
}
