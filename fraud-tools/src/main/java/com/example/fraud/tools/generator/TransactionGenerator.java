package com.example.fraud.tools.generator;

import com.example.fraud.model.Money;
import com.example.fraud.model.Timestamps;
import com.example.fraud.model.Transaction;
import com.example.fraud.model.TransactionCodec;
import com.example.fraud.rules.DefaultRules;
import com.example.fraud.rules.FiringMode;
import com.example.fraud.rules.Rule;
import com.example.fraud.rules.types.ImpossibleTravel;
import com.example.fraud.tools.kinesis.OutgoingRecord;
import com.example.fraud.tools.kinesis.RecordWriter;
import com.example.fraud.tools.kinesis.WriteReport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulates accounts making transactions, mixes in the scenarios of a {@link ScenarioMix}, sends everything
 * to a {@link RecordTarget} in one batch per tick, and returns the {@link GroundTruth} of what was stored.
 *
 * <p>Time model: an on-time transaction's txn_time is the clock when its tick is generated; the batch is
 * sent right after. The main phase runs for the duration or count; then a tail of low-amount traffic (by
 * default window + bound + 5 s) moves event time past every flagged window. Late records are only sent
 * once the run is {@code bound + 5 s} old, so that the detector's watermark has moved on every shard.
 *
 * <p>Reproducible: the seed fixes the accounts, the order of record kinds, amounts and ids; with a
 * {@link GeneratorClock#simulated simulated clock} the whole output is identical from run to run.
 * Single-use: call {@link #run()} once.
 */
public final class TransactionGenerator {
    /** Late records are this much older than the bound + allowed lateness requires, so they are surely late. */
    static final long LATE_MARGIN_MILLIS = 10_000;
    private static final long LATE_START_DELAY_MILLIS = 5_000;
    private static final int PICK_TRIES = 50;
    private static final int MAX_FAILED_BATCHES_IN_A_ROW = 3;

    private final GeneratorConfig config;
    private final RuleSettings rule;
    private final ScenarioMix mix;
    private final RecordTarget target;
    private final GeneratorClock clock;
    private final Accounts accounts;
    private final Random kinds;
    private final Random picks;
    private final Random amounts;
    private final WindowLedger ledger;
    private final WindowLedger lateLedger;
    /** The ground truth's replay of the rules, fed in the order records were stored. */
    private final ReplayFeed replay;
    /** The configured rules, or the default rule alone. */
    private final List<Rule> rules;
    /** Null without a rule set (the default rule's over / under / exact scenarios instead). */
    private final RuleScenarios scenarios;
    /** Null when background traffic carries no optional fields. */
    private final Habits habits;
    private final Random fields;
    /** Window used to date late records: late for every rule. */
    private final long lateWindowMillis;
    private final long[] reservedUntil;
    private final GroundTruth truth = new GroundTruth();

    // Per-record odds, from per-window account fractions and per-record fractions.
    private final double pOver;
    private final double pUnder;
    private final double pExact;
    private final double pLate;
    private final double pMalformed;
    private final double pDelayed;

    private final List<OutgoingRecord> batch = new ArrayList<>();
    private final List<GeneratedRecord> batchMeta = new ArrayList<>();
    private final AtomicLong generated = new AtomicLong();
    private volatile String phase = "starting";

    private long start;
    private long txnSeq;
    private long malformedSeq;
    private int pendingLate;
    private boolean lateSent;
    private boolean needOver;
    private boolean needUnder;
    private boolean needExact;
    private boolean firstUnder = true;
    private final Set<MalformedKind> malformedToSend = EnumSet.noneOf(MalformedKind.class);
    private boolean oversizedImpossible;
    private int failedBatchesInARow;

    public TransactionGenerator(GeneratorConfig config, RecordTarget target, GeneratorClock clock) {
        this(config, target, clock, true);
    }

    /** @param threadedReplay replay the rules on a thread of their own (same truth; in line for tests to compare) */
    TransactionGenerator(GeneratorConfig config, RecordTarget target, GeneratorClock clock, boolean threadedReplay) {
        this.config = config;
        this.rule = config.rule;
        this.mix = config.mix;
        this.target = target;
        this.clock = clock;
        Random seeds = new Random(config.seed);
        this.accounts = new Accounts(config.accounts, new Random(seeds.nextLong()), config.idPrefix);
        this.kinds = new Random(seeds.nextLong());
        this.picks = new Random(seeds.nextLong());
        this.amounts = new Random(seeds.nextLong());
        this.ledger = new WindowLedger(config.accounts);
        this.lateLedger = new WindowLedger(config.accounts);
        // Drawn after the others, so that a run without a rule set is the same as before rule sets existed.
        Random habitSeeds = new Random(seeds.nextLong());
        this.fields = new Random(seeds.nextLong());
        Random scenarioRandom = new Random(seeds.nextLong());
        boolean ruleSet = config.rules != null;
        // The default rule replays with EARLY firing whatever the job's: both flag the same windows.
        this.rules = ruleSet ? config.rules : List.of(DefaultRules.sumOverThreshold(rule.thresholdCents(),
                rule.windowMillis(), FiringMode.EARLY));
        this.replay = new ReplayFeed(new RuleReplay(rules, rule.maxOutOfOrdernessMillis(),
                rule.allowedLatenessMillis(), accounts, ruleSet ? null : rule), threadedReplay);
        this.habits = config.habits ? new Habits(config.accounts, habitSeeds, jitterKm(rules), config.idPrefix)
                : null;
        this.scenarios = ruleSet ? new RuleScenarios(rules, habits, config.accounts, scenarioRandom,
                config.tickMillis, config.scenariosPerMinute, replay, config.idPrefix) : null;
        this.lateWindowMillis = ruleSet ? Math.max(1, GeneratorConfig.longestWindowMillis(rules))
                : rule.windowMillis();
        this.reservedUntil = new long[config.accounts];

        double perWindow = Math.max(1, config.recordsPerWindow());
        pOver = ruleSet ? 0 : Math.min(1, config.accounts * mix.over / perWindow);
        pUnder = ruleSet ? 0 : Math.min(1, config.accounts * mix.under / perWindow);
        pExact = ruleSet ? 0 : Math.min(1, config.accounts * mix.exact / perWindow);
        pLate = mix.late;
        pMalformed = mix.malformed;
        pDelayed = rule.maxOutOfOrdernessMillis() > 0 ? mix.delayed : 0;
        if (pOver + pUnder + pExact + pLate + pMalformed + pDelayed > 0.95) {
            throw new IllegalArgumentException("The scenario fractions leave no room for plain traffic at this rate: "
                    + "lower them, or raise the rate or the window");
        }
        needOver = pOver > 0;
        needUnder = pUnder > 0;
        needExact = pExact > 0;
        if (mix.malformed > 0) {
            malformedToSend.addAll(EnumSet.allOf(MalformedKind.class));
        }
        fillSettings();
    }

    /**
     * How far from home an account's own purchases may be: a third of the smallest travel distance, and at 60 s
     * (the shortest interval the rule assumes) at most a quarter of the lowest speed, so that background traffic
     * never looks like impossible travel. Read from the rules' parameters.
     */
    private static double jitterKm(List<Rule> rules) {
        double km = 10;
        for (Rule r : rules) {
            if (r.logic() instanceof ImpossibleTravel) {
                ImpossibleTravel t = (ImpossibleTravel) r.logic();
                km = Math.min(km, Math.min(t.minDistanceKm() / 3, t.maxSpeedKmh() / 240) - 0.05);
            }
        }
        return km;
    }

    /** Rules that got no scenario, or fewer kinds, and why. */
    public List<String> warnings() {
        return scenarios == null ? List.of() : scenarios.warnings();
    }

    /** Records generated so far (for progress lines). */
    public long generated() {
        return generated.get();
    }

    /** "main", "tail" or "done" (for progress lines). */
    public String phase() {
        return phase;
    }

    /** Runs the main phase and the tail, and returns what must be detected. */
    public GroundTruth run() throws InterruptedException {
        try (ReplayFeed feed = replay) { // stops the replay's thread if the run fails
            return runAndReplay();
        }
    }

    private GroundTruth runAndReplay() throws InterruptedException {
        start = clock.millis();
        if (scenarios != null) {
            scenarios.anchor(start);
        }
        truth.run.target = target.describe();
        truth.run.startedAtMs = start;
        truth.run.startedAt = Timestamps.format(start);

        phase = "main";
        runMain();
        long mainEnd = clock.millis();
        truth.run.mainEndedAtMs = mainEnd;
        truth.run.mainEndedAt = Timestamps.format(mainEnd);

        phase = "tail";
        runTail(mainEnd);
        if (pendingLate > 0 || (!lateSent && mix.late > 0)) {
            // The tail was too short for the wait before late records: send them now, late is late.
            addPendingLate(clock.millis(), Long.MAX_VALUE, true);
            flush(clock.millis());
        }

        long end = clock.millis();
        truth.run.endedAtMs = end;
        truth.run.endedAt = Timestamps.format(end);
        RuleReplay replayed = replay.finish();
        for (Rule r : config.rules != null ? rules : List.of(DefaultRules.sumOverThreshold(rule.thresholdCents(),
                rule.windowMillis(), firing(rule.firing())))) {
            GroundTruth.RuleInfo info = new GroundTruth.RuleInfo();
            info.ruleId = r.id();
            info.version = r.version();
            info.type = r.type().name();
            info.mode = r.mode().name();
            info.groupBy = r.grouping().field();
            info.json = r.json();
            truth.rules.add(info);
        }
        if (scenarios != null) {
            truth.scenarios = scenarios.counts();
            truth.nearMisses = scenarios.nearMisses();
        }
        truth.expectedAlerts = replayed.expectedAlerts();
        truth.unflaggedWindows = replayed.unflaggedWindows();
        truth.totals.expectedAlerts = truth.expectedAlerts.size();
        truth.totals.retried = target.retried();
        truth.totals.failed = truth.failedRecords.size();
        phase = "done";
        return truth;
    }

    private static FiringMode firing(String name) {
        for (FiringMode m : FiringMode.values()) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        return FiringMode.EARLY;
    }

    private void runMain() throws InterruptedException {
        long mainRecords = 0;
        long scheduleShift = 0;
        long maxPerTick = Math.max(RecordWriter.MAX_RECORDS_PER_CALL, (long) config.rate);
        long nextTick = start;
        while (true) {
            long now = clock.millis();
            long elapsed = now - start;
            boolean durationOver = config.durationMillis > 0 && elapsed >= config.durationMillis;
            boolean countOver = config.count > 0 && mainRecords >= config.count;
            if (durationOver || countOver) {
                return;
            }
            long due = (long) Math.floor(config.rate * (elapsed + config.tickMillis) / 1000.0) - scheduleShift
                    - mainRecords;
            if (due > maxPerTick) {
                scheduleShift += due - maxPerTick; // the target is slower than the rate: do not pile up a backlog
                due = maxPerTick;
            }
            long remaining = config.count > 0 ? config.count - mainRecords : Long.MAX_VALUE;
            long made = addRequired(now, remaining);
            made += addScenarios(now, remaining - made, true);
            made += addPendingLate(now, remaining - made, false);
            while (made < due && made < remaining) {
                made += addSlot(now, remaining - made);
            }
            mainRecords += made;
            flush(now);
            nextTick = nextTick(nextTick);
            clock.sleepUntil(nextTick);
        }
    }

    private void runTail(long tailStart) throws InterruptedException {
        long tailRecords = 0;
        long nextTick = tailStart;
        while (clock.millis() - tailStart < config.tailMillis) {
            long now = clock.millis();
            long due = (long) Math.floor(config.tailRate * (now - tailStart + config.tickMillis) / 1000.0) - tailRecords;
            addPendingLate(now, Long.MAX_VALUE, false);
            addScenarios(now, Long.MAX_VALUE, false); // finish what the main phase started
            for (long i = 0; i < due; i++) {
                addTail(now);
            }
            tailRecords += Math.max(0, due);
            flush(now);
            nextTick = nextTick(nextTick);
            clock.sleepUntil(nextTick);
        }
    }

    private long nextTick(long previous) {
        long next = previous + config.tickMillis;
        long now = clock.millis();
        return next < now - config.tickMillis ? now : next; // fell behind: do not try to catch up in a burst
    }

    // ---- what goes into a tick

    /** Scenarios guaranteed once per run (when their fraction is above zero), retried until they fit. */
    private long addRequired(long now, long remaining) {
        long made = 0;
        if (needExact && made < remaining) {
            long n = addExactOrUnder(now, true, remaining - made);
            needExact = n == 0;
            made += n;
        }
        if (needUnder && made < remaining) {
            long n = addExactOrUnder(now, false, remaining - made);
            needUnder = n == 0;
            made += n;
        }
        if (needOver && made < remaining) {
            long n = addOverBurst(now, remaining - made);
            needOver = n == 0;
            made += n;
        }
        for (MalformedKind kind : MalformedKind.values()) {
            if (malformedToSend.contains(kind) && made < remaining) {
                made += addMalformed(now, kind);
            }
        }
        return made;
    }

    /** The rules' scenarios: starts those due (in the main phase), sends their transactions due by now. */
    private long addScenarios(long now, long remaining, boolean startNew) {
        if (scenarios == null) {
            return 0;
        }
        if (startNew) {
            scenarios.start(now);
        }
        long made = 0;
        for (Transaction txn : scenarios.takeDue(now, remaining, this::nextTxnId)) {
            add(GeneratedRecord.transaction(RecordKind.SCENARIO, -1, txn), txn.accountId, TransactionCodec.encode(txn));
            made++;
        }
        return made;
    }

    /** One draw of the record kind; returns the records added (a scenario adds several). */
    private long addSlot(long now, long remaining) {
        double u = kinds.nextDouble();
        long n = 0;
        if ((u -= pOver) < 0) {
            n = addOverBurst(now, remaining);
        } else if ((u -= pUnder) < 0) {
            n = addExactOrUnder(now, false, remaining);
        } else if ((u -= pExact) < 0) {
            n = addExactOrUnder(now, true, remaining);
        } else if ((u -= pLate) < 0) {
            if (lateAllowed(now)) {
                n = addLate(now);
            } else {
                pendingLate++; // sent once the watermark has had time to move; plain traffic for now
            }
        } else if ((u -= pMalformed) < 0) {
            n = addMalformed(now, MalformedKind.values()[kinds.nextInt(MalformedKind.values().length)]);
        } else if ((u -= pDelayed) < 0) {
            n = addPlain(now, true);
        }
        return n > 0 ? n : Math.max(1, addPlain(now, false));
    }

    private long addPlain(long now, boolean delayed) {
        int a = pickUnreserved(now);
        if (a < 0) {
            return 0;
        }
        long cents = accounts.plainAmountCents(a, amounts);
        if (!delayed) {
            addTransaction(RecordKind.ON_TIME, a, cents, now);
            return 1;
        }
        // 20% to 80% of the bound: late enough to be out of order, early enough to count in its window.
        long delay = Math.round(rule.maxOutOfOrdernessMillis() * (0.2 + 0.6 * picks.nextDouble()));
        addTransaction(RecordKind.DELAYED, a, cents, now - delay);
        return 1;
    }

    /** A burst of 3-8 transactions in one tick whose sum is over the threshold by 0.01 to 25%. */
    private long addOverBurst(long now, long remaining) {
        int a = pickUnreserved(now);
        if (a < 0) {
            return 0;
        }
        long total = rule.thresholdCents() + 1 + (long) (picks.nextDouble() * Math.max(1, rule.thresholdCents() / 4));
        int parts = (int) Math.min(total, 3 + picks.nextInt(6));
        if (parts > remaining) {
            return 0;
        }
        for (long cents : AmountSplitter.split(total, parts, amounts)) {
            addTransaction(RecordKind.SCENARIO, a, cents, now);
        }
        replay.label(a, rule.windowStart(now), "burst");
        truth.totals.overBursts++;
        return parts;
    }

    /**
     * Tops an account's window up to exactly the threshold, or to just under it (the first time by 0.01),
     * with 2-5 transactions in one tick; the account is then reserved until its window can no longer
     * receive records, so no other traffic touches that sum.
     */
    private long addExactOrUnder(long now, boolean exact, long remaining) {
        long windowStart = rule.windowStart(now);
        long target = rule.thresholdCents();
        if (!exact) {
            long below = firstUnder ? 1 : 1 + (long) (picks.nextDouble() * Math.min(5_000, target / 10));
            target -= below;
        }
        int parts = 2 + picks.nextInt(4);
        for (int tries = 0; tries < PICK_TRIES; tries++) {
            int a = picks.nextInt(accounts.size()); // uniform: quiet accounts have more room
            if (reservedUntil[a] > now) {
                continue;
            }
            long needed = target - ledger.total(a, windowStart);
            int n = (int) Math.min(parts, needed);
            if (n < 1 || n > remaining || needed < target / 2) {
                continue;
            }
            for (long cents : AmountSplitter.split(needed, n, amounts)) {
                addTransaction(RecordKind.SCENARIO, a, cents, now);
            }
            reservedUntil[a] = windowStart + rule.windowMillis() + rule.maxOutOfOrdernessMillis() + 1_000;
            replay.label(a, windowStart, exact ? "exact" : "under");
            if (exact) {
                truth.totals.exactWindows++;
            } else {
                truth.totals.underWindows++;
                firstUnder = false;
            }
            return n;
        }
        return 0;
    }

    /** A small transaction on a quiet (account, window) that closed bound + lateness + 10 s before now. */
    private long addLate(long now) {
        long w = lateWindowMillis;
        long txnTime = now - rule.maxOutOfOrdernessMillis() - rule.allowedLatenessMillis() - LATE_MARGIN_MILLIS - w
                - 1 - (long) (picks.nextDouble() * w);
        long windowStart = rule.windowStart(txnTime);
        long cents = Math.max(1, Math.min(100 + picks.nextInt(2_401), rule.thresholdCents() / 4));
        for (int tries = 0; tries < PICK_TRIES; tries++) {
            int a = accounts.pick(picks);
            long wouldBe = ledger.total(a, windowStart) + lateLedger.total(a, windowStart) + cents;
            if (wouldBe <= rule.thresholdCents() / 2) { // even if wrongly counted, it flips nothing
                lateLedger.add(a, windowStart, cents);
                Transaction txn = new Transaction(nextTxnId(), accounts.idOf(a), cents, txnTime);
                if (habits != null) {
                    habits.fill(a, txn, fields);
                }
                add(GeneratedRecord.transaction(RecordKind.LATE, a, txn), txn.accountId, TransactionCodec.encode(txn));
                lateSent = true;
                return 1;
            }
        }
        return 0;
    }

    private long addPendingLate(long now, long remaining, boolean evenIfEarly) {
        boolean allowed = evenIfEarly || lateAllowed(now);
        if (!lateSent && mix.late > 0 && pendingLate == 0 && allowed) {
            pendingLate = 1; // at least one per run
        }
        long made = 0;
        while (pendingLate > 0 && made < remaining && allowed) {
            pendingLate--;
            made += addLate(now);
        }
        return made;
    }

    private boolean lateAllowed(long now) {
        return now - start >= rule.maxOutOfOrdernessMillis() + LATE_START_DELAY_MILLIS;
    }

    private long addMalformed(long now, MalformedKind kind) {
        malformedToSend.remove(kind);
        if (kind == MalformedKind.OVERSIZED && oversizedImpossible) {
            kind = MalformedKind.TRUNCATED_JSON;
        }
        String id = "m-" + pad(++malformedSeq);
        int a = accounts.pick(picks);
        String key = kind == MalformedKind.OVERSIZED ? MalformedPayloads.OVERSIZED_ACCOUNT : accounts.idOf(a);
        byte[] payload = MalformedPayloads.build(kind, id, accounts.idOf(a), accounts.plainAmountCents(a, amounts), now,
                (int) malformedSeq, rule.recordMaxBytes());
        if (payload.length + key.length() > RecordWriter.MAX_RECORD_BYTES) {
            // record.max.bytes is at or above what Kinesis accepts: an oversized record cannot be sent.
            oversizedImpossible = true;
            System.err.println("warning: record.max.bytes " + rule.recordMaxBytes() + " leaves no room for an "
                    + "OVERSIZED record under the Kinesis 1 MiB limit; none is sent");
            return 0;
        }
        add(GeneratedRecord.malformed(id, kind, payload), key, payload);
        return 1;
    }

    private void addTail(long now) {
        long windowStart = rule.windowStart(now);
        for (int tries = 0; tries < PICK_TRIES; tries++) {
            int a = pickUnreserved(now);
            long cents = 1 + picks.nextInt(500);
            if (a >= 0 && ledger.total(a, windowStart) + cents <= rule.thresholdCents()) {
                addTransaction(RecordKind.TAIL, a, cents, now); // never makes a new window cross
                return;
            }
        }
    }

    private int pickUnreserved(long now) {
        for (int tries = 0; tries < PICK_TRIES; tries++) {
            int a = accounts.pick(picks);
            if (reservedUntil[a] <= now) {
                return a;
            }
        }
        return -1;
    }

    private void addTransaction(RecordKind kind, int account, long cents, long txnTime) {
        Transaction txn = new Transaction(nextTxnId(), accounts.idOf(account), cents, txnTime);
        if (habits != null) {
            habits.fill(account, txn, fields);
        }
        ledger.add(account, rule.windowStart(txnTime), cents);
        add(GeneratedRecord.transaction(kind, account, txn), txn.accountId, TransactionCodec.encode(txn));
    }

    private void add(GeneratedRecord meta, String partitionKey, byte[] payload) {
        batch.add(new OutgoingRecord(partitionKey, payload));
        batchMeta.add(meta);
        generated.incrementAndGet();
    }

    private String nextTxnId() {
        return "t-" + pad(++txnSeq);
    }

    /** Zero-padded to 6 digits, like t-000123; longer numbers keep all their digits. */
    static String pad(long n) {
        String s = Long.toString(n);
        return s.length() >= 6 ? s : "000000".substring(s.length()) + s;
    }

    // ---- sending and bookkeeping

    private void flush(long now) throws InterruptedException {
        if (!batch.isEmpty()) {
            WriteReport report = target.send(batch);
            account(report);
            if (report.ackedCount() == 0) {
                if (++failedBatchesInARow >= MAX_FAILED_BATCHES_IN_A_ROW) {
                    throw new IllegalStateException(failedBatchesInARow + " batches in a row failed completely; "
                            + "last error: " + report.error(0));
                }
            } else {
                failedBatchesInARow = 0;
            }
            batch.clear();
            batchMeta.clear();
        }
        long w = rule.windowMillis();
        ledger.forgetBefore(now - rule.maxOutOfOrdernessMillis() - rule.allowedLatenessMillis() - LATE_MARGIN_MILLIS
                - 4 * w);
        lateLedger.forgetBefore(now - rule.maxOutOfOrdernessMillis() - rule.allowedLatenessMillis()
                - LATE_MARGIN_MILLIS - 4 * w);
        replay.advance();
    }

    /** Feeds stored records to the truth in the order they were stored; lists late, malformed, failed. */
    private void account(WriteReport report) {
        int n = report.size();
        truth.totals.records += n;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // Stable: within one PutRecords call the batch order holds; retried records come later.
        Arrays.sort(order, Comparator.comparingLong(report::ackCall));
        for (int i : order) {
            GeneratedRecord m = batchMeta.get(i);
            if (!report.isAcked(i)) {
                GroundTruth.FailedRecord f = new GroundTruth.FailedRecord();
                f.id = m.id;
                f.kind = m.kind.name();
                f.error = report.error(i);
                truth.failedRecords.add(f);
                continue;
            }
            truth.totals.stored++;
            long storedAt = report.ackMillis(i);
            switch (m.kind) {
                case LATE:
                    truth.lateRecords.add(lateRecord(m.txn, storedAt));
                    truth.totals.late++;
                    break;
                case MALFORMED:
                    truth.malformedRecords.add(malformedRecord(m, storedAt));
                    truth.totals.malformed++;
                    break;
                default:
                    replay.add(m.account, m.txn, storedAt);
                    truth.totals.valid++;
                    if (m.kind == RecordKind.DELAYED) {
                        truth.totals.delayed++;
                    } else if (m.kind == RecordKind.TAIL) {
                        truth.totals.tail++;
                    }
            }
        }
    }

    private GroundTruth.LateRecord lateRecord(Transaction txn, long storedAt) {
        GroundTruth.LateRecord r = new GroundTruth.LateRecord();
        long windowStart = rule.windowStart(txn.txnTimeMillis);
        r.txnId = txn.txnId;
        r.accountId = txn.accountId;
        r.amount = Money.toDecimal(txn.amountCents);
        r.txnTime = Timestamps.format(txn.txnTimeMillis);
        r.windowStart = Timestamps.format(windowStart);
        r.windowEnd = Timestamps.format(windowStart + rule.windowMillis());
        r.sentAtMs = storedAt;
        return r;
    }

    private static GroundTruth.MalformedRecord malformedRecord(GeneratedRecord m, long storedAt) {
        GroundTruth.MalformedRecord r = new GroundTruth.MalformedRecord();
        r.id = m.id;
        r.kind = m.malformedKind.name();
        r.expectedReason = m.malformedKind.expectedReason.name();
        r.payloadBytes = m.payload.length;
        r.payloadTruncated = m.payload.length > 200 && m.malformedKind == MalformedKind.OVERSIZED;
        r.payload = new String(m.payload, 0, r.payloadTruncated ? 200 : m.payload.length, StandardCharsets.UTF_8);
        r.sentAtMs = storedAt;
        return r;
    }

    private void fillSettings() {
        GroundTruth.Settings s = truth.settings;
        s.threshold = Money.toDecimal(rule.thresholdCents());
        s.windowMs = rule.windowMillis();
        s.maxOutOfOrdernessMs = rule.maxOutOfOrdernessMillis();
        s.allowedLatenessMs = rule.allowedLatenessMillis();
        s.recordMaxBytes = rule.recordMaxBytes();
        s.firing = rule.firing();
        s.accounts = config.accounts;
        s.seed = config.seed;
        s.rate = config.rate;
        s.durationMs = config.durationMillis;
        s.count = config.count;
        s.tailMs = config.tailMillis;
        s.tailRate = config.tailRate;
        s.overFraction = mix.over;
        s.underFraction = mix.under;
        s.exactFraction = mix.exact;
        s.delayedFraction = mix.delayed;
        s.lateFraction = mix.late;
        s.malformedFraction = mix.malformed;
    }
}
