package com.example.fraud.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.example.fraud.model.DistinctField;
import com.example.fraud.model.Grouping;
import com.example.fraud.model.RuleMode;
import com.example.fraud.model.RuleType;
import com.example.fraud.rules.types.CountOverThreshold;
import com.example.fraud.rules.types.DistinctCountOverThreshold;
import com.example.fraud.rules.types.ImpossibleTravel;
import com.example.fraud.rules.types.SmallThenLarge;
import com.example.fraud.rules.types.SumOverThreshold;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RuleCodecTest {
    static final String SUM_TUMBLING = "{\"rule_id\":\"sum\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
            + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},\"threshold\":3000}";
    static final String SUM_SLIDING = "{\"rule_id\":\"sum-sliding\",\"version\":7,\"type\":\"SUM_OVER_THRESHOLD\","
            + "\"group_by\":\"card_id\",\"mode\":\"SHADOW\",\"description\":\"any 10 minutes\","
            + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT10M\"},\"firing\":\"EARLY\",\"threshold\":2500.5}";
    static final String COUNT_CLOSE = "{\"rule_id\":\"velocity\",\"version\":2,\"type\":\"COUNT_OVER_THRESHOLD\","
            + "\"mode\":\"PAUSED\",\"window\":{\"size\":\"PT1H\",\"kind\":\"TUMBLING\"},\"firing\":\"WINDOW_CLOSE\","
            + "\"min_count\":10}";
    static final String DISTINCT = "{\"rule_id\":\"merchants\",\"version\":3,"
            + "\"type\":\"DISTINCT_COUNT_OVER_THRESHOLD\",\"group_by\":\"merchant_id\","
            + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"P1D\"},"
            + "\"distinct\":\"country\",\"min_distinct\":4}";
    static final String SMALL_THEN_LARGE = "{\"rule_id\":\"card-testing\",\"version\":1,\"type\":\"SMALL_THEN_LARGE\","
            + "\"small_max\":1.00,\"large_min\":500,\"within\":\"PT10M\"}";
    static final String TRAVEL = "{\"rule_id\":\"travel\",\"version\":9007199254740991,\"type\":\"IMPOSSIBLE_TRAVEL\","
            + "\"max_speed_kmh\":900,\"within\":\"PT6H\"}";

    static Stream<String> validDocuments() {
        return Stream.of(SUM_TUMBLING, SUM_SLIDING, COUNT_CLOSE, DISTINCT, SMALL_THEN_LARGE, TRAVEL);
    }

    @ParameterizedTest
    @MethodSource("validDocuments")
    void everyTypeParsesAndItsCanonicalJsonIsAFixedPoint(String json) throws Exception {
        Rule r = RuleCodec.parse(json);
        Rule again = RuleCodec.parse(r.json());
        assertThat(again.json()).isEqualTo(r.json());
        assertThat(again.stateSignature()).isEqualTo(r.stateSignature());
        RuleCommand c = RuleCodec.parseCommand(r.json().getBytes(StandardCharsets.UTF_8));
        assertThat(c.isDelete()).isFalse();
        assertThat(c.json()).isEqualTo(r.json());
    }

    @Test
    void parametersAreReadExactly() throws Exception {
        Rule sum = RuleCodec.parse(SUM_SLIDING);
        assertThat(sum.id()).isEqualTo("sum-sliding");
        assertThat(sum.version()).isEqualTo(7);
        assertThat(sum.type()).isEqualTo(RuleType.SUM_OVER_THRESHOLD);
        assertThat(sum.grouping()).isEqualTo(Grouping.CARD_ID);
        assertThat(sum.mode()).isEqualTo(RuleMode.SHADOW);
        SumOverThreshold s = (SumOverThreshold) sum.logic();
        assertThat(s.thresholdCents()).isEqualTo(250_050);
        assertThat(s.window()).isEqualTo(new Window(Window.Kind.SLIDING, java.time.Duration.ofMinutes(10)));
        assertThat(sum.json()).isEqualTo("{\"rule_id\":\"sum-sliding\",\"version\":7,\"type\":\"SUM_OVER_THRESHOLD\","
                + "\"group_by\":\"card_id\",\"mode\":\"SHADOW\",\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT10M\"},"
                + "\"firing\":\"EARLY\",\"threshold\":2500.50}");

        Rule count = RuleCodec.parse(COUNT_CLOSE);
        assertThat(((CountOverThreshold) count.logic()).minCount()).isEqualTo(10);
        assertThat(((CountOverThreshold) count.logic()).firing()).isEqualTo(FiringMode.WINDOW_CLOSE);
        assertThat(count.evaluated()).isFalse();

        DistinctCountOverThreshold d = (DistinctCountOverThreshold) RuleCodec.parse(DISTINCT).logic();
        assertThat(d.field()).isEqualTo(DistinctField.COUNTRY);
        assertThat(d.minDistinct()).isEqualTo(4);
        assertThat(d.window().sizeMillis()).isEqualTo(86_400_000L);

        SmallThenLarge stl = (SmallThenLarge) RuleCodec.parse(SMALL_THEN_LARGE).logic();
        assertThat(stl.smallMaxCents()).isEqualTo(100);
        assertThat(stl.largeMinCents()).isEqualTo(50_000);
        assertThat(stl.withinMillis()).isEqualTo(600_000);
    }

    @Test
    void defaultsAreFilledIn() throws Exception {
        Rule sum = RuleCodec.parse(SUM_TUMBLING);
        assertThat(sum.grouping()).isEqualTo(Grouping.ACCOUNT_ID);
        assertThat(sum.mode()).isEqualTo(RuleMode.ACTIVE);
        assertThat(((SumOverThreshold) sum.logic()).firing()).isEqualTo(FiringMode.EARLY);
        assertThat(sum.json()).isEqualTo("{\"rule_id\":\"sum\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
                + "\"group_by\":\"account_id\",\"mode\":\"ACTIVE\","
                + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},\"firing\":\"EARLY\",\"threshold\":3000.00}");
        Rule travel = RuleCodec.parse(TRAVEL);
        assertThat(((ImpossibleTravel) travel.logic()).minDistanceKm()).isEqualTo(100.0);
        assertThat(travel.json()).contains("\"min_distance_km\":100.0", "\"within\":\"PT6H\"");
        // JSON null is "absent": the default applies
        String nulls = "{\"rule_id\":\"sum\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\",\"mode\":null,"
                + "\"group_by\":null,\"firing\":null,\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},"
                + "\"threshold\":3000}";
        assertThat(RuleCodec.parse(nulls).json()).isEqualTo(sum.json());
    }

    @Test
    void deleteCommands() throws Exception {
        RuleCommand c = RuleCodec.parseCommand(bytes("{\"rule_id\":\"sum\",\"version\":4,\"delete\":true}"));
        assertThat(c.isDelete()).isTrue();
        assertThat(c.ruleId()).isEqualTo("sum");
        assertThat(c.version()).isEqualTo(4);
        assertThat(c.rule()).isNull();
        assertThat(c.json()).isEqualTo("{\"rule_id\":\"sum\",\"version\":4,\"delete\":true}");
        assertThat(RuleCodec.parseCommand(bytes(c.json())).json()).isEqualTo(c.json());
        assertThatThrownBy(() -> RuleCodec.parse("{\"rule_id\":\"sum\",\"version\":4,\"delete\":true}"))
                .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.field()).isEqualTo("delete"));
    }

    @Test
    void aCommandCarriesItsSendersCommandIdOutsideTheRule() throws Exception {
        String doc = "{\"rule_id\":\"sum\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
                + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},\"threshold\":3000}";
        RuleCommand sent = RuleCodec.parseCommand(bytes(doc)).withCommandId("3f2b-9c:x_1.A");
        RuleCommand received = RuleCodec.parseCommand(bytes(sent.record()));
        assertThat(received.commandId()).isEqualTo("3f2b-9c:x_1.A");
        assertThat(received.json()).isEqualTo(RuleCodec.parse(doc).json()).doesNotContain("command_id");
        RuleCommand delete = RuleCodec.parseCommand(bytes(RuleCommand.delete("sum", 2).withCommandId("d").record()));
        assertThat(delete.isDelete()).isTrue();
        assertThat(delete.commandId()).isEqualTo("d");
        assertThat(RuleCodec.commandIdOf(bytes("{\"rule_id\":\"sum\",\"command_id\":\"c-7\",\"type\":1}")))
                .as("an invalid command's id, for its rejection").isEqualTo("c-7");
        assertThat(RuleCodec.commandIdOf(bytes("not json"))).isNull();

        assertThatThrownBy(() -> RuleCodec.parse(sent.record())).as("a rule document has no command id")
                .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.field()).isEqualTo("command_id"));
        for (String bad : new String[] {"\"\"", "7", "\"a b\"", "\"\\u001b[2J\"", "\"" + "x".repeat(65) + "\""}) {
            assertThatThrownBy(() -> RuleCodec.parseCommand(bytes(doc.replace("{\"rule_id\"",
                    "{\"command_id\":" + bad + ",\"rule_id\""))))
                    .as(bad).isInstanceOfSatisfying(RuleException.class,
                            e -> assertThat(e.getMessage()).contains("rule 'sum', field 'command_id'"));
            assertThat(RuleCodec.commandIdOf(bytes(doc.replace("{\"rule_id\"",
                    "{\"command_id\":" + bad + ",\"rule_id\"")))).isNull();
        }
    }

    static Stream<Arguments> invalidDocuments() {
        String sum = "\"rule_id\":\"r\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\"";
        String win = "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"}";
        String sumWin = sum + "," + win;
        String count = "\"rule_id\":\"r\",\"version\":1,\"type\":\"COUNT_OVER_THRESHOLD\"," + win;
        String distinct = "\"rule_id\":\"r\",\"version\":1,\"type\":\"DISTINCT_COUNT_OVER_THRESHOLD\"," + win;
        String stl = "\"rule_id\":\"r\",\"version\":1,\"type\":\"SMALL_THEN_LARGE\"";
        String travel = "\"rule_id\":\"r\",\"version\":1,\"type\":\"IMPOSSIBLE_TRAVEL\",\"within\":\"PT1H\"";
        return Stream.of(
                // missing and unknown fields
                arguments("{\"rule_id\":\"r\",\"version\":1}", "type"),
                arguments("{" + sumWin + ",\"treshold\":3000}", "treshold"),
                arguments("{" + sumWin + ",\"threshold\":3000,\"treshold\":1}", "treshold"),
                arguments("{" + sumWin + "}", "threshold"),
                arguments("{" + sumWin + ",\"threshold\":3000,\"min_count\":3}", "min_count"),
                arguments("{" + sum + ",\"threshold\":3000}", "window"),
                arguments("{" + sum + ",\"threshold\":3000,\"window\":{\"kind\":\"TUMBLING\"}}", "window.size"),
                arguments("{" + sum + ",\"threshold\":3000,\"window\":{\"size\":\"PT1M\"}}", "window.kind"),
                arguments("{" + sum + ",\"threshold\":3000,\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\","
                        + "\"sise\":1}}", "window.sise"),
                arguments("{" + travel + ",\"max_speed_kmh\":900," + win + "}", "window"),
                arguments("{" + travel + ",\"max_speed_kmh\":900,\"min_distanse_km\":5}", "min_distanse_km"),
                arguments("{" + travel + "}", "max_speed_kmh"),
                arguments("{" + stl + ",\"small_max\":1,\"large_min\":500}", "within"),
                arguments("{" + distinct + ",\"min_distinct\":3}", "distinct"),
                arguments("{" + distinct + ",\"distinct\":\"merchant_id\"}", "min_distinct"),
                // wrong JSON types
                arguments("{\"rule_id\":\"r\",\"version\":1,\"type\":5}", "type"),
                arguments("{" + sumWin + ",\"threshold\":\"3000\"}", "threshold"),
                arguments("{" + sumWin + ",\"threshold\":true}", "threshold"),
                arguments("{" + sumWin + ",\"threshold\":[3000]}", "threshold"),
                arguments("{" + sum + ",\"threshold\":3000,\"window\":\"PT1M\"}", "window"),
                arguments("{" + sum + ",\"threshold\":3000,\"window\":{\"kind\":\"TUMBLING\",\"size\":60}}",
                        "window.size"),
                arguments("{" + count + ",\"min_count\":\"3\"}", "min_count"),
                arguments("{" + count + ",\"min_count\":2.5}", "min_count"),
                arguments("{" + count + ",\"min_count\":3.0}", "min_count"),
                arguments("{" + sumWin + ",\"threshold\":3000,\"group_by\":1}", "group_by"),
                arguments("{" + sumWin + ",\"threshold\":3000,\"mode\":true}", "mode"),
                arguments("{" + sumWin + ",\"threshold\":3000,\"description\":5}", "description"),
                arguments("{" + travel + ",\"max_speed_kmh\":\"900\"}", "max_speed_kmh"),
                arguments("{" + stl + ",\"small_max\":1,\"large_min\":500,\"within\":600}", "within"),
                // unknown values and out of range
                arguments("{\"rule_id\":\"r\",\"version\":1,\"type\":\"SUM\"}", "type"),
                arguments("{" + sumWin + ",\"threshold\":3000,\"group_by\":\"ip\"}", "group_by"),
                arguments("{" + sumWin + ",\"threshold\":3000,\"mode\":\"active\"}", "mode"),
                arguments("{" + sumWin + ",\"threshold\":3000,\"firing\":\"LATE\"}", "firing"),
                arguments("{" + sum + ",\"threshold\":3000,\"window\":{\"kind\":\"HOPPING\",\"size\":\"PT1M\"}}",
                        "window.kind"),
                arguments("{" + distinct + ",\"distinct\":\"ip\",\"min_distinct\":3}", "distinct"),
                arguments("{" + sumWin + ",\"threshold\":-0.01}", "threshold"),
                arguments("{" + sumWin + ",\"threshold\":1000000000.01}", "threshold"),
                arguments("{" + sumWin + ",\"threshold\":1e20}", "threshold"),
                arguments("{" + sumWin + ",\"threshold\":123456789012345678901234567890}", "threshold"),
                arguments("{" + count + ",\"min_count\":0}", "min_count"),
                arguments("{" + count + ",\"min_count\":1000001}", "min_count"),
                arguments("{" + count + ",\"min_count\":99999999999}", "min_count"),
                arguments("{" + stl + ",\"small_max\":0,\"large_min\":500,\"within\":\"PT1M\"}", "small_max"),
                arguments("{" + travel + ",\"max_speed_kmh\":0.5}", "max_speed_kmh"),
                arguments("{" + travel + ",\"max_speed_kmh\":100001}", "max_speed_kmh"),
                arguments("{" + travel + ",\"max_speed_kmh\":1e400}", "max_speed_kmh"),
                arguments("{" + travel + ",\"max_speed_kmh\":900,\"min_distance_km\":-1}", "min_distance_km"),
                arguments("{" + travel + ",\"max_speed_kmh\":900,\"min_distance_km\":20041}", "min_distance_km"),
                // more than two decimals
                arguments("{" + sumWin + ",\"threshold\":3000.001}", "threshold"),
                arguments("{" + stl + ",\"small_max\":0.999,\"large_min\":500,\"within\":\"PT1M\"}", "small_max"),
                // durations
                arguments("{" + stl + ",\"small_max\":1,\"large_min\":500,\"within\":\"10 minutes\"}", "within"),
                arguments("{" + stl + ",\"small_max\":1,\"large_min\":500,\"within\":\"PT\"}", "within"),
                arguments("{" + stl + ",\"small_max\":1,\"large_min\":500,\"within\":\"PT0S\"}", "within"),
                arguments("{" + stl + ",\"small_max\":1,\"large_min\":500,\"within\":\"-PT1M\"}", "within"),
                arguments("{" + stl + ",\"small_max\":1,\"large_min\":500,\"within\":\"P8D\"}", "within"),
                arguments("{" + stl + ",\"small_max\":1,\"large_min\":500,\"within\":\"PT1.0005S\"}", "within"),
                arguments("{" + stl + ",\"small_max\":1,\"large_min\":500,\"within\":\"PT1.0001S\"}", "within"),
                arguments("{" + stl + ",\"small_max\":1,\"large_min\":500,\"within\":\"PT99999999999999999H\"}",
                        "within"),
                arguments("{" + sum + ",\"threshold\":3000,\"window\":{\"kind\":\"TUMBLING\",\"size\":\"1m\"}}",
                        "window.size"),
                arguments("{" + sum + ",\"threshold\":3000,\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT0.5S\"}}",
                        "window.size"),
                // combinations
                arguments("{" + sum + ",\"threshold\":3000,\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT1M\"},"
                        + "\"firing\":\"WINDOW_CLOSE\"}", "firing"),
                arguments("{" + stl + ",\"small_max\":500,\"large_min\":500,\"within\":\"PT1M\"}", "large_min"),
                arguments("{" + stl + ",\"small_max\":600,\"large_min\":500,\"within\":\"PT1M\"}", "large_min"),
                // version
                arguments("{\"rule_id\":\"r\",\"type\":\"SUM_OVER_THRESHOLD\"}", "version"),
                arguments("{\"rule_id\":\"r\",\"version\":null}", "version"),
                arguments("{\"rule_id\":\"r\",\"version\":0}", "version"),
                arguments("{\"rule_id\":\"r\",\"version\":-1}", "version"),
                arguments("{\"rule_id\":\"r\",\"version\":1.5}", "version"),
                arguments("{\"rule_id\":\"r\",\"version\":1.0}", "version"),
                arguments("{\"rule_id\":\"r\",\"version\":\"1\"}", "version"),
                arguments("{\"rule_id\":\"r\",\"version\":9007199254740992}", "version"),
                arguments("{\"rule_id\":\"r\",\"version\":99999999999999999999999}", "version"),
                // rule_id
                arguments("{\"version\":1}", "rule_id"),
                arguments("{\"rule_id\":\"\",\"version\":1}", "rule_id"),
                arguments("{\"rule_id\":\"a\\u0001b\",\"version\":1}", "rule_id"),
                arguments("{\"rule_id\":\"a\\nb\",\"version\":1}", "rule_id"),
                arguments("{\"rule_id\":\"evil\\u202e\",\"version\":1}", "rule_id"),
                arguments("{\"rule_id\":\" r\",\"version\":1}", "rule_id"),
                arguments("{\"rule_id\":\"" + "r".repeat(129) + "\",\"version\":1}", "rule_id"),
                arguments("{\"rule_id\":7,\"version\":1}", "rule_id"),
                arguments("{\"rule_id\":null,\"version\":1}", "rule_id"),
                // delete commands
                arguments("{\"rule_id\":\"r\",\"version\":2,\"delete\":false}", "delete"),
                arguments("{\"rule_id\":\"r\",\"version\":2,\"delete\":\"true\"}", "delete"),
                arguments("{\"rule_id\":\"r\",\"version\":2,\"delete\":null}", "delete"),
                arguments("{\"rule_id\":\"r\",\"version\":2,\"delete\":true,\"type\":\"SUM_OVER_THRESHOLD\"}",
                        "type"),
                arguments("{\"rule_id\":\"r\",\"delete\":true}", "version"));
    }

    @ParameterizedTest
    @MethodSource("invalidDocuments")
    void invalidDocumentsNameTheField(String json, String field) {
        assertThatThrownBy(() -> RuleCodec.parseCommand(bytes(json)))
                .isInstanceOfSatisfying(RuleException.class, e -> {
                    assertThat(e.field()).as(e.getMessage()).isEqualTo(field);
                    assertThat(e.getMessage()).contains("field '" + field + "'");
                    assertThat(e.problem()).isNotBlank();
                    // messages are printed on terminals: never a raw control character
                    assertThat(e.getMessage()).doesNotContainPattern("[\\p{Cntrl}\\u202e]");
                });
    }

    @Test
    void aTypoIsReportedAsTheUnknownFieldItIs() {
        String doc = "{\"rule_id\":\"r\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
                + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},\"treshold\":3000}";
        assertThatThrownBy(() -> RuleCodec.parse(doc)).hasMessageContaining("treshold")
                .hasMessageContaining("unknown field").hasMessageContaining("threshold");
    }

    @Test
    void tooLargeAmountIsOutOfRangeNotADecimalsProblem() {
        String doc = "{\"rule_id\":\"r\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
                + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},\"threshold\":1e20}";
        assertThatThrownBy(() -> RuleCodec.parse(doc)).hasMessageContaining("must be from")
                .hasMessageNotContaining("decimals");
    }

    @Test
    void amountsMayHaveTrailingZerosAndExponents() throws Exception {
        String base = "{\"rule_id\":\"r\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
                + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},\"threshold\":";
        assertThat(((SumOverThreshold) RuleCodec.parse(base + "3000.0100}").logic()).thresholdCents())
                .isEqualTo(300_001);
        assertThat(((SumOverThreshold) RuleCodec.parse(base + "3e3}").logic()).thresholdCents())
                .isEqualTo(300_000);
        assertThat(((SumOverThreshold) RuleCodec.parse(base + "0}").logic()).thresholdCents()).isZero();
    }

    @Test
    void durationsAreWholeMilliseconds() throws Exception {
        Rule r = RuleCodec.parse("{\"rule_id\":\"r\",\"version\":1,\"type\":\"SMALL_THEN_LARGE\",\"small_max\":1,"
                + "\"large_min\":500,\"within\":\"PT1.5S\"}");
        assertThat(((SmallThenLarge) r.logic()).withinMillis()).isEqualTo(1500);
        assertThat(r.json()).contains("\"within\":\"PT1.5S\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "[]", "null", "\"rule\"", "42", "{} {}", "{\"rule_id\":\"r\"",
        "{\"rule_id\":\"r\",\"rule_id\":\"s\",\"version\":1}", "{'rule_id':'r'}", "\u0000"})
    void nonRuleDocumentsAreRuleExceptions(String text) {
        assertThatThrownBy(() -> RuleCodec.parseCommand(bytes(text))).isInstanceOf(RuleException.class)
                .hasMessageStartingWith("rule");
    }

    @Test
    void nonJsonBytesAreRuleExceptions() {
        byte[][] inputs = {
            {(byte) 0xff, (byte) 0xfe, 0x7b, 0x7d},
            {0x7b, 0x22, (byte) 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d},
            {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
            {0x1f, (byte) 0x8b, 0x08, 0x00},
            "[".repeat(100_000).getBytes(StandardCharsets.US_ASCII),
        };
        for (byte[] in : inputs) {
            assertThatThrownBy(() -> RuleCodec.parseCommand(in)).isInstanceOf(RuleException.class);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
