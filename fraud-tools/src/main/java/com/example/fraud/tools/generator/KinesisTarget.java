package com.example.fraud.tools.generator;

import com.example.fraud.tools.kinesis.OutgoingRecord;
import com.example.fraud.tools.kinesis.RecordWriter;
import com.example.fraud.tools.kinesis.WriteReport;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** Sends to a Kinesis stream through a {@link RecordWriter}. Closes the client only if it owns it. */
public final class KinesisTarget implements RecordTarget {
    private final RecordWriter writer;
    private final KinesisClient ownedClient;

    public KinesisTarget(RecordWriter writer) {
        this(writer, null);
    }

    /** @param ownedClient closed with this target, or null when the caller owns the client */
    public KinesisTarget(RecordWriter writer, KinesisClient ownedClient) {
        this.writer = writer;
        this.ownedClient = ownedClient;
    }

    @Override
    public WriteReport send(List<OutgoingRecord> records) {
        return writer.write(records);
    }

    @Override
    public long sent() {
        return writer.sent();
    }

    @Override
    public long retried() {
        return writer.retried();
    }

    @Override
    public long failed() {
        return writer.failed();
    }

    @Override
    public String describe() {
        return "kinesis:" + writer.streamName();
    }

    @Override
    public void close() {
        if (ownedClient != null) {
            ownedClient.close();
        }
    }
}
