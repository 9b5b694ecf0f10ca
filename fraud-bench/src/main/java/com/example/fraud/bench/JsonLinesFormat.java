package com.example.fraud.bench;

import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.source.ParsedRecord;
import com.example.fraud.detector.source.TransactionDeserializer;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/** A file of JSON lines read as the Kinesis source would deliver records: bytes through the job's deserializer. */
final class JsonLinesFormat extends SimpleStreamFormat<ParsedRecord> {
    private static final long serialVersionUID = 1L;

    private final DetectionSettings settings;

    JsonLinesFormat(DetectionSettings settings) {
        this.settings = settings;
    }

    @Override
    public StreamFormat.Reader<ParsedRecord> createReader(Configuration config, FSDataInputStream stream) {
        TransactionDeserializer deserializer = new TransactionDeserializer(settings);
        LineReader lines = new LineReader(stream);
        return new StreamFormat.Reader<>() {
            @Override
            public ParsedRecord read() throws IOException {
                byte[] line = lines.next();
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
}
