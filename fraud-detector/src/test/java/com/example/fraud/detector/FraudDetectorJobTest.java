package com.example.fraud.detector;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.config.ApplicationProperties;
import com.example.fraud.detector.config.FraudDetectorOptions;
import com.example.fraud.detector.config.JobConfig;
import java.nio.file.Paths;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** What the job sets explicitly, so that it is the same on MSF, a cluster and a laptop. */
class FraudDetectorJobTest {
    @Test
    void setsMaxParallelismAndAnExponentialDelayRestartStrategy() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        FraudDetectorJob.define(env, JobConfig.fromPropertyGroups(
                ApplicationProperties.fromFile(Paths.get("..", ApplicationProperties.DEFAULT_LOCAL_FILE))), false);

        assertThat(env.getMaxParallelism()).isEqualTo(FraudDetectorOptions.MAX_PARALLELISM).isEqualTo(128);
        assertThat(env.getConfig().getRestartStrategy())
                .isInstanceOf(RestartStrategies.ExponentialDelayRestartStrategyConfiguration.class);
        RestartStrategies.ExponentialDelayRestartStrategyConfiguration restart =
                (RestartStrategies.ExponentialDelayRestartStrategyConfiguration) env.getConfig().getRestartStrategy();
        assertThat(restart.getInitialBackoff().toMilliseconds()).isEqualTo(1_000);
        assertThat(restart.getMaxBackoff().toMilliseconds()).isEqualTo(60_000);
        assertThat(restart.getBackoffMultiplier()).isEqualTo(2.0);
    }
}
