package com.example.fraud.detector.config;

import static com.example.fraud.detector.config.FraudDetectorOptions.INITIAL_POSITION;
import static com.example.fraud.detector.config.FraudDetectorOptions.LOCAL_CHECKPOINT_INTERVAL;
import static com.example.fraud.detector.config.FraudDetectorOptions.LOCAL_PARALLELISM;
import static com.example.fraud.detector.config.FraudDetectorOptions.LOCAL_WEB_UI_PORT;
import static com.example.fraud.detector.config.FraudDetectorOptions.SHADOW_SINK_MAX_BUFFERED;
import static com.example.fraud.detector.config.FraudDetectorOptions.SINK_MAX_BUFFER_TIME;

import com.example.fraud.detector.config.FraudDetectorOptions.StartPosition;
import com.example.fraud.rules.Rule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/** The whole validated configuration of the job, read from MSF-style property groups. */
public final class JobConfig {
    public final StreamSettings input;
    public final StartPosition initialPosition;
    public final StreamSettings alerts;
    public final Duration alertsMaxBufferTime;
    public final StreamSettings deadLetters;
    public final Duration deadLettersMaxBufferTime;
    /** The rules control stream, always read from TRIM_HORIZON. */
    public final StreamSettings ruleCommands;
    public final StreamSettings ruleAcks;
    public final Duration ruleAcksMaxBufferTime;
    public final StreamSettings shadowAlerts;
    public final Duration shadowAlertsMaxBufferTime;
    /** Shadow alerts buffered per writer; beyond, they are dropped and counted. */
    public final int shadowAlertsMaxBuffered;
    public final DetectionSettings detection;
    /** The initial rule set, validated: the Rules group, else the default rule of {@link #detection}. */
    public final List<Rule> rules;
    public final Duration localCheckpointInterval;
    public final int localParallelism;
    public final String localWebUiPort;

    private JobConfig(Map<String, Properties> groups) {
        GroupReader in = reader(groups, "InputStream");
        input = StreamSettings.read(in);
        initialPosition = in.get(INITIAL_POSITION);
        GroupReader out = reader(groups, "AlertStream");
        alerts = StreamSettings.read(out);
        alertsMaxBufferTime = out.get(SINK_MAX_BUFFER_TIME);
        GroupReader dlq = reader(groups, "DeadLetterStream");
        deadLetters = StreamSettings.read(dlq);
        deadLettersMaxBufferTime = dlq.get(SINK_MAX_BUFFER_TIME);
        ruleCommands = StreamSettings.read(reader(groups, "RuleStream"));
        GroupReader acks = reader(groups, "RuleAckStream");
        ruleAcks = StreamSettings.read(acks);
        ruleAcksMaxBufferTime = acks.get(SINK_MAX_BUFFER_TIME);
        GroupReader shadow = reader(groups, "ShadowAlertStream");
        shadowAlerts = StreamSettings.read(shadow);
        shadowAlertsMaxBufferTime = shadow.get(SINK_MAX_BUFFER_TIME);
        shadowAlertsMaxBuffered = shadow.get(SHADOW_SINK_MAX_BUFFERED);
        detection = DetectionSettings.read(reader(groups, "Detection"), dlq);
        rules = InitialRules.read(reader(groups, "Rules"), detection);
        GroupReader local = reader(groups, "Local");
        localCheckpointInterval = local.get(LOCAL_CHECKPOINT_INTERVAL);
        localParallelism = local.get(LOCAL_PARALLELISM);
        localWebUiPort = local.get(LOCAL_WEB_UI_PORT);
    }

    /**
     * Validates property groups as MSF hands them over ({@code KinesisAnalyticsRuntime}) or as read from a
     * local file. Throws {@link ConfigException} naming the group and property on the first problem.
     */
    public static JobConfig fromPropertyGroups(Map<String, Properties> groups) {
        checkGroupsKnown(groups);
        return new JobConfig(groups);
    }

    /**
     * The Detection group (and the dead-letter payload policy) alone, validated as the job does; the stream groups
     * may be absent. For the tools that run the rules without Kinesis: backtest, and the generator's ground truth.
     */
    public static DetectionSettings detection(Map<String, Properties> groups) {
        checkGroupsKnown(groups);
        return DetectionSettings.read(reader(groups, "Detection"), reader(groups, "DeadLetterStream"));
    }

    /** The Rules group alone, validated as the job does: its rules, else the default rule of {@code detection}. */
    public static List<Rule> initialRules(Map<String, Properties> groups, DetectionSettings detection) {
        checkGroupsKnown(groups);
        return InitialRules.read(reader(groups, "Rules"), detection);
    }

    private static void checkGroupsKnown(Map<String, Properties> groups) {
        for (String id : groups.keySet()) {
            boolean known = FraudDetectorOptions.GROUPS.stream().anyMatch(g -> g.id().equals(id));
            if (!known) {
                throw new ConfigException("Invalid configuration: unknown property group '" + id + "'; known groups: "
                        + FraudDetectorOptions.GROUPS.stream().map(PropertyGroup::id).collect(Collectors.joining(", ")));
            }
        }
    }

    private static GroupReader reader(Map<String, Properties> groups, String id) {
        return new GroupReader(FraudDetectorOptions.group(id), groups.get(id));
    }
}
