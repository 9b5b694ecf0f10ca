package com.example.fraud.it.faults;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Just enough CBOR (RFC 8949) for the AWS SDK's Kinesis calls: count an array, write maps of text and ints. */
final class Cbor {
    private Cbor() {}

    /** Items in the array under {@code key} of the top-level map, 0 if absent. */
    static int arrayLength(byte[] data, String key) {
        Reader r = new Reader(data);
        int head = r.u8();
        if (head >> 5 != 5) {
            throw new IllegalArgumentException("not a CBOR map");
        }
        long pairs = r.argument(head & 31);
        for (long i = 0; pairs < 0 ? !r.atBreak() : i < pairs; i++) {
            Object k = r.textOrSkip();
            if (key.equals(k)) {
                int array = r.u8();
                if (array >> 5 != 4) {
                    throw new IllegalArgumentException(key + " is not an array");
                }
                long n = r.argument(array & 31);
                if (n >= 0) {
                    return (int) n;
                }
                int count = 0;
                while (!r.atBreak()) {
                    r.skip();
                    count++;
                }
                return count;
            }
            r.skip();
        }
        return 0;
    }

    private static final class Reader {
        private final byte[] data;
        private int pos;

        Reader(byte[] data) {
            this.data = data;
        }

        int u8() {
            return data[pos++] & 0xff;
        }

        /** The head's argument; -1 for an indefinite length. */
        long argument(int info) {
            if (info < 24) {
                return info;
            }
            if (info == 31) {
                return -1;
            }
            int bytes = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : 8;
            long v = 0;
            for (int i = 0; i < bytes; i++) {
                v = (v << 8) | u8();
            }
            return v;
        }

        boolean atBreak() {
            if ((data[pos] & 0xff) == 0xff) {
                pos++;
                return true;
            }
            return false;
        }

        /** A definite text string, or null after skipping any other item. */
        Object textOrSkip() {
            int head = data[pos] & 0xff;
            if (head >> 5 == 3 && (head & 31) != 31) {
                pos++;
                int len = (int) argument(head & 31);
                String s = new String(data, pos, len, StandardCharsets.UTF_8);
                pos += len;
                return s;
            }
            skip();
            return null;
        }

        void skip() {
            int head = u8();
            int major = head >> 5;
            int info = head & 31;
            if (major == 7) {
                pos += info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : 0;
                return;
            }
            long arg = argument(info);
            switch (major) {
                case 0:
                case 1:
                    return;
                case 2:
                case 3:
                    if (arg < 0) {
                        while (!atBreak()) {
                            skip();
                        }
                    } else {
                        pos += (int) arg;
                    }
                    return;
                case 4:
                case 5:
                    long items = major == 5 && arg >= 0 ? arg * 2 : arg;
                    if (items < 0) {
                        while (!atBreak()) {
                            skip();
                        }
                    } else {
                        for (long i = 0; i < items; i++) {
                            skip();
                        }
                    }
                    return;
                default: // 6: a tag, then its item
                    skip();
            }
        }
    }

    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer map(int pairs) {
            head(5, pairs);
            return this;
        }

        Writer array(int items) {
            head(4, items);
            return this;
        }

        Writer text(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            head(3, b.length);
            out.write(b, 0, b.length);
            return this;
        }

        Writer integer(long v) {
            head(0, v);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void head(int major, long v) {
            int m = major << 5;
            if (v < 24) {
                out.write(m | (int) v);
            } else if (v < 0x100) {
                out.write(m | 24);
                out.write((int) v);
            } else if (v < 0x10000) {
                out.write(m | 25);
                out.write((int) (v >> 8));
                out.write((int) v);
            } else {
                out.write(m | 26);
                for (int shift = 24; shift >= 0; shift -= 8) {
                    out.write((int) (v >> shift));
                }
            }
        }
    }
}
