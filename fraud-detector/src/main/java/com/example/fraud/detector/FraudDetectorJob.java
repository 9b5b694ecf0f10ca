package com.example.fraud.detector;

import com.example.fraud.detector.config.ApplicationProperties;
import com.example.fraud.detector.config.FraudDetectorOptions;
import com.example.fraud.detector.config.JobConfig;
import com.example.fraud.detector.rules.RuleCommands;
import com.example.fraud.detector.sink.ConsoleLines;
import com.example.fraud.detector.sink.KinesisSinks;
import com.example.fraud.detector.source.KinesisTransactionSource;
import com.example.fraud.detector.source.ParsedRecord;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.api.common.time.Time;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kinesis transactions in, alerts and dead letters out. Runs unchanged on MSF (runtime properties), on a
 * Flink cluster ({@code --config FILE}) and locally ({@code IS_LOCAL=1} or the IDE: the JSON file, web UI,
 * checkpoints, and alerts printed to the console).
 */
public final class FraudDetectorJob {
    private static final Logger LOG = LoggerFactory.getLogger(FraudDetectorJob.class);


    private FraudDetectorJob() {}

    public static void main(String[] args) throws Exception {
        boolean local = "1".equals(System.getenv("IS_LOCAL"))
                || StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment;
        JobConfig config = JobConfig.fromPropertyGroups(ApplicationProperties.load(args, local));
        LOG.info("Detection: {}", config.detection);

        StreamExecutionEnvironment env = local ? localEnvironment(config) : StreamExecutionEnvironment.getExecutionEnvironment();

        define(env, config, local);
        env.execute("fraud-detector");
    }

    /** Kinesis source, detection graph and Kinesis sinks; with {@code console} also printed lines. */
    @SuppressWarnings("deprecation")
    public static void define(StreamExecutionEnvironment env, JobConfig config, boolean console) {
        env.setMaxParallelism(FraudDetectorOptions.MAX_PARALLELISM);
        env.setRestartStrategy(RESTART_STRATEGY);
        FraudDetectionPipeline.configure(env);
        DataStream<ParsedRecord> records = env.addSource(
                KinesisTransactionSource.create(config.input, config.initialPosition, config.detection),
                "Kinesis: " + config.input.streamName(), TypeInformation.of(ParsedRecord.class))
                .uid(FraudDetectionPipeline.SOURCE_UID);
        FraudDetectionPipeline.Outputs outputs = FraudDetectionPipeline.build(records, config.detection,
                config.detection.defaultRules(), RuleCommands.none(env));

        outputs.alerts.sinkTo(KinesisSinks.alerts(config.alerts, config.alertsMaxBufferTime))
                .name("Kinesis: " + config.alerts.streamName()).uid("alerts-sink");
        outputs.deadLetters.sinkTo(KinesisSinks.deadLetters(config.deadLetters, config.deadLettersMaxBufferTime))
                .name("Kinesis: " + config.deadLetters.streamName()).uid("dead-letters-sink");

        if (console) {
            outputs.alerts.map(ConsoleLines::alert).name("Format alerts").print().name("Console alerts").setParallelism(1);
            outputs.deadLetters.map(ConsoleLines::deadLetter).name("Format dead letters").print()
                    .name("Console dead letters").setParallelism(1);
        }
    }

    /**
     * Restart with exponential back-off, 1 s doubling to at most 1 min, without limit, reset after 10 min of
     * running, 10% jitter. No record can fail the job (decoding never throws), so restarts come from outside: a
     * lost TaskManager, an unreachable or missing stream. Those should heal without a person, but not be
     * hammered. Set through the ExecutionConfig API (deprecated in 1.19, but the one every 1.19 deployment,
     * MSF included, applies to the job as set) so it is the same on MSF, on a cluster and locally.
     */
    @SuppressWarnings("deprecation")
    static final RestartStrategies.RestartStrategyConfiguration RESTART_STRATEGY =
            RestartStrategies.exponentialDelayRestart(Time.seconds(1), Time.minutes(1), 2.0, Time.minutes(10), 0.1);

    private static StreamExecutionEnvironment localEnvironment(JobConfig config) {
        Configuration flink = new Configuration();
        // The web UI can cancel jobs and shows records: never reachable from other machines.
        flink.set(RestOptions.BIND_ADDRESS, "localhost");
        flink.set(RestOptions.ADDRESS, "localhost");
        flink.set(JobManagerOptions.BIND_HOST, "localhost");
        flink.set(TaskManagerOptions.BIND_HOST, "localhost");
        flink.set(RestOptions.BIND_PORT, config.localWebUiPort);
        StreamExecutionEnvironment env;
        try {
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
        } catch (RuntimeException | NoClassDefFoundError e) {
            LOG.warn("Flink web UI not available ({}); running without it", e.toString());
            env = StreamExecutionEnvironment.createLocalEnvironment(flink);
        }
        env.setParallelism(config.localParallelism);
        env.enableCheckpointing(config.localCheckpointInterval.toMillis());
        return env;
    }
}
