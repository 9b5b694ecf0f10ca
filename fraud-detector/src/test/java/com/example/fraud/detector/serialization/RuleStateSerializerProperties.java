package com.example.fraud.detector.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.rules.RuleStates;
import com.example.fraud.rules.state.Event;
import com.example.fraud.rules.state.RuleState;
import com.example.fraud.rules.state.WindowTotals;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Rule state is what a savepoint keeps: any state round-trips through bytes and copies, field for field. */
class RuleStateSerializerProperties {
    private static final RuleStateSerializer S = RuleStateSerializer.INSTANCE;

    @Property(tries = 500)
    void anyStateRoundTripsAndCopies(@ForAll("states") RuleState state) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        S.serialize(state, out);
        RuleState read = S.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertSame(read, state);
        RuleState copy = S.copy(state);
        assertSame(copy, state);
        if (copy.size > 0) {
            copy.get(0).alerted = !state.get(0).alerted; // a deep copy: the original's events are its own
            assertThat(state.get(0).alerted).isNotEqualTo(copy.get(0).alerted);
        }
        if (copy.windowCount > 0) {
            copy.windows[0].add(0, 1, "x", "a", "v", 10); // and its windows
            assertThat(state.windows[0].count).isEqualTo(copy.windows[0].count - 1);
        }
        DataOutputSerializer again = new DataOutputSerializer(64);
        S.copy(new DataInputDeserializer(out.getCopyOfBuffer()), again);
        assertThat(again.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    }

    /**
     * A corrupt or truncated state (a bit flipped, a count gone huge) is refused with an IOException, never read
     * into a huge array: an OutOfMemoryError on restore would take the TaskManager down.
     */
    @Property(tries = 500)
    void corruptBytesAreRefusedWithAnIoExceptionOrReadAsSomeState(@ForAll("states") RuleState state,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 10_000) int at,
            @ForAll byte replacement, @ForAll boolean truncate) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        S.serialize(state, out);
        byte[] bytes = out.getCopyOfBuffer();
        int i = at % bytes.length;
        byte[] corrupt = truncate ? java.util.Arrays.copyOf(bytes, i) : bytes.clone();
        if (!truncate) {
            corrupt[i] = replacement;
        }
        try {
            S.deserialize(new DataInputDeserializer(corrupt));
        } catch (java.io.IOException expected) {
            // refused: EOF or a negative count
        }
    }

    /**
     * Savepoints written before events were compact (and before window totals) hold the fixed-width layout written
     * here, field by field as those versions wrote it: they must still read as the same state.
     */
    @Property(tries = 300)
    void aStateInTheEarlierFixedWidthLayoutReadsAsTheSameState(@ForAll("states") RuleState state) throws Exception {
        state.setWindows(new WindowTotals[0], 0); // those versions had no totals
        state.shadowAlertedWindows = new long[0]; // nor shadow marks
        state.shadowSpentUntil = Long.MIN_VALUE;
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeLong(state.signature);
        out.writeLong(state.spentUntil);
        out.writeLong(state.closedThrough);
        out.writeLong(state.timer);
        boolean revisions = state.revisionsFrom != Long.MIN_VALUE;
        out.writeInt(state.alertedWindows.length | (revisions ? 1 << 31 : 0));
        for (long w : state.alertedWindows) {
            out.writeLong(w);
        }
        if (revisions) {
            out.writeLong(state.revisionsFrom);
        }
        out.writeInt(state.size);
        for (int i = 0; i < state.size; i++) {
            Event e = state.get(i);
            out.writeLong(e.time);
            out.writeLong(e.amountCents);
            out.writeUTF(e.txnId);
            out.writeUTF(e.accountId);
            boolean located = !Double.isNaN(e.lat) && !Double.isNaN(e.lon);
            out.writeByte((e.value != null ? 1 : 0) | (located ? 2 : 0) | (e.alerted ? 4 : 0) | (e.late ? 8 : 0));
            if (e.value != null) {
                out.writeUTF(e.value);
            }
            if (located) {
                out.writeDouble(e.lat);
                out.writeDouble(e.lon);
            }
        }
        assertSame(S.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())), state);
    }

    /** A key's states, as the evaluator keeps them: by rule id, in order, each deep-copied. */
    @Property(tries = 200)
    void anyKeysStatesRoundTripAndCopy(@ForAll("stateLists") List<RuleState> states) throws Exception {
        RuleStates held = new RuleStates();
        for (int i = 0; i < states.size(); i++) {
            held.put("rule-" + i, states.get(i));
        }
        DataOutputSerializer out = new DataOutputSerializer(64);
        RuleStatesSerializer.INSTANCE.serialize(held, out);
        RuleStates read = RuleStatesSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        RuleStates copy = RuleStatesSerializer.INSTANCE.copy(held);
        for (RuleStates other : List.of(read, copy)) {
            assertThat(other.size()).isEqualTo(held.size());
            for (int i = 0; i < held.size(); i++) {
                assertThat(other.id(i)).isEqualTo(held.id(i));
                assertThat(other.state(i)).isNotSameAs(held.state(i));
                assertSame(other.state(i), held.state(i));
            }
        }
    }

    private static void assertSame(RuleState actual, RuleState expected) {
        assertThat(actual.signature).isEqualTo(expected.signature);
        assertThat(actual.spentUntil).isEqualTo(expected.spentUntil);
        assertThat(actual.closedThrough).isEqualTo(expected.closedThrough);
        assertThat(actual.timer).isEqualTo(expected.timer);
        assertThat(actual.alertedWindows).isEqualTo(expected.alertedWindows);
        assertThat(actual.shadowAlertedWindows).isEqualTo(expected.shadowAlertedWindows);
        assertThat(actual.shadowSpentUntil).isEqualTo(expected.shadowSpentUntil);
        assertThat(actual.revisionsFrom).isEqualTo(expected.revisionsFrom);
        assertThat(actual.size).isEqualTo(expected.size);
        for (int i = 0; i < expected.size; i++) {
            Event a = actual.get(i);
            Event e = expected.get(i);
            assertThat(actual.time(i)).isEqualTo(e.time);
            assertThat(new Object[] {a.time, a.amountCents, a.txnId, a.accountId, a.value, a.lat, a.lon, a.alerted,
                a.late}).isEqualTo(new Object[] {e.time, e.amountCents, e.txnId, e.accountId, e.value, e.lat, e.lon,
                    e.alerted, e.late});
        }
        assertThat(actual.windowCount).isEqualTo(expected.windowCount);
        for (int i = 0; i < expected.windowCount; i++) {
            WindowTotals a = actual.windows[i];
            WindowTotals e = expected.windows[i];
            assertThat(new Object[] {a.start, a.countsDistinct, a.idCap, a.totalCents, a.count, a.late, a.due, a.shadowEarly, a.lastTime,
                a.lastAccount,
                a.firstIds(Integer.MAX_VALUE), java.util.Arrays.asList(a.values).subList(0, a.valueCount)})
                    .isEqualTo(new Object[] {e.start, e.countsDistinct, e.idCap, e.totalCents, e.count, e.late, e.due, e.shadowEarly, e.lastTime,
                        e.lastAccount, e.firstIds(Integer.MAX_VALUE), java.util.Arrays.asList(e.values).subList(0, e.valueCount)});
            assertThat(java.util.Arrays.copyOf(a.idTimes, a.idCount))
                    .isEqualTo(java.util.Arrays.copyOf(e.idTimes, e.idCount));
        }
    }

    @Provide
    Arbitrary<List<RuleState>> stateLists() {
        return states().list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<RuleState> states() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(12).withChars("aZ9-ü中\u0000\ud83d\ude00");
        Arbitrary<String> accounts = Arbitraries.oneOf(text, Arbitraries.of("acc-1", "acc-2")); // runs of one account
        Arbitrary<Event> events = Combinators.combine(Arbitraries.longs(), Arbitraries.longs().between(1, 1L << 40),
                text, accounts, text.injectNull(0.3), Arbitraries.doubles().between(-90, 90).injectNull(0.5),
                Arbitraries.integers().between(0, 3)).as((time, cents, id, account, value, lat, flags) -> {
                    Event e = new Event();
                    e.time = time;
                    e.amountCents = cents;
                    e.txnId = id;
                    e.accountId = account;
                    e.value = value;
                    if (lat != null) {
                        e.lat = lat;
                        e.lon = -lat / 2;
                    }
                    e.alerted = (flags & 1) != 0;
                    e.late = (flags & 2) != 0;
                    return e;
                });
        Arbitrary<List<Event>> lists = events.list().ofMaxSize(30);
        Arbitrary<long[]> windows = Arbitraries.longs().array(long[].class).ofMaxSize(4);
        Arbitrary<WindowTotals> totals = Combinators.combine(Arbitraries.longs(), events.list().ofMaxSize(12),
                Arbitraries.integers().between(1, 5), Arbitraries.integers().between(0, 7))
                .as((start, counted, maxIds, flags) -> {
                    WindowTotals w = new WindowTotals(start, (flags & 1) != 0);
                    for (Event e : counted) {
                        w.add(e.time, e.amountCents, e.txnId, e.accountId, e.value, maxIds);
                    }
                    w.late = counted.size() / 2;
                    w.due = (flags & 2) != 0;
                    w.shadowEarly = (flags & 4) != 0;
                    return w;
                });
        Arbitrary<List<WindowTotals>> totalLists = totals.list().ofMaxSize(4).uniqueElements(w -> w.start);
        return Combinators.combine(lists, windows, totalLists, Arbitraries.longs(), Arbitraries.longs(),
                Arbitraries.longs()).as((list, alerted, totalList, signature, spent, timer) -> {
                    RuleState s = new RuleState(signature);
                    for (Event e : list) {
                        s.insert(e);
                    }
                    for (long w : alerted) {
                        s.markAlerted(w, (w & 1) == 0); // kept sorted and distinct, as the rules keep them
                    }
                    for (WindowTotals w : totalList) {
                        s.addWindow(w);
                    }
                    s.spentUntil = spent;
                    s.shadowSpentUntil = spent % 4 == 0 ? Long.MIN_VALUE : spent / 4;
                    s.closedThrough = -spent;
                    s.timer = timer;
                    s.revisionsFrom = timer % 3 == 0 ? Long.MIN_VALUE : timer / 2;
                    return s;
                });
    }
}
