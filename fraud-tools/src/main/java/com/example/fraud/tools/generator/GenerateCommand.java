package com.example.fraud.tools.generator;

import com.example.fraud.model.Identifiers;
import com.example.fraud.model.Money;
import com.example.fraud.tools.DurationText;
import com.example.fraud.tools.emulator.StreamNames;
import com.example.fraud.tools.kinesis.EndpointOption;
import com.example.fraud.tools.kinesis.RecordWriter;
import com.example.fraud.tools.rules.RuleSetFile;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** {@code generate}: simulated transactions with scenarios, to Kinesis or JSON lines, plus the ground truth. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Simulates accounts making transactions at a steady rate, mixes in scenarios (over / just under /"
                    + " exactly at the threshold, delayed, late, malformed), and writes the ground truth that"
                    + " 'evaluate' checks the detector against.",
            "Rule parameters: the detector's defaults, then the Detection group of --config, then the flags.",
            "With --rules FILE (the job's rule set: a JSON array of rule documents), every rule gets scenarios that"
                    + " must fire and near misses that must not, from its own parameters, and the ground truth is"
                    + " the rules' own logic replayed over what was stored."},
        footer = {"", "Examples:",
            "  generate --endpoint http://127.0.0.1:4568 --duration 2min --truth target/truth.json",
            "  generate --config config/application-properties-local.json --endpoint http://127.0.0.1:4568 "
                    + "--rate 200 --count 5000 --malformed 0.002 --truth target/truth.json",
            "  generate --out - --count 20 --tail 0 --fast",
            "  generate --rules config/rules-all-types.json --endpoint http://127.0.0.1:4568 --duration 1min "
                    + "--truth target/truth.json"})
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    EndpointOption endpoint;

    @Option(names = "--stream", paramLabel = "NAME", description = "Input stream (default: ${DEFAULT-VALUE}).")
    String stream = StreamNames.INPUT;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write JSON lines to FILE ('-' for stdout) instead of Kinesis.")
    String out;

    @Option(names = "--fast", description = "With --out: do not wait, simulate the clock (the spacing of a paced "
            + "run, ending now or at --end: the file is history, ready for a backtest).")
    boolean fast;

    @Option(names = "--end", paramLabel = "INSTANT", description = "With --fast: when the simulated run ends, e.g. "
            + "2026-11-01T00:00:00Z (default: now). With the same seed and options, the same bytes every time.")
    Instant end;

    @Option(names = "--truth", paramLabel = "FILE", description = "Where to write the ground-truth JSON.")
    Path truthFile;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The detector's MSF application-properties JSON; only its Detection group is read.")
    Path config;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "The rule set the job runs (JSON array of rule documents, validated as the job does). "
                    + "Default: the default rule (sum over --threshold per --window).")
    Path rulesFile;

    @Option(names = "--habits", negatable = true, fallbackValue = "true",
            description = "Background transactions carry card, merchant, country, location and channel from "
                    + "per-account habits (default: on with --rules, off without).")
    Boolean habits;

    @Option(names = "--scenarios-per-minute", paramLabel = "N",
            description = "With --rules: scenarios started per rule and minute, after one of each kind "
                    + "(default: ${DEFAULT-VALUE}).")
    double scenariosPerMinute = GeneratorConfig.DEFAULT_SCENARIOS_PER_MINUTE;

    @Option(names = "--threshold", paramLabel = "AMOUNT", description = "Flag when a window sum is > this.")
    BigDecimal threshold;

    @Option(names = "--window", paramLabel = "DURATION", converter = DurationText.Converter.class,
            description = "Tumbling window size (detector default 60 s).")
    Duration window;

    @Option(names = "--out-of-orderness", paramLabel = "DURATION", converter = DurationText.Converter.class,
            description = "Watermark out-of-orderness bound (detector default 5 s).")
    Duration outOfOrderness;

    @Option(names = "--allowed-lateness", paramLabel = "DURATION", converter = DurationText.Converter.class,
            description = "Allowed lateness (detector default 60 s).")
    Duration allowedLateness;

    @Option(names = "--record-max-bytes", paramLabel = "N", description = "Detector's record.max.bytes (65536).")
    Integer recordMaxBytes;

    @Option(names = "--accounts", paramLabel = "N", description = "Simulated accounts (default: ${DEFAULT-VALUE}).")
    int accounts = GeneratorConfig.DEFAULT_ACCOUNTS;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = GeneratorConfig.DEFAULT_SEED;

    @Option(names = "--id-prefix", paramLabel = "PREFIX", description = "Put in front of every account, card and "
            + "merchant id (default: none), so that two runs against one job share no key, e.g. before and after a "
            + "rule change; evaluate each against its own truth.")
    String idPrefix = "";

    @Option(names = "--rate", paramLabel = "RECORDS/S", description = "Main-phase rate (default: ${DEFAULT-VALUE}).")
    double rate = GeneratorConfig.DEFAULT_RATE;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationText.Converter.class,
            description = "Main-phase length (default 60 s unless --count is given).")
    Duration duration;

    @Option(names = "--count", paramLabel = "N", description = "Main-phase records (scenarios included).")
    long count;

    @Option(names = "--tail", paramLabel = "DURATION", converter = DurationText.Converter.class,
            description = "Low-amount traffic after the main phase (default: window + out-of-orderness + 5 s).")
    Duration tail;

    @Option(names = "--tail-rate", paramLabel = "RECORDS/S", description = "Tail rate (default: min(rate, 20)).")
    double tailRate;

    @Option(names = "--over", paramLabel = "FRACTION",
            description = "Accounts pushed over the threshold, per window (default: ${DEFAULT-VALUE}).")
    double over = ScenarioMix.defaults().over;

    @Option(names = "--under", paramLabel = "FRACTION",
            description = "Accounts ending a window just under the threshold, per window (default: ${DEFAULT-VALUE}).")
    double under = ScenarioMix.defaults().under;

    @Option(names = "--exact", paramLabel = "FRACTION",
            description = "Accounts ending a window at exactly the threshold, per window (default: ${DEFAULT-VALUE}).")
    double exact = ScenarioMix.defaults().exact;

    @Option(names = "--delayed", paramLabel = "FRACTION",
            description = "Records delayed within the out-of-orderness bound (default: ${DEFAULT-VALUE}).")
    double delayed = ScenarioMix.defaults().delayed;

    @Option(names = "--late", paramLabel = "FRACTION",
            description = "Records beyond bound + allowed lateness (default: ${DEFAULT-VALUE}).")
    double late = ScenarioMix.defaults().late;

    @Option(names = "--malformed", paramLabel = "FRACTION",
            description = "Malformed records, every kind at least once when > 0 (default: ${DEFAULT-VALUE}).")
    double malformed = ScenarioMix.defaults().malformed;

    @Override
    public Integer call() throws Exception {
        if (fast && out == null) {
            throw new IllegalArgumentException("--fast only works with --out: Kinesis needs real time");
        }
        if (end != null && !fast) {
            throw new IllegalArgumentException("--end only works with --fast: a paced run ends when it ends");
        }
        GeneratorConfig cfg = config();
        boolean toStdout = "-".equals(out);
        // With --out - the records own stdout: talk on stderr.
        PrintWriter console = toStdout ? spec.commandLine().getErr() : spec.commandLine().getOut();
        GeneratorClock clock = fast ? GeneratorClock.simulated((end != null ? end.toEpochMilli() : System.currentTimeMillis()) - span(cfg))
                : GeneratorClock.system();
        GroundTruth truth;
        try (RecordTarget target = target(clock)) {
            console.println("generate: " + (cfg.rules == null ? cfg.rule : cfg.rules.size() + " rules " + ruleIds(cfg)
                    + "; " + cfg.rule.settingsOnly()) + "; " + describe(cfg) + " -> " + target.describe());
            TransactionGenerator generator = new TransactionGenerator(cfg, target, clock);
            for (String w : generator.warnings()) {
                console.println("generate: warning: " + w);
            }
            console.flush();
            try (ProgressReporter ignored = fast ? null : new ProgressReporter(generator, target, System.err)) {
                truth = generator.run();
            }
        }
        if (truthFile != null) {
            GroundTruthFile.write(truth, truthFile);
        }
        GroundTruth.Totals t = truth.totals;
        if (cfg.rules != null) {
            printPerRule(truth, console);
        }
        console.printf("sent %d, retried %d, failed %d (valid %d incl. delayed %d and tail %d; late %d; malformed %d); ",
                t.stored, t.retried, t.failed, t.valid, t.delayed, t.tail, t.late, t.malformed);
        if (cfg.rules != null) { // the burst and threshold-window figures are the default rule's only
            console.printf("expected alerts %d for %d rules, near misses %d", t.expectedAlerts, cfg.rules.size(),
                    truth.nearMisses.size());
        } else {
            console.printf("expected alerts %d (%d over-threshold bursts), exact-threshold windows %d, just-under %d",
                    t.expectedAlerts, t.overBursts, t.exactWindows, t.underWindows);
        }
        console.printf("%s%n", truthFile == null ? "" : "; truth: " + truthFile);
        console.flush();
        return t.failed == 0 ? 0 : 1;
    }

    /**
     * How much event time a run covers. A simulated run ends now rather than starting now: its file is history, and
     * a backtest (or job) reading it at once does not find half of it ahead of the clock (CLOCK_SKEW).
     */
    static long span(GeneratorConfig c) {
        long main = c.durationMillis > 0 ? c.durationMillis : (long) Math.ceil(c.count * 1000.0 / c.rate);
        return main + c.tailMillis;
    }

    /** A prefix the detector accepts in an id (it is checked on an id that starts with it), of at most 64 chars. */
    private static String checkedPrefix(String prefix) {
        String problem = Identifiers.problem("--id-prefix", prefix + "ACC-0");
        if (problem != null || prefix.length() > 64) {
            throw new IllegalArgumentException(problem != null ? problem : "--id-prefix is longer than 64 characters");
        }
        return prefix;
    }

    /** Options of the default rule's traffic, which a rule set replaces with each rule's own scenarios. */
    private static final List<String> DEFAULT_RULE_ONLY = List.of("--threshold", "--window",
            "--over", "--under", "--exact");

    GeneratorConfig config() throws IOException {
        if (rulesFile != null) {
            for (String option : DEFAULT_RULE_ONLY) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new IllegalArgumentException(option + " shapes the default rule's traffic only; with "
                            + "--rules each rule's own parameters and scenarios decide (leave " + option + " out)");
                }
            }
        }
        RuleSettings rule = config != null ? DetectionConfigFile.read(config) : RuleSettings.defaults();
        if (threshold != null) {
            rule = rule.withThresholdCents(Money.toCents(threshold.stripTrailingZeros()));
        }
        if (window != null) {
            rule = rule.withWindow(window);
        }
        if (outOfOrderness != null) {
            rule = rule.withMaxOutOfOrderness(outOfOrderness);
        }
        if (allowedLateness != null) {
            rule = rule.withAllowedLateness(allowedLateness);
        }
        if (recordMaxBytes != null) {
            rule = rule.withRecordMaxBytes(recordMaxBytes);
        }
        GeneratorConfig.Builder b = GeneratorConfig.builder()
                .rule(rule)
                .rules(rulesFile == null ? null : RuleSetFile.read(rulesFile))
                .scenariosPerMinute(scenariosPerMinute)
                .mix(new ScenarioMix(over, under, exact, delayed, late, malformed))
                .accounts(accounts)
                .seed(seed)
                .idPrefix(checkedPrefix(idPrefix))
                .rate(rate)
                .count(count)
                .tailRate(tailRate);
        if (habits != null) {
            b.habits(habits);
        }
        if (duration != null) {
            b.duration(duration);
        }
        if (tail != null) {
            b.tail(tail);
        }
        return b.build();
    }

    private RecordTarget target(GeneratorClock clock) throws IOException {
        if (out != null) {
            if (out.equals("-")) {
                return new JsonLinesTarget(System.out, false, !fast, clock::millis, "stdout");
            }
            return new JsonLinesTarget(new FileOutputStream(out), true, !fast, clock::millis, out);
        }
        KinesisClient client = endpoint.client();
        try {
            // Fail in a second with a clear message, not after the writer's retries, when the stream is not there.
            client.describeStreamSummary(b -> b.streamName(stream));
        } catch (RuntimeException e) {
            client.close();
            throw new IllegalStateException("Stream " + stream + " is not reachable on " + endpoint.describe()
                    + " (is the emulator running? 'fraud-tools emulator'): " + e.getMessage(), e);
        }
        return new KinesisTarget(new RecordWriter(client, stream), client);
    }

    private static String ruleIds(GeneratorConfig c) {
        StringBuilder b = new StringBuilder("(");
        for (com.example.fraud.rules.Rule r : c.rules) {
            b.append(b.length() > 1 ? ", " : "").append(r.id()).append(" v").append(r.version());
        }
        return b.append(')').toString();
    }

    /** Expected alerts and scenarios per rule. */
    private static void printPerRule(GroundTruth truth, PrintWriter console) {
        java.util.Map<String, Integer> expected = new java.util.LinkedHashMap<>();
        for (GroundTruth.RuleInfo r : truth.rules) {
            expected.put(r.ruleId, 0);
        }
        for (GroundTruth.ExpectedAlert a : truth.expectedAlerts) {
            expected.merge(a.ruleId, 1, Integer::sum);
        }
        for (java.util.Map.Entry<String, Integer> e : expected.entrySet()) {
            StringBuilder kinds = new StringBuilder();
            for (GroundTruth.ScenarioCount c : truth.scenarios) {
                if (c.ruleId.equals(e.getKey())) {
                    kinds.append(kinds.length() > 0 ? ", " : "").append(c.scenario).append(' ').append(c.count);
                }
            }
            console.printf("rule %-28s expected alerts %6d; scenarios: %s%n", e.getKey(), e.getValue(),
                    kinds.length() == 0 ? "none" : kinds);
        }
    }

    private static String describe(GeneratorConfig c) {
        String length = c.count > 0 && c.durationMillis > 0
                ? c.count + " records or " + DurationText.format(Duration.ofMillis(c.durationMillis))
                : c.count > 0 ? c.count + " records" : DurationText.format(Duration.ofMillis(c.durationMillis));
        return c.accounts + " accounts, seed " + c.seed + ", " + c.rate + " rec/s for " + length + ", tail "
                + DurationText.format(Duration.ofMillis(c.tailMillis));
    }
}
