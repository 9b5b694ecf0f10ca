package com.example.fraud.rules.state;

/** One transaction as a rule remembers it: only what rules read. A Flink POJO, kept in keyed state. */
public class Event {
    public long time;
    public long amountCents;
    public String txnId;
    public String accountId;
    /** The value a distinct-count rule counts (merchant, country or card); null for other rules. */
    public String value;
    public double lat = Double.NaN;
    public double lon = Double.NaN;
    /**
     * Pair rules: this transaction has already decided an alert as the later of a pair. Tumbling WINDOW_CLOSE: it is
     * counted in an alert (or revision) already sent.
     */
    public boolean alerted;
    /** Tumbling WINDOW_CLOSE: it arrived after its window's alert was sent (revisions count these). */
    public boolean late;

    public Event() {}

    /** The transaction's fields that rules read; {@code value} is left to the rule that counts one. */
    public static Event of(com.example.fraud.model.Transaction txn) {
        Event e = new Event();
        e.time = txn.txnTimeMillis;
        e.amountCents = txn.amountCents;
        e.txnId = txn.txnId;
        e.accountId = txn.accountId;
        e.lat = txn.lat;
        e.lon = txn.lon;
        return e;
    }
}
