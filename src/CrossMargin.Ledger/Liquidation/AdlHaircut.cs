using CrossMargin.Ledger.Arithmetic;

namespace CrossMargin.Ledger.Liquidation;

/// <summary>
/// What auto-deleveraging took from the winners of one bankrupt liquidation against the least that would have
/// covered its deficit: the ADL overshoot (as measured for exchange ADL queues in recent research, e.g. Chitra,
/// "Autodeleveraging: Impossibilities and Optimization", 2025). All in the settlement asset.
/// </summary>
/// <param name="Taken">the haircut: Σ over the ADL fills of quantity × |bankruptcy price − mark| (each rounded up to
/// 10⁻⁸, as the deficit it covers is), the profit the counterparties gave up against closing at the mark.</param>
/// <param name="FundLeft">the insurance fund's balance when the liquidation ended (it pays deficits only in whole
/// quantity steps, so a remainder can stay while ADL takes the rest).</param>
/// <param name="Needed">the least haircut that covers the deficit with the fund spent first:
/// <c>max(0, Taken − max(0, FundLeft))</c>.</param>
public sealed record AdlHaircut(decimal Taken, decimal FundLeft, decimal Needed)
{
    /// <summary><c>Taken − Needed</c>: what the queue took beyond need (never negative).</summary>
    public decimal Overshoot => Taken - Needed;

    /// <summary>The haircut of a liquidation's ADL fills and its end, or null when it deleveraged nothing or has
    /// not ended bankrupt.</summary>
    public static AdlHaircut? Of(IEnumerable<PositionLiquidated> steps, AccountBankrupt? end)
    {
        if (end is null)
            return null;
        var taken = 0m;
        var any = false;
        foreach (var s in steps)
            if (s.Execution == Execution.Adl)
            {
                any = true;
                taken += Money.Debit(s.Quantity * Math.Abs(s.BankruptcyPrice - s.MarkPrice)).Amount;
            }
        return any
            ? new AdlHaircut(taken, end.InsuranceFund, Math.Max(0m, taken - Math.Max(0m, end.InsuranceFund)))
            : null;
    }

    /// <summary>Every bankrupt liquidation's haircut among <paramref name="events"/>, in the order they
    /// ended.</summary>
    public static IReadOnlyList<(string LiquidationId, AdlHaircut Haircut)> In(IEnumerable<Events.ILedgerEvent> events)
    {
        var steps = new Dictionary<string, List<PositionLiquidated>>(StringComparer.Ordinal);
        var found = new List<(string, AdlHaircut)>();
        foreach (var e in events)
            switch (e)
            {
                case PositionLiquidated p when p.Execution == Execution.Adl:
                    if (!steps.TryGetValue(p.LiquidationId, out var list))
                        steps[p.LiquidationId] = list = [];
                    list.Add(p);
                    break;
                case AccountBankrupt b when steps.Remove(b.LiquidationId, out var adl):
                    found.Add((b.LiquidationId, Of(adl, b)!));
                    break;
            }
        return found;
    }
}
