using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.Commands;

namespace CrossMargin.Ledger.Events;

/// <summary>Collateral came in from outside the ledger; <c>BalanceAfter</c> is the account's balance of the
/// asset.</summary>
[WireName("funds-deposited.v1")]
public sealed record FundsDeposited(AccountId Account, Asset Asset, decimal Amount, decimal BalanceAfter)
    : ILedgerEvent;

/// <summary>Collateral left the ledger.</summary>
[WireName("funds-withdrawn.v1")]
public sealed record FundsWithdrawn(AccountId Account, Asset Asset, decimal Amount, decimal BalanceAfter)
    : ILedgerEvent;

/// <summary>The account chose its leverage for an instrument (5 = 5×): initial margin is notional / leverage.</summary>
[WireName("leverage-set.v1")]
public sealed record LeverageSet(AccountId Account, Symbol Symbol, decimal Leverage) : ILedgerEvent;

/// <summary>
/// An order filled against the market. <c>Quantity</c> is unsigned, <c>Side</c> is <c>long</c> (buy) or
/// <c>short</c> (sell); sizes are signed (+ long, − short). The settlement balance moves by
/// <c>RealizedPnl − Fee</c> and the venue fee account by <c>+Fee</c> (both legs in this one event).
/// </summary>
/// <param name="Effect">open, increase, reduce, close or flip: what the fill did to the position.</param>
[WireName("trade-filled.v1")]
public sealed record TradeFilled(
    AccountId Account,
    Symbol Symbol,
    Side Side,
    decimal Quantity,
    decimal Price,
    FillEffect Effect,
    decimal SizeBefore,
    decimal EntryPriceBefore,
    decimal SizeAfter,
    decimal EntryPriceAfter,
    decimal RealizedPnl,
    decimal Fee,
    Asset FeeAsset
) : ILedgerEvent;

/// <summary>
/// The venue fee account's record (stream <c>fee-account</c>) of a trading fee. The balances move with the
/// <see cref="TradeFilled"/> of the same command, which posts both legs (account − fee, fee account + fee)
/// so that every event balances on its own; this event lets a reader of the fee-account stream see each fee.
/// </summary>
[WireName("trading-fee-collected.v1")]
public sealed record TradingFeeCollected(AccountId Account, Symbol Symbol, Asset Asset, decimal Amount) : ILedgerEvent;

/// <summary>The insurance fund (stream <c>insurance-fund</c>) was topped up from outside the ledger.</summary>
[WireName("insurance-fund-deposited.v1")]
public sealed record InsuranceFundDeposited(Asset Asset, decimal Amount) : ILedgerEvent;
