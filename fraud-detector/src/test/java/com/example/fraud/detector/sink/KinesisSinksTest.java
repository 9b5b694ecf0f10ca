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

    /** A valid 128-character id of 3-byte characters is a 384-byte key; a full dead letter is filled to its limit. */
    @Test
    void aFullDeadLetterAndItsPartitionKeyFitOneKinesisRecordWhateverTheAccountIdIsWrittenIn() {
        byte[] record = new byte[KINESIS_RECORD_LIMIT];
        Arrays.fill(record, (byte) '"'); // escapes to 2 bytes: the payload is cut to fit
        DeadLetter d = DeadLetterPayload.full().deadLetter(RejectReason.CLOCK_SKEW, "ahead of its arrival", record,
                "\u8d26".repeat(128), 0);
        int data = DeadLetterCodec.encode(d).length;
        int key = KinesisSinks.deadLetterKey(d).getBytes(StandardCharsets.UTF_8).length;
        assertThat(key).isEqualTo(384);
        assertThat(data).isGreaterThan(DeadLetterCodec.MAX_ENCODED_BYTES - 1_024); // filled, not cut short
        assertThat(data + key).isLessThanOrEqualTo(KINESIS_RECORD_LIMIT);
    }

    @Test
    void aDeadLetterKeyIsAtMost256Characters() {
        DeadLetter d = new DeadLetter();
        d.reason = RejectReason.CLOCK_SKEW.name();
        d.accountId = "\u8d26".repeat(1_000); // a hand-made dead letter: ids are validated to 128 before this
        assertThat(KinesisSinks.deadLetterKey(d)).hasSize(KinesisSinks.MAX_PARTITION_KEY_CHARS);
        assertThat(KinesisSinks.deadLetterKey(d).getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(KINESIS_RECORD_LIMIT - DeadLetterCodec.MAX_ENCODED_BYTES);
    }
}
