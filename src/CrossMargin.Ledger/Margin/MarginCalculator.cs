using System.Collections.Immutable;
using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.Arithmetic;
using CrossMargin.Ledger.Market;
using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.Margin;

/// <summary>
/// Computes <see cref="AccountMargin"/> from an account and the market, as design §3, in money of the
/// settlement asset's precision (<see cref="Money"/>): unrealised PnL and each collateral asset's haircut
/// value round down, maintenance and initial margin round up, so no figure flatters the account and the
/// sums (equity, MM, IM, free collateral) are exact.
/// </summary>
public static class MarginCalculator
{
    /// <summary>The account's margin state at the market's current prices.</summary>
    public static AccountMargin Compute(AccountState account, MarketState market) => Report(account, market, true);

    /// <summary>
    /// The same report without each position's liquidation and bankruptcy prices (both null): for the deciders that
    /// record neither (the free-collateral checks of an order, a withdrawal and a leverage change; the liquidation
    /// decider's report after every step). Solving every bracket for the liquidation price is most of a report's cost.
    /// </summary>
    internal static AccountMargin WithoutPrices(AccountState account, MarketState market) =>
        Report(account, market, false);

    private static AccountMargin Report(AccountState account, MarketState market, bool prices)
    {
        var collateral = CollateralValue(account, market);
        var legs = new Leg[account.Positions.Count];
        var n = 0;
        foreach (var (symbol, position) in account.Positions)
            legs[n++] = Leg.Of(symbol, position, account, market);

        decimal upnl = 0m,
            mm = 0m,
            im = 0m;
        foreach (var leg in legs)
        {
            upnl += leg.Upnl;
            mm += leg.MaintenanceMargin;
            im += leg.InitialMargin;
        }
        var equity = collateral + upnl;
        var positions = ImmutableArray.CreateBuilder<PositionMargin>(legs.Length);
        foreach (var leg in legs)
            positions.Add(leg.Report(equity, mm, prices));
        return new AccountMargin(
            account.Id,
            account.Balances,
            collateral,
            upnl,
            equity,
            mm,
            im,
            equity - im,
            MarginRatio: equity > 0m ? Rounding.Divide(mm, equity) : null,
            Liquidatable: MarginSlack.IsLiquidatable(legs.Length > 0, equity, mm),
            positions.MoveToImmutable()
        );
    }

    /// <summary>C = settlement balance + Σ haircut value of other assets (an asset with no index price yet counts
    /// 0).</summary>
    public static decimal CollateralValue(AccountState account, MarketState market)
    {
        var value = 0m;
        foreach (var (asset, balance) in account.Balances)
        {
            if (asset == Ledger.Venue.SettlementAsset)
                value += balance;
            else if (market.Collateral.TryGetValue(asset, out var c) && c.IndexPrice is { } price)
                value += Money.Credit(c.Schedule.Value(balance * price));
        }
        return value;
    }

    private readonly record struct Leg(
        Symbol Symbol,
        Position Position,
        InstrumentSpec Spec,
        decimal Mark,
        decimal Notional,
        RiskTier Tier,
        int TierNumber,
        decimal Leverage,
        decimal Upnl,
        decimal MaintenanceMargin,
        decimal InitialMargin
    )
    {
        public static Leg Of(Symbol symbol, Position position, AccountState account, MarketState market)
        {
            var f = PositionFigures.Of(account.Id, symbol, position, market);
            var spec = market.Instruments[symbol].Spec;
            var leverage = Math.Min(
                account.Leverage.GetValueOrDefault(symbol, spec.DefaultLeverage),
                f.Tier.MaxLeverage
            );
            return new Leg(
                symbol,
                position,
                spec,
                f.Mark,
                f.Notional,
                f.Tier,
                f.TierNumber,
                leverage,
                f.Upnl,
                f.MaintenanceMargin,
                InitialMargin: Money.Debit(f.Notional / leverage)
            );
        }

        public PositionMargin Report(decimal equity, decimal accountMm, bool prices) =>
            new(
                Symbol: Symbol,
                Size: Position.Size,
                EntryPrice: Position.EntryPrice,
                MarkPrice: Mark,
                Notional: Notional,
                Tier: TierNumber,
                Mmr: Tier.Mmr,
                MaintenanceAmount: Tier.MaintenanceAmount,
                MaintenanceMargin: MaintenanceMargin,
                InitialMargin: InitialMargin,
                Leverage: Leverage,
                UnrealizedPnl: Upnl,
                LiquidationPrice: prices
                    ? MarginPrices.Liquidation(Position, Spec.Tiers, equity - Upnl - (accountMm - MaintenanceMargin))
                    : null,
                BankruptcyPrice: prices
                    ? MarginPrices.Bankruptcy(Position.Size, Mark, equity, MaintenanceMargin, accountMm)
                    : null
            );
    }
}
