package com.example.fraud.model;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Escaped text can neither drive a terminal nor forge, erase or reorder a line. */
class TerminalTextProperties {

    @Property
    void escapedTextHasNoControlFormatSeparatorOrLoneSurrogate(@ForAll("text") String s) {
        assertSafe(TerminalText.escape(s));
        assertSafe(TerminalText.abbreviate(s, 7));
    }

    @Property
    void validIdsPassTheIdentifierCheckOnlyWithoutSuchCharacters(@ForAll("text") String s) {
        if (Identifiers.problem("id", s) == null) {
            // nothing in a valid id needs escaping but the backslash
            assertThat(TerminalText.escape(s)).isEqualTo(s.replace("\\", "\\\\"));
            assertThat(Character.isWhitespace(s.codePointAt(0))).isFalse();
            assertThat(Character.getType(s.codePointBefore(s.length()))).isNotEqualTo(Character.SPACE_SEPARATOR);
        }
    }

    @Property
    void plainTextIsUnchanged(@ForAll("plain") String s) {
        assertThat(TerminalText.escape(s)).isSameAs(s);
    }

    static void assertSafe(String out) {
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            assertThat(c < 0x20 || (c >= 0x7f && c <= 0x9f)).as("control U+%04X at %d", (int) c, i).isFalse();
            if (Character.isHighSurrogate(c) && i + 1 < out.length() && Character.isLowSurrogate(out.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, out.charAt(++i));
                assertThat(Character.getType(cp)).as("U+%X", cp).isNotIn((int) Character.FORMAT,
                        (int) Character.LINE_SEPARATOR, (int) Character.PARAGRAPH_SEPARATOR);
                continue;
            }
            assertThat(Character.isSurrogate(c)).as("lone surrogate U+%04X at %d", (int) c, i).isFalse();
            assertThat(Character.getType(c)).as("U+%04X", (int) c).isNotIn((int) Character.FORMAT,
                    (int) Character.LINE_SEPARATOR, (int) Character.PARAGRAPH_SEPARATOR);
        }
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.frequencyOf(Tuple.of(3, HostileInput.anyText()),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(40)));
    }

    @Provide
    Arbitrary<String> plain() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('é', '中', '€').ofMaxLength(40)
                .filter(s -> s.indexOf('\\') < 0);
    }
}
