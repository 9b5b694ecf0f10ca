package com.example.fraud.model;

import java.util.Objects;

/** One transaction quoted as evidence in a pair alert (small-then-large, impossible travel). */
public class AlertTxn {
    public String txnId;
    public long txnTimeMillis;
    public long amountCents;
    /** NaN when the transaction had no location. */
    public double lat = Double.NaN;
    public double lon = Double.NaN;

    public AlertTxn() {}

    public static AlertTxn of(String txnId, long txnTimeMillis, long amountCents, double lat, double lon) {
        AlertTxn t = new AlertTxn();
        t.txnId = txnId;
        t.txnTimeMillis = txnTimeMillis;
        t.amountCents = amountCents;
        t.lat = lat;
        t.lon = lon;
        return t;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AlertTxn)) {
            return false;
        }
        AlertTxn t = (AlertTxn) o;
        return txnTimeMillis == t.txnTimeMillis && amountCents == t.amountCents && Objects.equals(txnId, t.txnId)
                && Double.compare(lat, t.lat) == 0 && Double.compare(lon, t.lon) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(txnId, txnTimeMillis, amountCents);
    }

    @Override
    public String toString() {
        return txnId + "@" + Timestamps.format(txnTimeMillis) + " " + Money.format(amountCents)
                + (Double.isNaN(lat) ? "" : " (" + lat + ", " + lon + ")");
    }
}
