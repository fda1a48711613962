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

    public static IReadOnlyList<PriceUsed> Prices(AccountState account, MarketState market) =>
        [
            .. account.Positions.Keys.Select(s => new PriceUsed(
                s.Value,
                PriceKind.Mark,
                market.Instruments[s].Mark!.Value
            )),
            .. account
                .Balances.Where(b =>
                    b.Key != Venue.SettlementAsset
                    && b.Value != 0m
                    && market.Collateral.TryGetValue(b.Key, out var c)
                    && c.IndexPrice is not null
                )
                .Select(b => new PriceUsed(b.Key.Value, PriceKind.Index, market.Collateral[b.Key].IndexPrice!.Value)),
        ];
}
