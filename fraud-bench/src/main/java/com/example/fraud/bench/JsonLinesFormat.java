package com.example.fraud.bench;

import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.source.ParsedRecord;
import com.example.fraud.detector.source.TransactionDeserializer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/** A file of JSON lines read as the Kinesis source would deliver records: bytes through the job's deserializer. */
final class JsonLinesFormat extends SimpleStreamFormat<ParsedRecord> {
    private static final long serialVersionUID = 1L;

    private final DetectionSettings settings;
    private final boolean holdAtEnd;

    JsonLinesFormat(DetectionSettings settings) {
        this(settings, false);
    }

    /**
     * With {@code holdAtEnd}, each file's reader waits at its end until {@link EndGate#release()}: the job keeps its
     * state (no end-of-input watermark fires the timers) so a checkpoint can measure it. Local environment only.
     */
    JsonLinesFormat(DetectionSettings settings, boolean holdAtEnd) {
        this.settings = settings;
        this.holdAtEnd = holdAtEnd;
    }

    @Override
    public StreamFormat.Reader<ParsedRecord> createReader(Configuration config, FSDataInputStream stream) {
        TransactionDeserializer deserializer = new TransactionDeserializer(settings);
        LineReader lines = new LineReader(stream);
        return new StreamFormat.Reader<>() {
            @Override
            public ParsedRecord read() throws IOException {
                byte[] line = lines.next();
                if (line == null && holdAtEnd) {
                    EndGate.waitForRelease();
                }
                // A file has no Kinesis arrival time: the time of reading stands in for it, as for a fresh record.
                return line == null ? null : deserializer.deserialize(line, System.currentTimeMillis());
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

    /** Where readers that hold at their file's end wait; the source runs in this JVM (local environment). */
    static final class EndGate {
        private static final AtomicInteger AT_END = new AtomicInteger();
        private static volatile CountDownLatch release = new CountDownLatch(1);

        private EndGate() {}

        static void reset() {
            AT_END.set(0);
            release = new CountDownLatch(1);
        }

        /** Files whose reader has reached the end. */
        static int atEnd() {
            return AT_END.get();
        }

        static void release() {
            release.countDown();
        }

        private static void waitForRelease() throws IOException {
            AT_END.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("cancelled while holding at the end of input");
            }
        }
    }
}
