package com.example.fraud.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON of alerts on the alert streams: snake_case fields, ISO-8601 times, amounts as decimals, enums by name. The
 * common fields come first; then the evidence of the rule type (see the README's alert contract).
 */
public final class AlertCodec {
    private AlertCodec() {}

    public static byte[] encode(Alert a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(384);
        try (JsonGenerator g = TransactionCodec.factory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("alert_id", a.alertId);
            g.writeStringField("rule_id", a.ruleId);
            g.writeNumberField("rule_version", a.ruleVersion);
            g.writeStringField("rule_type", name(a.ruleType));
            g.writeStringField("mode", name(a.mode));
            g.writeStringField("group_by", a.groupBy == null ? null : a.groupBy.field());
            g.writeStringField("group_key", a.groupKey);
            g.writeStringField("account_id", a.accountId);
            g.writeStringField("window_start", Timestamps.format(a.windowStartMillis));
            g.writeStringField("window_end", Timestamps.format(a.windowEndMillis));
            g.writeStringField("trigger", name(a.trigger));
            g.writeNumberField("revision", a.revision);
            g.writeStringField("detected_at", Timestamps.format(a.detectedAtMillis));
            g.writeArrayFieldStart("txn_ids");
            for (String id : a.txnIds == null ? new String[0] : a.txnIds) {
                g.writeString(id);
            }
            g.writeEndArray();
            RuleType type = a.ruleType == null ? RuleType.SUM_OVER_THRESHOLD : a.ruleType;
            switch (type) {
                case SUM_OVER_THRESHOLD:
                case COUNT_OVER_THRESHOLD:
                case DISTINCT_COUNT_OVER_THRESHOLD:
                    g.writeFieldName("total_amount");
                    g.writeNumber(Money.toDecimal(a.totalCents));
                    g.writeNumberField("txn_count", a.txnCount);
                    if (type == RuleType.SUM_OVER_THRESHOLD) {
                        g.writeFieldName("threshold");
                        g.writeNumber(Money.toDecimal(a.threshold));
                    } else if (type == RuleType.COUNT_OVER_THRESHOLD) {
                        g.writeNumberField("min_count", a.threshold);
                    } else {
                        g.writeStringField("distinct_field", a.distinctField == null ? null : a.distinctField.field());
                        g.writeNumberField("distinct_count", a.distinctCount);
                        g.writeNumberField("min_distinct", a.threshold);
                    }
                    break;
                case SMALL_THEN_LARGE:
                    writeTxn(g, "small", a.first);
                    writeTxn(g, "large", a.second);
                    g.writeFieldName("small_max");
                    g.writeNumber(Money.toDecimal(a.smallMaxCents));
                    g.writeFieldName("large_min");
                    g.writeNumber(Money.toDecimal(a.largeMinCents));
                    break;
                default:
                    writeTxn(g, "from", a.first);
                    writeTxn(g, "to", a.second);
                    g.writeNumberField("distance_km", a.distanceKm);
                    g.writeNumberField("speed_kmh", a.speedKmh);
                    g.writeNumberField("max_speed_kmh", a.maxSpeedKmh);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeTxn(JsonGenerator g, String name, AlertTxn t) throws IOException {
        if (t == null) {
            return;
        }
        g.writeObjectFieldStart(name);
        g.writeStringField("txn_id", t.txnId);
        g.writeStringField("txn_time", Timestamps.format(t.txnTimeMillis));
        g.writeFieldName("amount");
        g.writeNumber(Money.toDecimal(t.amountCents));
        if (!Double.isNaN(t.lat)) {
            g.writeNumberField("lat", t.lat);
            g.writeNumberField("lon", t.lon);
        }
        g.writeEndObject();
    }

    private static String name(Enum<?> e) {
        return e == null ? null : e.name();
    }

    /** Reads an alert written by {@link #encode}; for consumers such as the tail and evaluate tools. */
    public static Alert decode(byte[] json) {
        Alert a = new Alert();
        try (JsonParser p = TransactionCodec.factory().createParser(json)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, "alert is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (p.nextToken() == JsonToken.VALUE_NULL) {
                    continue;
                }
                switch (field) {
                    case "alert_id":
                        a.alertId = p.getText();
                        break;
                    case "rule_id":
                        a.ruleId = p.getText();
                        break;
                    case "rule_version":
                        a.ruleVersion = p.getLongValue();
                        break;
                    case "rule_type":
                        a.ruleType = RuleType.valueOf(p.getText());
                        break;
                    case "mode":
                        a.mode = RuleMode.valueOf(p.getText());
                        break;
                    case "group_by":
                        a.groupBy = Grouping.ofField(p.getText());
                        break;
                    case "group_key":
                        a.groupKey = p.getText();
                        break;
                    case "account_id":
                        a.accountId = p.getText();
                        break;
                    case "window_start":
                        a.windowStartMillis = Timestamps.parseMillis(p.getText());
                        break;
                    case "window_end":
                        a.windowEndMillis = Timestamps.parseMillis(p.getText());
                        break;
                    case "trigger":
                        a.trigger = Alert.Trigger.valueOf(p.getText());
                        break;
                    case "revision":
                        a.revision = p.getIntValue();
                        break;
                    case "detected_at":
                        a.detectedAtMillis = Timestamps.parseMillis(p.getText());
                        break;
                    case "txn_ids":
                        List<String> ids = new ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            ids.add(p.getText());
                        }
                        a.txnIds = ids.toArray(new String[0]);
                        break;
                    case "total_amount":
                        a.totalCents = Money.toCents(p.getDecimalValue());
                        break;
                    case "txn_count":
                        a.txnCount = p.getIntValue();
                        break;
                    case "threshold":
                        a.threshold = Money.toCents(p.getDecimalValue());
                        break;
                    case "min_count":
                    case "min_distinct":
                        a.threshold = p.getLongValue();
                        break;
                    case "distinct_field":
                        a.distinctField = DistinctField.ofField(p.getText());
                        break;
                    case "distinct_count":
                        a.distinctCount = p.getIntValue();
                        break;
                    case "small":
                    case "from":
                        a.first = readTxn(p);
                        break;
                    case "large":
                    case "to":
                        a.second = readTxn(p);
                        break;
                    case "small_max":
                        a.smallMaxCents = Money.toCents(p.getDecimalValue());
                        break;
                    case "large_min":
                        a.largeMinCents = Money.toCents(p.getDecimalValue());
                        break;
                    case "distance_km":
                        a.distanceKm = p.getDoubleValue();
                        break;
                    case "speed_kmh":
                        a.speedKmh = p.getDoubleValue();
                        break;
                    case "max_speed_kmh":
                        a.maxSpeedKmh = p.getDoubleValue();
                        break;
                    default:
                        p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not an alert: " + e.getMessage(), e);
        }
        expect(a.alertId != null && a.ruleId != null, "alert lacks alert_id or rule_id");
        return a;
    }

    private static AlertTxn readTxn(JsonParser p) throws IOException {
        expect(p.currentToken() == JsonToken.START_OBJECT, "evidence transaction is not an object");
        AlertTxn t = new AlertTxn();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "txn_id":
                    t.txnId = p.getText();
                    break;
                case "txn_time":
                    t.txnTimeMillis = Timestamps.parseMillis(p.getText());
                    break;
                case "amount":
                    t.amountCents = Money.toCents(p.getDecimalValue());
                    break;
                case "lat":
                    t.lat = p.getDoubleValue();
                    break;
                case "lon":
                    t.lon = p.getDoubleValue();
                    break;
                default:
                    p.skipChildren();
            }
        }
        return t;
    }

    private static void expect(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
