using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.Events;

/// <summary>
/// An event that can trigger liquidations (a mark, an index price, a risk-parameter change); it records the
/// version of the liquidation rules that reacted to it (<see cref="LiquidationRules"/>).
/// </summary>
public interface ILiquidationTrigger : ILedgerEvent
{
    /// <summary>The liquidation rules version that reacted to this event.</summary>
    int RulesVersion { get; }
}

/// <summary>An instrument was listed, on stream <c>instrument-{symbol}</c>, with its brackets, fees, steps and
/// limits.</summary>
[WireName("instrument-listed.v2")]
public sealed record InstrumentListed(
    Symbol Symbol,
    Asset Base,
    Asset Quote,
    IReadOnlyList<RiskTier> Tiers,
    decimal TakerFeeRate,
    decimal LiquidationFeeRate,
    decimal QuantityStep,
    decimal TickSize,
    InstrumentLimits Limits
) : ILedgerEvent;

/// <summary>
/// A listed instrument's brackets, fees, steps or limits changed; later events use the new values. It can
/// trigger liquidations: <paramref name="RulesVersion"/> is the version of the liquidation rules that reacted.
/// </summary>
[WireName("instrument-parameters-changed.v2")]
public sealed record InstrumentParametersChanged(
    Symbol Symbol,
    IReadOnlyList<RiskTier> Tiers,
    decimal TakerFeeRate,
    decimal LiquidationFeeRate,
    decimal QuantityStep,
    decimal TickSize,
    InstrumentLimits Limits,
    int RulesVersion = LiquidationRules.Current
) : ILiquidationTrigger;

/// <summary>
/// A new mark price of an instrument (settlement asset per base unit). <paramref name="RulesVersion"/> is the
/// version of the liquidation rules that reacted to it (<see cref="LiquidationRules"/>).
/// </summary>
[WireName("mark-price-updated.v2")]
public sealed record MarkPriceUpdated(Symbol Symbol, decimal Price, int RulesVersion = LiquidationRules.Current)
    : ILiquidationTrigger;

/// <summary>An asset became acceptable collateral, on stream <c>asset-{symbol}</c>, with its haircut bands and
/// limits.</summary>
[WireName("collateral-listed.v2")]
public sealed record CollateralListed(Asset Asset, IReadOnlyList<CollateralRatioTier> Ratios, AssetLimits Limits)
    : ILedgerEvent;

/// <summary>A collateral asset's haircut bands changed; <paramref name="RulesVersion"/>: the liquidation rules that
/// reacted.</summary>
[WireName("collateral-ratios-changed.v2")]
public sealed record CollateralRatiosChanged(
    Asset Asset,
    IReadOnlyList<CollateralRatioTier> Ratios,
    int RulesVersion = LiquidationRules.Current
) : ILiquidationTrigger;

/// <summary>A new index price of a collateral asset (settlement asset per unit); <paramref name="RulesVersion"/>: the
/// liquidation rules that reacted.</summary>
[WireName("index-price-updated.v2")]
public sealed record IndexPriceUpdated(Asset Asset, decimal Price, int RulesVersion = LiquidationRules.Current)
    : ILiquidationTrigger;
