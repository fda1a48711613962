using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.Commands;

/// <summary>A request to change the ledger; the deciders answer with events or a <see cref="Rejection"/>.</summary>
public abstract record LedgerCommand
{
    /// <summary>Only the core declares commands: the union is closed (the consistency test checks every
    /// leaf).</summary>
    private protected LedgerCommand() { }
}

/// <summary>
/// Lists an instrument, or changes a listed one's brackets, fees, steps and limits. Limits left out come from
/// <see cref="InstrumentLimits.Default"/> for a new listing and from the instrument's current limits for a change.
/// </summary>
[WireName("list-instrument.v1")]
public sealed record ListInstrument(
    string Symbol,
    string Base,
    string Quote,
    IReadOnlyList<RiskTierInput> Tiers,
    decimal TakerFeeRate,
    decimal LiquidationFeeRate,
    decimal QuantityStep,
    decimal TickSize,
    InstrumentLimitsInput? Limits = null
) : LedgerCommand;

/// <summary>
/// Lists a collateral asset, or changes its haircut bands. Limits are fixed at listing: fields left out take
/// <see cref="AssetLimits.DefaultCollateral"/>'s.
/// </summary>
[WireName("list-collateral.v1")]
public sealed record ListCollateral(
    string Asset,
    IReadOnlyList<CollateralRatioTier> Ratios,
    AssetLimitsInput? Limits = null
) : LedgerCommand;

/// <summary>Deposits an amount of an asset into an account.</summary>
[WireName("deposit.v1")]
public sealed record Deposit(string Account, string Asset, decimal Amount) : LedgerCommand;

/// <summary>Withdraws an amount of an asset from an account.</summary>
[WireName("withdraw.v1")]
public sealed record Withdraw(string Account, string Asset, decimal Amount) : LedgerCommand;

/// <summary>Sets an account's leverage for an instrument.</summary>
[WireName("set-leverage.v1")]
public sealed record SetLeverage(string Account, string Symbol, decimal Leverage) : LedgerCommand;

/// <summary>Which way an order trades.</summary>
#pragma warning disable CA1720 // long and short are the trade's words for the sides, not type names
public enum Side
{
    /// <summary>buy: adds to a long, reduces a short.</summary>
    Long,

    /// <summary>sell: adds to a short, reduces a long.</summary>
    Short,
}
#pragma warning restore CA1720

/// <summary>An order of <paramref name="Quantity"/> base units that fills at <paramref name="Price"/>.</summary>
[WireName("open-position.v1")]
public sealed record OpenPosition(string Account, string Symbol, Side Side, decimal Quantity, decimal Price)
    : LedgerCommand;

/// <summary>Reduces a position by <paramref name="Quantity"/> (all of it when null) at <paramref
/// name="Price"/>.</summary>
[WireName("close-position.v1")]
public sealed record ClosePosition(string Account, string Symbol, decimal Price, decimal? Quantity = null)
    : LedgerCommand;

/// <summary>A new mark (instrument) or index price (collateral asset).</summary>
[WireName("update-price.v1")]
public sealed record UpdatePrice(string Symbol, decimal Price) : LedgerCommand;

/// <summary>Tops up the insurance fund.</summary>
[WireName("fund-insurance.v1")]
public sealed record FundInsurance(string Asset, decimal Amount) : LedgerCommand;
