package com.example.fraud.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** JSON of alerts on the output stream: snake_case fields, ISO-8601 times, amounts as decimals. */
public final class AlertCodec {
    private AlertCodec() {}

    public static byte[] encode(Alert a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = TransactionCodec.factory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("alert_id", a.alertId);
            g.writeStringField("rule", a.rule);
            g.writeStringField("account_id", a.accountId);
            g.writeStringField("window_start", Timestamps.format(a.windowStartMillis));
            g.writeStringField("window_end", Timestamps.format(a.windowEndMillis));
            g.writeFieldName("total_amount");
            g.writeNumber(Money.toDecimal(a.totalCents));
            g.writeNumberField("txn_count", a.txnCount);
            g.writeFieldName("threshold");
            g.writeNumber(Money.toDecimal(a.thresholdCents));
            g.writeArrayFieldStart("txn_ids");
            for (String id : a.txnIds) {
                g.writeString(id);
            }
            g.writeEndArray();
            g.writeStringField("detected_at", Timestamps.format(a.detectedAtMillis));
            g.writeStringField("trigger", a.trigger);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Reads an alert written by {@link #encode}; for consumers such as the tail and evaluate tools. */
    public static Alert decode(byte[] json) {
        Alert a = new Alert();
        try (JsonParser p = TransactionCodec.factory().createParser(json)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, "alert is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "alert_id":
                        a.alertId = p.getText();
                        break;
                    case "rule":
                        a.rule = p.getText();
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
                    case "total_amount":
                        a.totalCents = Money.toCents(p.getDecimalValue());
                        break;
                    case "txn_count":
                        a.txnCount = p.getIntValue();
                        break;
                    case "threshold":
                        a.thresholdCents = Money.toCents(p.getDecimalValue());
                        break;
                    case "txn_ids":
                        List<String> ids = new ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            ids.add(p.getText());
                        }
                        a.txnIds = ids.toArray(new String[0]);
                        break;
                    case "detected_at":
                        a.detectedAtMillis = Timestamps.parseMillis(p.getText());
                        break;
                    case "trigger":
                        a.trigger = p.getText();
                        break;
                    default:
                        p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not an alert: " + e.getMessage(), e);
        }
        expect(a.alertId != null && a.accountId != null, "alert lacks alert_id or account_id");
        return a;
    }

    private static void expect(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
