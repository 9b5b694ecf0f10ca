package com.example.fraud.rules.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** A window's totals equal what its transactions, kept and sorted, would give, in any arrival order and cap. */
class WindowTotalsProperties {
    @Property(tries = 500)
    void totalsAndFirstIdsMatchTheSortedTransactions(
            @ForAll @Size(max = 60) List<@LongRange(min = 0, max = 20) Long> times,
            @ForAll @Size(max = 60) List<@LongRange(min = 1, max = Long.MAX_VALUE / 8) Long> amounts,
            @ForAll @IntRange(min = 1, max = 12) int maxIds,
            @ForAll @Size(max = 60) List<@IntRange(min = 1, max = 12) Integer> capsAcrossRestarts) {
        WindowTotals w = new WindowTotals(0, true);
        List<long[]> arrived = new ArrayList<>(); // {time, arrival}
        long total = 0;
        boolean saturated = false;
        LinkedHashSet<String> values = new LinkedHashSet<>();
        String lastAccount = null;
        long lastTime = Long.MIN_VALUE;
        int smallestCap = Integer.MAX_VALUE;
        for (int i = 0; i < times.size(); i++) {
            long t = times.get(i);
            long cents = amounts.isEmpty() ? 1 : amounts.get(i % amounts.size());
            String value = "v" + (t % 13); // past 8 distinct: looked up by index
            // the cap may change between calls (a restart with another alert.max.txn.ids)
            int cap = capsAcrossRestarts.isEmpty() ? maxIds : capsAcrossRestarts.get(i % capsAcrossRestarts.size());
            smallestCap = Math.min(smallestCap, cap);
            w.add(t, cents, "t" + i, "acc-" + i, value, cap);
            arrived.add(new long[] {t, i});
            saturated |= total > Long.MAX_VALUE - cents;
            total = saturated ? Long.MAX_VALUE : total + cents;
            values.add(value);
            if (t >= lastTime) {
                lastTime = t;
                lastAccount = "acc-" + i;
            }
        }
        arrived.sort(Comparator.comparingLong((long[] a) -> a[0])); // stable: equal times in arrival order
        // the ids listed are the first ones by time, as many as every cap applied so far allowed to keep
        List<String> firstIds = new ArrayList<>();
        for (int i = 0; i < Math.min(Math.min(maxIds, smallestCap), arrived.size()); i++) {
            firstIds.add("t" + arrived.get(i)[1]);
        }
        assertThat(w.firstIds(maxIds)).containsExactlyElementsOf(firstIds);
        assertThat(w.count).isEqualTo(times.size());
        assertThat(w.totalCents).isEqualTo(total);
        assertThat(java.util.Arrays.asList(w.values).subList(0, w.valueCount)).containsExactlyElementsOf(values);
        assertThat(w.distinct()).isEqualTo(values.size());
        assertThat(w.lastAccount).isEqualTo(lastAccount);
    }
}
