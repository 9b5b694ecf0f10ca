package com.example.fraud.model;

import java.math.BigDecimal;

/** Money as exact integer cents (two decimal places), never floating point. */
public final class Money {
    /** Amounts above this are rejected so that window sums can never overflow a long. */
    public static final long MAX_AMOUNT_CENTS = 100_000_000_000L; // 1,000,000,000.00

    private Money() {}

    /** Exact cents of a decimal amount; throws ArithmeticException if it has more than two decimals. */
    public static long toCents(BigDecimal amount) {
        return amount.movePointRight(2).longValueExact();
    }

    public static BigDecimal toDecimal(long cents) {
        return BigDecimal.valueOf(cents, 2);
    }

    /** "3000.01", "-0.05": plain decimal with exactly two places. */
    public static String format(long cents) {
        return toDecimal(cents).toPlainString();
    }
}
