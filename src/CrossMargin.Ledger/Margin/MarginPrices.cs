using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.Arithmetic;
using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.Margin;

/// <summary>Liquidation and bankruptcy prices of design §3.</summary>
public static class MarginPrices
{
    /// <summary>
    /// The mark P of the position's instrument at which E = MM, other marks held:
    /// <c>P = (W' + cum_t − s·Q·e) / (Q·MMR_t − s·Q)</c> with <c>W' = E − U_i − (MM − MM_i)</c>.
    /// E − MM is strictly monotone in P (slope Q(1 − MMR) for a long, −Q(1 + MMR) for a short), so at
    /// most one bracket holds its own solution: each bracket is solved and the one whose
    /// <c>[floor, cap)</c> holds P·Q wins — the fixed point of design §3's "solve again with that tier".
    /// A quotient rounded at a bracket boundary may land a hair outside both neighbours; a second pass
    /// accepts a bracket within the rounding error (Q × 10⁻¹⁷). Null when P ≤ 0: never liquidated.
    /// </summary>
    /// <param name="position">the position (signed size, entry price).</param>
    /// <param name="tiers">its instrument's brackets.</param>
    /// <param name="otherWealth">W' (settlement asset).</param>
    public static decimal? Liquidation(Position position, RiskTierSchedule tiers, decimal otherWealth)
    {
        var s = Math.Sign(position.Size);
        var q = Math.Abs(position.Size);
        var solutions = tiers.Tiers.Select(t => (Tier: t, Price: Solve(t))).Where(x => x.Price is > 0m).ToArray();
        foreach (var (tier, price) in solutions)
            if (tier.Contains(price!.Value * q))
                return price;
        var tolerance = q * 0.00000000000000001m;
        foreach (var (tier, price) in solutions)
        {
            var n = price!.Value * q;
            if (n >= tier.Floor - tolerance && (tier.Cap is null || n < tier.Cap + tolerance))
                return price;
        }
        return null;

        decimal? Solve(RiskTier t)
        {
            var denominator = q * t.Mmr - s * q;
            return denominator == 0m
                ? null
                : Rounding.Divide(otherWealth + t.MaintenanceAmount - s * q * position.EntryPrice, denominator);
        }
    }

    /// <summary>
    /// Bankruptcy price of closing the whole position (dYdX rule, cross-margin form):
    /// <c>BQ(Δ) = −ΔNNV − E·|ΔMM| / MM</c> with Δ = size, ΔNNV = −size × mark, |ΔMM| = MM_i, and the price
    /// <c>BQ / size = mark − E·MM_i / (MM·size)</c>. For a lone position this is where E reaches 0.
    /// Null when the price would be ≤ 0 or the account carries no maintenance margin.
    /// </summary>
    public static decimal? Bankruptcy(decimal size, decimal mark, decimal equity, decimal positionMm, decimal accountMm)
    {
        if (size == 0m || accountMm <= 0m)
            return null;
        var price = mark - Rounding.Divide(equity * positionMm, accountMm * size);
        return price > 0m ? price : null;
    }
}
