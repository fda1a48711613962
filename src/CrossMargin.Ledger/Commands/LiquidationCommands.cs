using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Liquidation;

namespace CrossMargin.Ledger.Commands;

/// <summary>Sets the venue's liquidation buffer and deficit policy.</summary>
[WireName("set-liquidation-policy.v1")]
public sealed record SetLiquidationPolicy(decimal Buffer, DeficitPolicy DeficitPolicy) : LedgerCommand;

/// <summary>Sets an instrument's liquidation slippage and optional per-price-event notional cap.</summary>
[WireName("set-instrument-liquidation.v1")]
public sealed record SetInstrumentLiquidation(string Symbol, decimal Slippage, decimal? NotionalCap = null)
    : LedgerCommand;

/// <summary>
/// The price event a liquidation answers, and the liquidation rules version recorded on it. <paramref name="Symbol"/>
/// is what the price is of: an instrument's symbol (a mark) or a collateral asset's code (an index price), text as
/// the trigger records it.
/// </summary>
public sealed record LiquidationTrigger(string EventType, string Symbol, decimal Price)
{
    /// <summary>The liquidation rules version that reacts (or reacted) to the trigger.</summary>
    public int RulesVersion { get; init; } = Liquidation.LiquidationRules.Current;
}

/// <summary>
/// Sent by the liquidation engine, never by a person: liquidate the account if it is liquidatable.
/// <paramref name="Caps"/> is what the per-price-event caps still allow (see <see cref="LiquidationCaps"/>).
/// </summary>
[WireName("liquidate-account.v1")]
public sealed record LiquidateAccount(AccountId Account, LiquidationTrigger Trigger, LiquidationCaps Caps)
    : LedgerCommand;
