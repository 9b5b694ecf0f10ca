package com.example.fraud.bench;

import com.example.fraud.detector.source.ParsedRecord;
import com.example.fraud.detector.source.TransactionDeserializer;
import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/** A file of JSON lines read as the Kinesis source would deliver records: bytes through the job's deserializer. */
final class JsonLinesFormat extends SimpleStreamFormat<ParsedRecord> {
    private static final long serialVersionUID = 1L;

    private final int maxRecordBytes;

    JsonLinesFormat(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public StreamFormat.Reader<ParsedRecord> createReader(Configuration config, FSDataInputStream stream) {
        TransactionDeserializer deserializer = new TransactionDeserializer(maxRecordBytes);
        return new StreamFormat.Reader<>() {
            private final byte[] buffer = new byte[1 << 16];
            private int pos;
            private int limit;

            @Override
            public ParsedRecord read() throws IOException {
                byte[] line = nextLine();
                return line == null ? null : deserializer.deserialize(line);
            }

            private byte[] nextLine() throws IOException {
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
                    limit = stream.read(buffer);
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

            @Override
            public void close() throws IOException {
                stream.close();
            }
        };
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }
}
