package com.example.fraud.detector.config;

import com.example.fraud.rules.FiringMode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fraud.detector.config.FraudDetectorOptions.StartPosition;
import com.example.fraud.model.Grouping;
import com.example.fraud.model.RuleMode;
import com.example.fraud.model.RuleType;
import com.example.fraud.rules.DefaultRules;
import com.example.fraud.rules.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobConfigTest {
    private static final Path LOCAL_FILE = Paths.get("..", ApplicationProperties.DEFAULT_LOCAL_FILE);

    @TempDir
    Path tmp;

    /** The groups as MSF hands them over from the application's runtime properties. */
    private static Map<String, Properties> msfGroups() {
        Map<String, Properties> groups = new HashMap<>();
        groups.put("InputStream", props("stream.arn", "arn:aws:kinesis:eu-west-1:123456789012:stream/txns",
                "initial.position", "TRIM_HORIZON"));
        groups.put("AlertStream", props("stream.arn", "arn:aws:kinesis:eu-west-1:123456789012:stream/alerts"));
        groups.put("DeadLetterStream", props("stream.arn", "arn:aws:kinesis:eu-west-1:123456789012:stream/dlq",
                "max.buffer.time", "250 ms"));
        groups.put("RuleStream", props("stream.arn", "arn:aws:kinesis:eu-west-1:123456789012:stream/rules"));
        groups.put("RuleAckStream", props("stream.arn", "arn:aws:kinesis:eu-west-1:123456789012:stream/rule-acks"));
        groups.put("ShadowAlertStream",
                props("stream.arn", "arn:aws:kinesis:eu-west-1:123456789012:stream/shadow-alerts"));
        groups.put("Detection", props("threshold", "2500.50", "window.size", "2 min", "firing", "WINDOW_CLOSE"));
        return groups;
    }

    private static final String SUM_RULE = "{\"rule_id\":\"big-spender\",\"version\":3,\"type\":\"SUM_OVER_THRESHOLD\","
            + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT10M\"},\"threshold\":5000}";
    private static final String COUNT_RULE = "{\"rule_id\":\"velocity\",\"version\":1,"
            + "\"type\":\"COUNT_OVER_THRESHOLD\",\"group_by\":\"card_id\",\"mode\":\"SHADOW\",\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},"
            + "\"min_count\":5}";

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void theCommittedLocalFileReadsAsTheTypedOptions() {
        JobConfig c = JobConfig.fromPropertyGroups(ApplicationProperties.fromFile(LOCAL_FILE));

        assertThat(c.input.streamArn()).isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/fraud-transactions");
        assertThat(c.input.streamName()).isEqualTo("fraud-transactions");
        assertThat(c.input.clientProperties()).containsEntry("aws.region", "us-east-1")
                .containsEntry("aws.endpoint", "http://127.0.0.1:4568")
                .containsEntry("aws.credentials.provider", "BASIC");
        assertThat(c.initialPosition).isEqualTo(StartPosition.TRIM_HORIZON);
        assertThat(c.alerts.streamName()).isEqualTo("fraud-alerts");
        assertThat(c.alertsMaxBufferTime).isEqualTo(Duration.ofMillis(100));
        assertThat(c.deadLetters.streamName()).isEqualTo("fraud-dead-letters");
        assertThat(c.detection.thresholdCents()).isEqualTo(300_000);
        assertThat(c.detection.windowMillis()).isEqualTo(10_000);
        assertThat(c.detection.maxOutOfOrdernessMillis()).isEqualTo(5_000);
        assertThat(c.detection.firing()).isEqualTo(FiringMode.EARLY);
        assertThat(c.localParallelism).isEqualTo(1);
        assertThat(c.ruleCommands.streamName()).isEqualTo("fraud-rules");
        assertThat(c.ruleCommands.clientProperties()).containsEntry("aws.endpoint", "http://127.0.0.1:4568");
        assertThat(c.ruleAcks.streamName()).isEqualTo("fraud-rule-acks");
        assertThat(c.ruleAcksMaxBufferTime).isEqualTo(Duration.ofMillis(100));
        assertThat(c.shadowAlerts.streamName()).isEqualTo("fraud-shadow-alerts");
        assertThat(c.shadowAlertsMaxBufferTime).isEqualTo(Duration.ofMillis(100));
        assertThat(c.shadowAlertsMaxBuffered).isEqualTo(10_000);
        // No Rules group: the default rule, with the file's Detection settings.
        assertThat(c.rules).extracting(Rule::json).containsExactlyElementsOf(
                c.detection.defaultRules().stream().map(Rule::json).collect(Collectors.toList()));
    }

    // ---- The Rules group: the initial rule set.

    @Test
    void withoutRulesTheDefaultRuleOfTheDetectionSettingsApplies() {
        JobConfig c = JobConfig.fromPropertyGroups(msfGroups());
        assertThat(c.rules).hasSize(1);
        Rule only = c.rules.get(0);
        assertThat(only.id()).isEqualTo(DefaultRules.SUM_OVER_THRESHOLD);
        assertThat(only.json()).isEqualTo(DefaultRules.sumOverThreshold(250_050, 120_000, FiringMode.WINDOW_CLOSE)
                .json());
        // An empty or blank value is as good as none (the CloudFormation parameter's default is empty).
        Map<String, Properties> groups = msfGroups();
        groups.put("Rules", props("rules", "  "));
        assertThat(JobConfig.fromPropertyGroups(groups).rules).extracting(Rule::json).containsExactly(only.json());
    }

    @Test
    void rulesFromTheGroupReplaceTheDefaultRule() {
        Map<String, Properties> groups = msfGroups();
        groups.put("Rules", props("rules", "[" + SUM_RULE + ",\n  " + COUNT_RULE + "]"));

        JobConfig c = JobConfig.fromPropertyGroups(groups);

        assertThat(c.rules).extracting(Rule::id).containsExactly("big-spender", "velocity");
        assertThat(c.rules).extracting(Rule::version).containsExactly(3L, 1L);
        assertThat(c.rules.get(0).type()).isEqualTo(RuleType.SUM_OVER_THRESHOLD);
        assertThat(c.rules.get(1).grouping()).isEqualTo(Grouping.CARD_ID);
        assertThat(c.rules.get(1).mode()).isEqualTo(RuleMode.SHADOW);
    }

    @Test
    void rulesFromAFileReplaceTheDefaultRule() throws Exception {
        Path rules = tmp.resolve("rules.json");
        Files.writeString(rules, "[\n  " + COUNT_RULE + ",\n  " + SUM_RULE + "\n]\n");
        Map<String, Properties> groups = msfGroups();
        groups.put("Rules", props("file", rules.toString()));

        assertThat(JobConfig.fromPropertyGroups(groups).rules).extracting(Rule::id)
                .containsExactly("velocity", "big-spender");
    }

    @Test
    void rulesAndFileTogetherAreAnError() throws Exception {
        Path rules = tmp.resolve("rules.json");
        Files.writeString(rules, "[" + SUM_RULE + "]");
        Map<String, Properties> groups = msfGroups();
        groups.put("Rules", props("rules", "[" + COUNT_RULE + "]", "file", rules.toString()));

        assertThatThrownBy(() -> JobConfig.fromPropertyGroups(groups))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("property group 'Rules', property 'file': set either rules or file, not both");
    }

    @Test
    void anInvalidRuleStopsStartUpNamingTheGroupPropertyRuleAndField() {
        Map<String, Properties> groups = msfGroups();
        groups.put("Rules", props("rules", "[" + COUNT_RULE + "," + SUM_RULE.replace("5000", "-1") + "]"));

        assertThatThrownBy(() -> JobConfig.fromPropertyGroups(groups))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("property group 'Rules', property 'rules': rule 2 of 2: rule 'big-spender', "
                        + "field 'threshold'");
    }

    @Test
    void anInvalidRuleInAFileNamesTheFileRuleAndField() throws Exception {
        Path rules = tmp.resolve("rules.json");
        Files.writeString(rules, "[" + COUNT_RULE.replace("\"min_count\"", "\"min_cuont\"") + "]");
        Map<String, Properties> groups = msfGroups();
        groups.put("Rules", props("file", rules.toString()));

        assertThatThrownBy(() -> JobConfig.fromPropertyGroups(groups))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("property group 'Rules', property 'file': " + rules.toAbsolutePath())
                .hasMessageContaining("rule 1 of 1: rule 'velocity', field 'min_cuont'");
    }

    @Test
    void duplicateRuleIdsAreAnError() {
        Map<String, Properties> groups = msfGroups();
        groups.put("Rules", props("rules", "[" + SUM_RULE + "," + COUNT_RULE.replace("velocity", "big-spender")
                + "]"));

        assertThatThrownBy(() -> JobConfig.fromPropertyGroups(groups))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("property group 'Rules', property 'rules': rule 2 of 2: rule 'big-spender' "
                        + "appears twice");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{}                          | must be a JSON array of rule documents",
        "[]                          | an empty array",
        "[{\"rule_id\":\"x\"}         | not JSON",
        "[1]                         | rule 1 of 1: rule: a rule must be a JSON object",
        "[{\"rule_id\":\"gone\",\"version\":2,\"delete\":true}] | rule 1 of 1: rule 'gone', field 'delete'",
    })
    void rulesThatAreNotAnArrayOfRuleDocumentsAreAnError(String value, String message) {
        Map<String, Properties> groups = msfGroups();
        groups.put("Rules", props("rules", value));
        assertThatThrownBy(() -> JobConfig.fromPropertyGroups(groups))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("property group 'Rules', property 'rules': ")
                .hasMessageContaining(message);
    }

    @Test
    void aMissingRulesFileIsNamed() {
        Map<String, Properties> groups = msfGroups();
        groups.put("Rules", props("file", tmp.resolve("nope.json").toString()));
        assertThatThrownBy(() -> JobConfig.fromPropertyGroups(groups))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("property group 'Rules', property 'file': cannot read")
                .hasMessageContaining("nope.json");
    }

    @Test
    void theRuleStreamsAreRequired() {
        for (String group : new String[] {"RuleStream", "RuleAckStream", "ShadowAlertStream"}) {
            Map<String, Properties> groups = msfGroups();
            groups.remove(group);
            assertThatThrownBy(() -> JobConfig.fromPropertyGroups(groups))
                    .hasMessageContaining("property group '" + group + "', property 'stream.arn': required but "
                            + "not set");
        }
    }

    @Test
    void theRuleStreamHasNoStartPosition() {
        Map<String, Properties> groups = msfGroups();
        groups.get("RuleStream").setProperty("initial.position", "LATEST");
        assertThatThrownBy(() -> JobConfig.fromPropertyGroups(groups))
                .hasMessageContaining("property group 'RuleStream', property 'initial.position': unknown property");
    }

    @Test
    void aFileAndMsfRuntimePropertiesWithTheSameGroupsGiveTheSameOptions() throws Exception {
        Path file = tmp.resolve("props.json");
        Files.writeString(file, "[{\"PropertyGroupId\":\"InputStream\",\"PropertyMap\":{"
                + "\"stream.arn\":\"arn:aws:kinesis:eu-west-1:123456789012:stream/txns\",\"initial.position\":\"TRIM_HORIZON\"}},"
                + "{\"PropertyGroupId\":\"AlertStream\",\"PropertyMap\":{"
                + "\"stream.arn\":\"arn:aws:kinesis:eu-west-1:123456789012:stream/alerts\"}},"
                + "{\"PropertyGroupId\":\"DeadLetterStream\",\"PropertyMap\":{"
                + "\"stream.arn\":\"arn:aws:kinesis:eu-west-1:123456789012:stream/dlq\",\"max.buffer.time\":\"250 ms\"}},"
                + "{\"PropertyGroupId\":\"RuleStream\",\"PropertyMap\":{"
                + "\"stream.arn\":\"arn:aws:kinesis:eu-west-1:123456789012:stream/rules\"}},"
                + "{\"PropertyGroupId\":\"RuleAckStream\",\"PropertyMap\":{"
                + "\"stream.arn\":\"arn:aws:kinesis:eu-west-1:123456789012:stream/rule-acks\"}},"
                + "{\"PropertyGroupId\":\"ShadowAlertStream\",\"PropertyMap\":{"
                + "\"stream.arn\":\"arn:aws:kinesis:eu-west-1:123456789012:stream/shadow-alerts\"}},"
                + "{\"PropertyGroupId\":\"Detection\",\"PropertyMap\":{"
                + "\"threshold\":\"2500.50\",\"window.size\":\"2 min\",\"firing\":\"WINDOW_CLOSE\"}}]");

        JobConfig fromFile = JobConfig.fromPropertyGroups(ApplicationProperties.fromFile(file));
        JobConfig fromMsf = JobConfig.fromPropertyGroups(msfGroups());

        for (JobConfig c : new JobConfig[] {fromFile, fromMsf}) {
            assertThat(c.input.streamArn()).isEqualTo("arn:aws:kinesis:eu-west-1:123456789012:stream/txns");
            assertThat(c.input.clientProperties()).containsOnly(Map.entry("aws.region", "eu-west-1"));
            assertThat(c.initialPosition).isEqualTo(StartPosition.TRIM_HORIZON);
            assertThat(c.alertsMaxBufferTime).isEqualTo(Duration.ofMillis(100));
            assertThat(c.deadLettersMaxBufferTime).isEqualTo(Duration.ofMillis(250));
            assertThat(c.detection.toString()).isEqualTo(
                    "threshold=2500.50, window=PT2M, outOfOrderness=PT5S, maxClockSkew=PT30S, idleTimeout=PT30S, "
                            + "allowedLateness=PT1M, "
                            + "firing=WINDOW_CLOSE");
        }
    }

    @Test
    void detectionDefaultsAreTheDocumentedOnes() {
        DetectionSettings d = DetectionSettings.defaults();
        assertThat(d.thresholdCents()).isEqualTo(300_000);
        assertThat(d.windowMillis()).isEqualTo(60_000);
        assertThat(d.maxOutOfOrdernessMillis()).isEqualTo(5_000);
        assertThat(d.idleTimeoutMillis()).isEqualTo(30_000);
        assertThat(d.allowedLatenessMillis()).isEqualTo(60_000);
        assertThat(d.firing()).isEqualTo(FiringMode.EARLY);
        assertThat(d.maxTxnIds()).isEqualTo(100);
        assertThat(d.maxRecordBytes()).isEqualTo(65_536);
        assertThat(d.maxClockSkewMillis()).isEqualTo(30_000);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "InputStream | stream.arn | ''                 | property group 'InputStream', property 'stream.arn': required but not set",
        "InputStream | stream.arn | fraud-transactions | property group 'InputStream', property 'stream.arn': not a Kinesis stream ARN",
        "InputStream | initial.position | EARLIEST    | property group 'InputStream', property 'initial.position': cannot parse 'EARLIEST'",
        "InputStream | aws.endpoint | localhost:4568  | property group 'InputStream', property 'aws.endpoint': must be an http:// or https:// URL",
        "InputStream | stream.name | x                | property group 'InputStream', property 'stream.name': unknown property",
        "AlertStream | max.buffer.time | 0 ms         | property group 'AlertStream', property 'max.buffer.time': must be between 1 ms .. 1 min, got 0 s",
        "AlertStream | max.buffer.time | 2 min        | property group 'AlertStream', property 'max.buffer.time': must be between 1 ms .. 1 min, got 2 min",
        "DeadLetterStream | payload | SOME         | property group 'DeadLetterStream', property 'payload': cannot parse 'SOME'",
        "DeadLetterStream | payload.max.bytes | 2000000 | property group 'DeadLetterStream', property 'payload.max.bytes': must be between 0 .. 1,048,576",
        "Detection | window.size | 0 s                | property group 'Detection', property 'window.size': must be between 1 s .. 1 d, got 0 s",
        "Detection | window.size | 1 ms               | property group 'Detection', property 'window.size': must be between 1 s .. 1 d, got 1 ms",
        "Detection | watermark.idle.timeout | 0 ms    | property group 'Detection', property 'watermark.idle.timeout': must be between 1 s .. 1 d",
        "Detection | watermark.max.out.of.orderness | 2 h | property group 'Detection', property 'watermark.max.out.of.orderness': must be between 0 s .. 1 h",
        "Detection | max.clock.skew | 2 min           | property group 'Detection', property 'max.clock.skew': must not exceed allowed.lateness (1 min)",
        "Detection | record.max.bytes | 1048577       | property group 'Detection', property 'record.max.bytes': must be between 64 .. 1,048,576, got 1,048,577",
        "Detection | record.max.bytes | 0             | property group 'Detection', property 'record.max.bytes': must be between 64 .. 1,048,576",
        "Detection | threshold | 100000000000000     | property group 'Detection', property 'threshold': must be at most",
        "Local | parallelism | 129                    | property group 'Local', property 'parallelism': must be between 1 .. 128",
        "Detection | window.size | -5 s               | property group 'Detection', property 'window.size': cannot parse '-5 s'",
        "Detection | window.size | soon               | property group 'Detection', property 'window.size': cannot parse 'soon'",
        "Detection | threshold | 3000.001             | property group 'Detection', property 'threshold': must be a decimal amount with at most two places",
        "Detection | threshold | -1                   | property group 'Detection', property 'threshold': must not be negative",
        "Detection | firing | SOMETIMES               | property group 'Detection', property 'firing': cannot parse 'SOMETIMES'",
        "Detection | alert.max.txn.ids | 0            | property group 'Detection', property 'alert.max.txn.ids': must be between 1 .. 1,000, got 0",
        "Detection | alert.max.txn.ids | 5000         | property group 'Detection', property 'alert.max.txn.ids': must be between 1 .. 1,000",
        "Detection | windowsize | 60 s                | property group 'Detection', property 'windowsize': unknown property",
        "Detection | state.cache.max.events | 999    | property group 'Detection', property 'state.cache.max.events': must be 0 (off) or at least 1000",
        "Detection | state.cache.max.events | -1     | property group 'Detection', property 'state.cache.max.events': must be between 0 .. 100,000,000",
    })
    void badValuesStopStartUpWithTheirName(String group, String key, String value, String message) {
        Map<String, Properties> groups = msfGroups();
        groups.computeIfAbsent(group, g -> new Properties()).setProperty(key, value);
        assertThatThrownBy(() -> JobConfig.fromPropertyGroups(groups))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }

    @Test
    void everyNumericOrDurationOptionHasBounds() {
        for (PropertyGroup group : FraudDetectorOptions.GROUPS) {
            for (org.apache.flink.configuration.ConfigOption<?> option : group.options()) {
                Object example = option.hasDefaultValue() ? option.defaultValue() : null;
                if (example instanceof java.time.Duration || example instanceof Integer) {
                    assertThat(FraudDetectorOptions.bounds(option)).as(group.id() + " " + option.key()).isPresent();
                }
            }
        }
    }

    @Test
    void aStartWithoutSnapshotReadsEverythingRetainedByDefault() {
        Map<String, Properties> groups = msfGroups();
        groups.get("InputStream").remove("initial.position");
        assertThat(JobConfig.fromPropertyGroups(groups).initialPosition).isEqualTo(StartPosition.TRIM_HORIZON);
    }

    @Test
    void theDeadLetterPayloadPolicyIsRead() {
        Map<String, Properties> groups = msfGroups();
        groups.computeIfAbsent("DeadLetterStream", g -> new Properties()).setProperty("payload", "TRUNCATED");
        groups.get("DeadLetterStream").setProperty("payload.max.bytes", "200");
        DetectionSettings d = JobConfig.fromPropertyGroups(groups).detection;
        assertThat(d.deadLetterPayload().mode()).isEqualTo(com.example.fraud.model.DeadLetterPayload.Mode.TRUNCATED);
        assertThat(d.deadLetterPayload().maxBytes()).isEqualTo(200);
        assertThat(DetectionSettings.defaults().deadLetterPayload().mode())
                .isEqualTo(com.example.fraud.model.DeadLetterPayload.Mode.FULL);
    }

    @Test
    void aMissingGroupNamesTheRequiredProperty() {
        Map<String, Properties> groups = msfGroups();
        groups.remove("AlertStream");
        assertThatThrownBy(() -> JobConfig.fromPropertyGroups(groups))
                .hasMessageContaining("property group 'AlertStream', property 'stream.arn': required but not set");
    }

    @Test
    void anUnknownGroupIsRejected() {
        Map<String, Properties> groups = msfGroups();
        groups.put("OutputStream0", props("stream.arn", "x"));
        assertThatThrownBy(() -> JobConfig.fromPropertyGroups(groups))
                .hasMessageContaining("unknown property group 'OutputStream0'")
                .hasMessageContaining("InputStream, AlertStream, DeadLetterStream, RuleStream, RuleAckStream, "
                        + "ShadowAlertStream, Rules, Detection, Local");
    }

    @Test
    void aMissingFileIsAnErrorNotAnEmptyConfig() {
        assertThatThrownBy(() -> ApplicationProperties.fromFile(tmp.resolve("nope.json")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Config file not found")
                .hasMessageContaining("nope.json");
    }

    @Test
    void aMalformedFileNamesTheFile() throws Exception {
        Path file = tmp.resolve("broken.json");
        Files.writeString(file, "[{\"PropertyGroupId\": \"InputStream\", \"PropertyMap\": {");
        assertThatThrownBy(() -> ApplicationProperties.fromFile(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("broken.json")
                .hasMessageContaining("is not valid application properties JSON");
    }

    @Test
    void theConfigFlagWinsOverLocalDefaults() throws Exception {
        Path file = tmp.resolve("other.json");
        Files.writeString(file, "[{\"PropertyGroupId\":\"Detection\",\"PropertyMap\":{\"threshold\":\"10\"}}]");
        Map<String, Properties> groups = ApplicationProperties.load(new String[] {"--config", file.toString()}, true);
        assertThat(groups.get("Detection").getProperty("threshold")).isEqualTo("10");
    }
}
