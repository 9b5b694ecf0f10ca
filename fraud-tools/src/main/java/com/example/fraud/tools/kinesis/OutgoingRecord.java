package com.example.fraud.tools.kinesis;

/** One record to put: partition key and payload. The payload array is handed to the SDK without a copy. */
public final class OutgoingRecord {
    private final String partitionKey;
    private final byte[] data;

    public OutgoingRecord(String partitionKey, byte[] data) {
        if (partitionKey == null || partitionKey.isEmpty()) {
            throw new IllegalArgumentException("partition key must not be empty");
        }
        this.partitionKey = partitionKey;
        this.data = data;
    }

    public String partitionKey() {
        return partitionKey;
    }

    public byte[] data() {
        return data;
    }

    /** Bytes this record counts against the PutRecords limits: payload plus UTF-8 partition key. */
    public int billedBytes() {
        return data.length + utf8Length(partitionKey);
    }

    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
