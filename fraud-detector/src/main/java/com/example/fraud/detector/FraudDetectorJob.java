package com.example.fraud.detector;

import com.example.fraud.detector.config.ApplicationProperties;
import com.example.fraud.detector.config.JobConfig;
import com.example.fraud.detector.sink.ConsoleLines;
import com.example.fraud.detector.sink.KinesisSinks;
import com.example.fraud.detector.source.KinesisTransactionSource;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
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
    public static void define(StreamExecutionEnvironment env, JobConfig config, boolean console) {
        FraudDetectionPipeline.Outputs outputs = FraudDetectionPipeline.build(env,
                KinesisTransactionSource.create(config.input, config.initialPosition, config.detection),
                "Kinesis: " + config.input.streamName(), config.detection);

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

    private static StreamExecutionEnvironment localEnvironment(JobConfig config) {
        Configuration flink = new Configuration();
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
