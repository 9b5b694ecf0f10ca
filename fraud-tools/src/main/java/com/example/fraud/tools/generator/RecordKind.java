package com.example.fraud.tools.generator;

/** What a generated record is meant to test. */
public enum RecordKind {
    /** Plain traffic, txn_time = the wall clock when generated. */
    ON_TIME,
    /** Plain traffic whose txn_time lags by 20-80% of the out-of-orderness bound: must still count. */
    DELAYED,
    /** Part of an over / under / exactly-at-threshold scenario. */
    SCENARIO,
    /** Low-amount traffic after the main phase that moves event time past the last windows. */
    TAIL,
    /** Beyond the bound and the allowed lateness: must be dead-lettered as LATE and never counted. */
    LATE,
    /** Breaks the input contract: must be dead-lettered with the expected reason. */
    MALFORMED;

    /** Whether the rule counts it. */
    public boolean counted() {
        return this != LATE && this != MALFORMED;
    }
}
