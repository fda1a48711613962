using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Liquidation;

/// <summary>
/// What re-execution found: counts, or the first divergence with both sides. Triggers decided under
/// liquidation rules this build does not execute are counted in <see cref="NotReexecuted"/>, never compared.
/// </summary>
public sealed record ReexecutionReport(
    long Events,
    long Triggers,
    long Liquidations,
    long DerivedEvents,
    long? DivergedAt,
    string? Expected,
    string? Recorded
)
{
    /// <summary>Whether every derived event that was re-executed was re-derived exactly.</summary>
    public bool Agrees => DivergedAt is null;

    /// <summary>Per rules version this build does not execute: triggers, their derived events and liquidations, folded
    /// as recorded.</summary>
    public IReadOnlyDictionary<int, NotReexecuted> NotReexecuted { get; init; } =
        new SortedDictionary<int, NotReexecuted>();
}

/// <summary>Triggers decided under an older rules version, with their recorded derived events and
/// liquidations.</summary>
public sealed record NotReexecuted(long Triggers, long DerivedEvents, long Liquidations);

/// <summary>
/// The re-execution audit: folds the input events (everything the liquidation engine did not derive),
/// re-runs the engine after every trigger, and compares what it derives — in order — with the derived
/// events recorded after that trigger. A price command and its cascade are one atomic append, so the
/// derived events of a trigger directly follow it. A describer renders an event with its
/// stream for comparison (<c>describe</c>; the store layer passes wire type and canonical JSON).
/// A trigger records the liquidation rules version that reacted to it (<see cref="LiquidationRules"/>);
/// one decided under another version than <see cref="LiquidationRules.Current"/> is not re-executed: its
/// recorded derived events are folded as they are and counted per version in the report.
/// </summary>
public static class ReexecutionAudit
{
    /// <summary>Runs the audit over a log in global order.</summary>
    public static ReexecutionReport Run(IEnumerable<LoggedEvent> log, Func<string, ILedgerEvent, string> describe)
    {
        var state = LedgerState.Initial;
        var expected = new Queue<Emitted>();
        var skipped = new SortedDictionary<int, NotReexecuted>();
        // the rules version of the trigger whose recorded derived events are being folded unchecked
        int? skipping = null;
        // rules versions only rise along a log: an older one after a newer is forged
        var newest = LiquidationRules.Unversioned;
        long events = 0,
            triggers = 0,
            liquidations = 0,
            derived = 0;
        foreach (var logged in log)
        {
            events++;
            var e = logged.Event;
            var isDerived = LiquidationEngine.IsDerived(e);
            if (isDerived && skipping is { } version)
            {
                var tally = skipped[version];
                skipped[version] = tally with
                {
                    DerivedEvents = tally.DerivedEvents + 1,
                    Liquidations = tally.Liquidations + (e is LiquidationTriggered ? 1 : 0),
                };
            }
            else if (isDerived)
            {
                if (!expected.TryDequeue(out var next))
                    return Diverged(
                        logged.GlobalPosition,
                        "no derived event: the engine liquidates nothing here",
                        describe(logged.Stream, e)
                    );
                var want = describe(next.Stream, next.Event);
                var got = describe(logged.Stream, e);
                if (want != got)
                    return Diverged(logged.GlobalPosition, want, got);
                derived++;
                if (e is LiquidationTriggered)
                    liquidations++;
            }
            else if (expected.TryPeek(out var missing))
            {
                return Diverged(
                    logged.GlobalPosition,
                    describe(missing.Stream, missing.Event),
                    describe(logged.Stream, e) + " (the derived event is missing)"
                );
            }
            state = LedgerEvolution.Evolve(state, e);
            if (isDerived)
                continue;
            skipping = null;
            if (LiquidationEngine.TriggerOf(e, state) is not { } trigger)
                continue;
            if (trigger.RulesVersion < newest)
                return Diverged(
                    logged.GlobalPosition,
                    $"a trigger decided under liquidation rules v{newest} or later",
                    describe(logged.Stream, e)
                        + $" (rules v{trigger.RulesVersion} after v{newest}: versions never go back)"
                );
            newest = trigger.RulesVersion;
            if (trigger.RulesVersion != LiquidationRules.Current)
            {
                skipping = trigger.RulesVersion;
                var tally = skipped.GetValueOrDefault(trigger.RulesVersion, new NotReexecuted(0, 0, 0));
                skipped[trigger.RulesVersion] = tally with { Triggers = tally.Triggers + 1 };
                continue;
            }
            triggers++;
            // the index is built once and kept by the fold from here on, as in the writer
            state = LiquidationEngine.Indexed(state);
            foreach (var d in LiquidationEngine.Cascade(state, trigger).Events)
                expected.Enqueue(d);
        }
        return expected.TryPeek(out var last)
            ? Diverged(events + 1, describe(last.Stream, last.Event), "nothing: the log ends")
            : new ReexecutionReport(events, triggers, liquidations, derived, null, null, null)
            {
                NotReexecuted = skipped,
            };

        ReexecutionReport Diverged(long at, string want, string got) =>
            new(events, triggers, liquidations, derived, at, want, got) { NotReexecuted = skipped };
    }
}
