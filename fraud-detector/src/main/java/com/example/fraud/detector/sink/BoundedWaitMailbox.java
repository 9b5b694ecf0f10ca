package com.example.fraud.detector.sink;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.util.function.ThrowingRunnable;

/**
 * The task's mailbox as a sink writer sees it, with a deadline around the writer's own waits ({@link
 * #runWaitingAtMost}): past it, {@link #yield()} throws {@link WaitAbandoned} instead of waiting for the next request
 * to complete, so that a stream that refuses every write cannot hold the task forever. Used around the checkpoint
 * flush (a bounded wait) and the buffer timeout (no wait: it sends what the rate limit allows now, the rest goes as
 * requests complete). Without a deadline it is the task's mailbox.
 */
final class BoundedWaitMailbox implements MailboxExecutor {
    private static final long NONE = Long.MIN_VALUE;
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Thrown out of the writer's wait when the deadline has passed; the writer changes no state before it. */
    static final class WaitAbandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WaitAbandoned() {
            super("gave up waiting for the sink's requests in flight", null, false, false);
        }
    }

    private final MailboxExecutor mailbox;
    private final LongSupplier nanoClock;
    private long deadline = NONE;

    BoundedWaitMailbox(MailboxExecutor mailbox, LongSupplier nanoClock) {
        this.mailbox = mailbox;
        this.nanoClock = nanoClock;
    }

    /** Runs the writer's action, its waits bounded by {@code nanos} (and by any deadline already set); false if cut. */
    boolean runWaitingAtMost(long nanos, ThrowingRunnable<? extends Exception> action) throws Exception {
        long previous = deadline;
        long mine = nanoClock.getAsLong() + nanos;
        deadline = previous == NONE || mine - previous < 0 ? mine : previous;
        try {
            action.run();
            return true;
        } catch (WaitAbandoned e) {
            return false;
        } finally {
            deadline = previous;
        }
    }

    @Override
    public void execute(ThrowingRunnable<? extends Exception> command, String descriptionFormat,
            Object... descriptionArgs) {
        mailbox.execute(command, descriptionFormat, descriptionArgs);
    }

    @Override
    public void yield() throws InterruptedException {
        if (deadline == NONE) {
            mailbox.yield();
            return;
        }
        // The task's yield() would block until a mail arrives, however long that takes.
        while (!mailbox.tryYield()) {
            if (nanoClock.getAsLong() - deadline >= 0) {
                throw new WaitAbandoned();
            }
            LockSupport.parkNanos(PARK_NANOS);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    @Override
    public boolean tryYield() {
        return mailbox.tryYield();
    }
}
