package com.example.fraud.detector;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.config.ApplicationProperties;
import com.example.fraud.detector.config.FraudDetectorOptions;
import com.example.fraud.detector.config.JobConfig;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
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

    /**
     * Both Kinesis sources (transactions, rule changes) and the four Kinesis sinks (alerts, shadow alerts, rule acks,
     * dead letters) are in the graph with stable uids and "Kinesis: stream" names, the control stream is read by one
     * subtask, and no edge falls back to Kryo (generic types are disabled, so building the graph would fail).
     */
    @Test
    void theGraphReadsTheRuleStreamAndWritesAcksAndShadowAlerts() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        FraudDetectorJob.define(env, JobConfig.fromPropertyGroups(
                ApplicationProperties.fromFile(Paths.get("..", ApplicationProperties.DEFAULT_LOCAL_FILE))), true);

        StreamGraph graph = env.getStreamGraph(false);
        Map<String, StreamNode> byUid = graph.getStreamNodes().stream()
                .filter(n -> n.getTransformationUID() != null)
                .collect(Collectors.toMap(StreamNode::getTransformationUID, Function.identity()));

        assertThat(byUid).containsKeys(FraudDetectionPipeline.SOURCE_UID, "rule-commands-source", "alerts-sink",
                "shadow-alerts-sink", "rule-acks-sink", "dead-letters-sink");
        StreamNode rules = byUid.get(FraudDetectorJob.RULE_COMMANDS_SOURCE_UID);
        assertThat(rules.getOperatorName()).isEqualTo("Source: Kinesis: fraud-rules");
        assertThat(rules.getParallelism()).isEqualTo(1);
        assertThat(graph.getSourceIDs()).hasSize(2).contains(rules.getId(),
                byUid.get(FraudDetectionPipeline.SOURCE_UID).getId());
        assertThat(byUid.get("shadow-alerts-sink").getOperatorName()).contains("Kinesis: fraud-shadow-alerts");
        assertThat(byUid.get("rule-acks-sink").getOperatorName()).contains("Kinesis: fraud-rule-acks");
        assertThat(graph.getStreamNodes()).extracting(StreamNode::getOperatorName)
                .contains("Sink: Console rule acks", "Sink: Console shadow alerts");

        int serializers = 0;
        for (StreamNode node : graph.getStreamNodes()) {
            List<TypeSerializer<?>> all = new ArrayList<>(Arrays.asList(node.getTypeSerializersIn()));
            all.add(node.getTypeSerializerOut()); // null for a sink
            for (TypeSerializer<?> serializer : all) {
                if (serializer != null) {
                    serializers++;
                    assertThat(serializer).as("a serializer of %s", node.getOperatorName())
                            .isNotInstanceOf(KryoSerializer.class);
                }
            }
        }
        assertThat(serializers).isGreaterThan(graph.getStreamNodes().size());
    }

    /** The watermark hold sees the records of its subtask's shards only if it runs in the consumer's task. */
    @Test
    void theWatermarkHoldIsChainedToTheTransactionSource() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        FraudDetectorJob.define(env, JobConfig.fromPropertyGroups(
                ApplicationProperties.fromFile(Paths.get("..", ApplicationProperties.DEFAULT_LOCAL_FILE))), true);

        assertThat(env.getStreamGraph(false).getJobGraph().getVertices())
                .extracting(JobVertex::getName)
                .anySatisfy(name -> assertThat(name).startsWith("Source: Kinesis: ")
                        .contains(" -> Hold watermark until shards resume -> Route invalid records"));
    }
}
