package com.example.fraud.rules.types;

import com.example.fraud.rules.Window;

/** Stable across JVMs (String hashes, never identity hashes): signatures are kept in savepoints. */
final class Signatures {
    private Signatures() {}

    static long of(String what, Window window) {
        return of(what + "|" + (window == null ? "-" : window.kind().name() + "|" + window.sizeMillis()));
    }

    static long of(String text) {
        long h = 1125899906842597L;
        for (int i = 0; i < text.length(); i++) {
            h = 31 * h + text.charAt(i);
        }
        return h;
    }
}
