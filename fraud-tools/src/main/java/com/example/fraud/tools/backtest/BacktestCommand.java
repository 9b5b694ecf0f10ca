package com.example.fraud.tools.backtest;

import com.example.fraud.detector.config.ApplicationProperties;
import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.config.JobConfig;
import com.example.fraud.rules.Rule;
import com.example.fraud.tools.rules.RuleSetFile;
import com.example.fraud.tools.generator.GroundTruth;
import com.example.fraud.tools.generator.GroundTruthFile;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backtest}: the job's graph over a file of transactions, in a local Flink; per-rule alert figures. */
@Command(name = "backtest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the detector's own job graph (same parsing, watermarks, duplicate and late handling, "
                + "rule evaluation) over a file of transactions in a local Flink, and prints per rule the alerts, "
                + "the alerted keys and the alerts per 1,000 transactions; the records read and the dead letters by "
                + "reason. The end of the input closes every open window.",
            "Exit code 0 when the backtest ran; 2 on a missing or empty input, an invalid rule or config, an --out that "
                + "would overwrite the input (nothing is processed then), or when the job failed."},
        footer = {"", "Example:",
            "  backtest --input txns.jsonl.gz --rules rules.json --truth truth.json --out alerts.jsonl"})
public final class BacktestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "Transactions, one JSON object per line (the input stream's records); a file ending in .gz "
                    + "is decompressed. A directory: every file in it.")
    Path input;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "A JSON array of rule documents, each validated as the job validates it "
                    + "(default: the Rules group of --config, else the default rule).")
    Path rulesFile;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The job's application-properties JSON: its Detection group (lateness, out-of-orderness, "
                    + "clock skew, ...) and, without --rules, its Rules group; other groups may be absent "
                    + "(default: the job's defaults).")
    Path configFile;

    @Option(names = "--truth", paramLabel = "FILE",
            description = "Ground truth ('generate --truth'): adds per-rule precision and recall, by alert_id.")
    Path truthFile;

    @Option(names = "--out", paramLabel = "FILE", description = "Writes the alerts as JSON lines (the alert "
            + "stream's format; shadow alerts have mode SHADOW).")
    Path outFile;

    @Option(names = "--parallelism", paramLabel = "N",
            description = "Parallelism of the local job (default: the number of cores, ${DEFAULT-VALUE}).")
    int parallelism = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be at least 1, got " + parallelism);
        }
        // Everything that can be wrong with the arguments fails here, before a record is read.
        if (!Files.exists(input)) {
            throw new IOException("Input not found: " + input.toAbsolutePath());
        }
        if (outFile != null) {
            refuseToOverwriteTheInput(input, outFile);
        }
        // Only the Detection and Rules groups matter off Kinesis: a file with just those is enough.
        Map<String, Properties> groups = configFile == null ? Map.of() : ApplicationProperties.fromFile(configFile);
        DetectionSettings settings = JobConfig.detection(groups);
        List<Rule> rules = rulesFile != null ? RuleSetFile.read(rulesFile) : JobConfig.initialRules(groups, settings);
        GroundTruth truth = truthFile == null ? null : GroundTruthFile.read(truthFile);

        BacktestResult result;
        if (outFile == null) {
            result = Backtest.run(input, settings, rules, parallelism, (alert, json) -> { });
        } else {
            Path parent = outFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream alerts = new BufferedOutputStream(Files.newOutputStream(outFile), 1 << 16)) {
                result = Backtest.run(input, settings, rules, parallelism, (alert, json) -> {
                    alerts.write(json);
                    alerts.write('\n');
                });
            }
        }
        if (result.records == 0) {
            throw new IOException("no records in " + input + ": an empty file, or a directory without files (names "
                    + "starting with . or _ are skipped)" + (outFile != null ? "; " + outFile + " is empty" : ""));
        }
        result.print(out, input.toString(), parallelism, truth == null ? null : TruthComparison.of(truth, result));
        if (outFile != null) {
            out.println();
            out.println("alerts written to " + outFile);
        }
        out.flush();
        return 0;
    }

    /** Writing the alerts must not truncate the input, nor add a file that the input directory would read back. */
    static void refuseToOverwriteTheInput(Path input, Path out) throws IOException {
        Path in = input.toRealPath();
        Path target = out.toAbsolutePath().normalize();
        boolean same = Files.exists(target) && Files.isSameFile(target, in);
        Path parent = target.getParent();
        boolean inside = Files.isDirectory(in) && parent != null && Files.exists(parent)
                && parent.toRealPath().startsWith(in);
        if (same || inside) {
            throw new IllegalArgumentException("--out " + out + (same ? " is the input" : " lies inside the input "
                    + "directory " + input) + ": the alerts would " + (same ? "overwrite the transactions" : "be read "
                    + "back as transactions") + "; write them elsewhere");
        }
    }
}
