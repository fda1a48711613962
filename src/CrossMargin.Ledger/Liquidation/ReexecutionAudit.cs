using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Liquidation;

/// <summary>What re-execution found: counts, or the first divergence with both sides.</summary>
public sealed record ReexecutionReport(long Events, long Triggers, long Liquidations, long DerivedEvents, long? DivergedAt, string? Expected, string? Recorded)
{
    /// <summary>Whether every derived event was re-derived exactly.</summary>
    public bool Agrees => DivergedAt is null;
}

/// <summary>
/// The re-execution audit: folds the input events (everything the liquidation engine did not derive),
/// re-runs the engine after every trigger, and compares what it derives — in order — with the derived
/// events recorded after that trigger. A price command and its cascade are one atomic append, so the
/// derived events of a trigger directly follow it. A describer renders an event with its
/// stream for comparison (<c>describe</c>; the store layer passes wire type and canonical JSON).
/// </summary>
public static class ReexecutionAudit
{
    /// <summary>Runs the audit over a log in global order.</summary>
    public static ReexecutionReport Run(IEnumerable<LoggedEvent> log, Func<string, ILedgerEvent, string> describe)
    {
        var state = LedgerState.Initial;
        var expected = new Queue<Emitted>();
        long events = 0, triggers = 0, liquidations = 0, derived = 0;
        foreach (var logged in log)
        {
            events++;
            var e = logged.Event;
            var isDerived = LiquidationEngine.IsDerived(e);
            if (isDerived)
            {
                if (!expected.TryDequeue(out var next))
                    return Diverged(logged.GlobalPosition, "no derived event: the engine liquidates nothing here", describe(logged.Stream, e));
                var want = describe(next.Stream, next.Event);
                var got = describe(logged.Stream, e);
                if (want != got) return Diverged(logged.GlobalPosition, want, got);
                derived++;
                if (e is LiquidationTriggered) liquidations++;
            }
            else if (expected.TryPeek(out var missing))
            {
                return Diverged(logged.GlobalPosition, describe(missing.Stream, missing.Event), describe(logged.Stream, e) + " (the derived event is missing)");
            }
            state = LedgerEvolution.Evolve(state, e);
            if (!isDerived && LiquidationEngine.TriggerOf(e, state) is { } trigger)
            {
                triggers++;
                foreach (var d in LiquidationEngine.Cascade(state, trigger).Events) expected.Enqueue(d);
            }
        }
        return expected.TryPeek(out var last)
            ? Diverged(events + 1, describe(last.Stream, last.Event), "nothing: the log ends")
            : new ReexecutionReport(events, triggers, liquidations, derived, null, null, null);

        ReexecutionReport Diverged(long at, string want, string got) => new(events, triggers, liquidations, derived, at, want, got);
    }
}
