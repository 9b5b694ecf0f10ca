package com.example.fraud.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifiersTest {
    @ParameterizedTest
    @ValueSource(strings = {"ACC-1", "t 1", "Zoë", "中文", "a\ud83d\ude00", "a\\b", "x"})
    void acceptsPrintableIds(String id) {
        assertThat(Identifiers.problem("account_id", id)).isNull();
    }

    @Test
    void namesTheFieldAndTheCodePoint() {
        assertThat(Identifiers.problem("account_id", "ACC-\u202e1"))
                .isEqualTo("account_id contains a format character U+202E at index 4");
        assertThat(Identifiers.problem("account_id", "ACC-1\u00a0")).isEqualTo("account_id ends with whitespace U+00A0");
        assertThat(Identifiers.problem("txn_id", " t")).isEqualTo("txn_id starts with whitespace U+0020");
        assertThat(Identifiers.problem("txn_id", "t\u0000")).isEqualTo("txn_id contains a control character U+0000 at index 1");
        assertThat(Identifiers.problem("txn_id", "t\ud800x")).isEqualTo("txn_id contains an unpaired surrogate U+D800 at index 1");
        assertThat(Identifiers.problem("txn_id", "t\udb40\udc01")).isEqualTo("txn_id contains a format character U+E0001 at index 1");
        assertThat(Identifiers.problem("txn_id", "a\u2029b")).contains("paragraph separator U+2029");
        assertThat(Identifiers.problem("txn_id", "")).isEqualTo("txn_id must not be empty");
        assertThat(Identifiers.problem("txn_id", "x".repeat(129))).isEqualTo("txn_id is longer than 128 characters");
        assertThat(Identifiers.problem("txn_id", "\u3000")).isEqualTo("txn_id starts with whitespace U+3000");
    }
}
