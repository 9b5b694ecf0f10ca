package com.example.fraud.detector.rules;

import com.example.fraud.model.Grouping;
import com.example.fraud.model.Transaction;

/**
 * A transaction on its way to the rules of one grouping: the rule evaluator is keyed by {@link #stateKey()}. A
 * transaction that carries a card and a merchant, with rules grouping by both, travels twice.
 */
public final class GroupedTransaction {
    public Grouping grouping;
    /** The transaction's value of the grouping field. */
    public String key;
    public Transaction txn;

    public GroupedTransaction() {}

    public GroupedTransaction(Grouping grouping, String key, Transaction txn) {
        this.grouping = grouping;
        this.key = key;
        this.txn = txn;
    }

    /**
     * The key of the evaluator's state: the value itself for accounts, prefixed for other groupings so that an
     * account and a card with the same id never share state. The prefix starts with a control character, which no
     * valid id contains (see Identifiers).
     */
    public String stateKey() {
        return stateKey(grouping, key);
    }

    public static String stateKey(Grouping grouping, String key) {
        return grouping == Grouping.ACCOUNT_ID ? key : "\u0001" + grouping.ordinal() + key;
    }

    /** The grouping value of a state key (the inverse of {@link #stateKey(Grouping, String)}), for alerts. */
    public static String keyOf(String stateKey) {
        return stateKey.charAt(0) == '\u0001' ? stateKey.substring(2) : stateKey;
    }

    /** The grouping of a state key. */
    public static Grouping groupingOf(String stateKey) {
        return stateKey.charAt(0) == '\u0001' ? GROUPINGS[stateKey.charAt(1) - '0'] : Grouping.ACCOUNT_ID;
    }

    private static final Grouping[] GROUPINGS = Grouping.values();
}
