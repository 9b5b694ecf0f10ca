package com.example.fraud.detector.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.example.fraud.detector.config.ApplicationProperties;
import com.example.fraud.detector.config.FraudDetectorOptions;
import com.example.fraud.detector.config.PropertyGroup;
import com.example.fraud.detector.sink.MonitoredSink;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Keeps deploy/cloudformation/fraud-detector.yaml in line with the job: the MSF property groups and keys equal
 * FraudDetectorOptions.GROUPS (minus the local-only group) and the local config file, parameter defaults equal the
 * options' defaults, the service role is least-privilege on Kinesis and KMS, every stream is encrypted at rest,
 * retention is bounded, and the runtime, snapshots and checkpoints are as MSF needs them. Every check is also run
 * against a deliberately broken copy of the template, so none of them can pass vacuously.
 */
class CloudFormationTemplateTest {
    private static final String TEMPLATE = "deploy/cloudformation/fraud-detector.yaml";
    private static final String LOCAL_GROUP = "Local";
    /** Stream-group options the template leaves out on purpose; both have no default, so unset means the same. */
    private static final Map<String, String> NOT_SET_ON_AWS = Map.of(
            FraudDetectorOptions.AWS_REGION.key(), "the job takes the region from stream.arn",
            FraudDetectorOptions.AWS_ENDPOINT.key(), "the regional AWS endpoint is the default",
            FraudDetectorOptions.RULES_FILE.key(), "a file on the MSF machine cannot be given; Rules.rules can");
    /** The optional group of initial rules: in the template only when InitialRules is set, not in the local file. */
    private static final String RULES_GROUP = "Rules";
    private static final String INITIAL_RULES_PARAMETER = "InitialRules";
    private static final String HAS_INITIAL_RULES_CONDITION = "HasInitialRules";
    private static final String APPLICATION_TYPE = "AWS::KinesisAnalyticsV2::Application";
    private static final String STREAM_TYPE = "AWS::Kinesis::Stream";
    private static final String ALARM_TYPE = "AWS::CloudWatch::Alarm";
    private static final Object NOTIFY_TOPIC = Map.of("Fn::If",
            List.of("HasAlarmTopic", List.of(Map.of("Ref", "AlarmTopicArn")), List.of()));
    private static final Set<String> INPUT_GROUPS = Set.of("InputStream", "RuleStream");
    private static final Set<String> OUTPUT_GROUPS = Set.of("AlertStream", "DeadLetterStream", "RuleAckStream",
            "ShadowAlertStream");
    /** Everything a consumer of an input stream (transactions, rule changes) may be granted (lower case). */
    private static final Set<String> READ_ACTIONS = lower("kinesis:GetRecords", "kinesis:GetShardIterator",
            "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:ListShards",
            "kinesis:SubscribeToShard", "kinesis:DescribeStreamConsumer");
    /** Everything a producer to the alert and dead-letter streams may be granted (lower case). */
    private static final Set<String> WRITE_ACTIONS = lower("kinesis:PutRecord", "kinesis:PutRecords",
            "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:ListShards");
    /** Reading records: never on an output stream. */
    private static final Set<String> CONSUME_ACTIONS = lower("kinesis:GetRecords", "kinesis:GetShardIterator",
            "kinesis:SubscribeToShard");
    private static final Set<String> IAM_POLICY_TYPES = Set.of("AWS::IAM::Role", "AWS::IAM::Policy",
            "AWS::IAM::ManagedPolicy");
    private static final String KMS_KEY_PARAMETER = "KmsKeyArn";
    private static final String CUSTOMER_KEY_CONDITION = "UseCustomerKey";
    private static final String AWS_MANAGED_KEY = "alias/aws/kinesis";
    /** Kinesis passes the stream ARN to KMS as this encryption context key. */
    private static final String STREAM_CONTEXT_KEY = "kms:EncryptionContext:aws:kinesis:arn";
    private static final String KMS_DECRYPT = "kms:decrypt";
    private static final String KMS_GENERATE_DATA_KEY = "kms:generatedatakey";
    private static final Map<String, Object> NO_VALUE = Map.of("Ref", "AWS::NoValue");

    // ---- The real template passes every check.

    @Test
    void propertyGroupsAndKeysEqualTheJobsOptions() {
        checkPropertyGroupsMatchOptions(template());
    }

    @Test
    void propertyGroupsAndKeysEqualTheLocalConfigFile() {
        checkPropertyGroupsMatchLocalConfig(template());
    }

    @Test
    void parameterDefaultsEqualTheOptionDefaults() {
        checkParameterDefaults(template());
    }

    @Test
    void streamArnsAreTheStacksOwnStreams() {
        checkStreamArns(template());
    }

    @Test
    void serviceRoleIsLeastPrivilegeOnKinesis() {
        checkKinesisPermissions(template());
    }

    @Test
    void runtimeSnapshotsCheckpointsAndParallelism() {
        checkApplicationConfiguration(template());
    }

    @Test
    void logsGoToTheStacksLogStream() {
        checkLogging(template());
    }

    @Test
    void everyStreamIsEncryptedWithKms() {
        checkStreamEncryption(template());
    }

    @Test
    void serviceRoleIsLeastPrivilegeOnKms() {
        checkKmsPermissions(template());
    }

    @Test
    void streamsAndLogsHaveABoundedRetention() {
        checkRetention(template());
    }

    @Test
    void initialRulesArePassedOnlyWhenGivenAndFitAnMsfPropertyValue() {
        checkInitialRules(template());
    }

    @Test
    void ruleStreamsHaveOneShardAndAreInTheOutputs() {
        checkRuleStreams(template());
    }

    @Test
    void alarmsWatchTheApplicationTheInputAndTheSinks() {
        checkAlarms(template());
    }

    // ---- Each check fails on a broken template.

    @Test
    void detectsAMissingOrMisdirectedAlarm() {
        assertBreaks(t -> map(t.get("Resources")).remove("ApplicationDowntimeAlarm"),
                CloudFormationTemplateTest::checkAlarms, "downtime");
        assertBreaks(t -> dimension(resourceProperties(t, "InputReadLagAlarm")).put("Value",
                        Map.of("Ref", "AlertStream")),
                CloudFormationTemplateTest::checkAlarms, "read lag of the input stream");
        assertBreaks(t -> resourceProperties(t, "InputReadLagAlarm").put("TreatMissingData", "notBreaching"),
                CloudFormationTemplateTest::checkAlarms, "read lag of the input stream");
        assertBreaks(t -> map(list(resourceProperties(t, "SinkFailingAlarm").get("Metrics")).get(0)).put("Expression",
                        Map.of("Fn::Sub", "SELECT MAX(sinkFailedEntries) FROM \"AWS/KinesisAnalytics\" WHERE "
                                + "Application = '${Application}'")),
                CloudFormationTemplateTest::checkAlarms, MonitoredSink.FAILING);
        assertBreaks(t -> resourceProperties(t, "SinkFailingAlarm").put("AlarmActions", List.of()),
                CloudFormationTemplateTest::checkAlarms, "SinkFailingAlarm.AlarmActions");
        assertBreaks(t -> map(t.get("Resources")).remove("FailedCheckpointsAlarm"),
                CloudFormationTemplateTest::checkAlarms, "numberOfFailedCheckpoints");
        assertBreaks(t -> resourceProperties(t, "SinkFailingAlarm").put("Threshold", 1),
                CloudFormationTemplateTest::checkAlarms, "sink alarm threshold");
        assertBreaks(t -> resourceProperties(t, "InputReadLagAlarm").put("ComparisonOperator", "LessThanThreshold"),
                CloudFormationTemplateTest::checkAlarms, "InputReadLagAlarm.ComparisonOperator");
        assertBreaks(t -> parameter(t, "MetricsLevel").put("Default", "APPLICATION"),
                CloudFormationTemplateTest::checkAlarms, "MetricsLevel default");
        assertBreaks(t -> map(map(t.get("Resources")).get("SinkFailingAlarm")).put("Condition", "CreateApplication"),
                CloudFormationTemplateTest::checkAlarms, "condition CreateApplication");
    }

    @Test
    void detectsTheLocalGroup() {
        assertBreaks(t -> rawPropertyGroups(t).add(group(LOCAL_GROUP, Map.of("parallelism", "1"))),
                CloudFormationTemplateTest::checkPropertyGroupsMatchOptions, "Local");
        assertBreaks(t -> rawPropertyGroups(t).add(group(LOCAL_GROUP, Map.of("parallelism", "1"))),
                CloudFormationTemplateTest::checkPropertyGroupsMatchLocalConfig, "property groups");
    }

    @Test
    void detectsAMissingGroup() {
        for (String id : List.of("DeadLetterStream", "RuleStream", "RuleAckStream", "ShadowAlertStream")) {
            assertBreaks(t -> rawPropertyGroups(t).removeIf(g -> id.equals(g.get("PropertyGroupId"))),
                    CloudFormationTemplateTest::checkPropertyGroupsMatchOptions, "property groups");
            assertBreaks(t -> rawPropertyGroups(t).removeIf(g -> id.equals(g.get("PropertyGroupId"))),
                    CloudFormationTemplateTest::checkPropertyGroupsMatchLocalConfig, "property groups");
        }
        assertBreaks(t -> rawPropertyGroups(t).removeIf(g -> g.containsKey("Fn::If")),
                CloudFormationTemplateTest::checkPropertyGroupsMatchOptions, "property groups");
    }

    @Test
    void detectsAMissingKey() {
        assertBreaks(t -> propertyMap(t, "Detection").remove("window.size"),
                CloudFormationTemplateTest::checkPropertyGroupsMatchOptions, "window.size");
        assertBreaks(t -> propertyMap(t, "Detection").remove("window.size"),
                CloudFormationTemplateTest::checkPropertyGroupsMatchLocalConfig, "window.size");
    }

    @Test
    void detectsAnUnknownKey() {
        assertBreaks(t -> propertyMap(t, "AlertStream").put("max.buffer.size", "10"),
                CloudFormationTemplateTest::checkPropertyGroupsMatchOptions, "max.buffer.size");
        assertBreaks(t -> propertyMap(t, "InputStream").put("aws.region", "us-east-1"),
                CloudFormationTemplateTest::checkPropertyGroupsMatchOptions, "aws.region");
        assertBreaks(t -> propertyMap(t, "RuleStream").put("initial.position", "LATEST"),
                CloudFormationTemplateTest::checkPropertyGroupsMatchOptions, "initial.position");
        assertBreaks(t -> propertyMap(t, RULES_GROUP).put("file", "/tmp/rules.json"),
                CloudFormationTemplateTest::checkPropertyGroupsMatchOptions, "file");
    }

    @Test
    void detectsADriftedDefault() {
        assertBreaks(t -> parameter(t, "DetectionWindowSize").put("Default", "10 s"),
                CloudFormationTemplateTest::checkParameterDefaults, "window.size");
        assertBreaks(t -> parameter(t, "DetectionThreshold").put("Default", "3000.01"),
                CloudFormationTemplateTest::checkParameterDefaults, "threshold");
        assertBreaks(t -> parameter(t, "DetectionFiring").put("AllowedValues", List.of("EARLY")),
                CloudFormationTemplateTest::checkParameterDefaults, "firing");
        assertBreaks(t -> propertyMap(t, "Detection").put("firing", "EARLY"),
                CloudFormationTemplateTest::checkParameterDefaults, "firing");
    }

    @Test
    void detectsSwappedStreams() {
        assertBreaks(t -> propertyMap(t, "AlertStream").put("stream.arn", getAtt("DeadLetterStream", "Arn")),
                CloudFormationTemplateTest::checkStreamArns, "different streams");
        assertBreaks(t -> propertyMap(t, "InputStream").put("stream.arn", "arn:aws:kinesis:us-east-1:1:stream/x"),
                CloudFormationTemplateTest::checkStreamArns, "InputStream");
        assertBreaks(t -> propertyMap(t, "RuleAckStream").put("stream.arn", getAtt("RuleStream", "Arn")),
                CloudFormationTemplateTest::checkStreamArns, "different streams");
        assertBreaks(t -> propertyMap(t, "ShadowAlertStream").put("stream.arn", getAtt("AlertStream", "Arn")),
                CloudFormationTemplateTest::checkStreamArns, "different streams");
    }

    @Test
    void detectsKinesisWildcardActions() {
        assertBreaks(t -> roleStatements(t).add(allow(List.of("kinesis:*"), getAtt("AlertStream", "Arn"))),
                CloudFormationTemplateTest::checkKinesisPermissions, "kinesis:*");
        assertBreaks(t -> roleStatements(t).add(allow(List.of("kinesis:Get*"), getAtt("TransactionStream", "Arn"))),
                CloudFormationTemplateTest::checkKinesisPermissions, "kinesis:Get*");
        assertBreaks(t -> roleStatements(t).add(allow("*", getAtt("TransactionStream", "Arn"))),
                CloudFormationTemplateTest::checkKinesisPermissions, "wildcard");
        assertBreaks(t -> roleStatements(t).add(notAction(List.of("s3:*"), "*")),
                CloudFormationTemplateTest::checkKinesisPermissions, "NotAction");
    }

    @Test
    void detectsKinesisWildcardResources() {
        assertBreaks(t -> roleStatements(t).add(allow(List.of("kinesis:ListShards"), "*")),
                CloudFormationTemplateTest::checkKinesisPermissions, "*");
        assertBreaks(t -> roleStatements(t).add(allow("kinesis:DescribeStreamSummary",
                        Map.of("Fn::Sub", "arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/*"))),
                CloudFormationTemplateTest::checkKinesisPermissions, "stream/*");
    }

    @Test
    void detectsWritesOnTheInputAndReadsOnTheOutputs() {
        assertBreaks(t -> roleStatements(t).add(allow("kinesis:PutRecords", getAtt("TransactionStream", "Arn"))),
                CloudFormationTemplateTest::checkKinesisPermissions, "InputStream");
        assertBreaks(t -> roleStatements(t).add(allow("kinesis:GetRecords", getAtt("AlertStream", "Arn"))),
                CloudFormationTemplateTest::checkKinesisPermissions, "GetRecords");
        assertBreaks(t -> roleStatements(t).add(allow(List.of("kinesis:GetShardIterator"),
                        List.of(getAtt("DeadLetterStream", "Arn")))),
                CloudFormationTemplateTest::checkKinesisPermissions, "GetShardIterator");
        // And a role that cannot read the input or write the alerts does not work at all.
        assertBreaks(t -> roleStatements(t).removeIf(s -> "ReadTransactions".equals(s.get("Sid"))),
                CloudFormationTemplateTest::checkKinesisPermissions, "granted on the input stream");
        assertBreaks(t -> roleStatements(t).removeIf(s -> "WriteOutputs".equals(s.get("Sid"))),
                CloudFormationTemplateTest::checkKinesisPermissions, "granted on the output stream");
    }

    @Test
    void detectsWritesOnTheRuleStreamAndReadsOnTheAckAndShadowStreams() {
        assertBreaks(t -> roleStatements(t).add(allow("kinesis:PutRecords", getAtt("RuleStream", "Arn"))),
                CloudFormationTemplateTest::checkKinesisPermissions, "RuleStream");
        assertBreaks(t -> roleStatements(t).add(allow("kinesis:PutRecord", getAtt("RuleStream", "Arn"))),
                CloudFormationTemplateTest::checkKinesisPermissions, "RuleStream");
        assertBreaks(t -> roleStatements(t).add(allow("kinesis:GetRecords", getAtt("RuleAckStream", "Arn"))),
                CloudFormationTemplateTest::checkKinesisPermissions, "GetRecords");
        assertBreaks(t -> roleStatements(t).add(allow(List.of("kinesis:GetShardIterator"),
                        List.of(getAtt("ShadowAlertStream", "Arn")))),
                CloudFormationTemplateTest::checkKinesisPermissions, "GetShardIterator");
        // Without these grants the job cannot read rule changes, or cannot acknowledge them or write shadow alerts.
        assertBreaks(t -> roleStatements(t).removeIf(s -> "ReadRuleChanges".equals(s.get("Sid"))),
                CloudFormationTemplateTest::checkKinesisPermissions, "granted on the input stream RuleStream");
        assertBreaks(t -> statement(t, "WriteOutputs").put("Resource", List.of(getAtt("AlertStream", "Arn"),
                        getAtt("DeadLetterStream", "Arn"), getAtt("ShadowAlertStream", "Arn"))),
                CloudFormationTemplateTest::checkKinesisPermissions, "granted on the output stream RuleAckStream");
        assertBreaks(t -> statement(t, "WriteOutputs").put("Resource", List.of(getAtt("AlertStream", "Arn"),
                        getAtt("DeadLetterStream", "Arn"), getAtt("RuleAckStream", "Arn"))),
                CloudFormationTemplateTest::checkKinesisPermissions, "granted on the output stream ShadowAlertStream");
    }

    @Test
    void detectsAWrongRuntimeOrDisabledSnapshotsOrCheckpoints() {
        assertBreaks(t -> applicationProperties(t).put("RuntimeEnvironment", "FLINK-1_18"),
                CloudFormationTemplateTest::checkApplicationConfiguration, "FLINK-1_19");
        assertBreaks(t -> map(applicationConfiguration(t).get("ApplicationSnapshotConfiguration"))
                        .put("SnapshotsEnabled", false),
                CloudFormationTemplateTest::checkApplicationConfiguration, "SnapshotsEnabled");
        assertBreaks(t -> checkpointConfiguration(t).put("CheckpointingEnabled", false),
                CloudFormationTemplateTest::checkApplicationConfiguration, "CheckpointingEnabled");
        assertBreaks(t -> checkpointConfiguration(t).put("ConfigurationType", "DEFAULT"),
                CloudFormationTemplateTest::checkApplicationConfiguration, "CUSTOM");
        assertBreaks(t -> checkpointConfiguration(t).put("CheckpointInterval", 60000),
                CloudFormationTemplateTest::checkApplicationConfiguration, "CheckpointInterval");
    }

    @Test
    void detectsAStreamWithoutEncryption() {
        for (String stream : resourcesOfType(template(), STREAM_TYPE)) {
            assertBreaks(t -> resourceProperties(t, stream).remove("StreamEncryption"),
                    CloudFormationTemplateTest::checkStreamEncryption, stream + ".StreamEncryption");
            assertBreaks(t -> streamEncryption(t, stream).put("EncryptionType", "NONE"),
                    CloudFormationTemplateTest::checkStreamEncryption, "KMS");
            assertBreaks(t -> streamEncryption(t, stream).put("KeyId", AWS_MANAGED_KEY),
                    CloudFormationTemplateTest::checkStreamEncryption, stream + ".StreamEncryption.KeyId");
        }
        assertBreaks(t -> map(t.get("Conditions")).put(CUSTOMER_KEY_CONDITION, Map.of("Fn::Equals", List.of("a", "a"))),
                CloudFormationTemplateTest::checkStreamEncryption, CUSTOMER_KEY_CONDITION);
        assertBreaks(t -> parameter(t, KMS_KEY_PARAMETER).put("Default", "arn:aws:kms:us-east-1:1:key/x"),
                CloudFormationTemplateTest::checkStreamEncryption, KMS_KEY_PARAMETER);
    }

    @Test
    void detectsBroadKmsPermissions() {
        Object key = Map.of("Ref", KMS_KEY_PARAMETER);
        Object transactions = getAtt("TransactionStream", "Arn");
        assertBreaks(t -> roleStatements(t).add(ifCustomerKey(kmsAllow(List.of("kms:*"), key, transactions))),
                CloudFormationTemplateTest::checkKmsPermissions, "kms:*");
        assertBreaks(t -> roleStatements(t).add(ifCustomerKey(kmsAllow("kms:Encrypt", key, transactions))),
                CloudFormationTemplateTest::checkKmsPermissions, "kms:Encrypt");
        assertBreaks(t -> roleStatements(t).add(ifCustomerKey(kmsAllow("kms:CreateGrant", key, transactions))),
                CloudFormationTemplateTest::checkKmsPermissions, "kms:CreateGrant");
        assertBreaks(t -> roleStatements(t).add(ifCustomerKey(kmsAllow("kms:Decrypt", "*", transactions))),
                CloudFormationTemplateTest::checkKmsPermissions, "Resource");
        assertBreaks(t -> roleStatements(t).add(ifCustomerKey(kmsAllow("kms:Decrypt",
                        Map.of("Fn::Sub", "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*"),
                        transactions))),
                CloudFormationTemplateTest::checkKmsPermissions, "Resource");
        // A KMS grant outside Fn::If [UseCustomerKey, ...]: with the AWS-managed key it would name an empty key.
        assertBreaks(t -> roleStatements(t).add(kmsAllow("kms:Decrypt", key, transactions)),
                CloudFormationTemplateTest::checkKmsPermissions, "customer-key condition");
        assertBreaks(t -> roleStatements(t).add(kmsAllow("kms:Decrypt", "*", null)),
                CloudFormationTemplateTest::checkKmsPermissions, "customer-key condition");
        assertBreaks(t -> roleStatements(t).add(Map.of("Fn::If", List.of(CUSTOMER_KEY_CONDITION, NO_VALUE,
                        kmsAllow("kms:Decrypt", key, transactions)))),
                CloudFormationTemplateTest::checkKmsPermissions, "customer-key condition");
        assertBreaks(t -> roleStatements(t).add(Map.of("Fn::If", List.of("CreateApplication",
                        kmsAllow("kms:Decrypt", key, transactions), NO_VALUE))),
                CloudFormationTemplateTest::checkKmsPermissions, "customer-key condition");
    }

    @Test
    void detectsKmsPermissionsOnTheWrongStreams() {
        Object key = Map.of("Ref", KMS_KEY_PARAMETER);
        // Without the encryption context the role could decrypt or write any stream under that key.
        assertBreaks(t -> kmsStatement(t, "DecryptInputs").remove("Condition"),
                CloudFormationTemplateTest::checkKmsPermissions, STREAM_CONTEXT_KEY);
        assertBreaks(t -> kmsStatement(t, "EncryptOutputs").remove("Condition"),
                CloudFormationTemplateTest::checkKmsPermissions, STREAM_CONTEXT_KEY);
        assertBreaks(t -> roleStatements(t).add(ifCustomerKey(kmsAllow("kms:Decrypt", key,
                        getAtt("AlertStream", "Arn")))),
                CloudFormationTemplateTest::checkKmsPermissions, "AlertStream");
        assertBreaks(t -> roleStatements(t).add(ifCustomerKey(kmsAllow("kms:GenerateDataKey", key,
                        getAtt("TransactionStream", "Arn")))),
                CloudFormationTemplateTest::checkKmsPermissions, "TransactionStream");
        assertBreaks(t -> roleStatements(t).add(ifCustomerKey(kmsAllow("kms:Decrypt", key,
                        "arn:aws:kinesis:us-east-1:111122223333:stream/other"))),
                CloudFormationTemplateTest::checkKmsPermissions, "stream/other");
        // And a role that cannot use the customer key cannot read or write at all.
        assertBreaks(t -> roleStatements(t).removeIf(s -> isIfOf(s, "DecryptInputs")),
                CloudFormationTemplateTest::checkKmsPermissions, "kms:Decrypt for the input stream");
        assertBreaks(t -> roleStatements(t).removeIf(s -> isIfOf(s, "EncryptOutputs")),
                CloudFormationTemplateTest::checkKmsPermissions, "kms:GenerateDataKey for the output stream");
        // The rule streams: decrypt only what is read, encrypt only what is written, and all of them covered.
        assertBreaks(t -> roleStatements(t).add(ifCustomerKey(kmsAllow("kms:Decrypt", key,
                        getAtt("ShadowAlertStream", "Arn")))),
                CloudFormationTemplateTest::checkKmsPermissions, "ShadowAlertStream");
        assertBreaks(t -> roleStatements(t).add(ifCustomerKey(kmsAllow("kms:GenerateDataKey", key,
                        getAtt("RuleStream", "Arn")))),
                CloudFormationTemplateTest::checkKmsPermissions, "RuleStream");
        assertBreaks(t -> streamContext(kmsStatement(t, "DecryptInputs")).remove(getAtt("RuleStream", "Arn")),
                CloudFormationTemplateTest::checkKmsPermissions, "kms:Decrypt for the input stream RuleStream");
        assertBreaks(t -> streamContext(kmsStatement(t, "EncryptOutputs")).remove(getAtt("RuleAckStream", "Arn")),
                CloudFormationTemplateTest::checkKmsPermissions,
                "kms:GenerateDataKey for the output stream RuleAckStream");
        assertBreaks(t -> streamContext(kmsStatement(t, "EncryptOutputs")).remove(getAtt("ShadowAlertStream", "Arn")),
                CloudFormationTemplateTest::checkKmsPermissions,
                "kms:GenerateDataKey for the output stream ShadowAlertStream");
    }

    @Test
    void detectsInitialRulesThatMsfWouldRefuseOrThatAreAlwaysSet() {
        // Unconditional: with the empty default, MSF would get an empty value and refuse the application.
        assertBreaks(t -> rawPropertyGroups(t).replaceAll(g -> g.containsKey("Fn::If")
                        ? map(((List<?>) g.get("Fn::If")).get(1)) : g),
                CloudFormationTemplateTest::checkInitialRules, HAS_INITIAL_RULES_CONDITION);
        assertBreaks(t -> map(t.get("Conditions")).put(HAS_INITIAL_RULES_CONDITION,
                        Map.of("Fn::Equals", List.of(Map.of("Ref", INITIAL_RULES_PARAMETER), ""))),
                CloudFormationTemplateTest::checkInitialRules, HAS_INITIAL_RULES_CONDITION);
        assertBreaks(t -> parameter(t, INITIAL_RULES_PARAMETER).remove("MaxLength"),
                CloudFormationTemplateTest::checkInitialRules, "MaxLength");
        assertBreaks(t -> parameter(t, INITIAL_RULES_PARAMETER).put("MaxLength", 4096),
                CloudFormationTemplateTest::checkInitialRules, "MaxLength");
        assertBreaks(t -> parameter(t, INITIAL_RULES_PARAMETER).put("Default", "[]"),
                CloudFormationTemplateTest::checkInitialRules, "Default");
        assertBreaks(t -> propertyMap(t, RULES_GROUP).put("rules", Map.of("Ref", "DetectionThreshold")),
                CloudFormationTemplateTest::checkInitialRules, "rules");
        assertBreaks(t -> map(t.get("Parameters")).remove(INITIAL_RULES_PARAMETER),
                CloudFormationTemplateTest::checkInitialRules, INITIAL_RULES_PARAMETER);
    }

    @Test
    void detectsARuleStreamWithMoreThanOneShardOrAMissingOutput() {
        assertBreaks(t -> resourceProperties(t, "RuleStream").put("ShardCount",
                        Map.of("Fn::If", List.of("Provisioned", Map.of("Ref", "InputShardCount"), NO_VALUE))),
                CloudFormationTemplateTest::checkRuleStreams, "RuleStream.ShardCount");
        assertBreaks(t -> map(t.get("Outputs")).remove("RuleAckStreamName"),
                CloudFormationTemplateTest::checkRuleStreams, "RuleAckStreamName");
    }

    @Test
    void detectsUnboundedRetention() {
        String logGroup = resourcesOfType(template(), "AWS::Logs::LogGroup").get(0);
        assertBreaks(t -> resourceProperties(t, logGroup).remove("RetentionInDays"),
                CloudFormationTemplateTest::checkRetention, "RetentionInDays");
        assertBreaks(t -> resourceProperties(t, logGroup).put("RetentionInDays", 3653),
                CloudFormationTemplateTest::checkRetention, "RetentionInDays");
        assertBreaks(t -> parameter(t, "LogRetentionDays").remove("Default"),
                CloudFormationTemplateTest::checkRetention, "LogRetentionDays");
        assertBreaks(t -> resourceProperties(t, "DeadLetterStream").put("RetentionPeriodHours", 168),
                CloudFormationTemplateTest::checkRetention, "DeadLetterStream.RetentionPeriodHours");
        assertBreaks(t -> resourceProperties(t, "AlertStream").remove("RetentionPeriodHours"),
                CloudFormationTemplateTest::checkRetention, "AlertStream.RetentionPeriodHours");
        assertBreaks(t -> parameter(t, "StreamRetentionHours").put("Default", 168),
                CloudFormationTemplateTest::checkRetention, "StreamRetentionHours");
    }

    // ---- The checks.

    static void checkPropertyGroupsMatchOptions(Map<String, Object> t) {
        Map<String, Set<String>> template = templateKeys(t);
        assertThat(template).as("the local-only group in the template").doesNotContainKey(LOCAL_GROUP);
        Map<String, Set<String>> expected = new TreeMap<>();
        for (PropertyGroup g : FraudDetectorOptions.GROUPS) {
            if (g.id().equals(LOCAL_GROUP)) {
                continue;
            }
            Set<String> keys = new TreeSet<>();
            for (ConfigOption<?> o : g.options()) {
                if (NOT_SET_ON_AWS.containsKey(o.key())) {
                    assertThat(o.hasDefaultValue()).as("%s.%s is left out of the template (%s), so it must have no "
                            + "default", g.id(), o.key(), NOT_SET_ON_AWS.get(o.key())).isFalse();
                } else {
                    keys.add(o.key());
                }
            }
            expected.put(g.id(), keys);
        }
        assertThat(template.keySet()).as("property groups (template vs FraudDetectorOptions.GROUPS minus Local)")
                .isEqualTo(expected.keySet());
        expected.forEach((id, keys) -> assertThat(template.get(id))
                .as("keys of property group %s (template vs FraudDetectorOptions)", id)
                .isEqualTo(keys));
    }

    /** As the local file, minus Local, and minus Rules (the file uses the default rule; see checkInitialRules). */
    static void checkPropertyGroupsMatchLocalConfig(Map<String, Object> t) {
        Map<String, Properties> local = ApplicationProperties.fromFile(repoFile("config/application-properties-local.json"));
        Map<String, Set<String>> expected = new TreeMap<>();
        local.forEach((id, props) -> {
            if (!id.equals(LOCAL_GROUP) && !id.equals(RULES_GROUP)) {
                expected.put(id, props.stringPropertyNames().stream()
                        .filter(k -> !k.startsWith(PropertyGroup.AWS_PREFIX))
                        .collect(Collectors.toCollection(TreeSet::new)));
            }
        });
        Map<String, Set<String>> template = new TreeMap<>();
        Map<String, Set<String>> templateGroups = templateKeys(t);
        templateGroups.remove(RULES_GROUP);
        templateGroups.forEach((id, keys) -> template.put(id, keys.stream()
                .filter(k -> !k.startsWith(PropertyGroup.AWS_PREFIX))
                .collect(Collectors.toCollection(TreeSet::new))));
        assertThat(template.keySet()).as("property groups (template vs local config file minus Local)")
                .isEqualTo(expected.keySet());
        expected.forEach((id, keys) -> assertThat(template.get(id))
                .as("non-aws.* keys of property group %s (template vs local config file)", id)
                .isEqualTo(keys));
    }

    /**
     * Every Detection key is a parameter; every parameter behind a property has a default equal to the option's
     * default (compared as typed values), and an enum option's allowed values are exactly its constants.
     */
    static void checkParameterDefaults(Map<String, Object> t) {
        Map<String, Object> parameters = map(t.get("Parameters"));
        for (Map<String, Object> g : propertyGroups(t)) {
            String id = (String) g.get("PropertyGroupId");
            if (id.equals(RULES_GROUP)) {
                continue; // no default: the whole group is left out unless InitialRules is set (checkInitialRules)
            }
            Map<String, Object> properties = map(g.get("PropertyMap"));
            for (Map.Entry<String, Object> p : properties.entrySet()) {
                String key = p.getKey();
                ConfigOption<?> option = option(id, key);
                String parameterName = ref(p.getValue());
                if (id.equals("Detection")) {
                    assertThat(parameterName).as("Detection.%s must be a !Ref to a template parameter", key).isNotNull();
                }
                if (parameterName == null || !parameters.containsKey(parameterName)) {
                    continue; // a !GetAtt (stream.arn) or a pseudo parameter
                }
                Map<String, Object> parameter = map(parameters.get(parameterName));
                Object defaultValue = parameter.get("Default");
                assertThat(defaultValue).as("Default of parameter %s (%s.%s)", parameterName, id, key).isNotNull();
                assertThat(option.hasDefaultValue()).as("%s.%s has a default in FraudDetectorOptions", id, key).isTrue();
                Object parsed = parse(option, String.valueOf(defaultValue));
                assertThat(parsed).as("Default of parameter %s ('%s') vs the default of %s.%s", parameterName,
                        defaultValue, id, key).isEqualTo(option.defaultValue());
                if (option.defaultValue() instanceof Enum) {
                    Set<String> constants = Arrays.stream(option.defaultValue().getClass().getEnumConstants())
                            .map(c -> ((Enum<?>) c).name())
                            .collect(Collectors.toCollection(TreeSet::new));
                    assertThat(new TreeSet<>(strings(parameter.get("AllowedValues"))))
                            .as("AllowedValues of parameter %s vs the values of %s.%s", parameterName, id, key)
                            .isEqualTo(constants);
                }
            }
        }
    }

    /** stream.arn of the stream groups: !GetAtt of a different stream of this stack each. */
    static void checkStreamArns(Map<String, Object> t) {
        Map<String, String> streams = streamOfGroup(t);
        assertThat(streams.keySet()).as("stream groups").containsAll(INPUT_GROUPS).containsAll(OUTPUT_GROUPS);
        assertThat(new TreeSet<>(streams.values())).as("the stream groups must name different streams: %s", streams)
                .hasSize(streams.size());
    }

    static void checkKinesisPermissions(Map<String, Object> t) {
        Map<String, String> streams = streamOfGroup(t);
        assertThat(streams.keySet()).as("stream groups").containsAll(INPUT_GROUPS).containsAll(OUTPUT_GROUPS);
        Set<String> inputs = INPUT_GROUPS.stream().map(streams::get).collect(Collectors.toSet());
        Set<String> outputs = OUTPUT_GROUPS.stream().map(streams::get).collect(Collectors.toSet());
        Map<String, Set<String>> granted = new TreeMap<>();
        for (Map<String, Object> s : statements(t)) {
            if (!"Allow".equals(s.get("Effect"))) {
                continue;
            }
            assertThat(s).as("Allow statement with NotAction/NotResource (grants everything else): %s", s)
                    .doesNotContainKeys("NotAction", "NotResource");
            List<String> actions = strings(s.get("Action"));
            for (String action : actions) {
                String a = action.toLowerCase(Locale.ROOT);
                assertThat(a.equals("*") || a.startsWith("kinesis:") && (a.contains("*") || a.contains("?")))
                        .as("wildcard action '%s' (kinesis:* or a pattern) in %s", action, s).isFalse();
            }
            List<String> kinesisActions = actions.stream()
                    .filter(a -> a.toLowerCase(Locale.ROOT).startsWith("kinesis:"))
                    .collect(Collectors.toList());
            if (kinesisActions.isEmpty()) {
                continue;
            }
            for (Object resource : list(s.get("Resource"))) {
                assertThat(String.valueOf(resource)).as("resource of kinesis actions %s", kinesisActions)
                        .doesNotContain("*");
                String stream = getAttArnOf(t, resource, STREAM_TYPE);
                assertThat(stream).as("kinesis actions %s on %s: the resource must be !GetAtt <Stream>.Arn of a "
                        + "stream the job uses", kinesisActions, resource).isNotNull();
                if (!inputs.contains(stream) && !outputs.contains(stream)) {
                    fail("kinesis actions %s on stream %s, which no property group uses", kinesisActions, stream);
                }
                for (String action : kinesisActions) {
                    String a = action.toLowerCase(Locale.ROOT);
                    if (inputs.contains(stream)) {
                        assertThat(READ_ACTIONS).as("%s on the input stream %s (%s): read actions only",
                                action, stream, groupOf(streams, stream)).contains(a);
                    } else {
                        assertThat(CONSUME_ACTIONS).as("%s (reading records) on the output stream %s", action, stream)
                                .doesNotContain(a);
                        assertThat(WRITE_ACTIONS).as("%s on the output stream %s (%s): write actions only", action,
                                stream, groupOf(streams, stream)).contains(a);
                    }
                    granted.computeIfAbsent(stream, k -> new TreeSet<>()).add(a);
                }
            }
        }
        for (String input : inputs) {
            assertThat(granted.getOrDefault(input, Set.of())).as("actions granted on the input stream %s", input)
                    .containsAll(lower("kinesis:ListShards", "kinesis:GetShardIterator", "kinesis:GetRecords"));
        }
        for (String output : outputs) {
            assertThat(granted.getOrDefault(output, Set.of())).as("actions granted on the output stream %s", output)
                    .contains("kinesis:putrecords");
        }
    }

    /**
     * InitialRules reaches the job as Rules.rules only when it is not empty (MSF refuses an empty property value),
     * through {@code !If [HasInitialRules, group, !Ref AWS::NoValue]}; the parameter defaults to empty (the default
     * rule) and is at most as long as an MSF property value.
     */
    static void checkInitialRules(Map<String, Object> t) {
        assertThat(map(t.get("Parameters"))).as("parameters").containsKey(INITIAL_RULES_PARAMETER);
        Map<String, Object> parameter = parameter(t, INITIAL_RULES_PARAMETER);
        assertThat(parameter.get("Type")).as("Type of parameter %s", INITIAL_RULES_PARAMETER).isEqualTo("String");
        assertThat(parameter.get("Default")).as("Default of parameter %s (empty: the default rule)",
                INITIAL_RULES_PARAMETER).isEqualTo("");
        assertThat(parameter.get("MaxLength")).as("MaxLength of parameter %s (the longest MSF property value)",
                INITIAL_RULES_PARAMETER).isEqualTo(FraudDetectorOptions.MSF_MAX_PROPERTY_VALUE_CHARS);
        assertThat(map(t.get("Conditions")).get(HAS_INITIAL_RULES_CONDITION)).as("condition %s",
                HAS_INITIAL_RULES_CONDITION).isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals",
                        List.of(Map.of("Ref", INITIAL_RULES_PARAMETER), "")))));
        List<Map<String, Object>> rulesGroups = new ArrayList<>();
        for (Map<String, Object> g : rawPropertyGroups(t)) {
            if (RULES_GROUP.equals(g.get("PropertyGroupId"))) {
                fail("property group %s must be inside !If [%s, ..., !Ref AWS::NoValue], else an empty %s gives MSF "
                        + "an empty property value", RULES_GROUP, HAS_INITIAL_RULES_CONDITION, INITIAL_RULES_PARAMETER);
            }
            Object args = g.get("Fn::If");
            if (args != null) {
                List<?> a = (List<?>) args;
                assertThat(a).as("a conditional property group: !If [%s, group, !Ref AWS::NoValue]",
                        HAS_INITIAL_RULES_CONDITION).hasSize(3);
                assertThat(a.get(0)).as("condition of the conditional property group").isEqualTo(
                        HAS_INITIAL_RULES_CONDITION);
                assertThat(a.get(2)).as("else branch of the conditional property group").isEqualTo(NO_VALUE);
                rulesGroups.add(map(a.get(1)));
            }
        }
        assertThat(rulesGroups).as("conditional property group %s", RULES_GROUP).hasSize(1);
        assertThat(rulesGroups.get(0).get("PropertyGroupId")).isEqualTo(RULES_GROUP);
        assertThat(map(rulesGroups.get(0).get("PropertyMap"))).as("%s.rules is !Ref %s", RULES_GROUP,
                INITIAL_RULES_PARAMETER).isEqualTo(Map.of(FraudDetectorOptions.RULES.key(),
                        Map.of("Ref", INITIAL_RULES_PARAMETER)));
    }

    /** The rules control and ack streams have one shard (rule changes in order); every new stream is an output. */
    static void checkRuleStreams(Map<String, Object> t) {
        Map<String, String> streams = streamOfGroup(t);
        for (String group : List.of("RuleStream", "RuleAckStream")) {
            String stream = streams.get(group);
            assertThat(resourceProperties(t, stream).get("ShardCount")).as("%s.ShardCount: one shard when "
                    + "provisioned", stream).isEqualTo(Map.of("Fn::If", List.of("Provisioned", 1, NO_VALUE)));
        }
        for (String group : List.of("RuleStream", "RuleAckStream", "ShadowAlertStream")) {
            String stream = streams.get(group);
            Object output = map(t.get("Outputs")).get(stream + "Name");
            assertThat(output).as("stack output %sName: the stream name of %s, for the tools", stream, group)
                    .isNotNull();
            assertThat(map(output).get("Value")).as("%sName", stream).isEqualTo(Map.of("Ref", stream));
        }
    }

    /**
     * Every stream of the stack (the job's and any added later) is encrypted with KMS: the customer key when
     * KmsKeyArn is set, else the AWS-managed key. The parameter defaults to empty, so the condition is false.
     */
    static void checkStreamEncryption(Map<String, Object> t) {
        Object keyId = Map.of("Fn::If", List.of(CUSTOMER_KEY_CONDITION, Map.of("Ref", KMS_KEY_PARAMETER),
                AWS_MANAGED_KEY));
        List<String> streams = resourcesOfType(t, STREAM_TYPE);
        assertThat(streams).as("streams").isNotEmpty();
        for (String stream : streams) {
            Object encryption = resourceProperties(t, stream).get("StreamEncryption");
            assertThat(encryption).as("%s.StreamEncryption (encryption at rest)", stream).isNotNull();
            assertThat(map(encryption).get("EncryptionType")).as("%s.StreamEncryption.EncryptionType", stream)
                    .isEqualTo("KMS");
            assertThat(map(encryption).get("KeyId")).as("%s.StreamEncryption.KeyId: the customer key if given, else "
                    + "%s", stream, AWS_MANAGED_KEY).isEqualTo(keyId);
        }
        checkCustomerKeyParameter(t);
    }

    private static void checkCustomerKeyParameter(Map<String, Object> t) {
        assertThat(map(t.get("Parameters"))).as("parameters").containsKey(KMS_KEY_PARAMETER);
        assertThat(t.get("Conditions")).as("conditions").isInstanceOf(Map.class);
        assertThat(parameter(t, KMS_KEY_PARAMETER).get("Default")).as("Default of parameter %s (empty: the "
                + "AWS-managed key)", KMS_KEY_PARAMETER).isEqualTo("");
        assertThat(map(t.get("Conditions")).get(CUSTOMER_KEY_CONDITION)).as("condition %s", CUSTOMER_KEY_CONDITION)
                .isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals",
                        List.of(Map.of("Ref", KMS_KEY_PARAMETER), "")))));
    }

    /**
     * KMS permissions only for a customer key (the AWS-managed key needs none): each statement is inside
     * {@code Fn::If [UseCustomerKey, statement, AWS::NoValue]}, on that key only, kms:Decrypt only for the streams
     * the job reads and kms:GenerateDataKey only for those it writes, named by the stream-ARN encryption context.
     */
    static void checkKmsPermissions(Map<String, Object> t) {
        Map<String, String> streams = streamOfGroup(t);
        assertThat(streams.keySet()).as("stream groups").containsAll(INPUT_GROUPS).containsAll(OUTPUT_GROUPS);
        Set<String> inputs = INPUT_GROUPS.stream().map(streams::get).collect(Collectors.toSet());
        Set<String> outputs = OUTPUT_GROUPS.stream().map(streams::get).collect(Collectors.toSet());
        Map<String, Set<String>> granted = new TreeMap<>();
        for (Object raw : rawStatements(t)) {
            List<Map<String, Object>> guarded = customerKeyBranch(raw);
            for (Map<String, Object> s : unwrap(raw)) {
                List<String> kmsActions = strings(s.get("Action")).stream()
                        .filter(a -> a.toLowerCase(Locale.ROOT).startsWith("kms:"))
                        .collect(Collectors.toList());
                if (!"Allow".equals(s.get("Effect")) || kmsActions.isEmpty()) {
                    continue;
                }
                assertThat(guarded.contains(s)).as("KMS statement %s without the customer-key condition (it must be "
                        + "the true branch of !If [%s, ..., !Ref AWS::NoValue])", s, CUSTOMER_KEY_CONDITION).isTrue();
                for (String action : kmsActions) {
                    assertThat(Set.of(KMS_DECRYPT, KMS_GENERATE_DATA_KEY)).as("KMS action '%s' in %s (only "
                            + "kms:Decrypt and kms:GenerateDataKey)", action, s)
                            .contains(action.toLowerCase(Locale.ROOT));
                }
                assertThat(new ArrayList<Object>(list(s.get("Resource"))))
                        .as("Resource of KMS statement %s: the customer key only", s)
                        .containsExactly(Map.of("Ref", KMS_KEY_PARAMETER));
                Object context = s.get("Condition") == null ? null
                        : map(map(s.get("Condition")).getOrDefault("StringEquals", Map.of())).get(STREAM_CONTEXT_KEY);
                assertThat(context).as("Condition StringEquals %s of KMS statement %s (the streams it may be used for)",
                        STREAM_CONTEXT_KEY, s).isNotNull();
                for (Object arn : list(context)) {
                    String stream = getAttArnOf(t, arn, STREAM_TYPE);
                    assertThat(stream).as("%s %s: must be !GetAtt <Stream>.Arn of a stream of this stack",
                            STREAM_CONTEXT_KEY, arn).isNotNull();
                    for (String action : kmsActions) {
                        String a = action.toLowerCase(Locale.ROOT);
                        Set<String> allowed = a.equals(KMS_DECRYPT) ? inputs : outputs;
                        assertThat(allowed).as("%s for stream %s (kms:Decrypt only for the input, kms:GenerateDataKey "
                                + "only for the outputs)", action, stream).contains(stream);
                        granted.computeIfAbsent(stream, k -> new TreeSet<>()).add(a);
                    }
                }
            }
        }
        for (String input : inputs) {
            assertThat(granted.getOrDefault(input, Set.of())).as("kms:Decrypt for the input stream %s", input)
                    .contains(KMS_DECRYPT);
        }
        for (String output : outputs) {
            assertThat(granted.getOrDefault(output, Set.of())).as("kms:GenerateDataKey for the output stream %s",
                    output).contains(KMS_GENERATE_DATA_KEY);
        }
        checkCustomerKeyParameter(t);
    }

    /** Records and logs expire: streams after StreamRetentionHours (default 24), logs after LogRetentionDays. */
    static void checkRetention(Map<String, Object> t) {
        for (String stream : resourcesOfType(t, STREAM_TYPE)) {
            assertThat(ref(resourceProperties(t, stream).get("RetentionPeriodHours")))
                    .as("%s.RetentionPeriodHours is !Ref StreamRetentionHours", stream)
                    .isEqualTo("StreamRetentionHours");
        }
        assertThat(String.valueOf(parameter(t, "StreamRetentionHours").get("Default")))
                .as("Default of StreamRetentionHours (the Kinesis minimum, 24)").isEqualTo("24");
        for (String logGroup : resourcesOfType(t, "AWS::Logs::LogGroup")) {
            assertThat(ref(resourceProperties(t, logGroup).get("RetentionInDays")))
                    .as("%s.RetentionInDays is !Ref LogRetentionDays (without it logs never expire)", logGroup)
                    .isEqualTo("LogRetentionDays");
        }
        assertThat(parameter(t, "LogRetentionDays").get("Default")).as("Default of LogRetentionDays").isNotNull();
    }

    static void checkApplicationConfiguration(Map<String, Object> t) {
        Map<String, Object> app = applicationProperties(t);
        Map<String, Object> parameters = map(t.get("Parameters"));
        assertThat(app.get("RuntimeEnvironment")).as("RuntimeEnvironment").isEqualTo("FLINK-1_19");
        Map<String, Object> config = applicationConfiguration(t);
        assertThat(map(config.get("ApplicationSnapshotConfiguration")).get("SnapshotsEnabled"))
                .as("ApplicationSnapshotConfiguration.SnapshotsEnabled").isEqualTo(Boolean.TRUE);
        Map<String, Object> checkpoints = checkpointConfiguration(t);
        assertThat(checkpoints.get("ConfigurationType")).as("CheckpointConfiguration.ConfigurationType (CUSTOM, so "
                + "the settings below apply)").isEqualTo("CUSTOM");
        assertThat(checkpoints.get("CheckpointingEnabled")).as("CheckpointConfiguration.CheckpointingEnabled")
                .isEqualTo(Boolean.TRUE);
        assertThat(ref(checkpoints.get("CheckpointInterval"))).as("CheckpointConfiguration.CheckpointInterval is a "
                + "parameter").isIn(parameters.keySet());
        Map<String, Object> parallelism = map(map(config.get("FlinkApplicationConfiguration"))
                .get("ParallelismConfiguration"));
        assertThat(parallelism.get("ConfigurationType")).as("ParallelismConfiguration.ConfigurationType")
                .isEqualTo("CUSTOM");
        for (String p : List.of("Parallelism", "ParallelismPerKPU", "AutoScalingEnabled")) {
            assertThat(ref(parallelism.get(p))).as("ParallelismConfiguration.%s is a parameter", p)
                    .isIn(parameters.keySet());
        }
        Map<String, Object> s3 = map(map(map(config.get("ApplicationCodeConfiguration")).get("CodeContent"))
                .get("S3ContentLocation"));
        assertThat(ref(s3.get("FileKey"))).as("S3ContentLocation.FileKey is a parameter").isIn(parameters.keySet());
    }

    static void checkLogging(Map<String, Object> t) {
        String app = single(t, APPLICATION_TYPE);
        List<String> options = resourcesOfType(t, "AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption");
        assertThat(options).as("ApplicationCloudWatchLoggingOption resources").hasSize(1);
        Map<String, Object> option = map(map(map(t.get("Resources")).get(options.get(0))).get("Properties"));
        assertThat(ref(option.get("ApplicationName"))).as("logging option's application").isEqualTo(app);
        String arn = String.valueOf(map(option.get("CloudWatchLoggingOption")).get("LogStreamARN"));
        assertThat(resourcesOfType(t, "AWS::Logs::LogGroup")).as("log group").hasSize(1);
        assertThat(arn).as("LogStreamARN").contains("${" + resourcesOfType(t, "AWS::Logs::LogGroup").get(0) + "}")
                .contains("${" + single(t, "AWS::Logs::LogStream") + "}");
    }

    // ---- Template navigation.

    /** Property group id to its keys, in template order. */
    /**
     * The job stays RUNNING through what these alarms catch, so nothing else tells: the application's downtime, failed
     * checkpoints, the input stream read late or not at all (missing data breaches: no reader), and a sink whose
     * entries keep failing, through the job's own gauge in a Metrics Insights query on the application (created at
     * the default metrics level, which publishes operator metrics). Each fires above its threshold and notifies the
     * topic.
     */
    static void checkAlarms(Map<String, Object> t) {
        String application = single(t, APPLICATION_TYPE);
        String input = streamOfGroup(t).get("InputStream");
        Map<String, Map<String, Object>> alarms = new TreeMap<>();
        for (String id : resourcesOfType(t, ALARM_TYPE)) {
            alarms.put(id, resourceProperties(t, id));
        }
        alarms.forEach((id, alarm) -> {
            assertThat(alarm.get("AlarmActions")).as("%s.AlarmActions: the topic, if given", id)
                    .isEqualTo(NOTIFY_TOPIC);
            assertThat(alarm.get("OKActions")).as("%s.OKActions: the topic, if given", id).isEqualTo(NOTIFY_TOPIC);
            assertThat(alarm.get("ComparisonOperator")).as("%s.ComparisonOperator", id)
                    .isEqualTo("GreaterThanThreshold");
        });

        Map<String, Object> downtime = alarm(alarms, "an alarm on the application's downtime", a ->
                "AWS/KinesisAnalytics".equals(a.get("Namespace")) && "downtime".equals(a.get("MetricName"))
                        && Map.of("Name", "Application", "Value", Map.of("Ref", application)).equals(dimension(a)));
        assertThat(downtime.get("Threshold")).as("downtime alarm threshold").isEqualTo(0);

        Map<String, Object> checkpoints = alarm(alarms, "an alarm on the rate of numberOfFailedCheckpoints", a ->
                list(a.get("Metrics")).stream().anyMatch(m -> map(m).get("MetricStat") != null
                        && "numberOfFailedCheckpoints".equals(map(map(map(m).get("MetricStat")).get("Metric"))
                                .get("MetricName")))
                        && list(a.get("Metrics")).stream().anyMatch(m -> String.valueOf(map(m).get("Expression"))
                                .startsWith("RATE(")));
        assertThat(checkpoints.get("Threshold")).as("failed checkpoints alarm threshold").isEqualTo(0);

        Map<String, Object> lag = alarm(alarms, "an alarm on the read lag of the input stream " + input
                + ", breaching when no one reads", a -> "AWS/Kinesis".equals(a.get("Namespace"))
                        && "GetRecords.IteratorAgeMilliseconds".equals(a.get("MetricName"))
                        && Map.of("Name", "StreamName", "Value", Map.of("Ref", input)).equals(dimension(a))
                        && "breaching".equals(a.get("TreatMissingData")));
        assertThat(lag.get("Threshold")).as("read lag alarm threshold").isEqualTo(Map.of("Ref", "InputReadLagAlarmMs"));

        String query = "SELECT MAX(" + MonitoredSink.FAILING + ") FROM \"AWS/KinesisAnalytics\" WHERE Application = '${"
                + application + "}'";
        Map<String, Object> sinks = alarm(alarms, "an alarm on the query " + query, a ->
                list(a.get("Metrics")).stream().anyMatch(m -> Map.of("Fn::Sub", query).equals(map(m).get("Expression"))));
        assertThat(sinks.get("Threshold")).as("sink alarm threshold: the gauge is 0 or 1, averaged or not").isEqualTo(0);
        String id = alarms.entrySet().stream().filter(e -> e.getValue() == sinks).findFirst().orElseThrow().getKey();
        String condition = (String) map(map(t.get("Resources")).get(id)).get("Condition");
        assertThat(String.valueOf(map(t.get("Conditions")).get(condition))).as("condition %s of %s", condition, id)
                .contains("CreateApplication").contains("OperatorMetrics");
        assertThat(String.valueOf(map(t.get("Conditions")).get("OperatorMetrics")))
                .as("OperatorMetrics: MetricsLevel OPERATOR or PARALLELISM").contains("OPERATOR").contains("PARALLELISM");
        assertThat(parameter(t, "MetricsLevel").get("Default"))
                .as("MetricsLevel default: a level that publishes the job's operator metrics, so the sink alarm exists")
                .isIn("OPERATOR", "PARALLELISM");
    }

    private static Map<String, Object> alarm(Map<String, Map<String, Object>> alarms, String what,
            java.util.function.Predicate<Map<String, Object>> matches) {
        return alarms.values().stream().filter(matches).findFirst()
                .orElseThrow(() -> new AssertionError("no " + what + " among " + alarms.keySet()));
    }

    /** An alarm's only dimension. */
    private static Map<String, Object> dimension(Map<String, Object> alarm) {
        List<?> dimensions = list(alarm.get("Dimensions"));
        return dimensions.size() == 1 ? map(dimensions.get(0)) : Map.of();
    }

    private static Map<String, Set<String>> templateKeys(Map<String, Object> t) {
        Map<String, Set<String>> groups = new TreeMap<>();
        for (Map<String, Object> g : propertyGroups(t)) {
            String id = (String) g.get("PropertyGroupId");
            assertThat(groups).as("property group %s twice", id).doesNotContainKey(id);
            groups.put(id, new TreeSet<>(map(g.get("PropertyMap")).keySet()));
        }
        return groups;
    }

    /** Stream group id to the logical id of the stream its stream.arn names. */
    private static Map<String, String> streamOfGroup(Map<String, Object> t) {
        Map<String, String> streams = new TreeMap<>();
        for (Map<String, Object> g : propertyGroups(t)) {
            String id = (String) g.get("PropertyGroupId");
            if (INPUT_GROUPS.contains(id) || OUTPUT_GROUPS.contains(id)) {
                Object arn = map(g.get("PropertyMap")).get("stream.arn");
                String stream = getAttArnOf(t, arn, STREAM_TYPE);
                assertThat(stream).as("%s.stream.arn must be !GetAtt <Stream>.Arn of a stream of this stack, got %s",
                        id, arn).isNotNull();
                streams.put(id, stream);
            }
        }
        return streams;
    }

    /** The logical id if {@code value} is {@code !GetAtt X.Arn} and X is of {@code type}, else null. */
    private static String getAttArnOf(Map<String, Object> t, Object value, String type) {
        if (!(value instanceof Map) || !((Map<?, ?>) value).containsKey("Fn::GetAtt")) {
            return null;
        }
        List<?> getAtt = (List<?>) ((Map<?, ?>) value).get("Fn::GetAtt");
        if (getAtt.size() != 2 || !"Arn".equals(getAtt.get(1))) {
            return null;
        }
        Object resource = map(t.get("Resources")).get(String.valueOf(getAtt.get(0)));
        return resource != null && type.equals(map(resource).get("Type")) ? String.valueOf(getAtt.get(0)) : null;
    }

    private static ConfigOption<?> option(String group, String key) {
        return FraudDetectorOptions.group(group).options().stream()
                .filter(o -> o.key().equals(key))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no option " + group + "." + key));
    }

    private static Object parse(ConfigOption<?> option, String value) {
        return Configuration.fromMap(Map.of(option.key(), value)).get(option);
    }

    static Map<String, Object> applicationProperties(Map<String, Object> t) {
        return map(map(map(t.get("Resources")).get(single(t, APPLICATION_TYPE))).get("Properties"));
    }

    static Map<String, Object> applicationConfiguration(Map<String, Object> t) {
        return map(applicationProperties(t).get("ApplicationConfiguration"));
    }

    static Map<String, Object> checkpointConfiguration(Map<String, Object> t) {
        return map(map(applicationConfiguration(t).get("FlinkApplicationConfiguration")).get("CheckpointConfiguration"));
    }

    /** The property groups as written: a group, or {@code Fn::If [condition, group, AWS::NoValue]}. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rawPropertyGroups(Map<String, Object> t) {
        return (List<Map<String, Object>>) map(applicationConfiguration(t).get("EnvironmentProperties"))
                .get("PropertyGroups");
    }

    /** Every property group the application may get: conditional ones as their true branch (same objects). */
    static List<Map<String, Object>> propertyGroups(Map<String, Object> t) {
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Map<String, Object> g : rawPropertyGroups(t)) {
            groups.addAll(unwrap(g));
        }
        return groups;
    }

    private static String groupOf(Map<String, String> streamOfGroup, String stream) {
        return streamOfGroup.entrySet().stream().filter(e -> e.getValue().equals(stream)).map(Map.Entry::getKey)
                .findFirst().orElse("?");
    }

    /** The statement with this Sid in the role's policy, to break in tests. */
    static Map<String, Object> statement(Map<String, Object> t, String sid) {
        return roleStatements(t).stream()
                .filter(s -> sid.equals(s.get("Sid")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no statement " + sid));
    }

    /** The mutable list of stream ARNs in a KMS statement's encryption-context condition. */
    @SuppressWarnings("unchecked")
    static List<Object> streamContext(Map<String, Object> kmsStatement) {
        return (List<Object>) map(map(kmsStatement.get("Condition")).get("StringEquals")).get(STREAM_CONTEXT_KEY);
    }

    static Map<String, Object> propertyMap(Map<String, Object> t, String group) {
        return propertyGroups(t).stream()
                .filter(g -> group.equals(g.get("PropertyGroupId")))
                .map(g -> map(g.get("PropertyMap")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no property group " + group));
    }

    static Map<String, Object> parameter(Map<String, Object> t, String name) {
        return map(map(t.get("Parameters")).get(name));
    }

    /**
     * Every statement of every identity policy in the template (inline role policies, IAM policies), both branches
     * of a conditional statement included.
     */
    static List<Map<String, Object>> statements(Map<String, Object> t) {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object s : rawStatements(t)) {
            statements.addAll(unwrap(s));
        }
        assertThat(statements).as("IAM policy statements").isNotEmpty();
        return statements;
    }

    /** The policy statements as written: a statement, or {@code Fn::If [condition, statement, statement]}. */
    static List<Object> rawStatements(Map<String, Object> t) {
        List<Object> statements = new ArrayList<>();
        for (Object r : map(t.get("Resources")).values()) {
            Map<String, Object> resource = map(r);
            if (!IAM_POLICY_TYPES.contains(resource.get("Type"))) {
                continue;
            }
            Map<String, Object> props = map(resource.get("Properties"));
            assertThat(props).as("managed policies attached to a role (not checked here)")
                    .doesNotContainKey("ManagedPolicyArns");
            List<Object> documents = new ArrayList<>();
            if (props.containsKey("PolicyDocument")) {
                documents.add(props.get("PolicyDocument"));
            }
            for (Object p : list(props.get("Policies"))) {
                documents.add(map(p).get("PolicyDocument"));
            }
            for (Object d : documents) {
                statements.addAll(list(map(d).get("Statement")));
            }
        }
        return statements;
    }

    /** The statements a raw statement may become: itself, or the branches of its Fn::If that are not NoValue. */
    private static List<Map<String, Object>> unwrap(Object raw) {
        Map<String, Object> statement = map(raw);
        if (!statement.containsKey("Fn::If")) {
            return List.of(statement);
        }
        List<?> args = (List<?>) statement.get("Fn::If");
        assertThat(args).as("Fn::If arguments").hasSize(3);
        List<Map<String, Object>> branches = new ArrayList<>();
        for (Object branch : args.subList(1, 3)) {
            if (!NO_VALUE.equals(branch)) {
                branches.addAll(unwrap(branch));
            }
        }
        return branches;
    }

    /** The statement of {@code Fn::If [UseCustomerKey, statement, AWS::NoValue]}, else nothing. */
    private static List<Map<String, Object>> customerKeyBranch(Object raw) {
        Object args = map(raw).get("Fn::If");
        if (!(args instanceof List) || ((List<?>) args).size() != 3) {
            return List.of();
        }
        List<?> a = (List<?>) args;
        boolean guarded = CUSTOMER_KEY_CONDITION.equals(a.get(0)) && a.get(1) instanceof Map
                && !((Map<?, ?>) a.get(1)).containsKey("Fn::If") && NO_VALUE.equals(a.get(2));
        return guarded ? List.of(map(a.get(1))) : List.of();
    }

    /** The statement list of the application role's first inline policy, to break in tests. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> roleStatements(Map<String, Object> t) {
        List<?> getAtt = (List<?>) map(applicationProperties(t).get("ServiceExecutionRole")).get("Fn::GetAtt");
        Map<String, Object> role = map(map(map(t.get("Resources")).get(String.valueOf(getAtt.get(0))))
                .get("Properties"));
        Map<String, Object> document = map(map(list(role.get("Policies")).get(0)).get("PolicyDocument"));
        return (List<Map<String, Object>>) document.get("Statement");
    }

    static Map<String, Object> resourceProperties(Map<String, Object> t, String resource) {
        return map(map(map(t.get("Resources")).get(resource)).get("Properties"));
    }

    static Map<String, Object> streamEncryption(Map<String, Object> t, String stream) {
        return map(resourceProperties(t, stream).get("StreamEncryption"));
    }

    /** The statement with this Sid inside a conditional statement of the role, to break in tests. */
    static Map<String, Object> kmsStatement(Map<String, Object> t, String sid) {
        return roleStatements(t).stream()
                .filter(s -> isIfOf(s, sid))
                .map(s -> map(((List<?>) s.get("Fn::If")).get(1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no conditional statement " + sid));
    }

    private static boolean isIfOf(Map<String, Object> statement, String sid) {
        Object args = statement.get("Fn::If");
        return args instanceof List && ((List<?>) args).get(1) instanceof Map
                && sid.equals(((Map<?, ?>) ((List<?>) args).get(1)).get("Sid"));
    }

    private static String single(Map<String, Object> t, String type) {
        List<String> ids = resourcesOfType(t, type);
        assertThat(ids).as("resources of type %s", type).hasSize(1);
        return ids.get(0);
    }

    private static List<String> resourcesOfType(Map<String, Object> t, String type) {
        return map(t.get("Resources")).entrySet().stream()
                .filter(e -> type.equals(map(e.getValue()).get("Type")))
                .map(Map.Entry::getKey)
                .collect(Collectors.toList());
    }

    private static String ref(Object value) {
        return value instanceof Map && ((Map<?, ?>) value).get("Ref") instanceof String
                ? (String) ((Map<?, ?>) value).get("Ref") : null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        assertThat(o).as("a YAML mapping").isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    private static List<?> list(Object o) {
        return o == null ? List.of() : o instanceof List ? (List<?>) o : List.of(o);
    }

    private static List<String> strings(Object o) {
        return list(o).stream().map(String::valueOf).collect(Collectors.toList());
    }

    private static Set<String> lower(String... actions) {
        return Arrays.stream(actions).map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    // ---- Building broken templates.

    private static void assertBreaks(Consumer<Map<String, Object>> breakIt, Consumer<Map<String, Object>> check,
            String messagePart) {
        Map<String, Object> t = template();
        check.accept(t); // passes before
        breakIt.accept(t);
        assertThatThrownBy(() -> check.accept(t)).as("the check must fail on the broken template")
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(messagePart);
    }

    private static Map<String, Object> group(String id, Map<String, Object> properties) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("PropertyGroupId", id);
        g.put("PropertyMap", new LinkedHashMap<>(properties));
        return g;
    }

    private static Map<String, Object> getAtt(String resource, String attribute) {
        return Map.of("Fn::GetAtt", List.of(resource, attribute));
    }

    private static Map<String, Object> allow(Object action, Object resource) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("Effect", "Allow");
        s.put("Action", action);
        s.put("Resource", resource);
        return s;
    }

    /** Allow {@code action} on {@code resource} for the stream {@code streamArn} (no condition if null). */
    private static Map<String, Object> kmsAllow(Object action, Object resource, Object streamArn) {
        Map<String, Object> s = allow(action, resource);
        if (streamArn != null) {
            s.put("Condition", Map.of("StringEquals", Map.of(STREAM_CONTEXT_KEY, streamArn)));
        }
        return s;
    }

    private static Map<String, Object> ifCustomerKey(Map<String, Object> statement) {
        return Map.of("Fn::If", List.of(CUSTOMER_KEY_CONDITION, statement, NO_VALUE));
    }

    private static Map<String, Object> notAction(Object action, Object resource) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("Effect", "Allow");
        s.put("NotAction", action);
        s.put("Resource", resource);
        return s;
    }

    // ---- Loading.

    /** A fresh, mutable copy of the template. */
    static Map<String, Object> template() {
        try (Reader reader = Files.newBufferedReader(repoFile(TEMPLATE), StandardCharsets.UTF_8)) {
            Object loaded = new Yaml(new CloudFormationConstructor()).load(reader);
            Map<String, Object> t = map(loaded);
            assertThat(t).containsKeys("Parameters", "Resources", "Outputs");
            return t;
        } catch (IOException e) {
            throw new AssertionError("cannot read " + TEMPLATE, e);
        }
    }

    /** A file of the repository, found from the working directory (the module) upwards. */
    static Path repoFile(String relative) {
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(relative + " not found above " + Paths.get("").toAbsolutePath());
    }

    /**
     * SnakeYAML's safe constructor plus CloudFormation's short-form intrinsic functions: {@code !Ref X} becomes
     * {@code {Ref: X}}, {@code !GetAtt A.B} becomes {@code {Fn::GetAtt: [A, B]}}, {@code !Sub ...} becomes
     * {@code {Fn::Sub: ...}}, and so on, as in the JSON form. Unknown tags still fail.
     */
    static final class CloudFormationConstructor extends SafeConstructor {
        private static final List<String> FUNCTIONS = List.of("Base64", "Cidr", "Equals", "FindInMap", "GetAtt",
                "GetAZs", "If", "ImportValue", "Join", "Not", "And", "Or", "Select", "Split", "Sub", "Transform",
                "Length", "ToJsonString");

        CloudFormationConstructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
            for (String f : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + f), new Intrinsic("Fn::" + f));
            }
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String name;

            Intrinsic(String name) {
                this.name = name;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode) {
                    value = constructScalar((ScalarNode) node);
                    if (name.equals("Fn::GetAtt")) { // !GetAtt Resource.Attribute
                        String s = (String) value;
                        int dot = s.indexOf('.');
                        value = dot < 0 ? List.of(s) : List.of(s.substring(0, dot), s.substring(dot + 1));
                    }
                } else if (node instanceof SequenceNode) {
                    value = constructSequence((SequenceNode) node);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                Map<String, Object> function = new LinkedHashMap<>();
                function.put(name, value);
                return function;
            }
        }
    }
}
