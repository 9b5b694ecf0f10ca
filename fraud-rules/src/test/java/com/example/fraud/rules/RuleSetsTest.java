package com.example.fraud.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fraud.rules.RuleSets.RuleSetException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleSetsTest {
    private static final String SUM = "{\"rule_id\":\"a\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
            + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},\"threshold\":3000}";
    private static final String COUNT = "{\"rule_id\":\"b\",\"version\":2,\"type\":\"COUNT_OVER_THRESHOLD\","
            + "\"group_by\":\"card_id\",\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT5M\"},\"min_count\":10}";

    @Test
    void readsEveryRuleInOrder() throws Exception {
        List<Rule> rules = RuleSets.parse("[" + SUM + ", " + COUNT + "]");
        assertThat(rules).extracting(Rule::id).containsExactly("a", "b");
        assertThat(rules.get(1).version()).isEqualTo(2);
    }

    @Test
    void anInvalidRuleIsNamedWithItsPositionAndField() {
        String bad = COUNT.replace("\"min_count\":10", "\"min_cout\":10");
        assertThatThrownBy(() -> RuleSets.parse("[" + SUM + "," + bad + "]"))
                .isInstanceOf(RuleSetException.class)
                .hasMessageStartingWith("rule 2 of 2: rule 'b'")
                .hasMessageContaining("min_cout")
                .satisfies(e -> {
                    RuleException cause = ((RuleSetException) e).ruleException();
                    assertThat(cause.ruleId()).isEqualTo("b");
                    assertThat(cause.field()).isEqualTo("min_cout");
                });
    }

    @Test
    void theSetAsAWholeMustBeANonEmptyArrayOfUniqueIds() {
        assertThatThrownBy(() -> RuleSets.parse("{\"rule_id\":\"a\"}")).hasMessageContaining("JSON array");
        assertThatThrownBy(() -> RuleSets.parse("[" + SUM)).hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> RuleSets.parse(" [ ] ")).satisfies(e -> {
            assertThat(((RuleSetException) e).isEmpty()).isTrue();
            assertThat(((RuleSetException) e).ruleException()).isNull();
        });
        assertThatThrownBy(() -> RuleSets.parse("[" + SUM + "," + SUM + "]"))
                .hasMessage("rule 2 of 2: rule 'a' appears twice; a rule id must be unique");
    }
}
