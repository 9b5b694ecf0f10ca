package com.example.fraud.detector.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.config.DetectionSettings;
import com.example.fraud.model.DeadLetter;
import com.example.fraud.model.Grouping;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.FiringMode;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;

/**
 * For any transaction times, watermarks (falling back after a restore, as Flink's do, and the end of input) and
 * optional fields: each transaction that a rule reads is either sent once to every grouping whose rules read it, or
 * dead-lettered LATE once and sent nowhere, decided by the highest watermark reached, restores included. Never both,
 * never neither: a LATE transaction that went on would be counted by an evaluator whose watermark lags.
 */
class RouteByGroupingProperties {
    private static final List<Rule> RULES = List.of(
            rule("{\"rule_id\":\"sum-1m\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
                    + "\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT1M\"},\"threshold\":3000.00}"),
            rule("{\"rule_id\":\"card-5m\",\"version\":1,\"type\":\"SUM_OVER_THRESHOLD\","
                    + "\"group_by\":\"card_id\",\"window\":{\"kind\":\"SLIDING\",\"size\":\"PT5M\"},"
                    + "\"threshold\":5000.00}"),
            rule("{\"rule_id\":\"merchant-10s\",\"version\":1,\"type\":\"COUNT_OVER_THRESHOLD\","
                    + "\"group_by\":\"merchant_id\",\"window\":{\"kind\":\"TUMBLING\",\"size\":\"PT10S\"},"
                    + "\"min_count\":20}"));

    private static Rule rule(String json) {
        try {
            return RuleCodec.parse(json);
        } catch (com.example.fraud.rules.RuleException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A step: a transaction (time, card?, merchant?), a watermark, or a restore from a snapshot. */
    static final class Step {
        final char kind; // T, W, R
        final long time;
        final boolean card;
        final boolean merchant;

        Step(char kind, long time, boolean card, boolean merchant) {
            this.kind = kind;
            this.time = time;
            this.card = card;
            this.merchant = merchant;
        }

        @Override
        public String toString() {
            return kind == 'R' ? "restore" : kind + "@" + time + (kind == 'T' ? (card ? "+card" : "")
                    + (merchant ? "+merchant" : "") : "");
        }
    }

    @Property(tries = 200)
    void eachTransactionIsRoutedOrDeadLetteredLateExactlyOnce(@ForAll("steps") List<Step> steps,
            @ForAll @IntRange(min = 0, max = 30) int latenessSeconds) throws Exception {
        DetectionSettings settings = DetectionSettings.builder()
                .allowedLateness(Duration.ofSeconds(latenessSeconds))
                .maxClockSkew(Duration.ZERO)
                .firing(FiringMode.EARLY)
                .build();
        long lateness = settings.allowedLatenessMillis();
        BroadcastOperatorTestHarness<Transaction, byte[], GroupedTransaction> h = open(settings, null);
        // The model: this run's watermark (Flink starts again from the lowest after a restore), and the highest
        // reached before the last restore, the end of input aside (a drain must not make everything after it late).
        long run = Long.MIN_VALUE;
        long highest = Long.MIN_VALUE;
        long floor = Long.MIN_VALUE;
        int n = 0;
        try {
            for (Step step : steps) {
                if (step.kind == 'W') {
                    h.processWatermark(step.time);
                    if (step.time > run) { // reached: an operator's watermark never goes back within a run
                        run = step.time;
                        if (step.time != Long.MAX_VALUE) {
                            highest = Math.max(highest, step.time);
                        }
                    }
                    continue;
                }
                if (step.kind == 'R') {
                    OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
                    h.close();
                    h = open(settings, snapshot);
                    run = Long.MIN_VALUE;
                    floor = highest;
                    continue;
                }
                String id = "t" + n++;
                Transaction txn = new Transaction(id, "A", 100, step.time);
                txn.cardId = step.card ? "C" : null;
                txn.merchantId = step.merchant ? "M" : null;
                int routedBefore = h.extractOutputValues().size();
                int lateBefore = late(h).size();
                h.processElement(txn, step.time);

                Set<Grouping> readers = new TreeSet<>();
                boolean countable = false;
                long watermark = Math.max(run, floor);
                for (Rule rule : RULES) {
                    if (rule.grouping().keyOf(txn) != null && rule.logic().applies(txn)) {
                        readers.add(rule.grouping());
                        countable |= rule.logic().countableUntil(step.time, lateness) > watermark;
                    }
                }
                List<GroupedTransaction> routed = h.extractOutputValues().subList(routedBefore,
                        h.extractOutputValues().size());
                List<DeadLetter> late = late(h).subList(lateBefore, late(h).size());
                String where = id + " at " + step.time + " after " + steps;
                if (readers.isEmpty()) {
                    assertThat(routed).as(where).isEmpty();
                    assertThat(late).as(where).isEmpty();
                } else if (countable) {
                    assertThat(routed.stream().map(g -> g.grouping).collect(Collectors.toList())).as(where)
                            .containsExactlyInAnyOrderElementsOf(readers);
                    assertThat(routed).as(where).allMatch(g -> g.txn.txnId.equals(id));
                    assertThat(late).as(where).isEmpty();
                } else {
                    assertThat(routed).as(where).isEmpty();
                    assertThat(late).as(where).singleElement().satisfies(d -> assertThat(d.detail).startsWith(
                            "txn_id " + id + " "));
                }
            }
        } finally {
            h.close();
        }
    }

    private static BroadcastOperatorTestHarness<Transaction, byte[], GroupedTransaction> open(
            DetectionSettings settings, OperatorSubtaskState restore) throws Exception {
        BroadcastOperatorTestHarness<Transaction, byte[], GroupedTransaction> h = new BroadcastOperatorTestHarness<>(
                new RouteByGroupingOperator(new RouteByGrouping(settings, RULES)), 128, 1, 0);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        h.getTwoInputOperator().processWatermarkStatus2(WatermarkStatus.IDLE); // as RuleCommands does
        return h;
    }

    private static List<DeadLetter> late(BroadcastOperatorTestHarness<Transaction, byte[], GroupedTransaction> h) {
        Collection<StreamRecord<DeadLetter>> out = h.getSideOutput(RouteByGrouping.LATE);
        List<DeadLetter> late = new ArrayList<>();
        if (out != null) {
            out.forEach(r -> late.add(r.getValue()));
        }
        return late;
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Long> times = Arbitraries.longs().between(0, 20 * 60_000L);
        Arbitrary<Step> txn = Combinators.combine(times, Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((t, c, m) -> new Step('T', t, c, m));
        Arbitrary<Step> watermark = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(9, times.map(t -> new Step('W', t, false, false))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Step('W', Long.MAX_VALUE, false, false))));
        Arbitrary<Step> restore = Arbitraries.just(new Step('R', 0, false, false));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(10, txn), net.jqwik.api.Tuple.of(4, watermark),
                net.jqwik.api.Tuple.of(1, restore)).list().ofMaxSize(40);
    }
}
