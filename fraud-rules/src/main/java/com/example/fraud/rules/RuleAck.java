package com.example.fraud.rules;

import com.example.fraud.model.RuleMode;
import com.example.fraud.model.RuleType;
import com.example.fraud.model.Timestamps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The job's answer to one control-stream record, on the rule-ack stream: APPLIED with the rule's id and version, or
 * REJECTED with the reason (then nothing changed). JSON, snake_case, enums by name.
 */
public final class RuleAck {
    /** The outcome of a control-stream record. */
    public enum Status {
        APPLIED,
        REJECTED
    }

    private static final ObjectMapper JSON = RuleCodec.JSON;

    public String ruleId;
    public long version;
    /** The {@code command_id} of the control record answered, or null if it had none. */
    public String commandId;
    public Status status;
    public String reason;
    /** The rule as applied; null for a delete or a rejection. */
    public RuleType ruleType;
    public RuleMode mode;
    public boolean deleted;
    public long atMillis;
    /** The canonical document of the rule applied (null for a delete or a rejection), so tools need no other source. */
    public String rule;

    public static RuleAck applied(RuleCommand c, long atMillis) {
        RuleAck a = new RuleAck();
        a.ruleId = c.ruleId();
        a.version = c.version();
        a.commandId = c.commandId();
        a.status = Status.APPLIED;
        a.deleted = c.isDelete();
        if (!c.isDelete()) {
            a.ruleType = c.rule().type();
            a.mode = c.rule().mode();
            a.rule = c.rule().json();
        }
        a.atMillis = atMillis;
        return a;
    }

    public static RuleAck rejected(RuleCommand c, String reason, long atMillis) {
        return rejected(c.ruleId(), c.version(), c.commandId(), reason, atMillis);
    }

    public static RuleAck rejected(String ruleId, long version, String reason, long atMillis) {
        return rejected(ruleId, version, null, reason, atMillis);
    }

    public static RuleAck rejected(String ruleId, long version, String commandId, String reason, long atMillis) {
        RuleAck a = new RuleAck();
        a.ruleId = ruleId;
        a.version = version;
        a.commandId = commandId;
        a.status = Status.REJECTED;
        a.reason = reason;
        a.atMillis = atMillis;
        return a;
    }

    public byte[] encode() {
        ObjectNode n = JSON.createObjectNode();
        n.put("rule_id", ruleId);
        if (version > 0) {
            n.put("version", version);
        } else {
            n.putNull("version");
        }
        if (commandId != null) {
            n.put(RuleCodec.COMMAND_ID, commandId);
        }
        n.put("status", status.name());
        if (reason != null) {
            n.put("reason", reason);
        }
        if (ruleType != null) {
            n.put("type", ruleType.name());
            n.put("mode", mode.name());
        }
        if (deleted) {
            n.put("deleted", true);
        }
        n.put("at", Timestamps.format(atMillis));
        if (rule != null) {
            try {
                n.set("rule", JSON.readTree(rule));
            } catch (IOException e) {
                throw new IllegalStateException("canonical rule JSON did not parse", e);
            }
        }
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static RuleAck decode(byte[] json) {
        try {
            JsonNode n = JSON.readTree(json);
            RuleAck a = new RuleAck();
            a.ruleId = n.path("rule_id").isTextual() ? n.get("rule_id").textValue() : null;
            a.version = n.path("version").asLong(0);
            a.commandId = n.path(RuleCodec.COMMAND_ID).isTextual() ? n.get(RuleCodec.COMMAND_ID).textValue() : null;
            a.status = Status.valueOf(n.path("status").asText());
            a.reason = n.path("reason").isTextual() ? n.get("reason").textValue() : null;
            a.ruleType = n.path("type").isTextual() ? RuleType.valueOf(n.get("type").textValue()) : null;
            a.mode = n.path("mode").isTextual() ? RuleMode.valueOf(n.get("mode").textValue()) : null;
            a.deleted = n.path("deleted").asBoolean(false);
            a.atMillis = Timestamps.parseMillis(n.path("at").asText());
            a.rule = n.path("rule").isObject() ? n.get("rule").toString() : null;
            return a;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a rule acknowledgement: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return status + " " + ruleId + " v" + version + (reason == null ? "" : ": " + reason);
    }
}
