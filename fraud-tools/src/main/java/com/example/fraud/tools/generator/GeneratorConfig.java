package com.example.fraud.tools.generator;

import com.example.fraud.rules.Rule;
import java.time.Duration;
import java.util.List;

/** Everything a run needs except where the records go and the clock. Built with {@link #builder()}. */
public final class GeneratorConfig {
    /** The job-wide settings (bound, lateness, record size) and the default rule's threshold and window. */
    public final RuleSettings rule;
    /**
     * The configured rule set (a rules file), or null for the default rule of {@link #rule}. With a rule set, each
     * rule gets its own scenarios ({@link RuleScenarios}) and the over / under / exact fractions are not used.
     */
    public final List<Rule> rules;
    /** Whether background transactions carry the optional fields (card, merchant, country, location, channel). */
    public final boolean habits;
    /** With a rule set: scenarios started per rule and minute, after a first round of every kind. */
    public final double scenariosPerMinute;
    public final ScenarioMix mix;
    public final int accounts;
    public final long seed;
    /** Target records per second in the main phase. */
    public final double rate;
    /** Main phase length; 0 = bounded by {@link #count} only. */
    public final long durationMillis;
    /** Main phase records; 0 = bounded by {@link #durationMillis} only. */
    public final long count;
    /** Plain low-amount traffic after the main phase, so that every flagged window closes in event time. */
    public final long tailMillis;
    public final double tailRate;
    /** Pause between two batches: records generated in one tick share a txn_time and a PutRecords batch. */
    public final long tickMillis;
    /**
     * Put in front of every account, card and merchant id ("" for none): runs one after the other against one job
     * (before and after a rule change) then share no key, so neither adds to what the other's rules count.
     */
    public final String idPrefix;

    private GeneratorConfig(Builder b) {
        rule = b.rule;
        rules = b.rules == null ? null : List.copyOf(b.rules);
        habits = b.habits != null ? b.habits : rules != null;
        scenariosPerMinute = b.scenariosPerMinute;
        mix = b.mix;
        accounts = b.accounts;
        seed = b.seed;
        rate = b.rate;
        count = b.count;
        durationMillis = b.duration != null ? b.duration.toMillis() : (b.count > 0 ? 0 : DEFAULT_DURATION.toMillis());
        tailMillis = b.tail != null ? b.tail.toMillis() : defaultTail(rule, rules).toMillis();
        tailRate = b.tailRate > 0 ? b.tailRate : Math.min(rate, DEFAULT_TAIL_RATE);
        tickMillis = b.tickMillis;
        idPrefix = b.idPrefix;
        if (accounts < 1) {
            throw new IllegalArgumentException("at least 1 account is needed");
        }
        if (!(rate > 0)) {
            throw new IllegalArgumentException("rate must be positive");
        }
        if (rules != null && rules.isEmpty()) {
            throw new IllegalArgumentException("the rule set is empty: give at least one rule, or none for the default");
        }
        if (!(scenariosPerMinute >= 0)) {
            throw new IllegalArgumentException("scenarios per minute must not be negative");
        }
        if (durationMillis < 0 || count < 0 || tailMillis < 0) {
            throw new IllegalArgumentException("duration, count and tail must not be negative");
        }
    }

    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(60);
    public static final double DEFAULT_RATE = 100;
    public static final double DEFAULT_TAIL_RATE = 20;
    public static final int DEFAULT_ACCOUNTS = 300;
    public static final long DEFAULT_SEED = 42;
    public static final double DEFAULT_SCENARIOS_PER_MINUTE = 6;
    static final Duration TAIL_MARGIN = Duration.ofSeconds(5);

    /** window + out-of-orderness bound + 5 s: enough for the watermark to pass the last flagged window's end. */
    public static Duration defaultTail(RuleSettings rule) {
        return Duration.ofMillis(rule.windowMillis() + rule.maxOutOfOrdernessMillis()).plus(TAIL_MARGIN);
    }

    /** With a rule set: its longest tumbling window (nothing for the others) + bound + 5 s. */
    static Duration defaultTail(RuleSettings rule, List<Rule> rules) {
        if (rules == null) {
            return defaultTail(rule);
        }
        return Duration.ofMillis(longestWindowMillis(rules) + rule.maxOutOfOrdernessMillis()).plus(TAIL_MARGIN);
    }

    /**
     * How long after a transaction's time a rule may still count it, lateness aside: a tumbling window's size (for a
     * transaction at its start), 0 for the rules that look back from each transaction. From the rules' own
     * {@code countableUntil}, so no rule type is named here.
     */
    static long longestWindowMillis(List<Rule> rules) {
        long longest = 0;
        for (Rule r : rules) {
            longest = Math.max(longest, r.logic().countableUntil(0, 0) + 1);
        }
        return longest;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Expected main-phase records per window: turns per-window account fractions into per-record odds. */
    double recordsPerWindow() {
        return rate * rule.windowMillis() / 1000.0;
    }

    public static final class Builder {
        private RuleSettings rule = RuleSettings.defaults();
        private List<Rule> rules;
        private Boolean habits;
        private double scenariosPerMinute = DEFAULT_SCENARIOS_PER_MINUTE;
        private ScenarioMix mix = ScenarioMix.defaults();
        private int accounts = DEFAULT_ACCOUNTS;
        private long seed = DEFAULT_SEED;
        private double rate = DEFAULT_RATE;
        private Duration duration;
        private long count;
        private Duration tail;
        private double tailRate;
        private long tickMillis = 100;
        private String idPrefix = "";

        public Builder rule(RuleSettings v) {
            rule = v;
            return this;
        }

        /** The configured rule set; null (the default) for the default rule of {@link #rule(RuleSettings)}. */
        public Builder rules(List<Rule> v) {
            rules = v;
            return this;
        }

        /** Optional fields on background traffic; default: on with a rule set, off without. */
        public Builder habits(boolean v) {
            habits = v;
            return this;
        }

        public Builder scenariosPerMinute(double v) {
            scenariosPerMinute = v;
            return this;
        }

        public Builder mix(ScenarioMix v) {
            mix = v;
            return this;
        }

        public Builder accounts(int v) {
            accounts = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder rate(double recordsPerSecond) {
            rate = recordsPerSecond;
            return this;
        }

        /** Main phase length. Without duration and count: 60 s. */
        public Builder duration(Duration v) {
            duration = v;
            return this;
        }

        /** Main phase records (scenario, late and malformed included). */
        public Builder count(long v) {
            count = v;
            return this;
        }

        /** Default: window + bound + 5 s. */
        public Builder tail(Duration v) {
            tail = v;
            return this;
        }

        /** Default: min(rate, 20) records/s. */
        public Builder tailRate(double v) {
            tailRate = v;
            return this;
        }

        public Builder tickMillis(long v) {
            if (v < 1) {
                throw new IllegalArgumentException("tick must be at least 1 ms");
            }
            tickMillis = v;
            return this;
        }

        /** Put in front of every account, card and merchant id; default none. */
        public Builder idPrefix(String v) {
            idPrefix = java.util.Objects.requireNonNull(v, "idPrefix");
            return this;
        }

        public GeneratorConfig build() {
            return new GeneratorConfig(this);
        }
    }
}
