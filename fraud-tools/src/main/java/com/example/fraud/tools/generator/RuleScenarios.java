package com.example.fraud.tools.generator;

import com.example.fraud.model.Channel;
import com.example.fraud.model.DistinctField;
import com.example.fraud.model.Grouping;
import com.example.fraud.model.Money;
import com.example.fraud.model.Transaction;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.Window;
import com.example.fraud.rules.types.CountOverThreshold;
import com.example.fraud.rules.types.DistinctCountOverThreshold;
import com.example.fraud.rules.types.ImpossibleTravel;
import com.example.fraud.rules.types.SmallThenLarge;
import com.example.fraud.rules.types.SumOverThreshold;
import com.example.fraud.rules.types.WindowedAggregate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Scenarios for each configured rule, their parameters taken from the rule itself: some must raise the rule's
 * alert, the others are near misses that must not. Each scenario runs on an account, card and merchant of its own
 * (ACC-S000001, CARD-S000001, MER-S000001), which no other traffic uses, so whatever the rule's grouping, nothing
 * else adds to what it counts. Whether a scenario fired is never decided here: the ground truth replays the rules
 * over what was stored. Here only the labels and the list of near misses come from.
 *
 * <p>Each rule starts its scenarios one second apart until every kind has run once, then every
 * {@code 60 s / perMinute}, cycling through the kinds. A scenario's transactions are due at given times and sent
 * at the first tick at or after that, stamped with the tick's time.
 */
final class RuleScenarios {
    /** Bounds beyond which a scenario would be absurd (millions of records); such rules get none. */
    private static final int MAX_SCENARIO_COUNT = 1_000;
    private static final int MAX_DISTINCT = 200;
    private static final long MAX_SUM_CENTS = Money.MAX_AMOUNT_CENTS / 10;
    private static final double MAX_TRIP_KM = 19_000;
    private static final double EARTH_RADIUS_KM = 6371.0088; // as fraud-rules' Geo
    private static final String[] COUNTRIES = Locale.getISOCountries();

    private final List<RuleKinds> rules = new ArrayList<>();
    private final Habits habits;
    private final int accounts;
    private final Random random;
    private final long tickMillis;
    private final long intervalMillis;
    private final ReplayFeed replay;
    private final String idPrefix;
    private final PriorityQueue<Part> pending = new PriorityQueue<>((a, b) ->
            a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private final Map<String, GroundTruth.ScenarioCount> counts = new LinkedHashMap<>();
    private final List<GroundTruth.NearMiss> nearMisses = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private long seq;
    private int scenarioSeq;

    /** @param idPrefix put in front of each scenario's account, card and merchant id */
    RuleScenarios(List<Rule> configured, Habits habits, int accounts, Random random, long tickMillis,
            double perMinute, ReplayFeed replay, String idPrefix) {
        this.habits = habits;
        this.idPrefix = idPrefix;
        this.accounts = accounts;
        this.random = random;
        this.tickMillis = tickMillis;
        this.intervalMillis = perMinute > 0 ? Math.max(tickMillis, Math.round(60_000 / perMinute)) : Long.MAX_VALUE;
        this.replay = replay;
        for (Rule r : configured) {
            if (!r.evaluated() || perMinute <= 0) {
                continue;
            }
            RuleKinds k = new RuleKinds(r, kindsOf(r));
            if (k.kinds.isEmpty()) {
                continue;
            }
            rules.add(k);
        }
    }

    /** The run starts at {@code start}: rule i's first scenario at start + i * 0.5 s, so rules do not share a tick. */
    void anchor(long start) {
        for (int i = 0; i < rules.size(); i++) {
            rules.get(i).nextStart = start + 500L * i;
        }
    }

    /** Why some rules got no scenario, or fewer kinds. */
    List<String> warnings() {
        return warnings;
    }

    /** Starts the scenarios due by {@code now}; their first transactions become due. */
    void start(long now) {
        for (RuleKinds r : rules) {
            while (r.nextStart <= now) {
                Kind kind = r.kinds.get(r.started % r.kinds.size());
                r.started++;
                r.nextStart += r.started < r.kinds.size() ? 1_000 : intervalMillis;
                begin(r.rule, kind, now);
            }
        }
    }

    /** Takes at most {@code max} transactions due by {@code now}, stamped with {@code now}; ids from {@code ids}. */
    List<Transaction> takeDue(long now, long max, java.util.function.Supplier<String> ids) {
        List<Transaction> out = new ArrayList<>();
        while (!pending.isEmpty() && pending.peek().due <= now && out.size() < max) {
            Part p = pending.poll();
            Transaction t = p.txn;
            t.txnId = ids.get();
            t.txnTimeMillis = now;
            Scenario s = p.scenario;
            if (s.firstTxnId == null) {
                s.firstTxnId = t.txnId;
            }
            s.lastTxnId = t.txnId;
            if (--s.remaining == 0) {
                complete(s);
            }
            out.add(t);
        }
        return out;
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    List<GroundTruth.ScenarioCount> counts() {
        return new ArrayList<>(counts.values());
    }

    List<GroundTruth.NearMiss> nearMisses() {
        return nearMisses;
    }

    private void complete(Scenario s) {
        GroundTruth.ScenarioCount c = counts.computeIfAbsent(s.ruleId + '\0' + s.kind, k -> {
            GroundTruth.ScenarioCount n = new GroundTruth.ScenarioCount();
            n.ruleId = s.ruleId;
            n.scenario = s.kind;
            n.fires = s.fires;
            return n;
        });
        c.count++;
        if (!s.fires) {
            GroundTruth.NearMiss m = new GroundTruth.NearMiss();
            m.ruleId = s.ruleId;
            m.groupKey = s.key;
            m.scenario = s.kind;
            m.firstTxnId = s.firstTxnId;
            m.lastTxnId = s.lastTxnId;
            nearMisses.add(m);
        }
    }

    // ---- one scenario

    /** A scenario's transactions, as offsets from its start; amounts and fields set, id and time not yet. */
    private interface Kind {
        String name();

        boolean fires();

        /** Adds the scenario's parts; {@code id} is its own account, card and merchant. */
        void plan(Plan plan);
    }

    private void begin(Rule rule, Kind kind, long now) {
        String n = TransactionGenerator.pad(++scenarioSeq);
        Plan plan = new Plan(rule, now, idPrefix + "ACC-S" + n, idPrefix + "CARD-S" + n, idPrefix + "MER-S" + n);
        kind.plan(plan);
        Scenario s = new Scenario(rule.id(), kind.name(), kind.fires(), plan.key(), plan.parts.size());
        if (plan.parts.isEmpty()) {
            return;
        }
        replay.labelKey(rule.id(), s.key, s.kind);
        for (Part p : plan.parts) {
            p.scenario = s;
            p.seq = seq++;
            pending.add(p);
        }
    }

    /** The transactions of one scenario being planned. */
    private final class Plan {
        final Rule rule;
        final long start;
        final String account;
        final String card;
        final String merchant;
        final Object[] home;
        final List<Part> parts = new ArrayList<>();

        Plan(Rule rule, long start, String account, String card, String merchant) {
            this.rule = rule;
            this.start = start;
            this.account = account;
            this.card = card;
            this.merchant = merchant;
            this.home = habits != null ? habits.homeOf(random.nextInt(accounts))
                    : Habits.CITIES[random.nextInt(Habits.CITIES.length)];
        }

        String key() {
            Grouping g = rule.grouping();
            return g == Grouping.ACCOUNT_ID ? account : g == Grouping.CARD_ID ? card : merchant;
        }

        /** One transaction due at {@code due}, online from home, with the scenario's own ids. */
        Transaction add(long due, long cents) {
            Transaction t = new Transaction(null, account, cents, 0);
            t.cardId = card;
            t.merchantId = merchant;
            t.country = (String) home[2];
            t.channel = Channel.ECOMMERCE;
            Part p = new Part();
            p.due = due;
            p.txn = t;
            parts.add(p);
            return t;
        }

        /** {@code n} transactions due at {@code due} summing to {@code totalCents}, with distinct values cycling. */
        /** The transactions of {@code g} (count, total cents, distinct values), due at {@code due}. */
        void group(long due, long[] g, DistinctField field, int valueOffset) {
            int n = (int) g[0];
            long[] amounts = AmountSplitter.split(g[1], n, random);
            for (int i = 0; i < n; i++) {
                Transaction t = add(due, amounts[i]);
                if (field != null) {
                    setValue(t, field, valueOffset + i % (int) g[2]);
                }
            }
        }

        void setValue(Transaction t, DistinctField field, int i) {
            switch (field) {
                case MERCHANT_ID:
                    t.merchantId = merchant + "-" + (i + 1);
                    break;
                case CARD_ID:
                    t.cardId = card + "-" + (i + 1);
                    break;
                default:
                    t.country = COUNTRIES[(scenarioSeq * 7 + i) % COUNTRIES.length];
            }
        }
    }

    // ---- the kinds of each rule type

    private List<Kind> kindsOf(Rule rule) {
        List<Kind> kinds = new ArrayList<>();
        Object logic = rule.logic();
        if (logic instanceof WindowedAggregate) {
            aggregateKinds(rule, (WindowedAggregate) logic, kinds);
        } else if (logic instanceof SmallThenLarge) {
            cardTestingKinds((SmallThenLarge) logic, kinds);
        } else if (logic instanceof ImpossibleTravel) {
            travelKinds(rule, (ImpossibleTravel) logic, kinds);
        } else {
            warnings.add(rule.id() + ": no scenarios for rule type " + rule.type());
        }
        return kinds;
    }

    /** One group of an aggregate scenario: transactions, their total in cents, distinct values. */
    private interface Group {
        long[] next();
    }

    private void aggregateKinds(Rule rule, WindowedAggregate w, List<Kind> kinds) {
        Window window = w.window();
        boolean tumbling = window.kind() == Window.Kind.TUMBLING;
        long size = window.sizeMillis();
        Group fire;
        Group under;
        Group exact = null;
        Group half;
        DistinctField field = null;
        String burstName;
        if (w instanceof SumOverThreshold) {
            long t = ((SumOverThreshold) w).thresholdCents();
            if (t < 2 || t > MAX_SUM_CENTS) {
                warnings.add(rule.id() + ": no scenarios for a threshold of " + Money.format(t));
                return;
            }
            // Over by 0.01 to 25%, in 3 to 6 transactions; just under by 0.01; exactly at; two halves of 50% + 0.01.
            fire = () -> {
                long over = t + 1 + (long) (random.nextDouble() * Math.max(1, t / 4));
                return new long[] {Math.min(over, 3 + random.nextInt(4)), over, 1};
            };
            under = () -> new long[] {Math.min(t - 1, 2 + random.nextInt(4)), t - 1, 1};
            exact = () -> new long[] {Math.min(t, 2 + random.nextInt(4)), t, 1};
            half = () -> new long[] {2, t / 2 + 1, 1};
            burstName = "burst";
        } else if (w instanceof CountOverThreshold) {
            int n = ((CountOverThreshold) w).minCount();
            if (n > MAX_SCENARIO_COUNT) {
                warnings.add(rule.id() + ": no scenarios for a min_count above " + MAX_SCENARIO_COUNT);
                return;
            }
            // Exactly min_count (at the limit fires: "at least"); one fewer; one fewer on each side of a boundary.
            fire = () -> new long[] {n, smallTotal(n), 1};
            under = n >= 2 ? () -> new long[] {n - 1, smallTotal(n - 1), 1} : null;
            half = under;
            burstName = "rapid";
        } else {
            DistinctCountOverThreshold d = (DistinctCountOverThreshold) w;
            int m = d.minDistinct();
            field = d.field();
            if (m > MAX_DISTINCT || field.field().equals(rule.grouping().field())) {
                warnings.add(rule.id() + ": no scenarios for " + m + " distinct " + field.field() + " by "
                        + rule.grouping().field());
                return;
            }
            // Exactly min_distinct values; one fewer over more transactions; one fewer on each side.
            fire = () -> new long[] {m, smallTotal(m), m};
            under = m >= 2 ? () -> new long[] {m + 1, smallTotal(m + 1), m - 1} : null;
            half = m >= 2 ? () -> new long[] {m - 1, smallTotal(m - 1), m - 1} : null;
            burstName = "many-" + field.field().replace("_id", "") + (field == DistinctField.COUNTRY ? "" : "s");
        }
        DistinctField f = field;
        kinds.add(kind(burstName, true, p -> p.group(p.start, fire.next(), f, 0)));
        if (under != null) {
            kinds.add(kind("just-under", false, p -> p.group(p.start, under.next(), f, 0)));
        }
        if (exact != null) {
            Group e = exact;
            kinds.add(kind("exactly-at", false, p -> p.group(p.start, e.next(), f, 0)));
        }
        if (half != null) {
            kinds.add(kind("split-windows", false, p -> {
                long a;
                long b;
                if (tumbling) {
                    long end = window.startOf(p.start) + size;
                    a = Math.max(p.start, end - Math.max(size / 10, 2 * tickMillis));
                    b = end;
                } else {
                    a = p.start;
                    b = p.start + size + tickMillis; // more than one look-back apart
                }
                long[] first = half.next();
                p.group(a, first, f, 0);
                p.group(b, half.next(), f, (int) first[2]);
            }));
        }
    }

    /** Small everyday amounts (1.00 to 9.99 each) for count scenarios, so that no sum rule is near. */
    private long smallTotal(long n) {
        long total = 0;
        for (long i = 0; i < n; i++) {
            total += 100 + random.nextInt(900);
        }
        return total;
    }

    private void cardTestingKinds(SmallThenLarge s, List<Kind> kinds) {
        long small = s.smallMaxCents();
        long large = s.largeMinCents();
        long within = s.withinMillis();
        long soon = Math.min(within / 2, 2_000);
        kinds.add(kind("card-testing", true, p -> {
            p.add(p.start, random.nextBoolean() ? small : 1 + (long) (random.nextDouble() * small));
            p.add(p.start + soon, large + (long) (random.nextDouble() * (large / 2)));
        }));
        kinds.add(kind("small-above-limit", false, p -> {
            p.add(p.start, small + 1);
            p.add(p.start + soon, large);
        }));
        kinds.add(kind("large-below-limit", false, p -> {
            p.add(p.start, small);
            p.add(p.start + soon, large - 1);
        }));
        kinds.add(kind("too-slow", false, p -> {
            p.add(p.start, small);
            p.add(p.start + within + 1_000, large);
        }));
    }

    private void travelKinds(Rule rule, ImpossibleTravel t, List<Kind> kinds) {
        double speed = t.maxSpeedKmh();
        double minKm = t.minDistanceKm();
        long within = t.withinMillis();
        long dt = Math.min(within - tickMillis, 30_000); // the reading is at most a tick later than due
        // Under a minute counts as a minute (ImpossibleTravel): the trip must beat the speed over 60 s.
        double far = Math.max(minKm, speed / 60) * 1.3 + 1;
        if (far > MAX_TRIP_KM) {
            warnings.add(rule.id() + ": no travel scenario: max_speed_kmh " + speed + " needs a trip over "
                    + Math.round(far) + " km");
        } else {
            kinds.add(kind("travel", true, p -> trip(p, far, p.start + dt)));
        }
        double near = Math.max(minKm * 1.2, 1);
        if (near <= MAX_TRIP_KM) {
            // Slow enough: at most 80% of the speed, the minute rule included.
            long slow = Math.max(1_000, (long) Math.ceil(near / (0.8 * speed) * 3_600_000));
            kinds.add(kind("slow-travel", false, p -> trip(p, near, p.start + slow)));
        }
        if (minKm >= 2) {
            kinds.add(kind("too-close", false, p -> trip(p, minKm * 0.8, p.start + dt)));
        }
    }

    /** Two card-present purchases: at home, then {@code km} away, due at {@code secondDue}. */
    private void trip(Plan p, double km, long secondDue) {
        double lat = Habits.round4((Double) p.home[0]);
        double lon = Habits.round4((Double) p.home[1]);
        Transaction a = p.add(p.start, 1_000 + random.nextInt(19_000));
        a.channel = Channel.POS;
        a.lat = lat;
        a.lon = lon;
        double[] to = destination(lat, lon, km, random.nextDouble() * 360);
        Transaction b = p.add(secondDue, 1_000 + random.nextInt(19_000));
        b.channel = Channel.POS;
        b.lat = Habits.round4(to[0]);
        b.lon = Habits.round4(to[1]);
        b.country = null; // somewhere else; which country is not modelled
    }

    /** The point {@code km} from (lat, lon) on a great circle with the given initial bearing, in degrees. */
    static double[] destination(double lat, double lon, double km, double bearingDegrees) {
        double d = km / EARTH_RADIUS_KM;
        double p1 = Math.toRadians(lat);
        double l1 = Math.toRadians(lon);
        double b = Math.toRadians(bearingDegrees);
        double p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(b));
        double l2 = l1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
        return new double[] {Habits.clampLat(Math.toDegrees(p2)), Habits.wrapLon(Math.toDegrees(l2))};
    }

    private static Kind kind(String name, boolean fires, java.util.function.Consumer<Plan> plan) {
        return new Kind() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean fires() {
                return fires;
            }

            @Override
            public void plan(Plan p) {
                plan.accept(p);
            }
        };
    }

    private static final class RuleKinds {
        final Rule rule;
        final List<Kind> kinds;
        long nextStart;
        int started;

        RuleKinds(Rule rule, List<Kind> kinds) {
            this.rule = rule;
            this.kinds = kinds;
        }
    }

    private static final class Scenario {
        final String ruleId;
        final String kind;
        final boolean fires;
        final String key;
        int remaining;
        String firstTxnId;
        String lastTxnId;

        Scenario(String ruleId, String kind, boolean fires, String key, int parts) {
            this.ruleId = ruleId;
            this.kind = kind;
            this.fires = fires;
            this.key = key;
            this.remaining = parts;
        }
    }

    private static final class Part {
        long due;
        long seq;
        Transaction txn;
        Scenario scenario;
    }

    @Override
    public String toString() {
        return Arrays.toString(rules.stream().map(r -> r.rule.id()).toArray());
    }
}
