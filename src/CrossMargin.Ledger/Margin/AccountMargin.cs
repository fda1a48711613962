using System.Collections.Immutable;
using CrossMargin.Ledger.Accounts;

namespace CrossMargin.Ledger.Margin;

/// <summary>
/// One position's margin figures at the current marks (design §3). Amounts are in the settlement asset.
/// </summary>
/// <param name="Size">signed size in base units: + long, − short.</param>
/// <param name="Notional">N = |size| × mark.</param>
/// <param name="Tier">1-based number of the bracket holding N.</param>
/// <param name="Mmr">the bracket's maintenance rate (0.01 = 1 %).</param>
/// <param name="MaintenanceAmount">the bracket's cum.</param>
/// <param name="MaintenanceMargin">MM = N × mmr − cum.</param>
/// <param name="InitialMargin">IM = N / leverage.</param>
/// <param name="Leverage">leverage in force: the account's choice, capped by the bracket's maximum.</param>
/// <param name="LiquidationPrice">mark at which E = MM with other marks held; null when it would be ≤ 0.</param>
/// <param name="BankruptcyPrice">price at which closing the whole position uses up its MM share of equity; null when ≤
/// 0.</param>
public sealed record PositionMargin(
    Symbol Symbol,
    decimal Size,
    decimal EntryPrice,
    decimal MarkPrice,
    decimal Notional,
    int Tier,
    decimal Mmr,
    decimal MaintenanceAmount,
    decimal MaintenanceMargin,
    decimal InitialMargin,
    decimal Leverage,
    decimal UnrealizedPnl,
    decimal? LiquidationPrice,
    decimal? BankruptcyPrice
);

/// <summary>
/// An account's cross-margin state: collateral value C, unrealised PnL U, equity E = C + U, MM, IM,
/// free collateral F = E − IM and margin ratio R = MM / E (null when E ≤ 0: undefined, reported as
/// "n/a"). <see cref="Liquidatable"/> ⇔ a position is open and E ≤ MM, or none is and E &lt; 0.
/// </summary>
public sealed record AccountMargin(
    AccountId Account,
    SmallSortedDictionary<Asset, decimal> Balances,
    decimal CollateralValue,
    decimal UnrealizedPnl,
    decimal Equity,
    decimal MaintenanceMargin,
    decimal InitialMargin,
    decimal FreeCollateral,
    decimal? MarginRatio,
    bool Liquidatable,
    ImmutableArray<PositionMargin> Positions
);
