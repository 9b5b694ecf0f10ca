package com.example.fraud.detector;

import com.example.fraud.detector.config.ApplicationProperties;
import com.example.fraud.detector.config.FraudDetectorOptions;
import com.example.fraud.detector.config.FraudDetectorOptions.StartPosition;
import com.example.fraud.detector.config.JobConfig;
import com.example.fraud.detector.config.StreamSettings;
import com.example.fraud.detector.sink.ConsoleLines;
import com.example.fraud.detector.sink.KinesisSinks;
import com.example.fraud.detector.source.HoldWatermarkUntilShardsResume;
import com.example.fraud.detector.source.KinesisTransactionSource;
import com.example.fraud.detector.source.ParsedRecord;
import com.example.fraud.detector.source.RawRecordDeserializer;
import java.util.Properties;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.api.common.time.Time;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.connectors.kinesis.FlinkKinesisConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kinesis transactions and rule changes in; alerts, shadow alerts, rule acknowledgements and dead letters out.
 * Runs unchanged on MSF (runtime properties), on a Flink cluster ({@code --config FILE}) and locally
 * ({@code IS_LOCAL=1} or the IDE: the JSON file, web UI, checkpoints, and alerts printed to the console).
 */
public final class FraudDetectorJob {
    private static final Logger LOG = LoggerFactory.getLogger(FraudDetectorJob.class);


    private FraudDetectorJob() {}

    public static void main(String[] args) throws Exception {
        boolean local = "1".equals(System.getenv("IS_LOCAL"))
                || StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment;
        JobConfig config = JobConfig.fromPropertyGroups(ApplicationProperties.load(args, local));
        LOG.info("Detection: {}", config.detection);
        LOG.info("Initial rules: {}", config.rules);

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
                .uid(FraudDetectionPipeline.SOURCE_UID)
                .transform("Hold watermark until shards resume", TypeInformation.of(ParsedRecord.class),
                        new HoldWatermarkUntilShardsResume(config.detection.idleTimeoutMillis()))
                .uid("hold-watermark-until-shards-resume");
        // Rule changes are rare and must reach every instance in one order: one reader of the one-shard stream.
        DataStream<byte[]> ruleCommands = env.addSource(ruleCommandSource(config.ruleCommands),
                "Kinesis: " + config.ruleCommands.streamName(), PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .setParallelism(1)
                .uid(RULE_COMMANDS_SOURCE_UID);
        FraudDetectionPipeline.Outputs outputs = FraudDetectionPipeline.build(records, config.detection,
                config.rules, ruleCommands);

        outputs.alerts.sinkTo(KinesisSinks.alerts(config.alerts, config.alertsMaxBufferTime))
                .name("Kinesis: " + config.alerts.streamName()).uid("alerts-sink");
        outputs.shadowAlerts.sinkTo(KinesisSinks.shadowAlerts(config.shadowAlerts, config.shadowAlertsMaxBufferTime,
                        config.shadowAlertsMaxBuffered))
                .name("Kinesis: " + config.shadowAlerts.streamName()).uid("shadow-alerts-sink");
        outputs.ruleAcks.sinkTo(KinesisSinks.ruleAcks(config.ruleAcks, config.ruleAcksMaxBufferTime))
                .name("Kinesis: " + config.ruleAcks.streamName()).uid("rule-acks-sink");
        outputs.deadLetters.sinkTo(KinesisSinks.deadLetters(config.deadLetters, config.deadLettersMaxBufferTime))
                .name("Kinesis: " + config.deadLetters.streamName()).uid("dead-letters-sink");

        if (console) {
            outputs.alerts.map(ConsoleLines::alert).name("Format alerts").print().name("Console alerts").setParallelism(1);
            outputs.shadowAlerts.map(ConsoleLines::alert).name("Format shadow alerts").print()
                    .name("Console shadow alerts").setParallelism(1);
            outputs.ruleAcks.map(ConsoleLines::ack).name("Format rule acks").print()
                    .name("Console rule acks").setParallelism(1);
            outputs.deadLetters.map(ConsoleLines::deadLetter).name("Format dead letters").print()
                    .name("Console dead letters").setParallelism(1);
        }
    }

    /** The uid of the rules control-stream source (its shard positions are in checkpoints under this uid). */
    public static final String RULE_COMMANDS_SOURCE_UID = "rule-commands-source";

    /**
     * The control stream's records as raw bytes, always from TRIM_HORIZON without a checkpoint: every retained rule
     * change is applied again, and versions make that safe (an older version never replaces a newer one).
     */
    static FlinkKinesisConsumer<byte[]> ruleCommandSource(StreamSettings stream) {
        Properties config = stream.clientProperties();
        config.setProperty("flink.stream.initpos", StartPosition.TRIM_HORIZON.name());
        return new FlinkKinesisConsumer<>(stream.streamName(), new RawRecordDeserializer(), config);
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
