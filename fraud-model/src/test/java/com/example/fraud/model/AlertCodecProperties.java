package com.example.fraud.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The alert streams are read back by the tools (tail, evaluate): any revision round-trips, and any bytes, or an alert
 * with any value in place of its revision, decode to an alert or fail with IllegalArgumentException, nothing else.
 */
class AlertCodecProperties {

    @Property
    void anyRevisionRoundTrips(@ForAll @IntRange(min = 0) int revision, @ForAll("triggers") Alert.Trigger trigger) {
        Alert a = alert();
        a.revision = revision;
        a.trigger = trigger;
        assertThat(AlertCodec.decode(AlertCodec.encode(a))).isEqualTo(a);
    }

    @Property
    void anyRevisionValueDecodesOrIsRefusedClearly(@ForAll("values") String value) {
        String json = new String(AlertCodec.encode(alert()), StandardCharsets.UTF_8)
                .replace("\"revision\":0", "\"revision\":" + value);
        decodesOrIsRefused(json.getBytes(StandardCharsets.UTF_8));
    }

    @Property
    void anyBytesDecodeOrAreRefusedClearly(@ForAll byte[] bytes) {
        decodesOrIsRefused(bytes);
    }

    private static void decodesOrIsRefused(byte[] bytes) {
        try {
            Alert a = AlertCodec.decode(bytes);
            assertThat(a.alertId).isNotNull();
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property
    void aRevisionThatIsNotAnIntIsRefused(@ForAll("notInts") String value) {
        String json = new String(AlertCodec.encode(alert()), StandardCharsets.UTF_8)
                .replace("\"revision\":0", "\"revision\":" + value);
        assertThatThrownBy(() -> AlertCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<Alert.Trigger> triggers() {
        return Arbitraries.of(Alert.Trigger.class);
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(12).map(s -> '"' + s.replace("\"", "") + '"'),
                Arbitraries.longs().map(String::valueOf), Arbitraries.doubles().map(String::valueOf),
                Arbitraries.of("null", "true", "[]", "{}", "1e400", "-0", "[1", "{\"a\":"));
    }

    @Provide
    Arbitrary<String> notInts() {
        return Arbitraries.oneOf(Arbitraries.of("\"1\"", "true", "[]", "{}", "1e400", "9999999999999"),
                Arbitraries.longs().greaterOrEqual(1L + Integer.MAX_VALUE).map(String::valueOf));
    }

    private static Alert alert() {
        Alert a = new Alert();
        a.ruleId = "r";
        a.ruleVersion = 1;
        a.ruleType = RuleType.SUM_OVER_THRESHOLD;
        a.mode = RuleMode.ACTIVE;
        a.groupBy = Grouping.ACCOUNT_ID;
        a.groupKey = "ACC-1";
        a.accountId = "ACC-1";
        a.windowStartMillis = 60_000;
        a.windowEndMillis = 120_000;
        a.alertId = Alert.alertId(a.ruleId, a.groupKey, a.windowStartMillis);
        a.txnIds = new String[] {"t-1"};
        a.trigger = Alert.Trigger.WINDOW_CLOSE;
        a.totalCents = 300_001;
        a.txnCount = 1;
        a.threshold = 300_000;
        return a;
    }
}
