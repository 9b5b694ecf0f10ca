package com.example.fraud.rules;

import com.example.fraud.model.DistinctField;
import com.example.fraud.model.Grouping;
import com.example.fraud.model.Identifiers;
import com.example.fraud.model.Money;
import com.example.fraud.model.RuleMode;
import com.example.fraud.model.RuleType;
import com.example.fraud.model.TerminalText;
import com.example.fraud.rules.types.CountOverThreshold;
import com.example.fraud.rules.types.DistinctCountOverThreshold;
import com.example.fraud.rules.types.ImpossibleTravel;
import com.example.fraud.rules.types.SmallThenLarge;
import com.example.fraud.rules.types.SumOverThreshold;
import com.example.fraud.rules.types.WindowedAggregate;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates rule documents and control commands, and writes their canonical JSON. Validation is complete:
 * unknown fields, wrong types, out-of-range values and fields of another type are rejected, each naming the rule and
 * the field, so a typo never silently becomes a default. The schema is in the README.
 */
public final class RuleCodec {
    public static final long MAX_VERSION = (1L << 53) - 1; // exact in every JSON reader
    static final Duration MIN_SPAN = Duration.ofSeconds(1);
    static final Duration MAX_SPAN = Duration.ofDays(7);
    static final int MAX_COUNT = 1_000_000;
    static final double MAX_SPEED_KMH = 100_000;
    static final double MAX_DISTANCE_KM = 20_040; // half the Earth's circumference

    /** The module's one mapper: exact decimals, duplicate keys and trailing data rejected. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The sender's id for a control-stream record, echoed in the job's acknowledgement. */
    public static final String COMMAND_ID = "command_id";
    private static final Set<String> COMMON = Set.of("rule_id", "version", "type", "group_by", "mode", "description");
    private static final Set<String> AGGREGATE = Set.of("window", "firing");
    private static final Map<RuleType, Set<String>> FIELDS = fieldsByType();

    private RuleCodec() {}

    /** A rule document, validated. */
    public static Rule parse(String json) throws RuleException {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    public static Rule parse(byte[] json) throws RuleException {
        RuleCommand c = parseCommand(json);
        if (c.isDelete()) {
            throw new RuleException(c.ruleId(), "delete", "expected a rule document, got a delete command");
        }
        if (c.commandId() != null) {
            throw new RuleException(c.ruleId(), COMMAND_ID, "belongs to a control-stream command, not a rule document");
        }
        return c.rule();
    }

    /** A control-stream record: a rule document, or {@code {"rule_id": ..., "version": ..., "delete": true}}. */
    public static RuleCommand parseCommand(byte[] json) throws RuleException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new RuleException(null, null, "not a JSON document: "
                    + TerminalText.abbreviate(e.getOriginalMessage(), 200));
        } catch (java.io.IOException | RuntimeException e) {
            throw new RuleException(null, null, "unreadable document (" + e.getClass().getSimpleName() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new RuleException(null, null, "a rule must be a JSON object");
        }
        ObjectNode doc = (ObjectNode) root;
        String id = id(doc);
        String commandId = checkCommandId(doc.remove(COMMAND_ID), id);
        long version = version(doc, id);
        if (doc.has("delete")) {
            JsonNode d = doc.get("delete");
            if (!d.isBoolean() || !d.booleanValue()) {
                throw new RuleException(id, "delete", "must be true when present");
            }
            onlyFields(doc, id, Set.of("rule_id", "version", "delete"));
            return RuleCommand.delete(id, version).withCommandId(commandId);
        }
        return RuleCommand.put(rule(doc, id, version)).withCommandId(commandId);
    }

    /**
     * The {@code command_id} of a control-stream record that may not be a valid command, or null: so that even a
     * rejection of an unreadable command answers its sender.
     */
    public static String commandIdOf(byte[] record) {
        try {
            JsonNode n = JSON.readTree(record);
            return n != null && n.isObject() ? checkCommandId(n.get(COMMAND_ID), null) : null;
        } catch (java.io.IOException | RuntimeException | RuleException e) {
            return null;
        }
    }

    /** The id, checked: 1 to 64 characters of {@code A-Z a-z 0-9 . _ : -}; null when absent. */
    static String checkCommandId(JsonNode n, String ruleId) throws RuleException {
        if (n == null || n.isNull()) {
            return null;
        }
        String s = n.isTextual() ? n.textValue() : "";
        if (s.isEmpty() || s.length() > 64 || !s.chars().allMatch(RuleCodec::isCommandIdChar)) {
            throw new RuleException(ruleId, COMMAND_ID, "must be 1 to 64 characters of A-Z a-z 0-9 . _ : -, got "
                    + quote(TerminalText.abbreviate(n.toString(), 80)));
        }
        return s;
    }

    private static boolean isCommandIdChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                || c == ':' || c == '-';
    }

    /** {@code json} (an object) with the command id added: the record a sender puts on the control stream. */
    static String withCommandId(String json, String commandId) {
        try {
            ObjectNode n = (ObjectNode) JSON.readTree(json);
            n.put(COMMAND_ID, commandId);
            return n.toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("canonical command JSON did not parse", e);
        }
    }

    private static Rule rule(ObjectNode doc, String id, long version) throws RuleException {
        RuleType type = enumField(doc, id, "type", RuleType.class, null);
        // First, so that a misspelt field is named as what it is, not as the required field it was meant to be.
        onlyFields(doc, id, FIELDS.get(type));
        Grouping grouping = Grouping.ACCOUNT_ID;
        if (present(doc, "group_by")) {
            grouping = Grouping.ofField(text(doc, id, "group_by"));
            if (grouping == null) {
                throw new RuleException(id, "group_by", "must be one of " + fields(Grouping.values()) + ", got "
                        + quote(doc.get("group_by").asText()));
            }
        }
        RuleMode mode = enumField(doc, id, "mode", RuleMode.class, RuleMode.ACTIVE);
        if (present(doc, "description")) {
            text(doc, id, "description");
        }
        RuleLogic logic;
        switch (type) {
            case SUM_OVER_THRESHOLD:
            case COUNT_OVER_THRESHOLD:
            case DISTINCT_COUNT_OVER_THRESHOLD:
                Window window = window(doc, id);
                FiringMode firing = enumField(doc, id, "firing", FiringMode.class, FiringMode.EARLY);
                if (firing == FiringMode.WINDOW_CLOSE && window.kind() == Window.Kind.SLIDING) {
                    throw new RuleException(id, "firing", "WINDOW_CLOSE needs a TUMBLING window; a sliding window "
                            + "ends at every transaction");
                }
                if (type == RuleType.SUM_OVER_THRESHOLD) {
                    logic = new SumOverThreshold(window, firing, amount(doc, id, "threshold", 0));
                } else if (type == RuleType.COUNT_OVER_THRESHOLD) {
                    logic = new CountOverThreshold(window, firing, count(doc, id, "min_count"));
                } else {
                    String f = text(doc, id, "distinct");
                    DistinctField field = DistinctField.ofField(f);
                    if (field == null) {
                        throw new RuleException(id, "distinct", "must be one of " + fields(DistinctField.values())
                                + ", got " + quote(f));
                    }
                    logic = new DistinctCountOverThreshold(window, firing, field, count(doc, id, "min_distinct"));
                }
                break;
            case SMALL_THEN_LARGE:
                long small = amount(doc, id, "small_max", 1);
                long large = amount(doc, id, "large_min", 1);
                if (small >= large) {
                    throw new RuleException(id, "large_min", "must be greater than small_max (" + Money.format(small)
                            + "), got " + Money.format(large));
                }
                logic = new SmallThenLarge(small, large, span(doc, id, "within").toMillis());
                break;
            default:
                double speed = number(doc, id, "max_speed_kmh", null, 1, MAX_SPEED_KMH);
                double distance = number(doc, id, "min_distance_km", 100.0, 0, MAX_DISTANCE_KM);
                logic = new ImpossibleTravel(speed, distance, span(doc, id, "within").toMillis());
        }
        Rule draft = new Rule(id, version, type, grouping, mode, logic, null);
        return new Rule(id, version, type, grouping, mode, logic, canonical(draft));
    }

    private static Map<RuleType, Set<String>> fieldsByType() {
        Map<RuleType, Set<String>> m = new EnumMap<>(RuleType.class);
        for (RuleType t : RuleType.values()) {
            Set<String> allowed = new HashSet<>(COMMON);
            switch (t) {
                case SUM_OVER_THRESHOLD:
                    allowed.addAll(AGGREGATE);
                    allowed.add("threshold");
                    break;
                case COUNT_OVER_THRESHOLD:
                    allowed.addAll(AGGREGATE);
                    allowed.add("min_count");
                    break;
                case DISTINCT_COUNT_OVER_THRESHOLD:
                    allowed.addAll(AGGREGATE);
                    allowed.addAll(Set.of("distinct", "min_distinct"));
                    break;
                case SMALL_THEN_LARGE:
                    allowed.addAll(Set.of("small_max", "large_min", "within"));
                    break;
                default:
                    allowed.addAll(Set.of("max_speed_kmh", "min_distance_km", "within"));
            }
            m.put(t, Set.copyOf(allowed));
        }
        return m;
    }

    // ---- canonical JSON

    /** The canonical document of a rule: every field, defaults filled in, in a fixed order. */
    static String canonical(Rule r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("rule_id", r.id());
        n.put("version", r.version());
        n.put("type", r.type().name());
        n.put("group_by", r.grouping().field());
        n.put("mode", r.mode().name());
        RuleLogic l = r.logic();
        if (l instanceof WindowedAggregate) {
            WindowedAggregate w = (WindowedAggregate) l;
            ObjectNode win = n.putObject("window");
            win.put("kind", w.window().kind().name());
            win.put("size", w.window().size().toString());
            n.put("firing", w.firing().name());
        }
        if (l instanceof SumOverThreshold) {
            n.put("threshold", Money.toDecimal(((SumOverThreshold) l).thresholdCents()));
        } else if (l instanceof CountOverThreshold) {
            n.put("min_count", ((CountOverThreshold) l).minCount());
        } else if (l instanceof DistinctCountOverThreshold) {
            n.put("distinct", ((DistinctCountOverThreshold) l).field().field());
            n.put("min_distinct", ((DistinctCountOverThreshold) l).minDistinct());
        } else if (l instanceof SmallThenLarge) {
            SmallThenLarge s = (SmallThenLarge) l;
            n.put("small_max", Money.toDecimal(s.smallMaxCents()));
            n.put("large_min", Money.toDecimal(s.largeMinCents()));
            n.put("within", Duration.ofMillis(s.withinMillis()).toString());
        } else if (l instanceof ImpossibleTravel) {
            ImpossibleTravel t = (ImpossibleTravel) l;
            n.put("max_speed_kmh", t.maxSpeedKmh());
            n.put("min_distance_km", t.minDistanceKm());
            n.put("within", Duration.ofMillis(t.withinMillis()).toString());
        }
        return n.toString();
    }

    static String deleteJson(String ruleId, long version) {
        ObjectNode n = JSON.createObjectNode();
        n.put("rule_id", ruleId);
        n.put("version", version);
        n.put("delete", true);
        return n.toString();
    }

    /** The same rule with another mode and version (the rules command's shadow, activate and pause). */
    public static Rule withMode(Rule r, RuleMode mode, long version) {
        Rule draft = new Rule(r.id(), version, r.type(), r.grouping(), mode, r.logic(), null);
        return new Rule(r.id(), version, r.type(), r.grouping(), mode, r.logic(), canonical(draft));
    }

    // ---- fields

    private static String id(ObjectNode doc) throws RuleException {
        JsonNode n = doc.get("rule_id");
        if (n == null || n.isNull()) {
            throw new RuleException(null, "rule_id", "is required");
        }
        if (!n.isTextual()) {
            throw new RuleException(null, "rule_id", "must be a string");
        }
        String id = n.textValue();
        String problem = Identifiers.problem("rule_id", id);
        if (problem != null) {
            throw new RuleException(null, "rule_id", problem);
        }
        return id;
    }

    private static long version(ObjectNode doc, String id) throws RuleException {
        JsonNode n = doc.get("version");
        if (n == null || n.isNull()) {
            throw new RuleException(id, "version", "is required (a whole number, 1 or more; each change needs a "
                    + "higher one)");
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 1 || n.longValue() > MAX_VERSION) {
            throw new RuleException(id, "version", "must be a whole number from 1 to " + MAX_VERSION + ", got "
                    + quote(n.toString()));
        }
        return n.longValue();
    }

    private static void onlyFields(ObjectNode doc, String id, Set<String> allowed) throws RuleException {
        for (Iterator<String> it = doc.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new RuleException(id, f, "unknown field for this rule type; allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
    }

    private static boolean present(ObjectNode doc, String field) {
        JsonNode n = doc.get(field);
        return n != null && !n.isNull();
    }

    private static JsonNode required(ObjectNode doc, String id, String field) throws RuleException {
        JsonNode n = doc.get(field);
        if (n == null || n.isNull()) {
            throw new RuleException(id, field, "is required");
        }
        return n;
    }

    private static String text(ObjectNode doc, String id, String field) throws RuleException {
        JsonNode n = required(doc, id, field);
        if (!n.isTextual()) {
            throw new RuleException(id, field, "must be a string, got " + quote(n.toString()));
        }
        return n.textValue();
    }

    private static <E extends Enum<E>> E enumField(ObjectNode doc, String id, String field, Class<E> type, E dflt)
            throws RuleException {
        if (dflt != null && !present(doc, field)) {
            return dflt;
        }
        String s = text(doc, id, field);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(s)) {
                return e;
            }
        }
        throw new RuleException(id, field, "must be one of " + Arrays.toString(type.getEnumConstants()) + ", got "
                + quote(s));
    }

    private static long amount(ObjectNode doc, String id, String field, long minCents) throws RuleException {
        JsonNode n = required(doc, id, field);
        if (!n.isNumber()) {
            throw new RuleException(id, field, "must be a JSON number (an amount such as 3000.00), got "
                    + quote(n.toString()));
        }
        BigDecimal d = n.decimalValue().stripTrailingZeros();
        if (d.scale() > 2) {
            throw new RuleException(id, field, "must have at most two decimals, got " + quote(n.toString()));
        }
        // Range before conversion: 1e20 is out of range, not an overflow reported as a decimals problem.
        if (d.compareTo(Money.toDecimal(minCents)) < 0 || d.compareTo(Money.toDecimal(Money.MAX_AMOUNT_CENTS)) > 0) {
            throw new RuleException(id, field, "must be from " + Money.format(minCents) + " to "
                    + Money.format(Money.MAX_AMOUNT_CENTS) + ", got " + quote(n.toString()));
        }
        return Money.toCents(d);
    }

    private static int count(ObjectNode doc, String id, String field) throws RuleException {
        JsonNode n = required(doc, id, field);
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1 || n.intValue() > MAX_COUNT) {
            throw new RuleException(id, field, "must be a whole number from 1 to " + MAX_COUNT + ", got "
                    + quote(n.toString()));
        }
        return n.intValue();
    }

    private static double number(ObjectNode doc, String id, String field, Double dflt, double min, double max)
            throws RuleException {
        if (dflt != null && !present(doc, field)) {
            return dflt;
        }
        JsonNode n = required(doc, id, field);
        double v = n.isNumber() ? n.doubleValue() : Double.NaN;
        if (!(v >= min && v <= max)) {
            throw new RuleException(id, field, "must be a number from " + min + " to " + max + ", got "
                    + quote(n.toString()));
        }
        return v;
    }

    private static Duration span(ObjectNode doc, String id, String field) throws RuleException {
        String s = text(doc, id, field);
        Duration d;
        try {
            d = Duration.parse(s);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new RuleException(id, field, "must be an ISO-8601 duration such as \"PT10M\" or \"PT1H\", got "
                    + quote(s));
        }
        if (d.compareTo(MIN_SPAN) < 0 || d.compareTo(MAX_SPAN) > 0 || d.getNano() % 1_000_000 != 0) {
            throw new RuleException(id, field, "must be whole milliseconds from " + MIN_SPAN + " to " + MAX_SPAN
                    + ", got " + quote(s));
        }
        return d;
    }

    private static Window window(ObjectNode doc, String id) throws RuleException {
        JsonNode n = required(doc, id, "window");
        if (!n.isObject()) {
            throw new RuleException(id, "window", "must be an object such as {\"kind\": \"SLIDING\", \"size\": "
                    + "\"PT10M\"}");
        }
        ObjectNode w = (ObjectNode) n;
        for (Iterator<String> it = w.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("kind") && !f.equals("size")) {
                throw new RuleException(id, "window." + f, "unknown field; allowed: kind, size");
            }
        }
        Window.Kind kind;
        try {
            kind = enumField(w, id, "kind", Window.Kind.class, null);
        } catch (RuleException e) {
            throw new RuleException(id, "window.kind", e.problem());
        }
        Duration size;
        try {
            size = span(w, id, "size");
        } catch (RuleException e) {
            throw new RuleException(id, "window.size", e.problem());
        }
        return new Window(kind, size);
    }

    private static String fields(Enum<?>[] values) {
        Set<String> names = new LinkedHashSet<>();
        for (Enum<?> v : values) {
            names.add(v instanceof Grouping ? ((Grouping) v).field() : ((DistinctField) v).field());
        }
        return names.toString();
    }

    private static String quote(String s) {
        return "\"" + TerminalText.abbreviate(s, 80) + "\""; // abbreviate escapes
    }
}
