package com.example.fraud.bench;

import com.example.fraud.detector.config.DetectionSettings;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The backtest's file format ({@link com.example.fraud.tools.backtest.JsonLinesFormat}: each line through the job's
 * deserializer), optionally holding each reader at its file's end.
 */
final class JsonLinesFormat extends com.example.fraud.tools.backtest.JsonLinesFormat {
    private static final long serialVersionUID = 1L;

    private final boolean holdAtEnd;

    JsonLinesFormat(DetectionSettings settings) {
        this(settings, false);
    }

    /**
     * With {@code holdAtEnd}, each file's reader waits at its end until {@link EndGate#release()}: the job keeps its
     * state (no end-of-input watermark fires the timers) so a checkpoint can measure it. Local environment only.
     */
    JsonLinesFormat(DetectionSettings settings, boolean holdAtEnd) {
        super(settings);
        this.holdAtEnd = holdAtEnd;
    }

    @Override
    protected void atEnd() throws IOException {
        if (holdAtEnd) {
            EndGate.waitForRelease();
        }
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
