package com.example.fraud.tools.backtest;

import com.example.fraud.detector.FraudDetectionPipeline;
import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.config.FraudDetectorOptions;
import com.example.fraud.detector.rules.RuleCommands;
import com.example.fraud.detector.source.ParsedRecord;
import com.example.fraud.detector.source.TransactionWatermarks;
import com.example.fraud.model.Alert;
import com.example.fraud.model.AlertCodec;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.rules.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;
import org.apache.flink.util.CloseableIterator;

/**
 * The detector's own graph ({@link FraudDetectionPipeline}: parsing, per-split watermarks, duplicate and late
 * handling, rule evaluation) over files of JSON lines, in a local Flink inside this JVM. The sources are bounded, so
 * the job ends; their end-of-input watermark closes every open window, as if the stream had moved on. The job runs in
 * STREAMING mode (not BATCH), so event time, lateness and the alerts are the live job's.
 */
public final class Backtest {
    static final String RECORDS = "backtest-records";
    static final String INVALID = "backtest-invalid";
    static final String ALERTS = "backtest-alerts";
    static final String DEAD_LETTER_PREFIX = "backtest-dead-letters:";

    private Backtest() {}

    /** Receives each alert (shadow alerts included) as the job's alert codec writes it, in arrival order. */
    public interface AlertListener {
        void accept(Alert alert, byte[] json) throws IOException;
    }

    /**
     * Runs the rules over {@code input} (a file, or a directory whose files are all read; {@code .gz} and other
     * compressed files by their extension) and hands every alert to {@code listener}.
     */
    public static BacktestResult run(Path input, DetectionSettings settings, List<Rule> rules, int parallelism,
            AlertListener listener) throws Exception {
        if (!Files.exists(input)) {
            throw new IOException("Input not found: " + input.toAbsolutePath());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, local());
        env.setMaxParallelism(FraudDetectorOptions.MAX_PARALLELISM);
        // A restart would read the files again and repeat alerts: a failure must end the backtest instead.
        env.setRestartStrategy(RestartStrategies.noRestart());
        FraudDetectionPipeline.configure(env);

        FileSource<ParsedRecord> source = FileSource.forRecordStreamFormat(new JsonLinesFormat(settings),
                new org.apache.flink.core.fs.Path(input.toAbsolutePath().toUri())).build();
        // As FraudDetectionPipeline.build(env, source, ...), with a counter chained to the source.
        DataStream<ParsedRecord> records = env.fromSource(source, TransactionWatermarks.strategy(settings),
                        "Files: " + input.getFileName(), TypeInformation.of(ParsedRecord.class))
                .uid(FraudDetectionPipeline.SOURCE_UID)
                .map(new CountRecords(), TypeInformation.of(ParsedRecord.class))
                .name("Count records");
        FraudDetectionPipeline.Outputs outputs = FraudDetectionPipeline.build(records, settings, rules,
                RuleCommands.none(env));
        outputs.deadLetters.addSink(new CountDeadLetters()).name("Count dead letters");
        CloseableIterator<byte[]> alerts = outputs.alerts.union(outputs.shadowAlerts)
                .map(new EncodeAlerts(), PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .name("Encode alerts")
                .collectAsync();

        long start = System.nanoTime();
        JobClient job = env.executeAsync("backtest " + input.getFileName());
        BacktestResult.Builder result = new BacktestResult.Builder(rules);
        try (alerts) {
            while (alerts.hasNext()) {
                byte[] json = alerts.next();
                Alert alert = AlertCodec.decode(json);
                result.alert(alert);
                listener.accept(alert, json);
            }
        } catch (IOException | RuntimeException e) {
            // The collect client's error hides why: the job's own failure (a corrupt gzip file, ...) says it.
            Throwable failure = failureOf(job);
            if (failure != null) {
                throw new BacktestFailedException(failure);
            }
            try {
                job.cancel();
            } catch (RuntimeException alreadyGone) { // the local cluster shuts down with its job
                e.addSuppressed(alreadyGone);
            }
            throw e;
        }
        JobExecutionResult done;
        try {
            done = job.getJobExecutionResult().get();
        } catch (ExecutionException e) {
            throw new BacktestFailedException(e.getCause());
        }
        long emitted = count(done, ALERTS);
        if (result.alertsReceived() != emitted) {
            // The collect sink's client gives up quietly when the local cluster is gone: never report a partial run.
            throw new IllegalStateException("the job emitted " + emitted + " alerts, but " + result.alertsReceived()
                    + " reached the backtest");
        }
        long elapsedNanos = System.nanoTime() - start;
        Map<String, Long> deadLetters = new TreeMap<>();
        done.getAllAccumulatorResults().forEach((name, value) -> {
            if (name.startsWith(DEAD_LETTER_PREFIX)) {
                deadLetters.put(name.substring(DEAD_LETTER_PREFIX.length()), (Long) value);
            }
        });
        return result.build(count(done, RECORDS), count(done, INVALID), deadLetters, elapsedNanos / 1_000_000L,
                done.getNetRuntime());
    }

    /** Why the job failed, if it did within a few seconds; null if it did not. */
    private static Throwable failureOf(JobClient job) {
        try {
            job.getJobExecutionResult().get(10, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The backtest job failed: the message is its root cause, which names the problem (e.g. "Not in GZIP format"). */
    static final class BacktestFailedException extends IOException {
        private static final long serialVersionUID = 1L;

        BacktestFailedException(Throwable failure) {
            super("the backtest job failed: " + root(failure));
            addSuppressed(failure); // in the stack trace, not in the one-line error
        }

        private static String root(Throwable t) {
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root.getClass().getSimpleName() + (root.getMessage() != null ? ": " + root.getMessage() : "");
        }
    }

    private static long count(JobExecutionResult result, String name) {
        Long n = result.getAccumulatorResult(name);
        return n == null ? 0 : n;
    }

    /** A local cluster that no other machine can reach (its REST port is random). */
    private static Configuration local() {
        Configuration flink = new Configuration();
        flink.set(RestOptions.BIND_ADDRESS, "localhost");
        flink.set(RestOptions.ADDRESS, "localhost");
        flink.set(JobManagerOptions.BIND_HOST, "localhost");
        flink.set(TaskManagerOptions.BIND_HOST, "localhost");
        return flink;
    }

    /** Records read (one per line) and those the parser rejected, as accumulators: no per-record allocation. */
    static final class CountRecords extends RichMapFunction<ParsedRecord, ParsedRecord> {
        private static final long serialVersionUID = 1L;
        private transient LongCounter records;
        private transient LongCounter invalid;

        @Override
        public void open(Configuration parameters) {
            records = getRuntimeContext().getLongCounter(RECORDS);
            invalid = getRuntimeContext().getLongCounter(INVALID);
        }

        @Override
        public ParsedRecord map(ParsedRecord record) {
            records.add(1L);
            if (!record.isValid()) {
                invalid.add(1L);
            }
            return record;
        }
    }

    /** The alert stream's JSON, counted so that the client can tell it received every alert. */
    static final class EncodeAlerts extends RichMapFunction<Alert, byte[]> {
        private static final long serialVersionUID = 1L;
        private transient LongCounter alerts;

        @Override
        public void open(Configuration parameters) {
            alerts = getRuntimeContext().getLongCounter(ALERTS);
        }

        @Override
        public byte[] map(Alert alert) {
            alerts.add(1L);
            return AlertCodec.encode(alert);
        }
    }

    /** Dead letters by reason; a counter per reason seen, created on its first dead letter. */
    static final class CountDeadLetters extends RichSinkFunction<DeadLetter> {
        private static final long serialVersionUID = 1L;
        private transient Map<String, LongCounter> byReason;

        @Override
        public void open(Configuration parameters) {
            byReason = new HashMap<>();
        }

        @Override
        public void invoke(DeadLetter deadLetter, Context context) {
            LongCounter counter = byReason.get(deadLetter.reason);
            if (counter == null) {
                counter = getRuntimeContext().getLongCounter(DEAD_LETTER_PREFIX + deadLetter.reason);
                byReason.put(deadLetter.reason, counter);
            }
            counter.add(1L);
        }
    }
}
