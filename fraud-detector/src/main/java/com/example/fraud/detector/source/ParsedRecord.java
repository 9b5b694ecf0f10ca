package com.example.fraud.detector.source;

import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.Transaction;

/**
 * What the source emits for each Kinesis record: a valid transaction, or the rejection that will go to
 * the dead-letter stream. Parsing happens in the source so that event time is the transaction's own
 * time, assigned per shard. A Flink POJO: exactly one of transaction and rejected is set.
 */
public class ParsedRecord {
    public Transaction transaction;
    public DeadLetter rejected;
    /** The Kinesis shard it was read from (null from other sources), for {@link HoldWatermarkUntilShardsResume}. */
    public String shardId;

    public ParsedRecord() {}

    public static ParsedRecord valid(Transaction transaction) {
        ParsedRecord r = new ParsedRecord();
        r.transaction = transaction;
        return r;
    }

    public static ParsedRecord rejected(DeadLetter deadLetter) {
        ParsedRecord r = new ParsedRecord();
        r.rejected = deadLetter;
        return r;
    }

    public boolean isValid() {
        return transaction != null;
    }

    @Override
    public String toString() {
        return isValid() ? transaction.toString() : String.valueOf(rejected);
    }
}
