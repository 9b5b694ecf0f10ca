package com.example.fraud.model;

/** The kinds of fraud rule; a rule document's {@code type}. Wire value: the enum name. */
public enum RuleType {
    /** sum(amount) over a window strictly above a threshold. */
    SUM_OVER_THRESHOLD,
    /** At least N transactions in a window (velocity). */
    COUNT_OVER_THRESHOLD,
    /** At least N distinct merchants, countries or cards in a window. */
    DISTINCT_COUNT_OVER_THRESHOLD,
    /** A small transaction followed within a time by a large one on the same key (card testing). */
    SMALL_THEN_LARGE,
    /** Two consecutive located transactions that imply a speed above a limit. */
    IMPOSSIBLE_TRAVEL
}
