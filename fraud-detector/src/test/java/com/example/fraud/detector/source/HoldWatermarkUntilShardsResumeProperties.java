package com.example.fraud.detector.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.model.Transaction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

/**
 * Searches for a run in which the hold lets a watermark or an idle status through too early, keeps one back too
 * long, or loses or reorders a record: random records from up to four shards, watermarks, idle and active statuses
 * and clock steps, over several lives of the job, each restored from the last one's checkpoint at parallelism 1 or
 * 2 (so with and without a rescale). The expectation is stated from the outside: after a restore, a subtask must
 * wait for the shards read since the last start (every shard of the checkpoint after a rescale, its own otherwise),
 * until each has delivered again or the idle timeout has passed since it opened; then it must pass everything on at
 * once.
 */
class HoldWatermarkUntilShardsResumeProperties {
    private static final long IDLE = 5_000;
    private static final int SHARDS = 4;
    /** One instance per shard, as the connector passes them. */
    private static final String[] SHARD_IDS = {"shardId-0", "shardId-1", "shardId-2", "shardId-3"};

    @Property(tries = 200)
    void holdsExactlyUntilTheShardsReadBeforeResumeOrTheTimeoutPasses(@ForAll("lives") List<Life> lives)
            throws Exception {
        long now = 1_000_000;
        List<OperatorSubtaskState> checkpoint = null;
        /** What the last life's checkpoint must hold: "parallelism:subtask:shard", "~shard" if still awaited. */
        Set<String> expectedEntries = new HashSet<>();
        int previous = 1;
        for (int life = 0; life < lives.size(); life++) {
            int parallelism = lives.get(life).parallelism;
            Subtask[] subtasks = new Subtask[parallelism];
            for (int i = 0; i < parallelism; i++) {
                subtasks[i] = new Subtask(parallelism, i, now);
                if (checkpoint != null) {
                    subtasks[i].h.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(
                            AbstractStreamOperatorTestHarness.repackageState(
                                    checkpoint.toArray(new OperatorSubtaskState[0])),
                            128, previous, parallelism, i));
                    subtasks[i].awaited.addAll(awaitedAfterRestore(expectedEntries, previous, parallelism, i));
                }
                subtasks[i].h.open();
            }
            for (Step step : lives.get(life).steps) {
                Subtask s = subtasks[step.a % parallelism];
                if (step.kind < 45) {
                    List<Integer> owned = owned(parallelism, s.index);
                    if (!owned.isEmpty()) {
                        s.deliver(SHARD_IDS[owned.get(step.b % owned.size())], now);
                    }
                } else if (step.kind < 70) {
                    s.watermark(step.b % 20 == 0 ? Long.MAX_VALUE : s.lastWatermark + 1 + step.b % 2_000, now);
                } else if (step.kind < 80) {
                    s.status(s.upstream.isIdle() ? WatermarkStatus.ACTIVE : WatermarkStatus.IDLE, now);
                } else {
                    now += step.b % 8 == 0 ? IDLE + step.a % IDLE : step.a % 1_500;
                    for (Subtask each : subtasks) {
                        each.advanceTo(now);
                    }
                }
            }
            checkpoint = new ArrayList<>();
            expectedEntries = new HashSet<>();
            for (Subtask s : subtasks) {
                checkpoint.add(s.h.snapshot(life + 1, now));
                expectedEntries.addAll(s.expectedEntries(now));
                s.h.close();
            }
            previous = parallelism;
            now += lives.get(life).downtimeMillis;
        }
    }

    /**
     * Lives of the job as data, so that jqwik shrinks a failure to few lives and steps. A step's kind picks what
     * happens (a record, a watermark, a status toggle or a clock step); {@code a} and {@code b} pick the subtask,
     * shard and amounts.
     */
    @Provide
    Arbitrary<List<Life>> lives() {
        Arbitrary<Integer> any = Arbitraries.integers().between(0, 1_000_000);
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 99), any, any).as(Step::new);
        return Combinators.combine(Arbitraries.integers().between(1, 2), step.list().ofMaxSize(40),
                Arbitraries.integers().between(0, 20_000)).as(Life::new).list().ofMinSize(2).ofMaxSize(4);
    }

    static final class Life {
        final int parallelism;
        final List<Step> steps;
        final int downtimeMillis;

        Life(int parallelism, List<Step> steps, int downtimeMillis) {
            this.parallelism = parallelism;
            this.steps = steps;
            this.downtimeMillis = downtimeMillis;
        }

        @Override
        public String toString() {
            return "p=" + parallelism + " " + steps + " then down " + downtimeMillis + " ms";
        }
    }

    static final class Step {
        final int kind;
        final int a;
        final int b;

        Step(int kind, int a, int b) {
            this.kind = kind;
            this.a = a;
            this.b = b;
        }

        @Override
        public String toString() {
            return (kind < 45 ? "record" : kind < 70 ? "watermark" : kind < 80 ? "toggle" : "clock") + "(" + a + ","
                    + b + ")";
        }
    }

    /** The shards a subtask reads: shard mod parallelism, a stable assignment. */
    private static List<Integer> owned(int parallelism, int index) {
        List<Integer> owned = new ArrayList<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            if (shard % parallelism == index) {
                owned.add(shard);
            }
        }
        return owned;
    }

    /**
     * After a rescale every shard of the checkpoint; else this subtask's own, but of those it still awaited at the
     * checkpoint ("~") only the ones no subtask had heard from.
     */
    private static Set<String> awaitedAfterRestore(Set<String> entries, int previous, int parallelism, int index) {
        Set<String> awaited = new HashSet<>();
        Set<String> heardFrom = new HashSet<>();
        for (String entry : entries) {
            String[] parts = entry.split(":", 3);
            if (!parts[2].startsWith("~")) {
                heardFrom.add(parts[2]);
            }
        }
        for (String entry : entries) {
            String[] parts = entry.split(":", 3);
            String shard = parts[2].replace("~", "");
            if (previous != parallelism
                    || Integer.parseInt(parts[1]) == index && (!parts[2].startsWith("~") || !heardFrom.contains(shard))) {
                awaited.add(shard);
            }
        }
        return awaited;
    }

    /** One subtask's harness beside what an outside observer expects of it. */
    private static final class Subtask {
        final OneInputStreamOperatorTestHarness<ParsedRecord, ParsedRecord> h;
        final int parallelism;
        final int index;
        final long holdUntil;
        final Set<String> awaited = new HashSet<>();
        final Set<String> delivered = new HashSet<>();
        final List<String> sent = new ArrayList<>();
        final List<Long> watermarksSent = new ArrayList<>();
        long lastWatermark = 0;
        boolean endOfInput;
        WatermarkStatus upstream = WatermarkStatus.ACTIVE;

        Subtask(int parallelism, int index, long now) throws Exception {
            this.parallelism = parallelism;
            this.index = index;
            this.holdUntil = now + IDLE;
            h = new OneInputStreamOperatorTestHarness<>(new HoldWatermarkUntilShardsResume(IDLE), 128, parallelism,
                    index);
            h.setProcessingTime(now);
        }

        boolean holding(long now) {
            return !awaited.isEmpty() && now < holdUntil;
        }

        void deliver(String shard, long now) throws Exception {
            if (upstream.isIdle()) { // the legacy source context marks itself active before a record
                status(WatermarkStatus.ACTIVE, now);
            }
            ParsedRecord record = ParsedRecord.valid(new Transaction("t" + sent.size(), "ACC-1", 100, now));
            record.shardId = shard;
            h.processElement(record, now);
            sent.add(record.transaction.txnId + "@" + shard);
            delivered.add(shard);
            awaited.remove(shard);
            check(now);
        }

        void watermark(long timestamp, long now) throws Exception {
            if (endOfInput) {
                return;
            }
            endOfInput = timestamp == Long.MAX_VALUE;
            lastWatermark = timestamp;
            boolean held = holding(now) && !endOfInput;
            if (!held) {
                awaited.clear(); // a watermark after the hold ends it
            }
            h.processWatermark(new Watermark(timestamp));
            if (!held) {
                watermarksSent.add(timestamp);
            }
            check(now);
        }

        void status(WatermarkStatus status, long now) throws Exception {
            upstream = status;
            h.processWatermarkStatus(status);
            check(now);
        }

        void advanceTo(long now) throws Exception {
            h.setProcessingTime(now);
            if (!holding(now)) {
                awaited.clear();
            }
            check(now);
        }

        /** The checkpoint entries: shards delivered since the start, and those still awaited. */
        Set<String> expectedEntries(long now) {
            Set<String> entries = new HashSet<>();
            String prefix = parallelism + ":" + index + ":";
            delivered.forEach(shard -> entries.add(prefix + shard));
            if (holding(now)) {
                awaited.forEach(shard -> entries.add(prefix + "~" + shard));
            }
            return entries;
        }

        void check(long now) {
            List<String> records = new ArrayList<>();
            for (Object o : HoldWatermarkUntilShardsResumeTest.records(h)) {
                ParsedRecord record = (ParsedRecord) ((StreamRecord<?>) o).getValue();
                records.add(record.transaction.txnId + "@" + record.shardId);
            }
            WatermarkStatus lastStatus = null;
            boolean idleBefore = false;
            for (WatermarkStatus status : HoldWatermarkUntilShardsResumeTest.statuses(h)) {
                lastStatus = status;
                assertThat(status.isIdle() && holding(now)).as("idle passed on while holding").isFalse();
                assertThat(status.isIdle() && idleBefore).as("idle passed on twice in a row").isFalse();
                idleBefore = status.isIdle();
            }
            assertThat(records).as("records, never held").containsExactlyElementsOf(sent);
            assertThat(HoldWatermarkUntilShardsResumeTest.watermarks(h)).as("watermarks passed on")
                    .containsExactlyElementsOf(watermarksSent);
            if (!holding(now)) {
                // Downstream must see this subtask as the consumer reports it, or it waits for ever.
                assertThat(lastStatus != null && lastStatus.isIdle()).as("idle passed on after the hold")
                        .isEqualTo(upstream.isIdle());
            }
        }
    }
}
