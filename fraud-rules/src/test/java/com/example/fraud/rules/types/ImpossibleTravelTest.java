package com.example.fraud.rules.types;

import static com.example.fraud.rules.RuleTesting.MINUTE;
import static com.example.fraud.rules.RuleTesting.T0;
import static com.example.fraud.rules.RuleTesting.located;
import static com.example.fraud.rules.RuleTesting.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.example.fraud.model.Alert;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.RuleTesting.Driver;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

class ImpossibleTravelTest {
    static final double[] BERLIN = {52.5200, 13.4050};
    static final double[] POTSDAM = {52.3906, 13.0645};
    static final double[] PARIS = {48.8566, 2.3522};
    static final double[] LONDON = {51.5074, -0.1278};
    static final double[] NEW_YORK = {40.7128, -74.0060};
    static final double[] LOS_ANGELES = {34.0522, -118.2437};
    static final long HOUR = 60 * MINUTE;

    static Rule travel(String within) {
        return rule("{\"rule_id\":\"travel\",\"version\":1,\"type\":\"IMPOSSIBLE_TRAVEL\",\"max_speed_kmh\":900,"
                + "\"within\":\"" + within + "\"}");
    }

    static Transaction at(String id, long time, double[] place) {
        return located(id, time, place[0], place[1]);
    }

    @Test
    void knownDistances() {
        assertThat(Geo.distanceKm(BERLIN[0], BERLIN[1], NEW_YORK[0], NEW_YORK[1])).isCloseTo(6385, Percentage
                .withPercentage(0.5));
        assertThat(Geo.distanceKm(LONDON[0], LONDON[1], PARIS[0], PARIS[1])).isCloseTo(343.5, Percentage
                .withPercentage(0.5));
        assertThat(Geo.distanceKm(NEW_YORK[0], NEW_YORK[1], LOS_ANGELES[0], LOS_ANGELES[1])).isCloseTo(3936,
                Percentage.withPercentage(0.5));
        assertThat(Geo.distanceKm(BERLIN[0], BERLIN[1], BERLIN[0], BERLIN[1])).isZero();
        // antipodes: half the circumference, and no NaN from rounding
        assertThat(Geo.distanceKm(0, 0, 0, 180)).isCloseTo(Math.PI * 6371.0088, within(1e-6));
        assertThat(Geo.distanceKm(90, 0, -90, 0)).isCloseTo(Math.PI * 6371.0088, within(1e-6));
        assertThat(Geo.distanceKm(NEW_YORK[0], NEW_YORK[1], BERLIN[0], BERLIN[1]))
                .isEqualTo(Geo.distanceKm(BERLIN[0], BERLIN[1], NEW_YORK[0], NEW_YORK[1]));
    }

    @Test
    void berlinToNewYorkInTenMinutesFires() {
        Driver d = new Driver(travel("PT6H"), 0);
        d.send(at("ber", T0, BERLIN)).send(at("nyc", T0 + 10 * MINUTE, NEW_YORK));
        assertThat(d.alerts).hasSize(1);
        Alert a = d.alerts.get(0);
        assertThat(a.alertId).isEqualTo("travel:acc-1:nyc");
        assertThat(a.distanceKm).isCloseTo(6385, Percentage.withPercentage(0.5));
        assertThat(a.speedKmh).isCloseTo(6385 * 6, Percentage.withPercentage(0.5));
        assertThat(a.maxSpeedKmh).isEqualTo(900);
        assertThat(a.first.txnId).isEqualTo("ber");
        assertThat(a.second.txnId).isEqualTo("nyc");
        assertThat(a.txnIds).containsExactly("ber", "nyc");
        assertThat(a.windowStartMillis).isEqualTo(T0);
        assertThat(a.windowEndMillis).isEqualTo(T0 + 10 * MINUTE + 1);
    }

    @Test
    void aPlaneBelowTheSpeedLimitDoesNotFire() {
        Driver d = new Driver(travel("PT12H"), 0);
        d.send(at("ber", T0, BERLIN)).send(at("nyc", T0 + 8 * HOUR, NEW_YORK)); // ~800 km/h
        assertThat(d.alerts).isEmpty();
    }

    @Test
    void belowTheMinimumDistanceDoesNotFire() {
        Driver d = new Driver(travel("PT6H"), 0);
        d.send(at("ber", T0, BERLIN)).send(at("pots", T0 + MINUTE, POTSDAM)); // ~27 km in a minute: 1,600 km/h
        assertThat(d.alerts).isEmpty();
    }

    @Test
    void pairsFurtherApartThanWithinAreNotCompared() {
        Driver d = new Driver(travel("PT1H"), 0);
        d.send(at("ber", T0, BERLIN)).send(at("nyc", T0 + HOUR + 1, NEW_YORK)); // ~6,400 km/h, but too far apart
        assertThat(d.alerts).isEmpty();
        Driver exactly = new Driver(travel("PT1H"), 0);
        exactly.send(at("ber", T0, BERLIN)).send(at("nyc", T0 + HOUR, NEW_YORK));
        assertThat(exactly.alerts).hasSize(1);
    }

    @Test
    void anOutOfOrderTransactionIsComparedWithBothNeighbours() {
        Driver d = new Driver(travel("PT6H"), 2 * HOUR);
        d.send(at("ber1", T0, BERLIN)).send(at("ber2", T0 + HOUR, BERLIN));
        assertThat(d.alerts).isEmpty();
        d.send(at("nyc", T0 + 30 * MINUTE, NEW_YORK));
        assertThat(d.alerts).extracting(a -> a.alertId).containsExactlyInAnyOrder("travel:acc-1:nyc",
                "travel:acc-1:ber2");
    }

    @Test
    void eachLaterTransactionAlertsAtMostOnce() {
        Driver d = new Driver(travel("PT6H"), 2 * HOUR);
        d.send(at("ber", T0, BERLIN)).send(at("nyc", T0 + 10 * MINUTE, NEW_YORK));
        // Paris arrives late: Berlin -> Paris is too fast (alert on Paris), Paris -> New York too, but New York
        // has already alerted as the later of a pair
        d.send(at("par", T0 + 5 * MINUTE, PARIS));
        assertThat(d.alerts).extracting(a -> a.alertId).containsExactly("travel:acc-1:nyc", "travel:acc-1:par");
        d.send(at("nyc2", T0 + 20 * MINUTE, NEW_YORK)); // New York -> New York: fine
        d.send(at("la", T0 + 30 * MINUTE, LOS_ANGELES));
        assertThat(d.alerts).extracting(a -> a.alertId).containsExactly("travel:acc-1:nyc", "travel:acc-1:par",
                "travel:acc-1:la");
        d.watermark(T0 + 24 * HOUR);
        assertThat(d.state).isNull();
    }

    @Test
    void transactionsWithoutALocationDoNotApply() {
        Driver d = new Driver(travel("PT6H"), 0);
        d.send(at("ber", T0, BERLIN)).send(new Transaction("bare", "acc-1", 100, T0 + MINUTE));
        Transaction half = new Transaction("half", "acc-1", 100, T0 + MINUTE);
        half.lat = 40.0;
        d.send(half);
        assertThat(d.skipped).isEqualTo(2);
        assertThat(d.alerts).isEmpty();
    }
}
