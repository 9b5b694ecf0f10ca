package com.example.fraud.tools.generator;

/**
 * How much of each scenario a run holds. The first three are fractions of the accounts per window (0.02 with
 * 300 accounts: about 6 accounts per window); the last three are fractions of the records. A fraction above
 * zero also guarantees the scenario at least once per run (every malformed kind, when malformed is on).
 */
public final class ScenarioMix {
    /** Accounts pushed over the threshold by a burst within one window. */
    public final double over;
    /** Accounts that end a window just under the threshold (the first at threshold - 0.01). */
    public final double under;
    /** Accounts that end a window at exactly the threshold: must not be flagged. */
    public final double exact;
    /** Records whose txn_time lags the send time by 20% to 80% of the out-of-orderness bound. */
    public final double delayed;
    /** Records older than the window, the bound and the allowed lateness (plus 10 s): dead-lettered as LATE. */
    public final double late;
    /** Records that break the input contract, cycling through every kind. 0 = off. */
    public final double malformed;

    public ScenarioMix(double over, double under, double exact, double delayed, double late, double malformed) {
        this.over = check("over", over);
        this.under = check("under", under);
        this.exact = check("exact", exact);
        this.delayed = check("delayed", delayed);
        this.late = check("late", late);
        this.malformed = check("malformed", malformed);
    }

    /** 2% over, 1% just under, 0.5% exactly at the threshold per window; 5% delayed, 0.2% late, no malformed. */
    public static ScenarioMix defaults() {
        return new ScenarioMix(0.02, 0.01, 0.005, 0.05, 0.002, 0.0);
    }

    public ScenarioMix withMalformed(double fraction) {
        return new ScenarioMix(over, under, exact, delayed, late, fraction);
    }

    /** Only plain traffic: no scenario at all. */
    public static ScenarioMix none() {
        return new ScenarioMix(0, 0, 0, 0, 0, 0);
    }

    private static double check(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " fraction must be between 0 and 1, got " + v);
        }
        return v;
    }

    @Override
    public String toString() {
        return "over " + over + ", under " + under + ", exact " + exact + " (of accounts per window); delayed "
                + delayed + ", late " + late + ", malformed " + malformed + " (of records)";
    }
}
