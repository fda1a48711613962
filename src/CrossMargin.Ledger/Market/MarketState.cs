using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.Market;

/// <summary>A listed instrument and its latest mark (null until the first price update).</summary>
public sealed record InstrumentState(InstrumentSpec Spec, decimal? Mark);

/// <summary>A listed collateral asset, its limits and its latest index price (null until the first price
/// update).</summary>
public sealed record CollateralState(Asset Asset, CollateralSchedule Schedule, decimal? IndexPrice, AssetLimits Limits);

/// <summary>Everything accounts are valued against: instruments, collateral assets, their prices.</summary>
public sealed record MarketState(
    ImmutableSortedDictionary<Symbol, InstrumentState> Instruments,
    ImmutableSortedDictionary<Asset, CollateralState> Collateral,
    LiquidationPolicy Policy
)
{
    /// <summary>No instrument, no collateral asset, the default liquidation policy.</summary>
    public static readonly MarketState Empty = new(
        ImmutableSortedDictionary<Symbol, InstrumentState>.Empty,
        ImmutableSortedDictionary<Asset, CollateralState>.Empty,
        LiquidationPolicy.Default
    );

    /// <summary>
    /// The listed instrument input <paramref name="text"/> names. Text that is not a symbol names no instrument, so
    /// it is refused as unknown, in the words the ledger has always used.
    /// </summary>
    public bool TryInstrument(string? text, out Symbol symbol, [NotNullWhen(true)] out InstrumentState? instrument)
    {
        instrument = null;
        return Symbol.Parse(text).Is(out symbol, out _) && Instruments.TryGetValue(symbol, out instrument);
    }

    /// <summary>The accepted asset input <paramref name="text"/> names (see <see cref="AcceptsAsset"/>).</summary>
    public bool TryAcceptedAsset(string? text, out Asset asset) =>
        Asset.Parse(text).Is(out asset, out _) && AcceptsAsset(asset);

    /// <summary>Whether a collateral asset is spelled <paramref name="symbol"/>: a price update could not tell them
    /// apart.</summary>
    public bool IsCollateralSpelled(Symbol symbol) =>
        Asset.Parse(symbol.Value).Is(out var asset, out _) && Collateral.ContainsKey(asset);

    /// <summary>Whether an instrument is spelled <paramref name="asset"/>.</summary>
    public bool IsInstrumentSpelled(Asset asset) =>
        Symbol.Parse(asset.Value).Is(out var symbol, out _) && Instruments.ContainsKey(symbol);

    /// <summary>Whether an account may hold <paramref name="asset"/>: the settlement asset or a listed collateral
    /// asset.</summary>
    public bool AcceptsAsset(Asset asset) => asset == Ledger.Venue.SettlementAsset || Collateral.ContainsKey(asset);

    /// <summary>The limits of an accepted asset: the settlement asset's, or the collateral listing's.</summary>
    public AssetLimits LimitsOf(Asset asset) =>
        Collateral.TryGetValue(asset, out var collateral) ? collateral.Limits : AssetLimits.Settlement;
}
