package com.example.fraud.tools.emulator;

import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Creates streams and waits until they are ACTIVE. Polls DescribeStreamSummary itself every 100 ms:
 * the SDK waiter polls every 10 s, while the emulator activates a stream in about 0.5 s.
 */
public final class StreamCreator {
    private static final long POLL_MILLIS = 100;

    private StreamCreator() {}

    /** Creates each stream (an existing one is kept as it is) and waits until all are ACTIVE. */
    public static void createAndAwait(KinesisClient client, List<StreamSpec> streams, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // Kinesis (and the emulator) refuse more than five streams CREATING at once: create them in batches.
        for (int from = 0; from < streams.size(); from += MAX_CREATING) {
            List<StreamSpec> batch = streams.subList(from, Math.min(streams.size(), from + MAX_CREATING));
            for (StreamSpec s : batch) {
                try {
                    client.createStream(b -> b.streamName(s.name()).shardCount(s.shards()));
                } catch (ResourceInUseException alreadyThere) {
                    // Kept, not recreated: its records may belong to a run in progress.
                }
            }
            for (StreamSpec s : batch) {
                awaitActive(client, s.name(), deadline, timeout);
            }
        }
    }

    /** The Kinesis limit on streams in the CREATING state at the same time. */
    static final int MAX_CREATING = 5;

    private static void awaitActive(KinesisClient client, String stream, long deadlineNanos, Duration timeout) {
        while (true) {
            try {
                StreamDescriptionSummary summary =
                        client.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary();
                if (summary.streamStatus() == StreamStatus.ACTIVE) {
                    return;
                }
            } catch (ResourceNotFoundException notYetVisible) {
                // keep polling
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new IllegalStateException("stream " + stream + " not ACTIVE after " + timeout);
            }
            sleep(POLL_MILLIS);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
