package com.example.fraud.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * For ANY bytes, {@link RuleCodec#parseCommand} returns a command or throws {@link RuleException}: nothing else
 * escapes. An accepted rule's canonical JSON parses back to the same canonical JSON. Tries come from
 * {@code jqwik.tries.default} (junit-platform.properties).
 */
class RuleCodecProperties {
    static final List<String> VALID = List.of(
            "{\"rule_id\":\"sum\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\",\"window\":{\"kind\":\"TUMBLING\","
                    + "\"size\":\"PT1M\"},\"threshold\":3000}",
            "{\"rule_id\":\"s\",\"version\":7,\"type\":\"SUM_OVER_THRESHOLD\",\"group_by\":\"card_id\",\"mode\":"
                    + "\"SHADOW\",\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT10M\"},\"firing\":\"EARLY\","
                    + "\"threshold\":2500.5,\"description\":\"d\"}",
            "{\"rule_id\":\"v\",\"version\":2,\"type\":\"COUNT_OVER_THRESHOLD\",\"window\":{\"kind\":\"TUMBLING\","
                    + "\"size\":\"PT1H\"},\"firing\":\"WINDOW_CLOSE\",\"min_count\":10}",
            "{\"rule_id\":\"m\",\"version\":3,\"type\":\"DISTINCT_COUNT_OVER_THRESHOLD\",\"group_by\":\"merchant_id\","
                    + "\"window\":{\"kind\":\"SLIDING\",\"size\":\"P1D\"},\"distinct\":\"country\",\"min_distinct\":4}",
            "{\"rule_id\":\"c\",\"version\":1,\"type\":\"SMALL_THEN_LARGE\",\"small_max\":1.00,\"large_min\":500,"
                    + "\"within\":\"PT10M\"}",
            "{\"rule_id\":\"t\",\"version\":9,\"type\":\"IMPOSSIBLE_TRAVEL\",\"max_speed_kmh\":900,"
                    + "\"min_distance_km\":50.5,\"within\":\"PT6H\"}",
            "{\"rule_id\":\"t\",\"version\":10,\"delete\":true}",
            "{\"rule_id\":\"t\",\"command_id\":\"7c1e-0a:b_2.Z\",\"version\":11,\"delete\":true}");

    /** Pieces that make a mutation likely to stay JSON, or to hit a validation edge. */
    static final List<String> PIECES = List.of("{", "}", "[", "]", ",", ":", "\"", "\\", "0", "1", "-", ".", "e",
            "9007199254740992", "1e400", "0.001", "null", "true", "false", "\"PT1S\"", "\"P8D\"", "\"PT0.0001S\"",
            "\"SLIDING\"", "\"TUMBLING\"", "\"WINDOW_CLOSE\"", "\"treshold\"", "\"window\"", "\"version\"",
            "\"rule_id\"", "\"delete\"", "\"command_id\"", "\u0000", "\u202e", "\ud800", "\u00e9", "\"\"", " ",
            "1e-400", "99999999999");

    @Property
    void anyBytes(@ForAll("bytes") byte[] record) {
        parsesOrRejects(record);
    }

    @Property
    void mutatedValidDocuments(@ForAll("valid") String doc, @ForAll("edits") List<int[]> edits) {
        StringBuilder b = new StringBuilder(doc);
        for (int[] e : edits) {
            int at = Math.floorMod(e[1], b.length() + 1);
            String piece = PIECES.get(Math.floorMod(e[2], PIECES.size()));
            switch (e[0]) {
                case 0:
                    b.insert(at, piece);
                    break;
                case 1:
                    if (at < b.length()) {
                        b.deleteCharAt(at);
                    }
                    break;
                default:
                    int end = Math.min(b.length(), at + 1 + Math.floorMod(e[2], 8));
                    b.replace(at, end, piece);
            }
        }
        parsesOrRejects(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Property
    void fieldValuesReplaced(@ForAll("valid") String doc, @ForAll("values") String value, @ForAll("fields") String f) {
        // replace the value of one field (or add it), keeping the document's JSON shape
        String key = "\"" + f + "\":";
        int at = doc.indexOf(key);
        String mutated;
        if (at < 0) {
            mutated = doc.substring(0, doc.length() - 1) + "," + key + value + "}";
        } else {
            int from = at + key.length();
            int to = valueEnd(doc, from);
            mutated = doc.substring(0, from) + value + doc.substring(to);
        }
        parsesOrRejects(mutated.getBytes(StandardCharsets.UTF_8));
    }

    /** Documents built from valid parameters, in any field order, optional fields present or not: all accepted. */
    @Property
    void generatedValidRulesAreAcceptedAndTheirCanonicalJsonIsAFixedPoint(@ForAll("validRules") List<String> fields) {
        String doc = "{" + String.join(",", fields) + "}";
        RuleCommand c;
        try {
            c = RuleCodec.parseCommand(doc.getBytes(StandardCharsets.UTF_8));
        } catch (RuleException e) {
            throw new AssertionError(doc + " rejected: " + e.getMessage(), e);
        }
        parsesOrRejects(doc.getBytes(StandardCharsets.UTF_8));
        parsesOrRejects(c.json().getBytes(StandardCharsets.UTF_8));
    }

    static int valueEnd(String doc, int from) {
        int depth = 0;
        boolean inString = false;
        for (int i = from; i < doc.length(); i++) {
            char c = doc.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return doc.length();
    }

    static void parsesOrRejects(byte[] record) {
        String commandId = RuleCodec.commandIdOf(record); // for a rejection's ack: never throws
        if (commandId != null) {
            assertThat(commandId).hasSizeBetween(1, 64).matches("[A-Za-z0-9._:-]+");
        }
        RuleCommand c;
        try {
            c = RuleCodec.parseCommand(record);
        } catch (RuleException e) {
            assertThat(e.getMessage()).startsWith("rule");
            assertThat(e.problem()).isNotBlank();
            Statistics.collect("rejected");
            return;
        }
        Statistics.collect(c.isDelete() ? "accepted delete" : "accepted rule");
        assertThat(c.ruleId()).isNotEmpty();
        assertThat(c.version()).isBetween(1L, RuleCodec.MAX_VERSION);
        RuleCommand again;
        try {
            again = RuleCodec.parseCommand(c.json().getBytes(StandardCharsets.UTF_8));
        } catch (RuleException e) {
            throw new AssertionError("canonical JSON " + c.json() + " of an accepted command is rejected", e);
        }
        assertThat(again.json()).isEqualTo(c.json());
        assertThat(c.commandId()).isEqualTo(commandId);
        assertThat(again.isDelete()).isEqualTo(c.isDelete());
        if (!c.isDelete()) {
            assertThat(again.rule().stateSignature()).isEqualTo(c.rule().stateSignature());
        }
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    }

    @Provide
    Arbitrary<String> valid() {
        return Arbitraries.of(VALID);
    }

    @Provide
    Arbitrary<List<String>> validRules() {
        Arbitrary<String> money = Arbitraries.longs().between(1, 100_000_000_000L)
                .map(c -> c % 3 == 0 ? java.math.BigDecimal.valueOf(c, 2).stripTrailingZeros().toPlainString()
                        : java.math.BigDecimal.valueOf(c, 2).setScale(Math.toIntExact(c % 3) + 1).toPlainString());
        Arbitrary<String> span = Arbitraries.longs().between(1_000, 7 * 86_400_000L)
                .map(ms -> "\"" + java.time.Duration.ofMillis(ms) + "\"");
        Arbitrary<String> count = Arbitraries.integers().between(1, 1_000_000).map(String::valueOf);
        Arbitrary<String> window = Combinators.combine(Arbitraries.of("TUMBLING", "SLIDING"), span)
                .as((k, s) -> "\"window\":{\"kind\":\"" + k + "\",\"size\":" + s + "}");
        Arbitrary<List<String>> common = Combinators.combine(Arbitraries.strings().alpha().numeric().ofMinLength(1)
                .ofMaxLength(40), Arbitraries.longs().between(1, RuleCodec.MAX_VERSION),
                Arbitraries.of("account_id", "card_id", "merchant_id").injectNull(0.3),
                Arbitraries.of("ACTIVE", "SHADOW", "PAUSED").injectNull(0.3),
                Arbitraries.strings().ofMaxLength(30).injectNull(0.7)).as((id, v, g, m, desc) -> {
                    List<String> f = new java.util.ArrayList<>();
                    f.add("\"rule_id\":\"" + id + "\"");
                    f.add("\"version\":" + v);
                    if (g != null) {
                        f.add("\"group_by\":\"" + g + "\"");
                    }
                    if (m != null) {
                        f.add("\"mode\":\"" + m + "\"");
                    }
                    if (desc != null) {
                        f.add("\"description\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(desc));
                    }
                    return f;
                });
        Arbitrary<List<String>> specific = Arbitraries.oneOf(
                Combinators.combine(window, money).as((w, t) -> List.of("\"type\":\"SUM_OVER_THRESHOLD\"", w,
                        "\"threshold\":" + t)),
                Combinators.combine(window, count).as((w, n) -> List.of("\"type\":\"COUNT_OVER_THRESHOLD\"", w,
                        "\"min_count\":" + n, "\"firing\":\"EARLY\"")),
                Combinators.combine(window, count, Arbitraries.of("merchant_id", "country", "card_id")).as((w, n, f) ->
                        List.of("\"type\":\"DISTINCT_COUNT_OVER_THRESHOLD\"", w, "\"min_distinct\":" + n,
                                "\"distinct\":\"" + f + "\"")),
                Combinators.combine(Arbitraries.longs().between(1, 1_000_000),
                        Arbitraries.longs().between(1, 1_000_000), span).as((small, more, s) -> List.of(
                                "\"type\":\"SMALL_THEN_LARGE\"",
                                "\"small_max\":" + java.math.BigDecimal.valueOf(small, 2),
                                "\"large_min\":" + java.math.BigDecimal.valueOf(small + more, 2),
                                "\"within\":" + s)),
                Combinators.combine(Arbitraries.doubles().between(1, 100_000), Arbitraries.doubles().between(0, 20_040)
                        .injectNull(0.3), span).as((v, km, s) -> {
                            List<String> f = new java.util.ArrayList<>(List.of("\"type\":\"IMPOSSIBLE_TRAVEL\"",
                                    "\"max_speed_kmh\":" + v, "\"within\":" + s));
                            if (km != null) {
                                f.add("\"min_distance_km\":" + km);
                            }
                            return f;
                        }));
        return Combinators.combine(common, specific).as((a, b) -> {
            List<String> all = new java.util.ArrayList<>(a);
            all.addAll(b);
            return all;
        }).flatMap(l -> Arbitraries.shuffle(l));
    }

    @Provide
    Arbitrary<List<int[]>> edits() {
        Arbitrary<int[]> edit = Arbitraries.integers().between(0, 2).flatMap(kind -> Arbitraries.integers()
                .between(0, 400).flatMap(at -> Arbitraries.integers().between(0, 1000)
                        .map(p -> new int[] {kind, at, p})));
        return edit.list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> fields() {
        return Arbitraries.of("rule_id", "version", "type", "group_by", "mode", "description", "window", "firing",
                "threshold", "min_count", "min_distinct", "distinct", "small_max", "large_min", "within",
                "max_speed_kmh", "min_distance_km", "delete", "kind", "size", "treshold", "command_id");
    }

    @Provide
    Arbitrary<String> values() {
        Arbitrary<String> numbers = Arbitraries.oneOf(
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.bigDecimals().ofScale(3).between(new java.math.BigDecimal("-1e12"),
                        new java.math.BigDecimal("1e12")).map(java.math.BigDecimal::toPlainString),
                Arbitraries.doubles().map(String::valueOf).filter(s -> !s.contains("N") && !s.contains("I")),
                Arbitraries.of("0", "-0", "1e999999999", "1E-999999999", "0.5", "3000.00", "1000000000.00",
                        "1000000000.01", "9007199254740991", "9007199254740992", "1e2", "100000", "20040"));
        Arbitrary<String> strings = Arbitraries.oneOf(
                Arbitraries.of("SUM_OVER_THRESHOLD", "COUNT_OVER_THRESHOLD", "DISTINCT_COUNT_OVER_THRESHOLD",
                        "SMALL_THEN_LARGE", "IMPOSSIBLE_TRAVEL", "ACTIVE", "SHADOW", "PAUSED", "EARLY",
                        "WINDOW_CLOSE", "TUMBLING", "SLIDING", "account_id", "card_id", "merchant_id", "country",
                        "PT1S", "PT0.999S", "PT1.001S", "P7D", "P7DT0.001S", "PT10M", "-PT1M", "PT", "x"),
                Arbitraries.strings().ofMaxLength(20))
                .map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        Arbitrary<String> windows = Arbitraries.of("{\"kind\":\"SLIDING\",\"size\":\"PT1M\"}",
                "{\"kind\":\"TUMBLING\",\"size\":\"PT1.5S\"}", "{\"kind\":\"TUMBLING\"}", "{}", "[]",
                "{\"kind\":\"TUMBLING\",\"size\":\"PT1M\",\"x\":1}");
        return Arbitraries.oneOf(numbers, strings, windows, Arbitraries.of("null", "true", "false", "[1]", "{}"));
    }
}
