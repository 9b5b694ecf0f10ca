package com.example.fraud.tools.generator;

import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.model.Money;
import com.example.fraud.tools.DurationText;
import java.time.Duration;

/**
 * The detector's rule parameters that decide what must be flagged, late or oversized, as the generator's default rule
 * and its ground truth use them: taken from the job's own {@link DetectionSettings} (defaults and config file alike),
 * then adjustable by the generator's options. Immutable.
 */
public final class RuleSettings {
    private final long thresholdCents;
    private final long windowMillis;
    private final long maxOutOfOrdernessMillis;
    private final long allowedLatenessMillis;
    private final int recordMaxBytes;
    private final String firing;

    public RuleSettings(long thresholdCents, long windowMillis, long maxOutOfOrdernessMillis,
            long allowedLatenessMillis, int recordMaxBytes, String firing) {
        if (thresholdCents < 0) {
            throw new IllegalArgumentException("threshold must not be negative");
        }
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("window must be positive");
        }
        if (maxOutOfOrdernessMillis < 0 || allowedLatenessMillis < 0) {
            throw new IllegalArgumentException("out-of-orderness and allowed lateness must not be negative");
        }
        if (recordMaxBytes <= 0) {
            throw new IllegalArgumentException("record.max.bytes must be positive");
        }
        this.thresholdCents = thresholdCents;
        this.windowMillis = windowMillis;
        this.maxOutOfOrdernessMillis = maxOutOfOrdernessMillis;
        this.allowedLatenessMillis = allowedLatenessMillis;
        this.recordMaxBytes = recordMaxBytes;
        this.firing = firing;
    }

    /** The job's defaults. */
    public static RuleSettings defaults() {
        return of(DetectionSettings.defaults());
    }

    /** The job's settings, as it read them (from its config file, or its defaults). */
    public static RuleSettings of(DetectionSettings job) {
        return new RuleSettings(job.thresholdCents(), job.windowMillis(), job.maxOutOfOrdernessMillis(),
                job.allowedLatenessMillis(), job.maxRecordBytes(), job.firing().name());
    }

    /** Start of the tumbling, epoch-aligned window holding {@code t}, as the detector computes it. */
    public long windowStart(long t) {
        return t - Math.floorMod(t, windowMillis);
    }

    public long windowEnd(long t) {
        return windowStart(t) + windowMillis;
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

    public long allowedLatenessMillis() {
        return allowedLatenessMillis;
    }

    public int recordMaxBytes() {
        return recordMaxBytes;
    }

    public String firing() {
        return firing;
    }

    public RuleSettings withThresholdCents(long v) {
        return new RuleSettings(v, windowMillis, maxOutOfOrdernessMillis, allowedLatenessMillis, recordMaxBytes, firing);
    }

    public RuleSettings withWindow(Duration v) {
        return new RuleSettings(thresholdCents, v.toMillis(), maxOutOfOrdernessMillis, allowedLatenessMillis,
                recordMaxBytes, firing);
    }

    public RuleSettings withMaxOutOfOrderness(Duration v) {
        return new RuleSettings(thresholdCents, windowMillis, v.toMillis(), allowedLatenessMillis, recordMaxBytes,
                firing);
    }

    public RuleSettings withAllowedLateness(Duration v) {
        return new RuleSettings(thresholdCents, windowMillis, maxOutOfOrdernessMillis, v.toMillis(), recordMaxBytes,
                firing);
    }

    public RuleSettings withRecordMaxBytes(int v) {
        return new RuleSettings(thresholdCents, windowMillis, maxOutOfOrdernessMillis, allowedLatenessMillis, v,
                firing);
    }

    public RuleSettings withFiring(String v) {
        return new RuleSettings(thresholdCents, windowMillis, maxOutOfOrdernessMillis, allowedLatenessMillis,
                recordMaxBytes, v);
    }

    /** The job-wide settings alone, for a run with a rule set. */
    public String settingsOnly() {
        return "out-of-orderness " + DurationText.format(Duration.ofMillis(maxOutOfOrdernessMillis))
                + ", allowed lateness " + DurationText.format(Duration.ofMillis(allowedLatenessMillis))
                + ", record.max.bytes " + recordMaxBytes;
    }

    @Override
    public String toString() {
        return "threshold " + Money.format(thresholdCents) + ", window " + DurationText.format(Duration.ofMillis(windowMillis))
                + ", out-of-orderness " + DurationText.format(Duration.ofMillis(maxOutOfOrdernessMillis))
                + ", allowed lateness " + DurationText.format(Duration.ofMillis(allowedLatenessMillis))
                + ", record.max.bytes " + recordMaxBytes + ", firing " + firing;
    }
}
