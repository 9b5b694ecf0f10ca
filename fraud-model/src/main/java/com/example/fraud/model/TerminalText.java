package com.example.fraud.model;

/**
 * Makes text from records safe to print on one terminal line. Input controls (ESC sequences can recolour,
 * move the cursor or retitle the window; CR and LF can forge or overwrite a line), DEL, C1 controls, format
 * characters (bidi overrides can make text read backwards), line/paragraph separators and unpaired surrogates
 * are written as {@code \n}, {@code \t}, {@code \r} or {@code \}{@code uXXXX}; the backslash itself as two
 * backslashes, so the output is unambiguous.
 */
public final class TerminalText {
    private TerminalText() {}

    /** The escaped text; "null" for null. Returns {@code s} itself when nothing needs escaping. */
    public static String escape(String s) {
        if (s == null) {
            return "null";
        }
        int n = s.length();
        int i = 0;
        while (i < n && isPlain(s, i)) {
            i += Character.charCount(s.codePointAt(i));
        }
        if (i >= n) {
            return s;
        }
        StringBuilder b = new StringBuilder(n + 16).append(s, 0, i);
        while (i < n) {
            char c = s.charAt(i);
            if (isPlain(s, i)) {
                int cp = s.codePointAt(i);
                b.appendCodePoint(cp);
                i += Character.charCount(cp);
                continue;
            }
            switch (c) {
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                default:
                    int cp = s.codePointAt(i);
                    if (Character.charCount(cp) == 2) {
                        unicode(b, c);
                        unicode(b, s.charAt(i + 1));
                        i++;
                    } else {
                        unicode(b, c);
                    }
            }
            i++;
        }
        return b.toString();
    }

    /** Escapes {@code s} and cuts it (on a code point boundary, before escaping) to at most maxChars, adding "...". */
    public static String abbreviate(String s, int maxChars) {
        if (s == null || s.length() <= maxChars) {
            return escape(s);
        }
        int end = maxChars;
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1)) && Character.isLowSurrogate(s.charAt(end))) {
            end--;
        }
        return escape(s.substring(0, end)) + "...";
    }

    private static boolean isPlain(String s, int i) {
        char c = s.charAt(i);
        if (c >= 0x20 && c < 0x7f) {
            return c != '\\';
        }
        if (c < 0xa0) {
            return false; // C0, DEL, C1
        }
        int cp = s.codePointAt(i);
        if (cp <= 0xFFFF && Character.isSurrogate((char) cp)) {
            return false; // unpaired: codePointAt returned the surrogate itself
        }
        switch (Character.getType(cp)) {
            case Character.FORMAT:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.CONTROL:
                return false;
            default:
                return true;
        }
    }

    private static void unicode(StringBuilder b, char c) {
        b.append("\\u");
        String hex = Integer.toHexString(c);
        for (int k = hex.length(); k < 4; k++) {
            b.append('0');
        }
        b.append(hex);
    }
}
