using System.Collections.Immutable;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.Market;

/// <summary>A listed instrument and its latest mark (null until the first price update).</summary>
public sealed record InstrumentState(InstrumentSpec Spec, decimal? Mark);

/// <summary>A listed collateral asset, its limits and its latest index price (null until the first price
/// update).</summary>
public sealed record CollateralState(
    string Asset,
    CollateralSchedule Schedule,
    decimal? IndexPrice,
    AssetLimits Limits
);

/// <summary>Everything accounts are valued against: instruments, collateral assets, their prices.</summary>
public sealed record MarketState(
    ImmutableSortedDictionary<string, InstrumentState> Instruments,
    ImmutableSortedDictionary<string, CollateralState> Collateral,
    LiquidationPolicy Policy
)
{
    /// <summary>No instrument, no collateral asset, the default liquidation policy.</summary>
    public static readonly MarketState Empty = new(
        ImmutableSortedDictionary.Create<string, InstrumentState>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, CollateralState>(StringComparer.Ordinal),
        LiquidationPolicy.Default
    );

    /// <summary>Whether an account may hold <paramref name="asset"/>: the settlement asset or a listed collateral
    /// asset.</summary>
    public bool AcceptsAsset(string asset) => asset == Ledger.Venue.SettlementAsset || Collateral.ContainsKey(asset);

    /// <summary>The limits of an accepted asset: the settlement asset's, or the collateral listing's.</summary>
    public AssetLimits LimitsOf(string asset) =>
        Collateral.TryGetValue(asset, out var collateral) ? collateral.Limits : AssetLimits.Settlement;
}
