package com.example.fraud.tools.probe;

import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.DeadLetterCodec;
import com.example.fraud.model.DeadLetterPayload;
import com.example.fraud.tools.kinesis.StreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Proves a running detector reads its input: puts one record the detector must reject (no account_id)
 * and waits for it on the dead-letter stream. A job that is RUNNING may still be seconds away from its
 * first GetRecords; data sent before that arrives as one backlog, in which a transaction meant to be late
 * can be read before the watermark has moved past it. Scenarios that need exact lateness start after this.
 */
public final class PipelineProbe {
    private PipelineProbe() {}

    /** Returns how long the probe took to come back; throws if it did not within the timeout. */
    public static Duration await(KinesisClient client, String inputStream, String deadLetterStream, Duration timeout)
            throws InterruptedException {
        return await(client, inputStream, client, deadLetterStream, timeout);
    }

    /** The same, with the dead-letter stream behind another client (another account, region or endpoint). */
    public static Duration await(KinesisClient inputClient, String inputStream, KinesisClient deadLetterClient,
            String deadLetterStream, Duration timeout) throws InterruptedException {
        String id = "probe-" + UUID.randomUUID();
        StreamReader deadLetters = new StreamReader(deadLetterClient, deadLetterStream, StreamReader.Start.LATEST);
        String payload = "{\"txn_id\":\"" + id + "\",\"note\":\"readiness probe: no account_id, so a dead letter\"}";
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        // Matched by hash too: with payload=HASH a dead letter keeps no payload, only its SHA-256.
        String sha256 = DeadLetterPayload.sha256Hex(bytes);
        long start = System.nanoTime();
        inputClient.putRecord(b -> b.streamName(inputStream).partitionKey(id).data(SdkBytes.fromByteArray(bytes)));
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Record r : deadLetters.poll()) {
                DeadLetter d = DeadLetterCodec.decode(r.data().asByteArray());
                if (sha256.equals(d.payloadSha256) || new String(d.payloadBytes(), StandardCharsets.ISO_8859_1).contains(id)) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the detector did not dead-letter the probe record within " + timeout
                + ": is it running and reading " + inputStream + "?");
    }
}
