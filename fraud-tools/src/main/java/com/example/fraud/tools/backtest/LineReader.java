package com.example.fraud.tools.backtest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Splits a stream into '\n'-terminated lines as byte arrays, the form in which Kinesis hands over records. */
public final class LineReader {
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;

    public LineReader(InputStream in) {
        this.in = in;
    }

    /** The next line without its '\n', or null at the end of the stream. */
    public byte[] next() throws IOException {
        byte[] pending = null;
        while (true) {
            for (int i = pos; i < limit; i++) {
                if (buffer[i] == '\n') {
                    byte[] line = join(pending, i);
                    pos = i + 1;
                    return line;
                }
            }
            pending = join(pending, limit);
            pos = 0;
            limit = in.read(buffer);
            if (limit <= 0) {
                limit = 0;
                return pending.length == 0 ? null : pending;
            }
        }
    }

    private byte[] join(byte[] pending, int end) {
        byte[] part = Arrays.copyOfRange(buffer, pos, end);
        if (pending == null || pending.length == 0) {
            return part;
        }
        byte[] all = Arrays.copyOf(pending, pending.length + part.length);
        System.arraycopy(part, 0, all, pending.length, part.length);
        return all;
    }
}
