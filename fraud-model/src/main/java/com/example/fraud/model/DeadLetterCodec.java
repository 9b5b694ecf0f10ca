package com.example.fraud.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON of dead-letter records: {@code {"reason","detail","payload","payload_bytes","account_id","rejected_at"}}. */
public final class DeadLetterCodec {
    private DeadLetterCodec() {}

    public static byte[] encode(DeadLetter d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = TransactionCodec.factory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("reason", d.reason);
            g.writeStringField("detail", d.detail);
            g.writeStringField("payload", d.payload);
            g.writeNumberField("payload_bytes", d.payloadBytes);
            if (d.accountId != null) {
                g.writeStringField("account_id", d.accountId);
            }
            g.writeStringField("rejected_at", Timestamps.format(d.rejectedAtMillis));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static DeadLetter decode(byte[] json) {
        DeadLetter d = new DeadLetter();
        try (JsonParser p = TransactionCodec.factory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("dead letter is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "reason":
                        d.reason = p.getText();
                        break;
                    case "detail":
                        d.detail = p.getText();
                        break;
                    case "payload":
                        d.payload = p.getText();
                        break;
                    case "payload_bytes":
                        d.payloadBytes = p.getIntValue();
                        break;
                    case "account_id":
                        d.accountId = p.getText();
                        break;
                    case "rejected_at":
                        d.rejectedAtMillis = Timestamps.parseMillis(p.getText());
                        break;
                    default:
                        p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a dead letter: " + e.getMessage(), e);
        }
        if (d.reason == null) {
            throw new IllegalArgumentException("dead letter lacks a reason");
        }
        return d;
    }
}
