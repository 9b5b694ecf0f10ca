package com.example.fraud.detector.config;

import com.example.fraud.rules.FiringMode;
import static org.apache.flink.configuration.ConfigOptions.key;

import com.example.fraud.model.DeadLetterPayload;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.HtmlFormatter;

/**
 * Every setting of the job: property groups (MSF runtime properties, or the same JSON locally), their
 * typed options, defaults and descriptions. The single source of truth for config, the README reference
 * and the CloudFormation template test.
 */
public final class FraudDetectorOptions {
    private FraudDetectorOptions() {}

    // ---- Kinesis streams: the same keys in InputStream, AlertStream and DeadLetterStream.

    public static final ConfigOption<String> STREAM_ARN = key("stream.arn")
            .stringType()
            .noDefaultValue()
            .withDescription("ARN of the Kinesis data stream. Required.");

    public static final ConfigOption<String> AWS_REGION = key("aws.region")
            .stringType()
            .noDefaultValue()
            .withDescription("AWS region of the stream. Default: the region in stream.arn.");

    public static final ConfigOption<String> AWS_ENDPOINT = key("aws.endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("Endpoint override, e.g. http://127.0.0.1:4568 for the local emulator. "
                    + "Default: the regional AWS endpoint.");

    public static final ConfigOption<StartPosition> INITIAL_POSITION = key("initial.position")
            .enumType(StartPosition.class)
            .defaultValue(StartPosition.TRIM_HORIZON)
            .withDescription("Where the job starts reading when it has no checkpoint or savepoint: TRIM_HORIZON "
                    + "(everything the stream retains, so nothing written while no job ran is skipped; alerts on "
                    + "windows an earlier run already flagged repeat their alert_id) or LATEST (only records written "
                    + "after the start: records written while the job was down are never examined).");

    public static final ConfigOption<Duration> SINK_MAX_BUFFER_TIME = key("max.buffer.time")
            .durationType()
            .defaultValue(Duration.ofMillis(100))
            .withDescription("Longest time a record waits in the sink's buffer before PutRecords. "
                    + "The connector's 5 s default would add ~5 s to every alert.");

    public static final ConfigOption<Integer> SHADOW_SINK_MAX_BUFFERED = key("max.buffered.entries")
            .intType()
            .defaultValue(10_000)
            .withDescription("Shadow alerts waiting for the shadow stream, per parallel instance (each is sent at "
                    + "once, in a request of its own, as far as the sink's 50 requests in flight allow). Beyond this "
                    + "many a shadow alert is dropped, counted in kinesisanalytics.sinkDroppedEntries with a WARN, so "
                    + "that a rule under trial that alerts more than the stream takes never holds back the rules and "
                    + "the live alerts.");

    public static final ConfigOption<DeadLetterPayload.Mode> DEAD_LETTER_PAYLOAD = key("payload")
            .enumType(DeadLetterPayload.Mode.class)
            .defaultValue(DeadLetterPayload.Mode.FULL)
            .withDescription("How much of a rejected record a dead letter keeps. FULL: all of it (an OVERSIZED "
                    + "record its first record.max.bytes). TRUNCATED: the first payload.max.bytes. HASH: none, only its SHA-256 and size; "
                    + "choose HASH or TRUNCATED when records may carry personal or card data. Every mode keeps the "
                    + "SHA-256 of the original record.");

    public static final ConfigOption<Integer> DEAD_LETTER_PAYLOAD_MAX_BYTES = key("payload.max.bytes")
            .intType()
            .defaultValue(1024)
            .withDescription("With payload=TRUNCATED, how many bytes of the record a dead letter keeps.");

    // ---- Rules: the initial rule set.

    /** The longest value of one MSF runtime property (API PropertyGroup: value length 1 to 2048). */
    public static final int MSF_MAX_PROPERTY_VALUE_CHARS = 2048;

    public static final ConfigOption<String> RULES = key("rules")
            .stringType()
            .noDefaultValue()
            .withDescription("The initial rule set: a JSON array of rule documents (schema in the README), "
                    + "validated at start-up. On MSF a property value holds at most " + MSF_MAX_PROPERTY_VALUE_CHARS
                    + " characters: write the rules compactly (a rule takes about 150, so about a dozen fit) and put "
                    + "further rules on the control stream (RuleStream). Not set or empty: the default rule, from the "
                    + "Detection group. At most one of rules and file.");

    public static final ConfigOption<String> RULES_FILE = key("file")
            .stringType()
            .noDefaultValue()
            .withDescription("Path of a JSON file holding the initial rule set as a JSON array of rule documents "
                    + "(local runs and clusters; on a cluster the JobManager reads it). At most one of rules and "
                    + "file.");

    // ---- Detection: the rule and its event-time semantics.

    public static final ConfigOption<String> THRESHOLD = key("threshold")
            .stringType()
            .defaultValue("3000.00")
            .withDescription("An account is flagged when sum(amount) in one window is strictly greater "
                    + "than this. Decimal, at most two places.");

    public static final ConfigOption<Duration> WINDOW_SIZE = key("window.size")
            .durationType()
            .defaultValue(Duration.ofSeconds(60))
            .withDescription("Length of the per-account tumbling event-time window.");

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS = key("watermark.max.out.of.orderness")
            .durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("How far behind the newest transaction of a shard a delayed transaction may be "
                    + "and still count in its own window.");

    public static final ConfigOption<Duration> MAX_CLOCK_SKEW = key("max.clock.skew")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("A transaction whose txn_time is further ahead of its record's Kinesis arrival time is "
                    + "dead-lettered as CLOCK_SKEW and never moves the watermark, so a record dated in the future "
                    + "cannot make honest transactions late. Measured against arrival time, not the wall clock, so "
                    + "replays decide the same way. At most allowed.lateness.");

    public static final ConfigOption<Duration> IDLE_TIMEOUT = key("watermark.idle.timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("A shard with no valid transaction for this long (nothing, or only records that are "
                    + "dead-lettered) stops holding back the watermark. After a "
                    + "restore the watermark is held until every shard a subtask had read since it last started "
                    + "has delivered again, at most this long after the restart.");

    public static final ConfigOption<Duration> ALLOWED_LATENESS = key("allowed.lateness")
            .durationType()
            .defaultValue(Duration.ofSeconds(60))
            .withDescription("How long a window is kept after it closes. A transaction arriving in that time "
                    + "is still counted and can still raise the window's single alert (or revise a WINDOW_CLOSE "
                    + "alert's total); later ones go to the dead-letter stream with reason LATE.");

    public static final ConfigOption<FiringMode> FIRING = key("firing")
            .enumType(FiringMode.class)
            .defaultValue(FiringMode.EARLY)
            .withDescription("EARLY: alert on the transaction that takes the sum over the threshold. "
                    + "WINDOW_CLOSE: alert when the watermark passes the window's end.");

    public static final ConfigOption<Integer> MAX_TXN_IDS = key("alert.max.txn.ids")
            .intType()
            .defaultValue(100)
            .withDescription("At most this many transaction ids are listed in an alert as evidence. Raised across a restart, it "
                    + "applies to tumbling windows opened after: an open one has kept only the first ids of the old cap.");

    /** The weight (transactions, windows, window ids and values) at which a key's rule states enter the cache. */
    public static final int STATE_CACHE_MIN_WEIGHT = 1_000;

    public static final ConfigOption<Integer> STATE_CACHE_MAX_EVENTS = key("state.cache.max.events")
            .intType()
            .defaultValue(1_000_000)
            .withDescription("RocksDB only (MSF's backend): the rule states of the busiest keys, those holding at "
                    + "least 1,000 transactions, windows, window ids and distinct values, stay deserialized on the "
                    + "heap between checkpoints, up to this many of those per parallel instance (about 150 bytes of "
                    + "heap each), and what changed is written to RocksDB before every checkpoint. Without it, a "
                    + "flooded key's whole state is read and written on every transaction. 0 turns it off, else at "
                    + "least 1000; a key heavier than this is not cached (counted in hotKeyAccessesOverBudget).");

    public static final ConfigOption<Integer> MAX_RECORD_BYTES = key("record.max.bytes")
            .intType()
            .defaultValue(65_536)
            .withDescription("Larger input records are dead-lettered as OVERSIZED, unparsed, keeping at most this "
                    + "much payload. At most 1 MiB, the largest record Kinesis accepts.");

    // ---- Local: only read when the job runs locally (IS_LOCAL=1 or from the IDE).

    public static final ConfigOption<Duration> LOCAL_CHECKPOINT_INTERVAL = key("checkpoint.interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("Checkpoint interval of a local run (MSF and clusters configure their own).");

    public static final ConfigOption<Integer> LOCAL_PARALLELISM = key("parallelism")
            .intType()
            .defaultValue(1)
            .withDescription("Parallelism of a local run.");

    public static final ConfigOption<String> LOCAL_WEB_UI_PORT = key("web.ui.port")
            .stringType()
            .defaultValue("8081-8089")
            .withDescription("Port, or port range, of the Flink web UI of a local run.");

    /** The property groups and the options each accepts. */
    public static final List<PropertyGroup> GROUPS = List.of(
            new PropertyGroup("InputStream", "Kinesis stream of transactions.", true,
                    List.of(STREAM_ARN, AWS_REGION, AWS_ENDPOINT, INITIAL_POSITION)),
            new PropertyGroup("AlertStream", "Kinesis stream that receives alerts.", true,
                    List.of(STREAM_ARN, AWS_REGION, AWS_ENDPOINT, SINK_MAX_BUFFER_TIME)),
            new PropertyGroup("DeadLetterStream", "Kinesis stream for invalid and late records.", true,
                    List.of(STREAM_ARN, AWS_REGION, AWS_ENDPOINT, SINK_MAX_BUFFER_TIME, DEAD_LETTER_PAYLOAD,
                            DEAD_LETTER_PAYLOAD_MAX_BYTES)),
            new PropertyGroup("RuleStream", "Kinesis control stream of rule changes (default name fraud-rules); "
                    + "always read from TRIM_HORIZON: rule versions make reading it again safe.", true,
                    List.of(STREAM_ARN, AWS_REGION, AWS_ENDPOINT)),
            new PropertyGroup("RuleAckStream", "Kinesis stream that receives one acknowledgement per rule change "
                    + "(default name fraud-rule-acks).", true,
                    List.of(STREAM_ARN, AWS_REGION, AWS_ENDPOINT, SINK_MAX_BUFFER_TIME)),
            new PropertyGroup("ShadowAlertStream", "Kinesis stream that receives the alerts of SHADOW rules "
                    + "(default name fraud-shadow-alerts).", true,
                    List.of(STREAM_ARN, AWS_REGION, AWS_ENDPOINT, SINK_MAX_BUFFER_TIME, SHADOW_SINK_MAX_BUFFERED)),
            new PropertyGroup("Rules", "The initial rule set. Optional.", false,
                    List.of(RULES, RULES_FILE)),
            new PropertyGroup("Detection", "The rule and its event-time semantics.", false,
                    List.of(THRESHOLD, WINDOW_SIZE, MAX_OUT_OF_ORDERNESS, MAX_CLOCK_SKEW, IDLE_TIMEOUT, ALLOWED_LATENESS,
                            FIRING,
                            MAX_TXN_IDS, MAX_RECORD_BYTES, STATE_CACHE_MAX_EVENTS)),
            new PropertyGroup("Local", "Local runs only; ignored on MSF and clusters.", false,
                    List.of(LOCAL_CHECKPOINT_INTERVAL, LOCAL_PARALLELISM, LOCAL_WEB_UI_PORT)));

    /**
     * Not an option: keyed state is split into this many key groups, and a savepoint restores only with the same
     * number. Set explicitly so that rescaling (MSF autoscaling goes 1 -> 2 -> 1) never depends on Flink's
     * parallelism-derived default. Never change it for a running application. It also caps the parallelism.
     */
    public static final int MAX_PARALLELISM = 128;

    /** The largest Kinesis record (data and partition key). */
    public static final int KINESIS_MAX_RECORD_BYTES = 1_048_576;

    private static final Map<ConfigOption<?>, Bounds<?>> BOUNDS = new IdentityHashMap<>();

    static {
        BOUNDS.put(SINK_MAX_BUFFER_TIME, Bounds.durations(Duration.ofMillis(1), Duration.ofMinutes(1)));
        BOUNDS.put(SHADOW_SINK_MAX_BUFFERED, Bounds.ints(100, 1_000_000));
        BOUNDS.put(DEAD_LETTER_PAYLOAD_MAX_BYTES, Bounds.ints(0, KINESIS_MAX_RECORD_BYTES));
        BOUNDS.put(WINDOW_SIZE, Bounds.durations(Duration.ofSeconds(1), Duration.ofDays(1)));
        BOUNDS.put(MAX_OUT_OF_ORDERNESS, Bounds.durations(Duration.ZERO, Duration.ofHours(1)));
        BOUNDS.put(MAX_CLOCK_SKEW, Bounds.durations(Duration.ZERO, Duration.ofDays(1)));
        BOUNDS.put(IDLE_TIMEOUT, Bounds.durations(Duration.ofSeconds(1), Duration.ofDays(1)));
        BOUNDS.put(ALLOWED_LATENESS, Bounds.durations(Duration.ZERO, Duration.ofDays(1)));
        // 1,000 ids of at most 128 characters keep an alert well inside a Kinesis record.
        BOUNDS.put(MAX_TXN_IDS, Bounds.ints(1, 1000));
        BOUNDS.put(MAX_RECORD_BYTES, Bounds.ints(64, KINESIS_MAX_RECORD_BYTES));
        BOUNDS.put(STATE_CACHE_MAX_EVENTS, Bounds.ints(0, 100_000_000));
        BOUNDS.put(LOCAL_CHECKPOINT_INTERVAL, Bounds.durations(Duration.ofMillis(100), Duration.ofHours(1)));
        BOUNDS.put(LOCAL_PARALLELISM, Bounds.ints(1, MAX_PARALLELISM));
    }

    /** The range an option's value must lie in, if it has one. */
    public static Optional<Bounds<?>> bounds(ConfigOption<?> option) {
        return Optional.ofNullable(BOUNDS.get(option));
    }

    /** An option's description as plain text. */
    public static String describe(ConfigOption<?> option) {
        return new HtmlFormatter().format(option.description()).replaceAll("\\s+", " ");
    }

    public static PropertyGroup group(String id) {
        return GROUPS.stream()
                .filter(g -> g.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no property group " + id));
    }

    /** Where reading starts without a checkpoint; maps to the connector's initial position. */
    public enum StartPosition {
        LATEST,
        TRIM_HORIZON
    }
}
