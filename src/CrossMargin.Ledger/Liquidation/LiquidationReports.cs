using System.Collections.Immutable;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Liquidation;

/// <summary>An instrument's liquidation terms in force at a trigger: fee rate, slippage and per-price-event notional
/// cap.</summary>
public sealed record LiquidationTerms(decimal FeeRate, decimal Slippage, decimal? NotionalCap);

/// <summary>
/// Everything an auditor needs about one liquidation, gathered from the log: the triggering price event
/// (the trigger event of the same command) and its global position, the inputs, every step, every
/// counterparty, every insurance-fund movement, and the outcome; with the liquidation rules version that
/// decided it and each instrument's liquidation terms at the trigger.
/// </summary>
public sealed record LiquidationReport(
    string Id,
    AccountId Account,
    long TriggerPosition,
    long Position,
    LiquidationTriggered Triggered,
    ImmutableArray<(long Position, PositionLiquidated Step)> Steps,
    ImmutableArray<(long Position, PositionAutoDeleveraged Adl)> Deleveraged,
    ImmutableArray<(long Position, LossSocialized Loss)> Socialized,
    ImmutableArray<(long Position, InsuranceFundChanged Change)> Fund,
    (long Position, ILedgerEvent Event)? End
)
{
    /// <summary>The liquidation rules version recorded on the trigger (<see cref="LiquidationRules"/>).</summary>
    public int RulesVersion { get; init; } = LiquidationRules.Current;

    /// <summary>The debt settlement of a liquidation that left the account flat: collateral sold, debt the fund
    /// covered.</summary>
    public ImmutableArray<(long Position, ILedgerEvent Event)> Settlements { get; init; } = [];

    /// <summary>Each instrument's liquidation terms when the liquidation began.</summary>
    public ImmutableSortedDictionary<Symbol, LiquidationTerms> Terms { get; init; } =
        ImmutableSortedDictionary<Symbol, LiquidationTerms>.Empty;

    /// <summary>What the liquidation's auto-deleveraging took against the least that would have covered its deficit;
    /// null when it deleveraged nothing or has not ended bankrupt.</summary>
    public AdlHaircut? AdlHaircut => AdlHaircut.Of(Steps.Select(s => s.Step), End?.Event as AccountBankrupt);

    /// <summary>Σ |quantity| × mark over the steps.</summary>
    public decimal LiquidatedNotional => Steps.Sum(s => s.Step.NotionalAtMark);

    /// <summary><c>completed:healthy</c>, <c>completed:flat</c>, <c>completed:capped</c> or <c>bankrupt</c>.</summary>
    public string Outcome =>
        End?.Event switch
        {
            LiquidationCompleted c => "completed:" + WireWords.Of(c.Outcome),
            AccountBankrupt => "bankrupt",
            _ => "open",
        };
}

/// <summary>Builds <see cref="LiquidationReport"/>s: a pure fold over the log in global order.</summary>
public static class LiquidationReports
{
    /// <summary>Every liquidation in the log, in the order they began.</summary>
    public static IReadOnlyList<LiquidationReport> Build(IEnumerable<LoggedEvent> log)
    {
        var fold = new LiquidationReportFold();
        foreach (var e in log)
            fold.Apply(e);
        return fold.Reports;
    }
}

/// <summary>
/// The incremental form of <see cref="LiquidationReports.Build"/>: one event at a time, telling which
/// liquidation it changed, so a projection rewrites only that report's row.
/// </summary>
public sealed class LiquidationReportFold
{
    private readonly Dictionary<string, LiquidationReport> reports = new(StringComparer.Ordinal);
    private readonly List<string> order = [];
    private (string CommandId, long Position, int RulesVersion) lastTrigger = ("", 0, LiquidationRules.Current);
    private ImmutableSortedDictionary<Symbol, LiquidationTerms> terms = ImmutableSortedDictionary<
        Symbol,
        LiquidationTerms
    >.Empty;

    /// <summary>Every liquidation so far, in the order they began.</summary>
    public IReadOnlyList<LiquidationReport> Reports => [.. order.Select(id => reports[id])];

    /// <summary>One liquidation by id.</summary>
    public LiquidationReport this[string id] => reports[id];

    /// <summary>Folds one event; returns the id of the liquidation it belongs to, or null.</summary>
    public string? Apply(LoggedEvent e)
    {
        switch (e.Event)
        {
            case InstrumentListed l:
                terms = terms.SetItem(l.Symbol, new LiquidationTerms(l.LiquidationFeeRate, 0m, null));
                return null;
            case InstrumentLiquidationSet l:
                terms = terms.SetItem(
                    l.Symbol,
                    terms[l.Symbol] with
                    {
                        Slippage = l.Slippage,
                        NotionalCap = l.NotionalCap,
                    }
                );
                break;
            case LiquidationTriggered t:
                var trigger = lastTrigger.CommandId == e.CommandId ? lastTrigger.Position : 0;
                reports[t.LiquidationId] = new LiquidationReport(
                    t.LiquidationId,
                    t.Account,
                    trigger,
                    e.GlobalPosition,
                    t,
                    [],
                    [],
                    [],
                    [],
                    null
                )
                {
                    RulesVersion = lastTrigger.RulesVersion,
                    Terms = terms,
                };
                order.Add(t.LiquidationId);
                return t.LiquidationId;
            case PositionLiquidated p:
                return Update(p.LiquidationId, r => r with { Steps = r.Steps.Add((e.GlobalPosition, p)) });
            case PositionAutoDeleveraged d:
                return Update(d.LiquidationId, r => r with { Deleveraged = r.Deleveraged.Add((e.GlobalPosition, d)) });
            case LossSocialized l:
                return Update(l.LiquidationId, r => r with { Socialized = r.Socialized.Add((e.GlobalPosition, l)) });
            case CollateralSold sold:
                return Update(
                    sold.LiquidationId,
                    r => r with { Settlements = r.Settlements.Add((e.GlobalPosition, sold)) }
                );
            case DebtCovered covered:
                return Update(
                    covered.LiquidationId,
                    r => r with { Settlements = r.Settlements.Add((e.GlobalPosition, covered)) }
                );
            case InsuranceFundChanged f:
                return Update(f.LiquidationId, r => r with { Fund = r.Fund.Add((e.GlobalPosition, f)) });
            case LiquidationCompleted c:
                return Update(c.LiquidationId, r => r with { End = (e.GlobalPosition, c) });
            case AccountBankrupt b:
                return Update(b.LiquidationId, r => r with { End = (e.GlobalPosition, b) });
        }
        if (e.Event is InstrumentParametersChanged changed)
            terms = terms.SetItem(changed.Symbol, terms[changed.Symbol] with { FeeRate = changed.LiquidationFeeRate });
        if (e.Event is ILiquidationTrigger reacted)
            lastTrigger = (e.CommandId, e.GlobalPosition, reacted.RulesVersion);
        return null;
    }

    private string Update(string id, Func<LiquidationReport, LiquidationReport> change)
    {
        reports[id] = change(reports[id]);
        return id;
    }
}
