package com.example.fraud.tools.backtest;

import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.source.ParsedRecord;
import com.example.fraud.detector.source.TransactionDeserializer;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * A file of JSON lines read as the Kinesis source delivers records: each line's bytes through the job's own
 * deserializer, so a bad line becomes a rejected record (a dead letter downstream), never an exception. Blank lines
 * are skipped. The file
 * source decompresses by file name ({@code .gz}, {@code .bz2}, {@code .xz}, {@code .deflate}) before this sees it.
 */
public class JsonLinesFormat extends SimpleStreamFormat<ParsedRecord> {
    private static final long serialVersionUID = 1L;

    private final DetectionSettings settings;

    public JsonLinesFormat(DetectionSettings settings) {
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
                // A blank line is the file's layout, not a record (a Kinesis producer would have to send one).
                while (line != null && isBlank(line)) {
                    line = lines.next();
                }
                if (line == null) {
                    atEnd();
                    return null;
                }
                // A file has no Kinesis arrival time: the time of reading stands in for it, as for a fresh record.
                return deserializer.deserialize(line, System.currentTimeMillis());
            }

            @Override
            public void close() throws IOException {
                stream.close();
            }
        };
    }

    /** Empty, or a lone carriage return (a blank line of a CRLF file). */
    static boolean isBlank(byte[] line) {
        return line.length == 0 || (line.length == 1 && line[0] == '\r');
    }

    /** Called once when a reader reaches its file's end, before it reports the end; for the benchmark's hold. */
    protected void atEnd() throws IOException {}

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }
}
