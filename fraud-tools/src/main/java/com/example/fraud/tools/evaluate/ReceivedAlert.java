package com.example.fraud.tools.evaluate;

import com.example.fraud.model.Alert;

/** An alert read from the output stream, with the record's Kinesis ApproximateArrivalTimestamp. */
public final class ReceivedAlert {
    public final Alert alert;
    public final long arrivalMillis;

    public ReceivedAlert(Alert alert, long arrivalMillis) {
        this.alert = alert;
        this.arrivalMillis = arrivalMillis;
    }
}
