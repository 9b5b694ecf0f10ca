package com.example.fraud.tools.evaluate;

import com.example.fraud.model.AlertCodec;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.DeadLetterCodec;
import com.example.fraud.tools.kinesis.StreamReader;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;

/** Reads the alert and dead-letter streams from TRIM_HORIZON, decoding as it goes. */
public final class StreamCollector {
    private final StreamReader alertsReader;
    private final StreamReader deadLetterReader;
    private final StreamReader shadowReader;
    private final List<ReceivedAlert> alerts = new ArrayList<>();
    private final List<ReceivedAlert> shadowAlerts = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private int unreadable;

    /** @param deadLetterStream null to skip the dead letters */
    public StreamCollector(KinesisClient client, String alertStream, String deadLetterStream) {
        this(client, alertStream, deadLetterStream, null);
    }

    /** @param shadowAlertStream null to skip the shadow alerts */
    public StreamCollector(KinesisClient client, String alertStream, String deadLetterStream,
            String shadowAlertStream) {
        shadowReader = shadowAlertStream == null ? null
                : new StreamReader(client, shadowAlertStream, StreamReader.Start.TRIM_HORIZON);
        alertsReader = new StreamReader(client, alertStream, StreamReader.Start.TRIM_HORIZON);
        deadLetterReader = deadLetterStream == null ? null
                : new StreamReader(client, deadLetterStream, StreamReader.Start.TRIM_HORIZON);
    }

    /** One poll of each stream; returns whether anything new arrived. */
    public boolean poll() {
        boolean any = readAlerts(alertsReader, alerts);
        if (shadowReader != null) {
            any |= readAlerts(shadowReader, shadowAlerts);
        }
        if (deadLetterReader != null) {
            for (Record r : deadLetterReader.poll()) {
                any = true;
                try {
                    deadLetters.add(DeadLetterCodec.decode(r.data().asByteArrayUnsafe()));
                } catch (RuntimeException e) {
                    unreadable++;
                }
            }
        }
        return any;
    }

    private boolean readAlerts(StreamReader reader, List<ReceivedAlert> into) {
        boolean any = false;
        for (Record r : reader.poll()) {
            any = true;
            try {
                into.add(new ReceivedAlert(AlertCodec.decode(r.data().asByteArrayUnsafe()),
                        r.approximateArrivalTimestamp().toEpochMilli()));
            } catch (RuntimeException e) {
                unreadable++;
            }
        }
        return any;
    }

    public boolean caughtUp() {
        return alertsReader.caughtUp() && (deadLetterReader == null || deadLetterReader.caughtUp())
                && (shadowReader == null || shadowReader.caughtUp());
    }

    /** Alerts of the shadow-alert stream (empty when it is not read). */
    public List<ReceivedAlert> shadowAlerts() {
        return shadowAlerts;
    }

    public List<ReceivedAlert> alerts() {
        return alerts;
    }

    public List<DeadLetter> deadLetters() {
        return deadLetters;
    }

    /** Records that did not decode as an alert or a dead letter. */
    public int unreadable() {
        return unreadable;
    }
}
