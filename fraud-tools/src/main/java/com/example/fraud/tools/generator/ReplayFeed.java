package com.example.fraud.tools.generator;

import com.example.fraud.model.Transaction;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The generator's calls to its {@link RuleReplay}, made on a thread of their own (or in line): with rules, replaying
 * them takes most of a run, generating and encoding the records the rest, and neither needs the other's result
 * before the end. The replay gets every call in the order it was made here, so the truth is the one replayed in line.
 * Calls are handed over at an {@link #advance()} once they fill a chunk of {@value #CHUNK_OPS} (a busy tick's whole;
 * many quiet ticks' together, since a chunk per tick was most of a sparse fast run's allocation) or a second of wall
 * time has passed (a quiet paced run still hears of a failed replay within a second), through a bounded queue: a
 * replay that falls behind holds the generator back instead of buffering the whole run.
 */
final class ReplayFeed implements AutoCloseable {
    /** Chunks in flight: about this many ticks of a busy run's records waiting for the replay at most. */
    private static final int QUEUE_CHUNKS = 32;
    private static final int CHUNK_OPS = 1024;
    private static final long HAND_OVER_EVERY_NANOS = 1_000_000_000L;
    private static final byte ADD = 0;
    private static final byte ADVANCE = 1;
    private static final byte LABEL = 2;
    private static final byte LABEL_KEY = 3;
    private static final Chunk END = new Chunk();

    private final RuleReplay replay;
    /** Null when replaying in line. */
    private final BlockingQueue<Chunk> queue;
    private final Thread thread;
    private volatile Throwable failure;
    private Chunk chunk = new Chunk();
    private long handedOverAt = System.nanoTime();
    private boolean started;
    private boolean finished;

    /** @param threaded replay on a thread of its own; else every call goes straight to {@code replay} */
    ReplayFeed(RuleReplay replay, boolean threaded) {
        this.replay = replay;
        if (threaded) {
            queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
            thread = new Thread(this::drain, "ground-truth-replay");
            thread.setDaemon(true); // started with the first hand-over: a generator never run leaves no thread
        } else {
            queue = null;
            thread = null;
        }
    }

    /** See {@link RuleReplay#add}. */
    void add(int account, Transaction txn, long storedAtMillis) {
        if (queue == null) {
            replay.add(account, txn, storedAtMillis);
        } else {
            append(ADD, account, txn, storedAtMillis);
        }
    }

    /** See {@link RuleReplay#advance}; hands the calls so far over once they fill a chunk. */
    void advance() throws InterruptedException {
        if (queue == null) {
            replay.advance();
        } else {
            append(ADVANCE, 0, null, 0);
            if (chunk.size >= CHUNK_OPS || System.nanoTime() - handedOverAt >= HAND_OVER_EVERY_NANOS) {
                handOver();
            }
        }
    }

    /** See {@link RuleReplay#label}. */
    void label(int account, long windowStart, String scenario) {
        if (queue == null) {
            replay.label(account, windowStart, scenario);
        } else {
            append(LABEL, account, scenario, windowStart);
        }
    }

    /** See {@link RuleReplay#labelKey}. */
    void labelKey(String ruleId, String key, String scenario) {
        if (queue == null) {
            replay.labelKey(ruleId, key, scenario);
        } else {
            append(LABEL_KEY, 0, new String[] {ruleId, key, scenario}, 0);
        }
    }

    /** Waits for every call so far to be replayed, then {@link RuleReplay#finishAll}: the replay is complete. */
    RuleReplay finish() throws InterruptedException {
        if (queue != null) {
            handOver();
            put(END);
            thread.join();
            rethrow();
        }
        finished = true;
        replay.finishAll();
        return replay;
    }

    /** Stops the thread of an unfinished feed (the run failed); nothing is replayed after this. */
    @Override
    public void close() {
        if (started && !finished) {
            thread.interrupt();
        }
    }

    private void append(byte op, int account, Object ref, long time) {
        Chunk c = chunk;
        if (c.size == c.ops.length) {
            c.grow();
        }
        int i = c.size++;
        c.ops[i] = op;
        c.accounts[i] = account;
        c.refs[i] = ref;
        c.times[i] = time;
    }

    private void handOver() throws InterruptedException {
        handedOverAt = System.nanoTime();
        if (chunk.size > 0) {
            put(chunk);
            chunk = new Chunk();
        }
    }

    private void put(Chunk c) throws InterruptedException {
        if (!started) {
            thread.start();
            started = true;
        }
        rethrow();
        queue.put(c); // never blocks for ever: drain() keeps taking after a failure, until END
    }

    private void rethrow() {
        Throwable t = failure;
        if (t instanceof Error) {
            throw (Error) t;
        }
        if (t != null) {
            throw new IllegalStateException("the ground-truth replay failed: " + t, t);
        }
    }

    private void drain() {
        try {
            for (Chunk c = queue.take(); c != END; c = queue.take()) {
                if (failure == null) {
                    try {
                        apply(c);
                    } catch (RuntimeException | Error e) {
                        failure = e; // reported to the generator at its next hand-over
                    }
                }
            }
        } catch (InterruptedException e) {
            // close(): the run is abandoned
        }
    }

    private void apply(Chunk c) {
        for (int i = 0; i < c.size; i++) {
            switch (c.ops[i]) {
                case ADD:
                    replay.add(c.accounts[i], (Transaction) c.refs[i], c.times[i]);
                    break;
                case ADVANCE:
                    replay.advance();
                    break;
                case LABEL:
                    replay.label(c.accounts[i], c.times[i], (String) c.refs[i]);
                    break;
                default:
                    String[] k = (String[]) c.refs[i];
                    replay.labelKey(k[0], k[1], k[2]);
            }
        }
    }

    /** Calls in the order made: struct of arrays, so that a call costs no object of its own. */
    private static final class Chunk {
        byte[] ops = new byte[CHUNK_OPS];
        int[] accounts = new int[CHUNK_OPS];
        Object[] refs = new Object[CHUNK_OPS];
        long[] times = new long[CHUNK_OPS];
        int size;

        void grow() {
            int n = ops.length * 2;
            ops = Arrays.copyOf(ops, n);
            accounts = Arrays.copyOf(accounts, n);
            refs = Arrays.copyOf(refs, n);
            times = Arrays.copyOf(times, n);
        }
    }
}
