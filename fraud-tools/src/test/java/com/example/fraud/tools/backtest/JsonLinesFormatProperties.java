package com.example.fraud.tools.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.detector.source.ParsedRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Any file content, valid transactions, blank and CRLF lines and arbitrary bytes mixed, read by the backtest's format:
 * every non-blank line comes out as exactly one record, valid or rejected with a reason, in file order; blank lines
 * are the only ones skipped; nothing throws.
 */
class JsonLinesFormatProperties {
    private static final String VALID = "{\"txn_id\":\"t%d\",\"account_id\":\"A\",\"amount\":1.00,"
            + "\"txn_time\":\"2026-01-01T00:00:00Z\"}";

    @Property(tries = 300)
    void everyNonBlankLineIsOneRecordAndNothingThrows(@ForAll("lines") List<byte[]> lines) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        int expected = 0;
        List<Boolean> expectValid = new ArrayList<>();
        for (byte[] line : lines) {
            file.write(line);
            file.write('\n');
            if (!JsonLinesFormat.isBlank(line)) {
                expected++;
                expectValid.add(line.length > 0 && line[0] == '{' && new String(line, StandardCharsets.UTF_8)
                        .startsWith("{\"txn_id\":\"t"));
            }
        }
        StreamFormat.Reader<ParsedRecord> reader = new JsonLinesFormat(DetectionSettings.defaults())
                .createReader(new Configuration(), new BytesInput(file.toByteArray()));
        List<ParsedRecord> records = new ArrayList<>();
        for (ParsedRecord r = reader.read(); r != null; r = reader.read()) {
            records.add(r);
        }

        assertThat(records).hasSize(expected);
        for (int i = 0; i < records.size(); i++) {
            ParsedRecord r = records.get(i);
            assertThat(r.isValid() ? r.transaction : r.rejected).isNotNull();
            if (!r.isValid()) {
                assertThat(r.rejected.reason).isNotNull();
            }
            if (expectValid.get(i)) {
                assertThat(r.isValid()).as("line %d, a valid transaction", i).isTrue();
            }
        }
    }

    @Provide
    Arbitrary<List<byte[]>> lines() {
        Arbitrary<byte[]> valid = Arbitraries.integers().between(0, 1_000_000)
                .map(i -> String.format(VALID, i).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> blank = Arbitraries.of(new byte[0], new byte[] {'\r'});
        Arbitrary<byte[]> crlf = valid.map(v -> {
            byte[] w = Arrays.copyOf(v, v.length + 1);
            w[v.length] = '\r';
            return w;
        });
        Arbitrary<byte[]> junk = Arbitraries.bytes().filter(b -> b != '\n').array(byte[].class).ofMaxSize(300);
        return Arbitraries.frequencyOf(
                Tuple.of(4, valid), Tuple.of(2, blank),
                Tuple.of(1, crlf), Tuple.of(2, junk))
                .list().ofMaxSize(60);
    }

    /** A file's bytes as Flink's file source hands them to a format. */
    private static final class BytesInput extends FSDataInputStream {
        private final ByteArrayInputStream in;
        private final int length;

        BytesInput(byte[] bytes) {
            this.in = new ByteArrayInputStream(bytes);
            this.length = bytes.length;
        }

        @Override
        public void seek(long desired) {
            in.reset();
            in.skip(desired);
        }

        @Override
        public long getPos() {
            return length - in.available();
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, len);
        }
    }
}
