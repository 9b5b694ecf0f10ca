package com.example.fraud.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void escapesWhatCouldForgeEraseOrReorderALine() {
        assertThat(TerminalText.escape("a\nDEAD-LETTER forged")).isEqualTo("a\\nDEAD-LETTER forged");
        assertThat(TerminalText.escape("x\rALERT")).isEqualTo("x\\rALERT");
        assertThat(TerminalText.escape("\u001b[2J\u001b]0;title\u0007")).isEqualTo("\\u001b[2J\\u001b]0;title\\u0007");
        assertThat(TerminalText.escape("ACC-\u202e1")).isEqualTo("ACC-\\u202e1");
        assertThat(TerminalText.escape("a\tb\\c\u007f\u0085\u2028\u2029\ud800")).isEqualTo(
                "a\\tb\\\\c\\u007f\\u0085\\u2028\\u2029\\ud800");
        assertThat(TerminalText.escape("tag\udb40\udc01")).isEqualTo("tag\\udb40\\udc01"); // U+E0001, format
    }

    @Test
    void keepsPrintableTextIncludingAstralCharacters() {
        String s = "ACC-1 Zoë 中 \ud83d\ude00 \u00a0";
        assertThat(TerminalText.escape(s)).isSameAs(s);
        assertThat(TerminalText.escape(null)).isEqualTo("null");
    }

    @Test
    void abbreviateNeverSplitsASurrogatePair() {
        assertThat(TerminalText.abbreviate("ab\ud83d\ude00cd", 3)).isEqualTo("ab...");
        assertThat(TerminalText.abbreviate("ab\ud83d\ude00cd", 4)).isEqualTo("ab\ud83d\ude00...");
        assertThat(TerminalText.abbreviate("a\nb", 5)).isEqualTo("a\\nb");
    }
}
