using System.Collections.Immutable;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Liquidation;

/// <summary>
/// Everything an auditor needs about one liquidation, gathered from the log: the triggering price event
/// (the trigger event of the same command) and its global position, the inputs, every step, every
/// counterparty, every insurance-fund movement, and the outcome.
/// </summary>
public sealed record LiquidationReport(
    string Id,
    string Account,
    long TriggerPosition,
    long Position,
    LiquidationTriggered Triggered,
    ImmutableArray<(long Position, PositionLiquidated Step)> Steps,
    ImmutableArray<(long Position, PositionAutoDeleveraged Adl)> Deleveraged,
    ImmutableArray<(long Position, LossSocialized Loss)> Socialized,
    ImmutableArray<(long Position, InsuranceFundChanged Change)> Fund,
    (long Position, ILedgerEvent Event)? End)
{
    /// <summary>Σ |quantity| × mark over the steps.</summary>
    public decimal LiquidatedNotional => Steps.Sum(s => s.Step.NotionalAtMark);

    /// <summary><c>completed:healthy</c>, <c>completed:flat</c>, <c>completed:capped</c> or <c>bankrupt</c>.</summary>
    public string Outcome => End?.Event switch
    {
        LiquidationCompleted c => "completed:" + c.Outcome,
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
        var reports = new Dictionary<string, LiquidationReport>(StringComparer.Ordinal);
        var order = new List<string>();
        (string CommandId, long Position) lastTrigger = ("", 0);
        foreach (var e in log)
        {
            switch (e.Event)
            {
                case var input when LiquidationEngine.IsTrigger(input):
                    lastTrigger = (e.CommandId, e.GlobalPosition);
                    break;
                case LiquidationTriggered t:
                    var trigger = lastTrigger.CommandId == e.CommandId ? lastTrigger.Position : 0;
                    reports[t.LiquidationId] = new LiquidationReport(t.LiquidationId, t.Account, trigger, e.GlobalPosition, t, [], [], [], [], null);
                    order.Add(t.LiquidationId);
                    break;
                case PositionLiquidated p:
                    Update(p.LiquidationId, r => r with { Steps = r.Steps.Add((e.GlobalPosition, p)) });
                    break;
                case PositionAutoDeleveraged d:
                    Update(d.LiquidationId, r => r with { Deleveraged = r.Deleveraged.Add((e.GlobalPosition, d)) });
                    break;
                case LossSocialized l:
                    Update(l.LiquidationId, r => r with { Socialized = r.Socialized.Add((e.GlobalPosition, l)) });
                    break;
                case InsuranceFundChanged f:
                    Update(f.LiquidationId, r => r with { Fund = r.Fund.Add((e.GlobalPosition, f)) });
                    break;
                case LiquidationCompleted c:
                    Update(c.LiquidationId, r => r with { End = (e.GlobalPosition, c) });
                    break;
                case AccountBankrupt b:
                    Update(b.LiquidationId, r => r with { End = (e.GlobalPosition, b) });
                    break;
            }
        }
        return [.. order.Select(id => reports[id])];

        void Update(string id, Func<LiquidationReport, LiquidationReport> change) => reports[id] = change(reports[id]);
    }
}
