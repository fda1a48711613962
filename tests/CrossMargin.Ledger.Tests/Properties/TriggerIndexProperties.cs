using System.Collections.Concurrent;
using CrossMargin.Ledger.Application.Audit;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Margin;

namespace CrossMargin.Ledger.Tests.Properties;

/// <summary>
/// The trigger index against the full scan it replaces: the same commands, decided once on a state that keeps the
/// index and once on a state that makes the engine evaluate every exposed account, must give byte-identical logs
/// (stream, wire type and stored JSON of every event, and the same rejections), and after every command the index's
/// liquidatable set must be exactly the accounts the kernel calls liquidatable, and its trigger prices exactly those
/// its accounts are armed with. The full scan also ranks ADL counterparties afresh for every deficit slice, so the ADL
/// book is held to the same log.
/// </summary>
public sealed class TriggerIndexProperties
{
    private const int Venues = 10_000;

    [Test]
    public void The_indexed_engine_writes_the_full_scans_log_for_ten_thousand_random_venues()
    {
        var seen = RunVenues(Venues, Compare);
        // the venues exercised what the index must never miss
        Assert.Multiple(() =>
        {
            Assert.That(seen.GetValueOrDefault("venues"), Is.EqualTo(Venues));
            Assert.That(seen.GetValueOrDefault(nameof(LiquidationTriggered)), Is.GreaterThan(5_000));
            Assert.That(seen.GetValueOrDefault(nameof(PositionAutoDeleveraged)), Is.GreaterThan(100));
            Assert.That(seen.GetValueOrDefault(nameof(LossSocialized)), Is.GreaterThan(100));
            Assert.That(seen.GetValueOrDefault("ADL ranking kept within a cascade"), Is.GreaterThan(20));
            Assert.That(seen.GetValueOrDefault(nameof(CollateralSold)), Is.GreaterThan(100));
            Assert.That(seen.GetValueOrDefault(nameof(AccountBankrupt)), Is.GreaterThan(100));
            Assert.That(seen.GetValueOrDefault("capped"), Is.GreaterThan(100));
            foreach (var trigger in new[] { "mark", "index", "brackets", "haircuts" })
                Assert.That(seen.GetValueOrDefault("liquidation after " + trigger), Is.GreaterThan(20), trigger);
            Assert.That(seen.GetValueOrDefault("crossed without liquidation"), Is.GreaterThan(1_000));
            Assert.That(seen.GetValueOrDefault("triggers kept"), Is.GreaterThan(1_000));
            Assert.That(seen.GetValueOrDefault("triggers kept after a cascade"), Is.GreaterThan(20));
        });
    }

    /// <summary>
    /// A writer that decided by full scan while its index was being built on another thread (design §9): the index is
    /// built for the state at a random command, the venue goes on by full scan for a random number of commands, and
    /// the index brought up to that state (<see cref="TriggerIndex.CaughtUp"/>)
    /// must hold exactly the kernel's liquidatable accounts and consistent triggers, and decide the rest of the venue
    /// into the full scan's log.
    /// </summary>
    [Test]
    public void An_index_built_for_an_earlier_state_and_caught_up_writes_the_full_scans_log()
    {
        var seen = RunVenues(4_000, CatchUp);
        Assert.Multiple(() =>
        {
            Assert.That(seen.GetValueOrDefault("caught up"), Is.GreaterThan(3_000));
            Assert.That(seen.GetValueOrDefault("caught up over a liquidation"), Is.GreaterThan(40));
            Assert.That(seen.GetValueOrDefault("re-armed without being written"), Is.GreaterThan(200));
            Assert.That(seen.GetValueOrDefault("caught up over a bracket or haircut change"), Is.GreaterThan(500));
            Assert.That(seen.GetValueOrDefault("caught up over a collateral listing"), Is.GreaterThan(100));
            Assert.That(seen.GetValueOrDefault("built before every instrument was priced"), Is.GreaterThan(200));
            Assert.That(seen.GetValueOrDefault("liquidation after the catch-up"), Is.GreaterThan(1_000));
        });
    }

    /// <summary>
    /// The bound itself, at its worst: every price an account depends on moved against it at once, each to the last
    /// price (at 8 places) short of its trigger. The kernel must still call the account not liquidatable. Rounding
    /// is what the reserve holds back for, so this runs on many venues' accounts after every command.
    /// </summary>
    [Test]
    public void No_account_is_liquidatable_while_every_price_stays_inside_its_trigger()
    {
        var checkedAccounts = 0;
        var failures = new ConcurrentBag<string>();
        Parallel.For(
            0,
            1_000,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            seed =>
            {
                var state = LedgerState.Initial;
                foreach (var command in VenueScenario.Generate(seed, 60))
                {
                    state = LedgerRuntime.Run(state, command).State;
                    if (state.Triggers is not { IsFullScan: false } index)
                        continue;
                    var (count, failure) = InsideEveryTrigger(state, index);
                    Interlocked.Add(ref checkedAccounts, count);
                    if (failure is not null)
                        failures.Add($"seed {seed}, after {command}: {failure}");
                }
            }
        );
        Assert.That(failures.OrderBy(f => f, StringComparer.Ordinal).Take(3), Is.Empty);
        Assert.That(checkedAccounts, Is.GreaterThan(100_000));
    }

    /// <summary>
    /// Every account of <paramref name="state"/> armed at triggers other than every move, with every price those
    /// triggers are on moved at once to the last price (at 8 places) inside them: how many were checked, and the first
    /// the kernel calls liquidatable there.
    /// </summary>
    private static (int Checked, string? Failure) InsideEveryTrigger(LedgerState state, TriggerIndex index)
    {
        var count = 0;
        foreach (var account in state.Accounts.Values)
        {
            // a trigger at every move bounds nothing: an account armed so is re-evaluated at each price (all its
            // triggers are), and a collateral asset with no index price yet counts nothing
            var triggers = index.TriggersOf(account.Id).Where(t => t.Price != decimal.MaxValue).ToList();
            if (triggers.Count == 0)
                continue;
            var worst = state.Market;
            foreach (var (subject, falls, price) in triggers)
            {
                var inside = falls
                    ? decimal.Floor(price * 100_000_000m) / 100_000_000m + 0.00000001m
                    : decimal.Ceiling(price * 100_000_000m) / 100_000_000m - 0.00000001m;
                worst =
                    Symbol.Parse(subject).Is(out var symbol, out _)
                    && worst.Instruments.TryGetValue(symbol, out var instrument)
                        ? worst with
                        {
                            Instruments = worst.Instruments.SetItem(symbol, instrument with { Mark = inside }),
                        }
                        : worst with
                        {
                            Collateral = worst.Collateral.SetItem(
                                Asset.Parse(subject).Value,
                                worst.Collateral[Asset.Parse(subject).Value] with
                                {
                                    IndexPrice = inside,
                                }
                            ),
                        };
            }
            count++;
            if (MarginKernel.Evaluate(account, worst) is { Liquidatable: true } slack)
                return (
                    count,
                    $"{account.Id} armed at [{string.Join(", ", triggers)}] is liquidatable inside them "
                        + $"(E {slack.Equity}, MM {slack.MaintenanceMargin})"
                );
        }
        return (count, null);
    }

    /// <summary>
    /// Runs <paramref name="count"/> random venues through <paramref name="run"/> (seed, length, what was seen) on
    /// every core, prints what they exercised, requires no failure, and returns the counts for the caller to hold
    /// to.
    /// </summary>
    private static ConcurrentDictionary<string, int> RunVenues(
        int count,
        Func<int, int, ConcurrentDictionary<string, int>, string?> run
    )
    {
        var seen = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentBag<string>();
        Parallel.For(
            0,
            count,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            seed =>
            {
                try
                {
                    if (run(seed, 30 + seed % 50, seen) is { } failure)
                        failures.Add(failure);
                }
                catch (Exception e) when (e is InvalidOperationException or System.Diagnostics.UnreachableException)
                {
                    failures.Add($"seed {seed}: {e.GetType().Name}: {e.Message}");
                }
            }
        );
        foreach (var (what, n) in seen.OrderBy(s => s.Key, StringComparer.Ordinal))
            TestContext.Out.WriteLine($"{what}: {n}");
        Assert.That(failures.OrderBy(f => f, StringComparer.Ordinal).Take(3), Is.Empty);
        return seen;
    }

    /// <summary>Runs one venue both ways; the first difference, or null.</summary>
    private static string? Compare(int seed, int length, ConcurrentDictionary<string, int> seen)
    {
        var indexed = LedgerState.Initial;
        var scanned = LedgerState.Initial with { Triggers = TriggerIndex.FullScan };
        var number = 0;
        foreach (var command in VenueScenario.Generate(seed, length))
        {
            number++;
            var byIndex = LedgerRuntime.Run(indexed, command);
            var byScan = LedgerRuntime.Run(scanned, command);
            var (logged, expected) = (Text(byIndex.Decision), Text(byScan.Decision));
            if (logged != expected)
                return $"seed {seed}, command {number} ({command}):\nindexed:   {logged}\nfull scan: {expected}";
            var evaluations = indexed.Triggers?.Evaluations ?? 0;
            var armedBefore = indexed.Triggers;
            indexed = byIndex.State;
            scanned = byScan.State;
            if (indexed.Triggers is { } index)
            {
                var truth = indexed
                    .Accounts.Values.Where(a => MarginKernel.Evaluate(a, indexed.Market).Liquidatable)
                    .Select(a => a.Id);
                if (!index.Liquidatable.SetEquals(truth))
                    return $"seed {seed}, command {number} ({command}): the index holds "
                        + $"[{string.Join(", ", index.Liquidatable)}] "
                        + $"liquidatable, the kernel [{string.Join(", ", truth)}]";
                // and its sorted sets hold exactly its accounts' armed trigger prices, each edge naming the arming the
                // map holds: a re-armed account's old prices are out
                if (index.Inconsistency() is { } inconsistent)
                    return $"seed {seed}, command {number} ({command}): {inconsistent}";
                if (command is UpdatePrice && index.Evaluations > evaluations && !Liquidated(byIndex.Decision))
                    seen.AddOrUpdate("crossed without liquidation", 1, (_, n) => n + 1);
                if (armedBefore is { IsFullScan: false })
                    CountKept(armedBefore, index, command, byIndex.Decision, seen);
            }
            Count(command, byIndex.Decision, seen);
        }
        seen.AddOrUpdate("venues", 1, (_, n) => n + 1);
        return null;
    }

    /// <summary>One venue of <see cref="An_index_built_for_an_earlier_state_and_caught_up_writes_the_full_scans_log"/>;
    /// the first difference, or null.</summary>
    private static string? CatchUp(int seed, int length, ConcurrentDictionary<string, int> seen)
    {
        var commands = VenueScenario.Generate(seed, length).ToList();
        var random = new Random(seed);
        var buildAt = random.Next(commands.Count - 1);
        var caughtUpAt = buildAt + random.Next(1, 9);
        var scanned = LedgerState.Initial with { Triggers = TriggerIndex.FullScan };
        LedgerState? indexed = null;
        (TriggerIndex Index, LedgerState For)? building = null;
        var liquidatedWhileBuilding = false;
        for (var number = 0; number < commands.Count; number++)
        {
            if (number == buildAt)
            {
                var basis = scanned with { Triggers = null };
                building = (TriggerIndex.Build(basis), basis);
            }
            if (number == caughtUpAt && building is var (built, builtFor))
            {
                var now = scanned with { Triggers = null };
                var caughtUp = built.CaughtUp(builtFor, now);
                if (caughtUp is null)
                    return $"seed {seed}, caught up at command {number} (built at {buildAt}): null";
                seen.AddOrUpdate("caught up", 1, (_, n) => n + 1);
                if (
                    builtFor.Market.Instruments.Any(i =>
                        !ReferenceEquals(i.Value.Spec.Tiers, now.Market.Instruments[i.Key].Spec.Tiers)
                    )
                    || builtFor.Market.Collateral.Any(c =>
                        !ReferenceEquals(c.Value.Schedule, now.Market.Collateral[c.Key].Schedule)
                    )
                )
                    seen.AddOrUpdate("caught up over a bracket or haircut change", 1, (_, n) => n + 1);
                if (builtFor.Market.Collateral.Count < now.Market.Collateral.Count)
                    seen.AddOrUpdate("caught up over a collateral listing", 1, (_, n) => n + 1);
                if (builtFor.Market.Instruments.Values.Count(i => i.Mark is not null) < now.Market.Instruments.Count)
                    seen.AddOrUpdate("built before every instrument was priced", 1, (_, n) => n + 1);
                if (liquidatedWhileBuilding)
                    seen.AddOrUpdate("caught up over a liquidation", 1, (_, n) => n + 1);
                if (
                    now.Accounts.Any(a =>
                        ReferenceEquals(builtFor.Accounts.GetValueOrDefault(a.Key), a.Value)
                        && !built.TriggersOf(a.Key).SequenceEqual(caughtUp.TriggersOf(a.Key))
                    )
                )
                    seen.AddOrUpdate("re-armed without being written", 1, (_, n) => n + 1);
                indexed = now with { Triggers = caughtUp };
                if (Problem(indexed) is { } problem)
                    return $"seed {seed}, caught up at command {number} (built at {buildAt}): {problem}";
                // every trigger that stayed is still a bound: no account is liquidatable while its prices are inside
                if (InsideEveryTrigger(indexed, caughtUp).Failure is { } outside)
                    return $"seed {seed}, caught up at command {number} (built at {buildAt}): {outside}";
            }
            var command = commands[number];
            var byScan = LedgerRuntime.Run(scanned, command);
            scanned = byScan.State;
            if (number >= buildAt && number < caughtUpAt && Liquidated(byScan.Decision))
                liquidatedWhileBuilding = true;
            if (indexed is null)
                continue;
            var byIndex = LedgerRuntime.Run(indexed, command);
            var (logged, expected) = (Text(byIndex.Decision), Text(byScan.Decision));
            if (logged != expected)
                return $"seed {seed}, command {number + 1} ({command}) after the catch-up at {caughtUpAt}:\n"
                    + $"indexed:   {logged}\nfull scan: {expected}";
            indexed = byIndex.State;
            if (Problem(indexed) is { } after)
                return $"seed {seed}, command {number + 1} ({command}) after the catch-up at {caughtUpAt}: {after}";
            if (Liquidated(byIndex.Decision))
                seen.AddOrUpdate("liquidation after the catch-up", 1, (_, n) => n + 1);
        }
        return null;

        // the index's liquidatable set is the kernel's, and its sorted sets hold exactly its armed triggers
        static string? Problem(LedgerState state)
        {
            if (state.Triggers is not { IsFullScan: false } index)
                return null;
            var truth = state
                .Accounts.Values.Where(a => MarginKernel.Evaluate(a, state.Market).Liquidatable)
                .Select(a => a.Id);
            return !index.Liquidatable.SetEquals(truth)
                ? $"the index holds [{string.Join(", ", index.Liquidatable)}] liquidatable, the kernel "
                    + $"[{string.Join(", ", truth)}]"
                : index.Inconsistency();
        }
    }

    /// <summary>Counts the accounts the command's events moved that kept the triggers they had: the rule these venues
    /// hold to the full scan.</summary>
    private static void CountKept(
        TriggerIndex before,
        TriggerIndex after,
        LedgerCommand command,
        Decision decision,
        ConcurrentDictionary<string, int> seen
    )
    {
        if (decision is not Decision.Accepted accepted)
            return;
        foreach (var id in accepted.Events.SelectMany(e => MarginInputs.AccountsMoved(e.Event) ?? []).Distinct())
        {
            var armed = before.TriggersOf(id).ToList();
            if (armed.Count > 0 && armed.SequenceEqual(after.TriggersOf(id)))
                seen.AddOrUpdate(
                    command is UpdatePrice ? "triggers kept after a cascade" : "triggers kept",
                    1,
                    (_, n) => n + 1
                );
        }
    }

    private static bool Liquidated(Decision decision) =>
        decision is Decision.Accepted a && a.Events.Any(e => e.Event is LiquidationTriggered);

    private static void Count(LedgerCommand command, Decision decision, ConcurrentDictionary<string, int> seen)
    {
        if (decision is not Decision.Accepted accepted)
            return;
        foreach (var e in accepted.Events)
        {
            seen.AddOrUpdate(e.Event.GetType().Name, 1, (_, n) => n + 1);
            if (e.Event is LiquidationCompleted { Outcome: LiquidationOutcome.Capped })
                seen.AddOrUpdate("capped", 1, (_, n) => n + 1);
        }
        // a cascade deleveraging two liquidated accounts on one instrument walked a kept ranking the second time,
        // refreshed where the first one's ADL touched it
        if (
            accepted
                .Events.Select(e => e.Event)
                .OfType<PositionAutoDeleveraged>()
                .GroupBy(d => d.Symbol)
                .Any(g => g.Select(d => d.LiquidatedAccount).Distinct().Count() > 1)
        )
            seen.AddOrUpdate("ADL ranking kept within a cascade", 1, (_, n) => n + 1);
        if (!Liquidated(decision))
            return;
        var trigger = accepted.Events[0].Event switch
        {
            MarkPriceUpdated => "mark",
            IndexPriceUpdated => "index",
            InstrumentParametersChanged => "brackets",
            CollateralRatiosChanged => "haircuts",
            _ => "other",
        };
        seen.AddOrUpdate("liquidation after " + trigger, 1, (_, n) => n + 1);
    }

    private static string Text(Decision decision) =>
        decision switch
        {
            Decision.Accepted a => string.Join("\n", a.Events.Select(e => Reexecution.Describe(e.Stream, e.Event))),
            _ => decision.ToString(),
        };
}
