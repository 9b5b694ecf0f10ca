package com.example.fraud.tools.rules;

import com.example.fraud.model.RuleMode;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleAck;
import com.example.fraud.rules.RuleCodec;
import com.example.fraud.rules.RuleCommand;
import com.example.fraud.rules.RuleException;
import com.example.fraud.tools.kinesis.StreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Talks to a running detector about its rules: puts commands on the rules control stream and waits for the job's
 * acknowledgement on the ack stream. Rules are validated here first, with the job's own code (fraud-rules).
 */
public final class RuleControl {
    private final KinesisClient client;
    private final String rulesStream;
    private final String ackStream;

    public RuleControl(KinesisClient client, String rulesStream, String ackStream) {
        this.client = client;
        this.rulesStream = rulesStream;
        this.ackStream = ackStream;
    }

    /** Thrown when no acknowledgement arrives in time: the job may not be running, or not reading the stream. */
    public static final class NoAckException extends Exception {
        private static final long serialVersionUID = 1L;

        NoAckException(String message) {
            super(message);
        }
    }

    /** Validates a rule document locally, sends it, and returns the job's acknowledgement. */
    public RuleAck put(byte[] document, Duration wait) throws RuleException, NoAckException {
        RuleCommand command = RuleCodec.parseCommand(document);
        return send(command, wait);
    }

    /** Puts the rule again with another mode and the next version. */
    public RuleAck setMode(String ruleId, RuleMode mode, Duration wait) throws RuleException, NoAckException {
        Rule current = current(ruleId);
        return send(RuleCommand.put(RuleCodec.withMode(current, mode, current.version() + 1)), wait);
    }

    /** Deletes the rule as of its next version. */
    public RuleAck delete(String ruleId, Duration wait) throws RuleException, NoAckException {
        Rule current = current(ruleId);
        return send(RuleCommand.delete(ruleId, current.version() + 1), wait);
    }

    /** The rules in force, as the job last acknowledged them: rule id to its last APPLIED acknowledgement. */
    public Map<String, RuleAck> list() {
        Map<String, RuleAck> applied = new TreeMap<>();
        for (Record r : StreamReader.readAll(client, ackStream)) {
            RuleAck ack = ackOrNull(r);
            if (ack == null || ack.status != RuleAck.Status.APPLIED || ack.ruleId == null) {
                continue;
            }
            RuleAck known = applied.get(ack.ruleId);
            if (known == null || ack.version >= known.version) {
                applied.put(ack.ruleId, ack);
            }
        }
        applied.values().removeIf(a -> a.deleted);
        return applied;
    }

    private Rule current(String ruleId) throws RuleException {
        RuleAck ack = list().get(ruleId);
        if (ack == null || ack.rule == null) {
            Collection<String> known = list().keySet();
            throw new RuleException(ruleId, null, "no such rule acknowledged on " + ackStream + " (known: " + known
                    + "); rules from the configuration must be put once with `rules put` before they can be changed");
        }
        return RuleCodec.parse(ack.rule);
    }

    /**
     * Sends the command under a fresh command id and returns the ack that echoes it: with two senders of the same rule
     * id and version, each gets the answer to its own record, and a replay's acks (the job re-applies the retained
     * commands after a restart) never answer a new command.
     */
    private RuleAck send(RuleCommand unsent, Duration wait) throws NoAckException {
        RuleCommand command = unsent.withCommandId(UUID.randomUUID().toString());
        StreamReader acks = new StreamReader(client, ackStream, StreamReader.Start.LATEST);
        client.putRecord(b -> b.streamName(rulesStream).partitionKey(command.ruleId())
                .data(SdkBytes.fromString(command.record(), StandardCharsets.UTF_8)));
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            for (Record r : acks.poll()) {
                RuleAck ack = ackOrNull(r);
                if (ack != null && command.commandId().equals(ack.commandId)) {
                    return ack;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new NoAckException("no acknowledgement for " + command.ruleId() + " v" + command.version() + " on "
                + ackStream + " within " + wait.toSeconds() + " s: is the detector running and reading " + rulesStream
                + "?");
    }

    /** The ack in a record of the ack stream, or null for a record the job did not write. */
    private static RuleAck ackOrNull(Record r) {
        try {
            return RuleAck.decode(r.data().asByteArray());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
