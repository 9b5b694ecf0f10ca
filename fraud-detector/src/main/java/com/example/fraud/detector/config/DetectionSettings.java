package com.example.fraud.detector.config;

import com.example.fraud.rules.FiringMode;
import static com.example.fraud.detector.config.FraudDetectorOptions.ALLOWED_LATENESS;
import static com.example.fraud.detector.config.FraudDetectorOptions.DEAD_LETTER_PAYLOAD;
import static com.example.fraud.detector.config.FraudDetectorOptions.DEAD_LETTER_PAYLOAD_MAX_BYTES;
import static com.example.fraud.detector.config.FraudDetectorOptions.FIRING;
import static com.example.fraud.detector.config.FraudDetectorOptions.IDLE_TIMEOUT;
import static com.example.fraud.detector.config.FraudDetectorOptions.MAX_CLOCK_SKEW;
import static com.example.fraud.detector.config.FraudDetectorOptions.MAX_OUT_OF_ORDERNESS;
import static com.example.fraud.detector.config.FraudDetectorOptions.MAX_RECORD_BYTES;
import static com.example.fraud.detector.config.FraudDetectorOptions.MAX_TXN_IDS;
import static com.example.fraud.detector.config.FraudDetectorOptions.STATE_CACHE_MAX_EVENTS;
import static com.example.fraud.detector.config.FraudDetectorOptions.THRESHOLD;
import static com.example.fraud.detector.config.FraudDetectorOptions.WINDOW_SIZE;

import com.example.fraud.model.DeadLetterPayload;
import com.example.fraud.model.Money;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Properties;

/** The validated rule parameters, in the units the operators use. Immutable; shipped inside operators. */
public final class DetectionSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long thresholdCents;
    private final long windowMillis;
    private final long maxOutOfOrdernessMillis;
    private final long maxClockSkewMillis;
    private final long idleTimeoutMillis;
    private final long allowedLatenessMillis;
    private final FiringMode firing;
    private final int maxTxnIds;
    private final int maxRecordBytes;
    private final int stateCacheMaxEvents;
    private final DeadLetterPayload deadLetterPayload;

    private DetectionSettings(Builder b) {
        this.thresholdCents = b.thresholdCents;
        this.windowMillis = b.windowMillis;
        this.maxOutOfOrdernessMillis = b.maxOutOfOrdernessMillis;
        this.maxClockSkewMillis = b.maxClockSkewMillis;
        this.idleTimeoutMillis = b.idleTimeoutMillis;
        this.allowedLatenessMillis = b.allowedLatenessMillis;
        this.firing = b.firing;
        this.maxTxnIds = b.maxTxnIds;
        this.maxRecordBytes = b.maxRecordBytes;
        this.stateCacheMaxEvents = b.stateCacheMaxEvents;
        this.deadLetterPayload = b.deadLetterPayload;
    }

    /** The defaults of every option. */
    public static DetectionSettings defaults() {
        return read(new GroupReader(FraudDetectorOptions.group("Detection"), new Properties()),
                new GroupReader(FraudDetectorOptions.group("DeadLetterStream"), new Properties()));
    }

    public static Builder builder() {
        return new Builder(defaults());
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The Detection group, and the dead-letter stream's payload policy (every operator that rejects needs it). */
    static DetectionSettings read(GroupReader g, GroupReader deadLetters) {
        Builder b = new Builder();
        String threshold = g.get(THRESHOLD);
        try {
            BigDecimal t = new BigDecimal(threshold);
            if (t.signum() < 0) {
                throw g.error(THRESHOLD, "must not be negative, got " + threshold);
            }
            b.thresholdCents = Money.toCents(t.stripTrailingZeros());
            if (b.thresholdCents > Money.MAX_AMOUNT_CENTS) {
                throw g.error(THRESHOLD, "must be at most " + Money.format(Money.MAX_AMOUNT_CENTS) + ", got " + threshold);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw g.error(THRESHOLD, "must be a decimal amount with at most two places, got '" + threshold + "'");
        }
        b.windowMillis = g.get(WINDOW_SIZE).toMillis();
        b.maxOutOfOrdernessMillis = g.get(MAX_OUT_OF_ORDERNESS).toMillis();
        b.idleTimeoutMillis = g.get(IDLE_TIMEOUT).toMillis();
        b.allowedLatenessMillis = g.get(ALLOWED_LATENESS).toMillis();
        b.maxClockSkewMillis = g.get(MAX_CLOCK_SKEW).toMillis();
        // A record accepted at the skew limit moves its shard's watermark that far ahead; within the allowed
        // lateness, an honest transaction delayed by up to the out-of-orderness bound is still counted.
        if (b.maxClockSkewMillis > b.allowedLatenessMillis) {
            throw g.error(MAX_CLOCK_SKEW, "must not exceed allowed.lateness (" + Bounds.format(g.get(ALLOWED_LATENESS))
                    + "), else a record dated that far ahead could make honest transactions late; got "
                    + Bounds.format(g.get(MAX_CLOCK_SKEW)));
        }
        b.firing = g.get(FIRING);
        b.maxTxnIds = g.get(MAX_TXN_IDS);
        b.maxRecordBytes = g.get(MAX_RECORD_BYTES);
        b.stateCacheMaxEvents = g.get(STATE_CACHE_MAX_EVENTS);
        if (b.stateCacheMaxEvents > 0 && b.stateCacheMaxEvents < FraudDetectorOptions.STATE_CACHE_MIN_WEIGHT) {
            throw g.error(STATE_CACHE_MAX_EVENTS, "must be 0 (off) or at least "
                    + FraudDetectorOptions.STATE_CACHE_MIN_WEIGHT + ", the weight at which a key is cached; got "
                    + b.stateCacheMaxEvents);
        }
        DeadLetterPayload.Mode mode = deadLetters.get(DEAD_LETTER_PAYLOAD);
        int cut = deadLetters.get(DEAD_LETTER_PAYLOAD_MAX_BYTES);
        b.deadLetterPayload = mode == DeadLetterPayload.Mode.FULL ? DeadLetterPayload.full()
                : mode == DeadLetterPayload.Mode.TRUNCATED ? DeadLetterPayload.truncated(cut) : DeadLetterPayload.hashOnly();
        return b.build();
    }

    public long thresholdCents() {
        return thresholdCents;
    }

    public long windowMillis() {
        return windowMillis;
    }

    public long maxOutOfOrdernessMillis() {
        return maxOutOfOrdernessMillis;
    }

    public long maxClockSkewMillis() {
        return maxClockSkewMillis;
    }

    public long idleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    public long allowedLatenessMillis() {
        return allowedLatenessMillis;
    }

    /** The rule set when none is configured: the original rule with these settings. */
    public java.util.List<com.example.fraud.rules.Rule> defaultRules() {
        return java.util.List.of(com.example.fraud.rules.DefaultRules.sumOverThreshold(thresholdCents, windowMillis,
                firing));
    }

    public FiringMode firing() {
        return firing;
    }

    public int maxTxnIds() {
        return maxTxnIds;
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /** RocksDB: how many transactions and windows the busiest keys' rule states may hold on the heap in all. */
    public int stateCacheMaxEvents() {
        return stateCacheMaxEvents;
    }

    /** How much of a rejected record its dead letter keeps. */
    public DeadLetterPayload deadLetterPayload() {
        return deadLetterPayload;
    }

    @Override
    public String toString() {
        return "threshold=" + Money.format(thresholdCents) + ", window=" + Duration.ofMillis(windowMillis)
                + ", outOfOrderness=" + Duration.ofMillis(maxOutOfOrdernessMillis) + ", maxClockSkew="
                + Duration.ofMillis(maxClockSkewMillis) + ", idleTimeout="
                + Duration.ofMillis(idleTimeoutMillis) + ", allowedLateness=" + Duration.ofMillis(allowedLatenessMillis)
                + ", firing=" + firing;
    }

    /** For tests and embedding; the job itself reads {@link FraudDetectorOptions}. */
    public static final class Builder {
        private long thresholdCents;
        private long windowMillis;
        private long maxOutOfOrdernessMillis;
        private long maxClockSkewMillis;
        private long idleTimeoutMillis;
        private long allowedLatenessMillis;
        private FiringMode firing;
        private int maxTxnIds;
        private int maxRecordBytes;
        private int stateCacheMaxEvents;
        private DeadLetterPayload deadLetterPayload;

        private Builder() {}

        private Builder(DetectionSettings s) {
            thresholdCents = s.thresholdCents;
            windowMillis = s.windowMillis;
            maxOutOfOrdernessMillis = s.maxOutOfOrdernessMillis;
            maxClockSkewMillis = s.maxClockSkewMillis;
            idleTimeoutMillis = s.idleTimeoutMillis;
            allowedLatenessMillis = s.allowedLatenessMillis;
            firing = s.firing;
            maxTxnIds = s.maxTxnIds;
            maxRecordBytes = s.maxRecordBytes;
            stateCacheMaxEvents = s.stateCacheMaxEvents;
            deadLetterPayload = s.deadLetterPayload;
        }

        public Builder thresholdCents(long v) {
            thresholdCents = v;
            return this;
        }

        public Builder window(Duration v) {
            windowMillis = v.toMillis();
            return this;
        }

        public Builder maxOutOfOrderness(Duration v) {
            maxOutOfOrdernessMillis = v.toMillis();
            return this;
        }

        public Builder maxClockSkew(Duration v) {
            maxClockSkewMillis = v.toMillis();
            return this;
        }

        public Builder deadLetterPayload(DeadLetterPayload v) {
            deadLetterPayload = v;
            return this;
        }

        public Builder idleTimeout(Duration v) {
            idleTimeoutMillis = v.toMillis();
            return this;
        }

        public Builder allowedLateness(Duration v) {
            allowedLatenessMillis = v.toMillis();
            return this;
        }

        public Builder firing(FiringMode v) {
            firing = v;
            return this;
        }

        public Builder maxTxnIds(int v) {
            maxTxnIds = v;
            return this;
        }

        public Builder maxRecordBytes(int v) {
            maxRecordBytes = v;
            return this;
        }

        public Builder stateCacheMaxEvents(int v) {
            stateCacheMaxEvents = v;
            return this;
        }

        public DetectionSettings build() {
            return new DetectionSettings(this);
        }
    }
}
