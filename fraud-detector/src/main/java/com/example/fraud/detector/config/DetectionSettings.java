package com.example.fraud.detector.config;

import static com.example.fraud.detector.config.FraudDetectorOptions.ALLOWED_LATENESS;
import static com.example.fraud.detector.config.FraudDetectorOptions.FIRING;
import static com.example.fraud.detector.config.FraudDetectorOptions.IDLE_TIMEOUT;
import static com.example.fraud.detector.config.FraudDetectorOptions.MAX_OUT_OF_ORDERNESS;
import static com.example.fraud.detector.config.FraudDetectorOptions.MAX_RECORD_BYTES;
import static com.example.fraud.detector.config.FraudDetectorOptions.MAX_TXN_IDS;
import static com.example.fraud.detector.config.FraudDetectorOptions.THRESHOLD;
import static com.example.fraud.detector.config.FraudDetectorOptions.WINDOW_SIZE;

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
    private final long idleTimeoutMillis;
    private final long allowedLatenessMillis;
    private final FiringMode firing;
    private final int maxTxnIds;
    private final int maxRecordBytes;

    private DetectionSettings(Builder b) {
        this.thresholdCents = b.thresholdCents;
        this.windowMillis = b.windowMillis;
        this.maxOutOfOrdernessMillis = b.maxOutOfOrdernessMillis;
        this.idleTimeoutMillis = b.idleTimeoutMillis;
        this.allowedLatenessMillis = b.allowedLatenessMillis;
        this.firing = b.firing;
        this.maxTxnIds = b.maxTxnIds;
        this.maxRecordBytes = b.maxRecordBytes;
    }

    /** The defaults of every option. */
    public static DetectionSettings defaults() {
        return read(new GroupReader(FraudDetectorOptions.group("Detection"), new Properties()));
    }

    public static Builder builder() {
        return new Builder(defaults());
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    static DetectionSettings read(GroupReader g) {
        Builder b = new Builder();
        String threshold = g.get(THRESHOLD);
        try {
            BigDecimal t = new BigDecimal(threshold);
            if (t.signum() < 0) {
                throw g.error(THRESHOLD, "must not be negative, got " + threshold);
            }
            b.thresholdCents = Money.toCents(t.stripTrailingZeros());
        } catch (NumberFormatException | ArithmeticException e) {
            throw g.error(THRESHOLD, "must be a decimal amount with at most two places, got '" + threshold + "'");
        }
        b.windowMillis = g.positive(WINDOW_SIZE).toMillis();
        b.maxOutOfOrdernessMillis = g.nonNegative(MAX_OUT_OF_ORDERNESS).toMillis();
        b.idleTimeoutMillis = g.positive(IDLE_TIMEOUT).toMillis();
        b.allowedLatenessMillis = g.nonNegative(ALLOWED_LATENESS).toMillis();
        b.firing = g.get(FIRING);
        b.maxTxnIds = g.positiveInt(MAX_TXN_IDS);
        b.maxRecordBytes = g.positiveInt(MAX_RECORD_BYTES);
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

    public long idleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    public long allowedLatenessMillis() {
        return allowedLatenessMillis;
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

    @Override
    public String toString() {
        return "threshold=" + Money.format(thresholdCents) + ", window=" + Duration.ofMillis(windowMillis)
                + ", outOfOrderness=" + Duration.ofMillis(maxOutOfOrdernessMillis) + ", idleTimeout="
                + Duration.ofMillis(idleTimeoutMillis) + ", allowedLateness=" + Duration.ofMillis(allowedLatenessMillis)
                + ", firing=" + firing;
    }

    /** For tests and embedding; the job itself reads {@link FraudDetectorOptions}. */
    public static final class Builder {
        private long thresholdCents;
        private long windowMillis;
        private long maxOutOfOrdernessMillis;
        private long idleTimeoutMillis;
        private long allowedLatenessMillis;
        private FiringMode firing;
        private int maxTxnIds;
        private int maxRecordBytes;

        private Builder() {}

        private Builder(DetectionSettings s) {
            thresholdCents = s.thresholdCents;
            windowMillis = s.windowMillis;
            maxOutOfOrdernessMillis = s.maxOutOfOrdernessMillis;
            idleTimeoutMillis = s.idleTimeoutMillis;
            allowedLatenessMillis = s.allowedLatenessMillis;
            firing = s.firing;
            maxTxnIds = s.maxTxnIds;
            maxRecordBytes = s.maxRecordBytes;
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

        public DetectionSettings build() {
            return new DetectionSettings(this);
        }
    }
}
