package com.example.fraud.detector.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.fraud.detector.rules.RuleStates;
import com.example.fraud.rules.state.Event;
import com.example.fraud.rules.state.RuleState;
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
        DataOutputSerializer again = new DataOutputSerializer(64);
        S.copy(new DataInputDeserializer(out.getCopyOfBuffer()), again);
        assertThat(again.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
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
    }

    @Provide
    Arbitrary<List<RuleState>> stateLists() {
        return states().list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<RuleState> states() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(12).withChars("aZ9-ü中\u0000\ud83d\ude00");
        Arbitrary<Event> events = Combinators.combine(Arbitraries.longs(), Arbitraries.longs().between(1, 1L << 40),
                text, text, text.injectNull(0.3), Arbitraries.doubles().between(-90, 90).injectNull(0.5),
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
        return Combinators.combine(lists, windows, Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs())
                .as((list, alerted, signature, spent, timer) -> {
                    RuleState s = new RuleState(signature);
                    for (Event e : list) {
                        s.insert(e);
                    }
                    for (long w : alerted) {
                        s.markAlerted(w); // kept sorted and distinct, as the rules keep them
                    }
                    s.spentUntil = spent;
                    s.closedThrough = -spent;
                    s.timer = timer;
                    s.revisionsFrom = timer % 3 == 0 ? Long.MIN_VALUE : timer / 2;
                    return s;
                });
    }
}
