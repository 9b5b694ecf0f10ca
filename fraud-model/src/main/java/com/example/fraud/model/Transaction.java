package com.example.fraud.model;

import java.util.Objects;

/**
 * One card or account transaction. A Flink POJO (public fields, no-arg constructor) so that it is
 * serialized by the PojoSerializer, never by Kryo. Money is held in integer cents to stay exact.
 *
 * <p>The four fields of the constructor are always set by {@link TransactionCodec#decode}. The others are
 * optional in the input contract: absent is {@code null}, and {@link Double#NaN} for {@code lat}/{@code lon},
 * which the codec only ever sets together (see {@link #hasLocation()}).
 */
public class Transaction {
    public String txnId;
    public String accountId;
    public long amountCents;
    /** Event time: the transaction's own timestamp, epoch milliseconds. */
    public long txnTimeMillis;
    /** The card used; null when absent. */
    public String cardId;
    /** The merchant paid; null when absent. */
    public String merchantId;
    /** ISO 3166-1 alpha-2 code such as "DE"; null when absent. */
    public String country;
    /** Latitude in degrees, [-90, 90]; NaN when absent. */
    public double lat = Double.NaN;
    /** Longitude in degrees, [-180, 180]; NaN when absent. */
    public double lon = Double.NaN;
    /** Null when absent. */
    public Channel channel;

    public Transaction() {}

    public Transaction(String txnId, String accountId, long amountCents, long txnTimeMillis) {
        this.txnId = txnId;
        this.accountId = accountId;
        this.amountCents = amountCents;
        this.txnTimeMillis = txnTimeMillis;
    }

    /** True when both lat and lon are set. */
    public boolean hasLocation() {
        return !Double.isNaN(lat) && !Double.isNaN(lon);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Transaction)) {
            return false;
        }
        Transaction that = (Transaction) o;
        // Double.compare: NaN (absent) equals NaN, so two records without a location are equal
        return amountCents == that.amountCents
                && txnTimeMillis == that.txnTimeMillis
                && Objects.equals(txnId, that.txnId)
                && Objects.equals(accountId, that.accountId)
                && Objects.equals(cardId, that.cardId)
                && Objects.equals(merchantId, that.merchantId)
                && Objects.equals(country, that.country)
                && Double.compare(lat, that.lat) == 0
                && Double.compare(lon, that.lon) == 0
                && channel == that.channel;
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(txnId, accountId, amountCents, txnTimeMillis);
        h = 31 * h + Objects.hashCode(cardId);
        h = 31 * h + Objects.hashCode(merchantId);
        h = 31 * h + Objects.hashCode(country);
        h = 31 * h + Double.hashCode(lat);
        h = 31 * h + Double.hashCode(lon);
        return 31 * h + Objects.hashCode(channel);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Transaction{").append(txnId).append(", ").append(accountId).append(", ")
                .append(Money.format(amountCents)).append(", ").append(Timestamps.format(txnTimeMillis));
        if (cardId != null) {
            b.append(", card=").append(cardId);
        }
        if (merchantId != null) {
            b.append(", merchant=").append(merchantId);
        }
        if (country != null) {
            b.append(", country=").append(country);
        }
        if (!Double.isNaN(lat) || !Double.isNaN(lon)) {
            b.append(", at=").append(lat).append(',').append(lon);
        }
        if (channel != null) {
            b.append(", channel=").append(channel);
        }
        return b.append('}').toString();
    }
}
