package com.example.fraud.detector.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.DeadLetterCodec;
import com.example.fraud.model.DeadLetterPayload;
import com.example.fraud.model.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Kinesis counts a record's data and its partition key against the 1 MiB limit; a record over it is never stored. */
class KinesisSinksTest {
    private static final int KINESIS_RECORD_LIMIT = 1_048_576;

    /** A full dead letter is filled to its limit, and with its partition key it still fits one Kinesis record. */
    @Test
    void aFullDeadLetterAndItsPartitionKeyFitOneKinesisRecord() {
        byte[] record = new byte[KINESIS_RECORD_LIMIT];
        Arrays.fill(record, (byte) '"'); // escapes to 2 bytes: the payload is cut to fit
        DeadLetter d = DeadLetterPayload.full().deadLetter(RejectReason.CLOCK_SKEW, "ahead of its arrival", record,
                "\u8d26".repeat(128), 0);
        int data = DeadLetterCodec.encode(d).length;
        int key = KinesisSinks.deadLetterKey(d).getBytes(StandardCharsets.UTF_8).length;
        assertThat(data).isGreaterThan(DeadLetterCodec.MAX_ENCODED_BYTES - 1_024); // filled, not cut short
        assertThat(data + key).isLessThanOrEqualTo(KINESIS_RECORD_LIMIT);
    }

    /**
     * One account's dead letters (a producer's skewed clock, an attacker's own account) spread over the shards: keyed
     * by reason and payload hash, never by account, so one account cannot throttle one dead-letter shard and with it
     * hold back the job. The same record keeps one key.
     */
    @Test
    void oneAccountsDeadLettersSpreadByTheirBytes() {
        DeadLetterPayload full = DeadLetterPayload.full();
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (int i = 0; i < 100; i++) {
            byte[] record = ("{\"txn_id\":\"t" + i + "\",\"account_id\":\"A\"}").getBytes(StandardCharsets.UTF_8);
            keys.add(KinesisSinks.deadLetterKey(full.deadLetter(RejectReason.CLOCK_SKEW, "ahead", record, "A", 0)));
        }
        assertThat(keys).hasSize(100).allMatch(k -> k.matches("CLOCK_SKEW-[0-9a-f]{16}"));
        byte[] same = "{\"txn_id\":\"t0\",\"account_id\":\"A\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(KinesisSinks.deadLetterKey(DeadLetterPayload.hashOnly().deadLetter(RejectReason.LATE, "late", same,
                "A", 0))).isEqualTo(KinesisSinks.deadLetterKey(full.deadLetter(RejectReason.LATE, "late", same, "A", 0)));
    }

    @Test
    void aDeadLetterKeyIsAtMost256Characters() {
        DeadLetter d = new DeadLetter();
        d.reason = "X".repeat(1_000); // a hand-made dead letter: reasons are the enum's names
        d.payloadSha256 = "ab";
        assertThat(KinesisSinks.deadLetterKey(d)).hasSize(KinesisSinks.MAX_PARTITION_KEY_CHARS);
    }
}
