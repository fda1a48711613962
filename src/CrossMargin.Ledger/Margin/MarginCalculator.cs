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
    public static AccountMargin Compute(AccountState account, MarketState market)
    {
        var collateral = CollateralValue(account, market);
        var legs = ImmutableArray.CreateBuilder<Leg>(account.Positions.Count);
        foreach (var (symbol, position) in account.Positions)
            legs.Add(Leg.Of(symbol, position, account, market));

        var upnl = legs.Sum(l => l.Upnl);
        var equity = collateral + upnl;
        var mm = legs.Sum(l => l.MaintenanceMargin);
        var im = legs.Sum(l => l.InitialMargin);
        var positions = legs.Select(l => l.Report(equity, mm)).ToImmutableArray();
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
            Liquidatable: MarginSlack.IsLiquidatable(legs.Count > 0, equity, mm),
            positions
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

    private sealed record Leg(
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

        public PositionMargin Report(decimal equity, decimal accountMm) =>
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
                LiquidationPrice: MarginPrices.Liquidation(
                    Position,
                    Spec.Tiers,
                    equity - Upnl - (accountMm - MaintenanceMargin)
                ),
                BankruptcyPrice: MarginPrices.Bankruptcy(Position.Size, Mark, equity, MaintenanceMargin, accountMm)
            );
    }
}
