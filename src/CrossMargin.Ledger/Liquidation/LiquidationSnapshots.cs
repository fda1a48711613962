using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Margin;
using CrossMargin.Ledger.Market;

namespace CrossMargin.Ledger.Liquidation;

/// <summary>What liquidation events record of an account: its positions and every price used.</summary>
internal static class LiquidationSnapshots
{
    public static IReadOnlyList<PositionSnapshot> Positions(AccountMargin m) =>
        [
            .. m.Positions.Select(p => new PositionSnapshot(
                p.Symbol,
                p.Size,
                p.EntryPrice,
                p.MarkPrice,
                p.Notional,
                p.Tier,
                p.Mmr,
                p.MaintenanceAmount,
                p.MaintenanceMargin,
                p.UnrealizedPnl
            )),
        ];

    public static IReadOnlyList<PriceUsed> Prices(AccountState account, MarketState market)
    {
        var prices = new List<PriceUsed>(account.Positions.Count + account.Balances.Count);
        foreach (var (symbol, _) in account.Positions)
            prices.Add(new PriceUsed(symbol.Value, PriceKind.Mark, market.Instruments[symbol].Mark!.Value));
        foreach (var (asset, balance) in account.Balances)
            if (
                asset != Venue.SettlementAsset
                && balance != 0m
                && market.Collateral.TryGetValue(asset, out var c)
                && c.IndexPrice is { } index
            )
                prices.Add(new PriceUsed(asset.Value, PriceKind.Index, index));
        return [.. prices];
    }
}
