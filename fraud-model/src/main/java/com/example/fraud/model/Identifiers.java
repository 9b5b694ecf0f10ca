package com.example.fraud.model;

import java.util.Locale;

/**
 * The rules for {@code txn_id} and {@code account_id}. An id is a key in state, in alerts and on analysts'
 * screens, so it must not be able to hide or fake characters: control and format characters (bidi overrides,
 * zero-width chars), line/paragraph separators and unpaired surrogates are rejected anywhere, whitespace
 * (Java whitespace, Unicode space separators such as U+00A0) at either end. An id is never rewritten: a
 * silently "cleaned" id would merge or split accounts. Details name the code point as U+XXXX, never the raw
 * character.
 */
public final class Identifiers {
    /** Ids longer than this (in UTF-16 chars) are rejected: they would bloat state and alerts. */
    public static final int MAX_LENGTH = 128;

    private Identifiers() {}

    /** Null when {@code value} is a usable id, else why not, naming {@code field}. */
    public static String problem(String field, String value) {
        int n = value.length();
        if (n == 0) {
            return field + " must not be empty";
        }
        if (n > MAX_LENGTH) {
            return field + " is longer than " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c > 0x20 && c < 0x7f) {
                continue; // printable ASCII: the common case, nothing more to check
            }
            int start = i;
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                cp = Character.toCodePoint(c, value.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                return field + " contains an unpaired surrogate " + codePoint(c) + " at index " + i;
            }
            String kind = forbiddenKind(cp);
            if (kind != null) {
                return field + " contains " + kind + " " + codePoint(cp) + " at index " + start;
            }
            if ((start == 0 || i == n - 1) && isSpace(cp)) {
                return field + (start == 0 ? " starts" : " ends") + " with whitespace " + codePoint(cp);
            }
        }
        return null;
    }

    /**
     * The hot path's shortcut, on the parser's buffer before a String exists: true for 1 to {@link #MAX_LENGTH}
     * printable ASCII chars with no space at either end, which is every id in practice. False means "check the
     * String with {@link #problem}", not "invalid".
     */
    static boolean isPlainAscii(char[] text, int offset, int length) {
        if (length == 0 || length > MAX_LENGTH || text[offset] == ' ' || text[offset + length - 1] == ' ') {
            return false;
        }
        for (int i = offset, end = offset + length; i < end; i++) {
            char c = text[i];
            if (c < 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Throws {@link RejectReason#INVALID_FIELD} unless {@code value} is a usable id. */
    public static void check(String field, String value) throws InvalidRecordException {
        String problem = problem(field, value);
        if (problem != null) {
            throw new InvalidRecordException(RejectReason.INVALID_FIELD, problem);
        }
    }

    private static String forbiddenKind(int cp) {
        switch (Character.getType(cp)) {
            case Character.CONTROL:
                return "a control character";
            case Character.FORMAT:
                return "a format character";
            case Character.LINE_SEPARATOR:
                return "a line separator";
            case Character.PARAGRAPH_SEPARATOR:
                return "a paragraph separator";
            default:
                return null;
        }
    }

    private static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    /** "U+202E", "U+1F600". */
    public static String codePoint(int cp) {
        String hex = Integer.toHexString(cp).toUpperCase(Locale.ROOT);
        return "U+" + "0000".substring(Math.min(4, hex.length())) + hex;
    }
}
