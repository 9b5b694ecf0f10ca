package com.example.fraud.model;

/** How a transaction was made: the optional {@code channel} field. The wire value is the constant's name. */
public enum Channel {
    /** Card present at a point-of-sale terminal. */
    POS,
    /** Card not present, online. */
    ECOMMERCE,
    /** Cash withdrawal or other operation at an ATM. */
    ATM,
    /** Mail order or telephone order (card not present, keyed in by the merchant). */
    MOTO,
    /** Account-to-account transfer. */
    TRANSFER;

    private static final Channel[] VALUES = values();
    private static final char[][] NAMES = new char[VALUES.length][];

    static {
        for (Channel c : VALUES) {
            NAMES[c.ordinal()] = c.name().toCharArray();
        }
    }

    /**
     * The channel whose name is exactly {@code text[offset, offset+length)}, or null: no String, no exception,
     * so the decoder can use it on the parser's buffer.
     */
    static Channel parse(char[] text, int offset, int length) {
        for (int i = 0; i < NAMES.length; i++) {
            char[] name = NAMES[i];
            if (name.length != length) {
                continue;
            }
            int k = 0;
            while (k < length && name[k] == text[offset + k]) {
                k++;
            }
            if (k == length) {
                return VALUES[i];
            }
        }
        return null;
    }
}
