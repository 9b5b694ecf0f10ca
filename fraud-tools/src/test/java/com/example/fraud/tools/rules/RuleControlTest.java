package com.example.fraud.tools.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.model.RuleMode;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleAck;
import com.example.fraud.rules.RuleCodec;
import com.example.fraud.rules.RuleCommand;
import org.junit.jupiter.api.Test;

/**
 * Two operators who read the same last version send the same id and version at once: the job applies one and rejects
 * the other. Each tool must take only its own command's ack, not the first one with its id and version.
 */
class RuleControlTest {
    private static final Rule V2 = parse("{\"rule_id\":\"r1\",\"version\":2,\"type\":\"SUM_OVER_THRESHOLD\","
            + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},\"threshold\":3000}");

    @Test
    void anAppliedPauseDoesNotAnswerADeleteOfTheSameVersion() {
        RuleCommand pause = RuleCommand.put(RuleCodec.withMode(V2, RuleMode.PAUSED, 3));
        RuleCommand delete = RuleCommand.delete("r1", 3);
        RuleAck pauseApplied = RuleAck.applied(pause, 0);
        RuleAck deleteRejected = RuleAck.rejected("r1", 3, "version 3 is not newer than 3", 0);

        assertThat(RuleControl.answers(pauseApplied, delete)).isFalse();
        assertThat(RuleControl.answers(deleteRejected, delete)).isTrue();
        assertThat(RuleControl.answers(pauseApplied, pause)).isTrue();
        assertThat(RuleControl.answers(RuleAck.applied(delete, 0), delete)).isTrue();
        assertThat(RuleControl.answers(RuleAck.applied(delete, 0), pause)).isFalse();
    }

    @Test
    void anAppliedPutAnswersOnlyThePutOfTheSameDocument() {
        RuleCommand mine = RuleCommand.put(RuleCodec.withMode(V2, RuleMode.SHADOW, 3));
        RuleCommand theirs = RuleCommand.put(RuleCodec.withMode(V2, RuleMode.PAUSED, 3));
        assertThat(RuleControl.answers(RuleAck.applied(theirs, 0), mine)).isFalse();
        assertThat(RuleControl.answers(RuleAck.applied(mine, 0), mine)).isTrue();
        assertThat(RuleControl.answers(RuleAck.applied(RuleCommand.put(RuleCodec.withMode(V2, RuleMode.SHADOW, 4)), 0),
                mine)).as("another version").isFalse();
        RuleAck otherRule = RuleAck.applied(mine, 0);
        otherRule.ruleId = "r2";
        assertThat(RuleControl.answers(otherRule, mine)).isFalse();
    }

    private static Rule parse(String json) {
        try {
            return RuleCodec.parse(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
