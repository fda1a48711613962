using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.Arithmetic;
using CrossMargin.Ledger.Market;
using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.Margin;

/// <summary>
/// The two figures that decide whether an account is liquidatable, equity and maintenance margin, and the slack
/// between them (design §9). Computed by the same rules and in the same order as <see cref="MarginCalculator"/>, so
/// the decimals are the same to the last digit, but nothing else: no initial margin, no liquidation or bankruptcy
/// price, no report. It allocates nothing, so the liquidation engine can evaluate every exposed account at a price
/// update and build the full report only for the accounts it liquidates.
/// </summary>
public static class MarginKernel
{
    /// <summary>The account's equity and maintenance margin at the market's current prices.</summary>
    /// <exception cref="InvalidOperationException">the account holds an instrument with no mark yet (as
    /// <see cref="MarginCalculator.Compute"/>).</exception>
    public static MarginSlack Evaluate(AccountState account, MarketState market)
    {
        var collateral = MarginCalculator.CollateralValue(account, market);
        decimal upnl = 0m,
            mm = 0m;
        foreach (var (symbol, position) in account.Positions)
        {
            var figures = PositionFigures.Of(account.Id, symbol, position, market);
            upnl += figures.Upnl;
            mm += figures.MaintenanceMargin;
        }
        return new MarginSlack(collateral + upnl, mm, account.Positions.Count > 0);
    }
}

/// <summary>
/// One position's figures at its mark (design §3): notional <c>N = |q| × mark</c>, the bracket holding it, unrealised
/// PnL (a credit, rounded down) and <c>MM = N × mmr − cum</c> (a debit, rounded up). The one statement of these
/// formulas, for the kernel and the full report alike.
/// </summary>
internal readonly record struct PositionFigures(
    decimal Mark,
    decimal Notional,
    RiskTier Tier,
    int TierNumber,
    decimal Upnl,
    decimal MaintenanceMargin
)
{
    /// <exception cref="InvalidOperationException">the instrument has no mark yet.</exception>
    public static PositionFigures Of(AccountId account, Symbol symbol, Position position, MarketState market)
    {
        var instrument = market.Instruments[symbol];
        var mark =
            instrument.Mark
            ?? throw new InvalidOperationException($"{account} holds {symbol}, which has no mark price");
        var notional = Rounding.Normalize(Math.Abs(position.Size) * mark);
        var (tier, number) = instrument.Spec.Tiers.For(notional);
        return new PositionFigures(
            mark,
            notional,
            tier,
            number,
            Upnl: Money.Credit(position.Size * (mark - position.EntryPrice)),
            MaintenanceMargin: Money.Debit(tier.MaintenanceMargin(notional))
        );
    }
}

/// <summary>
/// An account's equity <c>E</c> and maintenance margin <c>MM</c>, and whether it holds a position: what decides a
/// liquidation.
/// </summary>
public readonly record struct MarginSlack(decimal Equity, decimal MaintenanceMargin, bool HasPositions)
{
    /// <summary><c>E − MM</c>: how much equity may fall before the account is liquidatable (≤ 0: it is, with
    /// positions).</summary>
    public decimal Slack => Equity - MaintenanceMargin;

    /// <summary>Design §3: with positions, <c>E ≤ MM</c>; flat, <c>E &lt; 0</c> (debt its collateral no longer
    /// covers, bad debt a liquidation settles).</summary>
    public bool Liquidatable => IsLiquidatable(HasPositions, Equity, MaintenanceMargin);

    /// <summary>The one statement of the rule, for the kernel and the full report alike.</summary>
    public static bool IsLiquidatable(bool hasPositions, decimal equity, decimal maintenanceMargin) =>
        hasPositions ? equity <= maintenanceMargin : equity < 0m;
}
