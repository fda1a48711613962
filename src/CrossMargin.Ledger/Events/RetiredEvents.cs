using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.Events;

/// <summary>
/// A stored shape that a newer version replaced. Logs keep it forever; it is read as stored (its hash is
/// over these bytes) and handed to the folds as the current event by <see cref="Upcast"/>. Nothing
/// appends it any more.
/// </summary>
public interface IRetiredEvent
{
    /// <summary>The current event this stored one means, with the documented defaults for what it lacks.</summary>
    ILedgerEvent Upcast();
}

/// <summary>An instrument was listed, on stream instrument-{symbol}, with its brackets and fees. Retired: read as
/// instrument-listed.v2 with the default limits of its tick size.</summary>
[WireName("instrument-listed.v1")]
public sealed record InstrumentListedV1(
    Symbol Symbol,
    Asset Base,
    Asset Quote,
    IReadOnlyList<RiskTier> Tiers,
    decimal TakerFeeRate,
    decimal LiquidationFeeRate,
    decimal QuantityStep,
    decimal TickSize
) : IRetiredEvent
{
    /// <inheritdoc/>
    public ILedgerEvent Upcast() =>
        new InstrumentListed(
            Symbol,
            Base,
            Quote,
            Tiers,
            TakerFeeRate,
            LiquidationFeeRate,
            QuantityStep,
            TickSize,
            InstrumentLimits.Default(TickSize, QuantityStep)
        );
}

/// <summary>A listed instrument's brackets, fees or steps changed. Retired: read as instrument-parameters-changed.v2
/// with the default limits of its tick size, decided under liquidation rules 1.</summary>
[WireName("instrument-parameters-changed.v1")]
public sealed record InstrumentParametersChangedV1(
    Symbol Symbol,
    IReadOnlyList<RiskTier> Tiers,
    decimal TakerFeeRate,
    decimal LiquidationFeeRate,
    decimal QuantityStep,
    decimal TickSize
) : IRetiredEvent
{
    /// <inheritdoc/>
    public ILedgerEvent Upcast() =>
        new InstrumentParametersChanged(
            Symbol,
            Tiers,
            TakerFeeRate,
            LiquidationFeeRate,
            QuantityStep,
            TickSize,
            InstrumentLimits.Default(TickSize, QuantityStep),
            LiquidationRules.Unversioned
        );
}

/// <summary>A new mark price of an instrument (settlement asset per base unit). Retired: read as mark-price-updated.v2
/// decided under liquidation rules 1.</summary>
[WireName("mark-price-updated.v1")]
public sealed record MarkPriceUpdatedV1(Symbol Symbol, decimal Price) : IRetiredEvent
{
    /// <inheritdoc/>
    public ILedgerEvent Upcast() => new MarkPriceUpdated(Symbol, Price, LiquidationRules.Unversioned);
}

/// <summary>An asset became acceptable collateral, on stream asset-{symbol}, with its haircut bands. Retired: read as
/// collateral-listed.v2 with the default collateral limits.</summary>
[WireName("collateral-listed.v1")]
public sealed record CollateralListedV1(Asset Asset, IReadOnlyList<CollateralRatioTier> Ratios) : IRetiredEvent
{
    /// <inheritdoc/>
    public ILedgerEvent Upcast() => new CollateralListed(Asset, Ratios, AssetLimits.DefaultCollateral);
}

/// <summary>A collateral asset's haircut bands changed. Retired: read as collateral-ratios-changed.v2 decided under
/// liquidation rules 1.</summary>
[WireName("collateral-ratios-changed.v1")]
public sealed record CollateralRatiosChangedV1(Asset Asset, IReadOnlyList<CollateralRatioTier> Ratios) : IRetiredEvent
{
    /// <inheritdoc/>
    public ILedgerEvent Upcast() => new CollateralRatiosChanged(Asset, Ratios, LiquidationRules.Unversioned);
}

/// <summary>A new index price of a collateral asset (settlement asset per unit). Retired: read as
/// index-price-updated.v2 decided under liquidation rules 1.</summary>
[WireName("index-price-updated.v1")]
public sealed record IndexPriceUpdatedV1(Asset Asset, decimal Price) : IRetiredEvent
{
    /// <inheritdoc/>
    public ILedgerEvent Upcast() => new IndexPriceUpdated(Asset, Price, LiquidationRules.Unversioned);
}

/// <summary>
/// The end of a liquidation whose deficit had to be covered: by the insurance fund, by ADL (a quantity summed
/// over instruments), by socialised loss, and what nothing covered. Retired: read as account-bankrupt.v2
/// with no per-instrument deficits and no collateral sold (v1 recorded neither; explain derives the deficits from the
/// steps).
/// </summary>
[WireName("account-bankrupt.v1")]
public sealed record AccountBankruptV1(
    string LiquidationId,
    AccountId Account,
    int Steps,
    decimal Equity,
    decimal CoveredByInsuranceFund,
    decimal DeleveragedQuantity,
    decimal Socialized,
    decimal Uncovered,
    decimal InsuranceFund,
    IReadOnlyList<PositionSnapshot> Positions
) : IRetiredEvent
{
    /// <inheritdoc/>
    public ILedgerEvent Upcast() =>
        new AccountBankrupt(
            LiquidationId,
            Account,
            Steps,
            Equity,
            CoveredByInsuranceFund,
            CollateralProceeds: 0m,
            Socialized,
            Uncovered,
            InsuranceFund,
            [],
            Positions
        );
}
