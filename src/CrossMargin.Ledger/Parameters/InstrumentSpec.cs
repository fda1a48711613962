namespace CrossMargin.Ledger.Parameters;

/// <summary>
/// A linear perpetual future: quantity in <see cref="Base"/> units, prices and PnL in <see cref="Quote"/>,
/// which is always the venue's settlement asset.
/// </summary>
/// <param name="TakerFeeRate">trading fee on fill value: 0.0004 = 4 bp, paid to the venue fee account.</param>
/// <param name="LiquidationFeeRate">liquidation fee on fill value: 0.005 = 0.5 %, paid to the insurance fund.</param>
/// <param name="QuantityStep">every order quantity is a positive multiple of it (base units).</param>
/// <param name="TickSize">every order price is a positive multiple of it (settlement asset).</param>
/// <param name="Limits">price precision, largest price, position and notional, and the fill band around the
/// mark.</param>
public sealed record InstrumentSpec(
    Symbol Symbol,
    Asset Base,
    Asset Quote,
    RiskTierSchedule Tiers,
    decimal TakerFeeRate,
    decimal LiquidationFeeRate,
    decimal QuantityStep,
    decimal TickSize,
    InstrumentLimits Limits
)
{
    /// <summary>Liquidation fills move the mark against the account by this fraction (0.001 = 0.1 %); 0 until
    /// set.</summary>
    public decimal LiquidationSlippage { get; init; }

    /// <summary>Most notional (at the mark) liquidated in this instrument per price event; null: no cap.</summary>
    public decimal? LiquidationNotionalCap { get; init; }

    /// <summary>Leverage an account uses before it sets one: bracket 1's maximum.</summary>
    public decimal DefaultLeverage => Tiers.Tiers[0].MaxLeverage;
}
