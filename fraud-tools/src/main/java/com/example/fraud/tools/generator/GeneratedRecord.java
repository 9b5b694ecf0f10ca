package com.example.fraud.tools.generator;

import com.example.fraud.model.Transaction;

/** What the generator knows about a record it sent: kept only until the record's batch is acknowledged. */
final class GeneratedRecord {
    final RecordKind kind;
    /** Index into {@link Accounts}, or -1 for a malformed record. */
    final int account;
    /** The transaction, or null for a malformed record. */
    final Transaction txn;
    /** txn_id, or the marker id of a malformed record. */
    final String id;
    final MalformedKind malformedKind;
    final byte[] payload;

    private GeneratedRecord(RecordKind kind, int account, Transaction txn, String id, MalformedKind malformedKind,
            byte[] payload) {
        this.kind = kind;
        this.account = account;
        this.txn = txn;
        this.id = id;
        this.malformedKind = malformedKind;
        this.payload = payload;
    }

    static GeneratedRecord transaction(RecordKind kind, int account, Transaction txn) {
        return new GeneratedRecord(kind, account, txn, txn.txnId, null, null);
    }

    static GeneratedRecord malformed(String id, MalformedKind kind, byte[] payload) {
        return new GeneratedRecord(RecordKind.MALFORMED, -1, null, id, kind, payload);
    }
}
