using CrossMargin.Ledger.Application.Audit;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Margin;
using FsCheck;
using FsCheck.Fluent;

namespace CrossMargin.Ledger.Tests.Properties;

public sealed class LiquidationProperties
{
    private sealed record Run(IReadOnlyList<LoggedEvent> Log, IReadOnlyList<string> Problems);

    /// <summary>Decides every command with the engine's reactions, checking the liquidation rules as it goes.</summary>
    private static Run Execute(int seed, int length)
    {
        var state = LedgerState.Initial;
        var log = new List<LoggedEvent>();
        var problems = new List<string>();
        var command = 0;
        foreach (var c in RandomScenario.Generate(seed, length))
        {
            command++;
            var ran = LedgerRuntime.Run(state, c);
            if (ran.Decision is not Decision.Accepted accepted)
                continue;
            foreach (var (e, after) in LedgerRuntime.Trace(state, accepted.Events))
            {
                var before = state;
                state = after;
                log.Add(new LoggedEvent(log.Count + 1, e.Stream, "c" + command, e.Event));
                problems.AddRange(
                    Invariants.Violations(state).Select(p => $"#{log.Count} {e.Event.GetType().Name}: {p}")
                );
                problems.AddRange(Check(before, state, e.Event).Select(p => $"#{log.Count}: {p}"));
            }
            // every account exposed to the price is healthy afterwards (no caps in these scenarios); an account made
            // liquidatable by its own reducing fill waits for the next price event of its instruments
            if (
                accepted.Events.FirstOrDefault(e => LiquidationEngine.IsTrigger(e.Event)) is { } trigger
                && LiquidationEngine.TriggerOf(trigger.Event, state) is { } t
            )
                foreach (var account in LiquidationEngine.Exposed(state, t))
                    if (
                        MarginCalculator.Compute(state.Account(account), state.Market) is { Liquidatable: true } m
                        && (!m.Positions.IsEmpty || LiquidationDecider.Settleable(state.Account(account), state))
                    )
                        problems.Add($"after command {command} ({c}) {account} is liquidatable but the engine left it");
        }
        return new Run(log, problems);
    }

    private static IEnumerable<string> Check(LedgerState before, LedgerState after, ILedgerEvent e)
    {
        switch (e)
        {
            case LiquidationCompleted { Outcome: LiquidationOutcome.Healthy } c
                when !(c.Equity > c.MaintenanceMargin * (1m + after.Market.Policy.Buffer)):
                yield return $"{c.LiquidationId} ended healthy with E {c.Equity} not above MM "
                    + $"{c.MaintenanceMargin} × (1 + {after.Market.Policy.Buffer})";
                break;
            case LiquidationCompleted { Outcome: LiquidationOutcome.Flat } c when c.Positions.Count > 0:
            case AccountBankrupt b when b.Positions.Count > 0:
                yield return $"{e} ended with positions";
                break;
            case PositionAutoDeleveraged d:
                var liquidated = before.Account(d.LiquidatedAccount).Size(d.Symbol);
                if (d.Account == d.LiquidatedAccount)
                    yield return $"{d.LiquidationId} deleveraged the liquidated account itself";
                if (d.SizeBefore == 0m || before.Account(d.Account).Size(d.Symbol) != d.SizeBefore)
                    yield return $"{d.Account} had no such open position";
                if (Math.Sign(d.SizeBefore) == Math.Sign(liquidated) && liquidated != 0m)
                    yield return $"{d.Account} is on the same side as {d.LiquidatedAccount}";
                if (
                    Math.Abs(d.SizeAfter) > Math.Abs(d.SizeBefore)
                    || Math.Sign(d.SizeAfter) == -Math.Sign(d.SizeBefore)
                )
                    yield return $"ADL grew or flipped {d.Account}";
                break;
            case LossSocialized l when l.Amount <= 0m || before.Account(l.Account).Positions.Count == 0:
                yield return $"{l.Account} was charged {l.Amount} without an open position";
                break;
        }
    }

    private static Arbitrary<(int Seed, int Length)> Scenarios(int shortest, int longest) =>
        Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(shortest, longest)).ToArbitrary();

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property Liquidations_keep_every_rule_after_every_event() =>
        Prop.ForAll(Scenarios(50, 300), s => Execute(s.Seed, s.Length).Problems.Count == 0);

    [FsCheck.NUnit.Property(MaxTest = 1000)]
    public Property Re_execution_re_derives_every_liquidation() =>
        Prop.ForAll(
            Scenarios(20, 120),
            s =>
            {
                var run = Execute(s.Seed, s.Length);
                var report = ReexecutionAudit.Run(run.Log, Reexecution.Describe);
                return report.Agrees && report.Events == run.Log.Count;
            }
        );

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property The_same_commands_give_the_same_log() =>
        Prop.ForAll(
            Scenarios(50, 200),
            s =>
                Execute(s.Seed, s.Length)
                    .Log.Select(l => Reexecution.Describe(l.Stream, l.Event))
                    .SequenceEqual(Execute(s.Seed, s.Length).Log.Select(l => Reexecution.Describe(l.Stream, l.Event)))
        );

    /// <summary>The kernel the engine decides by and the full report people read give the same equity, maintenance
    /// margin and verdict for every account after every event, digit for digit (compared as text, so a scale
    /// difference would show too).</summary>
    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property The_margin_kernel_gives_the_full_reports_figures_to_the_last_digit() =>
        Prop.ForAll(
            Scenarios(50, 250),
            s =>
            {
                var state = LedgerState.Initial;
                var compared = 0;
                foreach (var c in RandomScenario.Generate(s.Seed, s.Length))
                {
                    var ran = LedgerRuntime.Run(state, c);
                    if (ran.Decision is not Decision.Accepted accepted)
                        continue;
                    foreach (var (_, after) in LedgerRuntime.Trace(state, accepted.Events))
                    {
                        state = after;
                        foreach (var account in state.Accounts.Values)
                        {
                            if (account.Positions.Keys.Any(p => state.Market.Instruments[p].Mark is null))
                                continue;
                            var full = MarginCalculator.Compute(account, state.Market);
                            var kernel = MarginKernel.Evaluate(account, state.Market);
                            compared++;
                            if (
                                Text(kernel.Equity) != Text(full.Equity)
                                || Text(kernel.MaintenanceMargin) != Text(full.MaintenanceMargin)
                                || kernel.Liquidatable != full.Liquidatable
                            )
                                return false.Label(
                                    $"{account.Id}: kernel {kernel}, report E {full.Equity} MM "
                                        + $"{full.MaintenanceMargin} {full.Liquidatable}"
                                );
                        }
                    }
                }
                return (compared > 0).Label("no account was compared");
            }
        );

    private static string Text(decimal value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public void The_scenarios_reach_every_kind_of_liquidation()
    {
        var kinds = new HashSet<string>();
        for (var seed = 0; seed < 60; seed++)
            foreach (var e in Execute(seed, 300).Log.Select(l => l.Event))
                kinds.Add(
                    e switch
                    {
                        PositionLiquidated p => WireWords.Of(p.Rule)
                            + "/"
                            + WireWords.Of(p.Execution)
                            + (p.InsuranceFundDelta < 0m ? "/payout" : ""),
                        _ => e.GetType().Name,
                    }
                );
        Assert.That(
            kinds,
            Is.SupersetOf(
                new[]
                {
                    "LiquidationTriggered",
                    "close-in-tier-1/market",
                    "close-step-down-cannot-restore/market/payout",
                    "close-in-tier-1/market/payout",
                    "PositionAutoDeleveraged",
                    "LossSocialized",
                    "AccountBankrupt",
                    "LiquidationCompleted",
                }
            ),
            string.Join(", ", kinds.Order())
        );
    }

    [Test]
    public void A_tampered_derived_event_is_found_by_re_execution()
    {
        var run = Enumerable
            .Range(0, 60)
            .Select(seed => Execute(seed, 300))
            .First(r => r.Log.Any(l => l.Event is PositionLiquidated { Fee: > 0m }));
        var target = run.Log.First(l => l.Event is PositionLiquidated { Fee: > 0m });
        var step = (PositionLiquidated)target.Event;
        var tampered = run
            .Log.Select(l => l == target ? l with { Event = step with { Fee = step.Fee + 1m } } : l)
            .ToArray();
        var report = ReexecutionAudit.Run(tampered, Reexecution.Describe);
        Assert.That(report.DivergedAt, Is.EqualTo(target.GlobalPosition));
        Assert.That(report.Recorded, Does.Contain("position-liquidated.v1"));
    }

    [Test]
    public void A_trigger_relabelled_as_decided_under_older_rules_is_found_by_re_execution()
    {
        // a forger marks a mark-price event as rules v1 to have its liquidations skipped: versions never go back along
        // a log
        var run = Enumerable
            .Range(0, 60)
            .Select(seed => Execute(seed, 300))
            .First(r => r.Log.Any(l => l.Event is LiquidationTriggered));
        var trigger = run.Log.Last(l =>
            l.Event is MarkPriceUpdated
            && run.Log.Any(t => t.GlobalPosition == l.GlobalPosition + 1 && t.Event is LiquidationTriggered)
        );
        var tampered = run
            .Log.Select(l =>
                l == trigger ? l with { Event = ((MarkPriceUpdated)l.Event) with { RulesVersion = 1 } } : l
            )
            .ToArray();
        var report = ReexecutionAudit.Run(tampered, Reexecution.Describe);
        Assert.That(report.DivergedAt, Is.EqualTo(trigger.GlobalPosition));
        Assert.That(report.Recorded, Does.Contain("rules v1 after v2"));
    }
}
