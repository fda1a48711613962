using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.Events;

/// <summary>An instrument was listed, on stream <c>instrument-{symbol}</c>, with its brackets and fees.</summary>
[WireName("instrument-listed.v1")]
public sealed record InstrumentListed(
    string Symbol, string Base, string Quote, IReadOnlyList<RiskTier> Tiers,
    decimal TakerFeeRate, decimal LiquidationFeeRate, decimal QuantityStep, decimal TickSize) : ILedgerEvent;

/// <summary>A listed instrument's brackets, fees or steps changed; later events use the new values.</summary>
[WireName("instrument-parameters-changed.v1")]
public sealed record InstrumentParametersChanged(
    string Symbol, IReadOnlyList<RiskTier> Tiers,
    decimal TakerFeeRate, decimal LiquidationFeeRate, decimal QuantityStep, decimal TickSize) : ILedgerEvent;

/// <summary>A new mark price of an instrument (settlement asset per base unit).</summary>
[WireName("mark-price-updated.v1")]
public sealed record MarkPriceUpdated(string Symbol, decimal Price) : ILedgerEvent;

/// <summary>An asset became acceptable collateral, on stream <c>asset-{symbol}</c>, with its haircut bands.</summary>
[WireName("collateral-listed.v1")]
public sealed record CollateralListed(string Asset, IReadOnlyList<CollateralRatioTier> Ratios) : ILedgerEvent;

/// <summary>A collateral asset's haircut bands changed.</summary>
[WireName("collateral-ratios-changed.v1")]
public sealed record CollateralRatiosChanged(string Asset, IReadOnlyList<CollateralRatioTier> Ratios) : ILedgerEvent;

/// <summary>A new index price of a collateral asset (settlement asset per unit).</summary>
[WireName("index-price-updated.v1")]
public sealed record IndexPriceUpdated(string Asset, decimal Price) : ILedgerEvent;
