using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Margin;
using FsCheck;
using FsCheck.Fluent;

namespace CrossMargin.Ledger.Tests.Properties;

public sealed class LedgerProperties
{
    private sealed record Run(LedgerState State, IReadOnlyList<ILedgerEvent> Events, IReadOnlyList<string> Problems);

    /// <summary>Decides and folds every command, checking the invariants after every event.</summary>
    private static Run Execute(int seed, int length)
    {
        var state = LedgerState.Initial;
        var events = new List<ILedgerEvent>();
        var problems = new List<string>();
        foreach (var command in RandomScenario.Generate(seed, length))
        {
            if (LedgerDecider.Decide(command, state) is not Decision.Accepted accepted)
                continue;
            foreach (var (e, next) in LedgerRuntime.Trace(state, accepted.Events))
            {
                state = next;
                events.Add(e.Event);
                problems.AddRange(
                    Invariants.Violations(state).Select(p => $"after event {events.Count} ({e.Event}): {p}")
                );
            }
            if (
                command is Commands.OpenPosition open
                && accepted.Events[0].Event is TradeFilled fill
                && Accounts.Fill.AddsExposure(fill)
                && MarginCalculator.Compute(state.Account(open.Account), state.Market) is { FreeCollateral: < 0m } after
            )
                problems.Add($"{command} added exposure and left free collateral {after.FreeCollateral}");
        }
        return new Run(state, events, problems);
    }

    private static Arbitrary<(int Seed, int Length)> Scenarios() =>
        Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(20, 250)).ToArbitrary();

    [FsCheck.NUnit.Property(MaxTest = 150)]
    public Property Conservation_and_pre_trade_rules_hold_after_every_event() =>
        Prop.ForAll(
                Scenarios(),
                s =>
                {
                    var run = Execute(s.Seed, s.Length);
                    return run.Problems.Count == 0 && run.Events.Count > 6;
                }
            )
            .Label("seed/length printed by FsCheck on failure; rerun Execute(seed, length) to see the problem");

    [FsCheck.NUnit.Property(MaxTest = 150)]
    public Property Replaying_the_events_gives_the_same_state_every_time() =>
        Prop.ForAll(
            Scenarios(),
            s =>
            {
                var run = Execute(s.Seed, s.Length);
                var replayed = LedgerEvolution.Replay(run.Events);
                var again = LedgerEvolution.Replay(run.Events);
                return Fingerprint.Of(replayed) == Fingerprint.Of(run.State)
                    && Fingerprint.Of(again) == Fingerprint.Of(replayed);
            }
        );

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property Events_survive_the_wire_and_replay_identically() =>
        Prop.ForAll(
            Scenarios(),
            s =>
            {
                var run = Execute(s.Seed, s.Length);
                var wired = run
                    .Events.Select(e => EventStore.Json.EventTypeRegistry.Serialize(e))
                    .Select(w => EventStore.Json.EventTypeRegistry.Deserialize(w.Type, w.Data));
                return Fingerprint.Of(LedgerEvolution.Replay(wired)) == Fingerprint.Of(run.State);
            }
        );

    [Test]
    public void The_generator_reaches_trades_flips_and_rejections()
    {
        var run = Execute(seed: 7, length: 400);
        var fills = run.Events.OfType<TradeFilled>().ToArray();
        Assert.That(
            fills.Select(f => f.Effect).Distinct(),
            Is.SupersetOf(new[] { FillEffect.Open, FillEffect.Increase, FillEffect.Reduce, FillEffect.Flip })
        );
        Assert.That(run.Problems, Is.Empty);
    }
}
