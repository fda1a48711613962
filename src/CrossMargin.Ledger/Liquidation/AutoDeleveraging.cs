using CrossMargin.Ledger.Arithmetic;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Margin;

namespace CrossMargin.Ledger.Liquidation;

/// <summary>An opposite-side position that may take (ADL) or share (socialised loss) a liquidated slice.</summary>
/// <param name="Equity">the counterparty's equity before it takes anything (settlement asset).</param>
public sealed record Counterparty(
    AccountId Account,
    decimal Size,
    decimal EntryPrice,
    decimal UnrealizedPnl,
    decimal Score,
    decimal Equity
);

/// <summary>
/// Who bears what the insurance fund cannot. Candidates are the other accounts holding the opposite side
/// of the instrument, with positive equity (an account at or below zero is itself in liquidation).
/// ADL ranking (BitMEX): <c>PnL% = uPnL / (|size| × entry)</c>; effective leverage =
/// <c>|mark value| / (mark value − bankruptcy value)</c>, which in cross margin is
/// <c>N_i / (E × MM_i / MM)</c> (the position's share of equity); score = PnL% × leverage for winners,
/// PnL% / leverage otherwise; highest score first, ties by account id.
/// </summary>
public static class AutoDeleveraging
{
    /// <summary>The ranked opposite-side positions of <paramref name="symbol"/> against a position of sign <paramref
    /// name="liquidatedSign"/>.</summary>
    public static IReadOnlyList<Counterparty> Rank(
        LedgerState state,
        Symbol symbol,
        AccountId liquidated,
        int liquidatedSign
    )
    {
        var ranked = new List<Counterparty>();
        foreach (var id in state.HoldersOf(symbol))
        {
            if (id == liquidated)
                continue;
            var account = state.Account(id);
            if (Math.Sign(account.Size(symbol)) != -liquidatedSign)
                continue;
            var m = MarginCalculator.Compute(account, state.Market);
            if (m.Equity <= 0m)
                continue;
            var p = m.Positions.Single(x => x.Symbol == symbol);
            var pnlPercent = Rounding.Divide(p.UnrealizedPnl, Math.Abs(p.Size) * p.EntryPrice);
            var leverage = Rounding.Divide(p.Notional * m.MaintenanceMargin, m.Equity * p.MaintenanceMargin);
            var score = pnlPercent > 0m ? Rounding.Round(pnlPercent * leverage) : Rounding.Divide(pnlPercent, leverage);
            ranked.Add(new Counterparty(id, p.Size, p.EntryPrice, p.UnrealizedPnl, score, m.Equity));
        }
        return [.. ranked.OrderByDescending(c => c.Score).ThenBy(c => c.Account)];
    }
}
