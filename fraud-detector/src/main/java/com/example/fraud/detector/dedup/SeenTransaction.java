package com.example.fraud.detector.dedup;

import com.example.fraud.model.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a txn_id was first seen with (the account is the state's key). A Flink POJO in keyed state (no Kryo). The
 * optional fields are kept as one hash: rules read them, so a reused id with another card, merchant, country,
 * location or channel is a conflict, not a retry.
 */
public class SeenTransaction {
    public long amountCents;
    public long txnTimeMillis;
    public int optionalFieldsHash;
    /** When no rule in force at its first sighting can count it any more (the watermark has reached this). */
    public long forgetAtMillis;

    public SeenTransaction() {}

    SeenTransaction(Transaction txn, long forgetAtMillis) {
        amountCents = txn.amountCents;
        txnTimeMillis = txn.txnTimeMillis;
        optionalFieldsHash = optionalFieldsHash(txn);
        this.forgetAtMillis = forgetAtMillis;
    }

    static int optionalFieldsHash(Transaction t) {
        return Objects.hash(t.cardId, t.merchantId, t.country, Double.doubleToLongBits(t.lat),
                Double.doubleToLongBits(t.lon), t.channel == null ? null : t.channel.name());
    }

    /** The fields of {@code txn} that differ from the first sighting, comma separated; empty when it is a retry. */
    String differences(Transaction txn) {
        if (amountCents == txn.amountCents && txnTimeMillis == txn.txnTimeMillis
                && optionalFieldsHash == optionalFieldsHash(txn)) {
            return ""; // the common case: no list to build
        }
        List<String> fields = new ArrayList<>(3);
        if (amountCents != txn.amountCents) {
            fields.add("amount");
        }
        if (txnTimeMillis != txn.txnTimeMillis) {
            fields.add("txn_time");
        }
        if (optionalFieldsHash != optionalFieldsHash(txn)) {
            fields.add("card_id, merchant_id, country, location or channel");
        }
        return String.join(", ", fields);
    }
}
