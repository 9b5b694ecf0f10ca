package com.example.fraud.tools.generator;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A progress line on stderr about once a second: records sent, current rate, retries. On a terminal the
 * line is rewritten in place; when stderr is redirected a full line is printed every 10 s instead.
 */
final class ProgressReporter implements AutoCloseable {
    private final TransactionGenerator generator;
    private final RecordTarget target;
    private final PrintStream err;
    private final boolean terminal;
    private final ScheduledExecutorService timer;
    private long lastSent;
    private long lastNanos = System.nanoTime();
    private int ticks;

    ProgressReporter(TransactionGenerator generator, RecordTarget target, PrintStream err) {
        this.generator = generator;
        this.target = target;
        this.err = err;
        this.terminal = System.console() != null;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::print, 1, 1, TimeUnit.SECONDS);
    }

    private void print() {
        long now = System.nanoTime();
        long sent = target.sent();
        double rate = (sent - lastSent) * 1e9 / Math.max(1, now - lastNanos);
        lastSent = sent;
        lastNanos = now;
        ticks++;
        String line = String.format(Locale.ROOT, "%s: sent %,d  %,.0f rec/s  retried %,d  failed %,d",
                generator.phase(), sent, rate, target.retried(), target.failed());
        if (terminal) {
            err.print("\r" + line + "   ");
            err.flush();
        } else if (ticks % 10 == 0) {
            err.println(line);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (terminal) {
            err.println();
        }
    }
}
