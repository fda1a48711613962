using System.Collections.Immutable;
using System.Diagnostics;
using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Market;
using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.Ledger;

/// <summary>
/// <c>Evolve(state, event) → state</c>: the only way state changes. Events carry their results
/// (balances, sizes, entry prices), so a fold never re-derives a decision; it checks what it can and
/// throws on an event that cannot follow the state, instead of silently ignoring it.
/// </summary>
public static class LedgerEvolution
{
    /// <summary>Folds a sequence of events from <see cref="LedgerState.Initial"/>.</summary>
    public static LedgerState Replay(IEnumerable<ILedgerEvent> events) => events.Aggregate(LedgerState.Initial, Evolve);

    /// <summary>Applies one event, and keeps the engine's caches (the trigger index, the ADL book) when the state
    /// carries them.</summary>
    public static LedgerState Evolve(LedgerState state, ILedgerEvent @event)
    {
        var next = Apply(state, @event);
        if (next.Adl is { } book && book.After(@event) is var kept && !ReferenceEquals(kept, book))
            next = next with { Adl = kept };
        if (next.Triggers is not { IsFullScan: false } index)
            return next;
        var after = index.After(next, @event);
        return ReferenceEquals(after, index) ? next : next with { Triggers = after };
    }

    private static LedgerState Apply(LedgerState state, ILedgerEvent @event) =>
        @event switch
        {
            InstrumentListed e => Listed(state, e),
            // the changes are static lambdas given the event: a lambda capturing it would make this method allocate a
            // closure for every event it folds, whatever its type
            InstrumentParametersChanged e => WithInstrument(
                state,
                e.Symbol,
                e,
                static (i, e) => i with { Spec = Respecified(i.Spec, e) }
            ),
            MarkPriceUpdated e => WithInstrument(state, e.Symbol, e, static (i, e) => i with { Mark = e.Price }),
            CollateralListed e => Listed(state, e),
            CollateralRatiosChanged e => WithCollateral(
                state,
                e.Asset,
                e,
                static (c, e) => c with { Schedule = CollateralSchedule.FromRecorded(e.Ratios) }
            ),
            IndexPriceUpdated e => WithCollateral(state, e.Asset, e, static (c, e) => c with { IndexPrice = e.Price }),
            FundsDeposited e => WithBalance(
                state,
                e.Account,
                e.Asset,
                e.BalanceAfter,
                flows: state.Flows.Deposit(e.Asset, e.Amount)
            ),
            FundsWithdrawn e => WithBalance(
                state,
                e.Account,
                e.Asset,
                e.BalanceAfter,
                flows: state.Flows.Withdraw(e.Asset, e.Amount)
            ),
            LeverageSet e => Leveraged(state, e),
            TradeFilled e => Fill(state, e),
            // the fee moved with trade-filled, so that every event balances on its own; this is the fee account's
            // record of it
            TradingFeeCollected => state,
            InsuranceFundDeposited e => state with
            {
                InsuranceFund = Add(state.InsuranceFund, e.Asset, e.Amount),
                Flows = state.Flows.Deposit(e.Asset, e.Amount),
            },
            LiquidationPolicySet e => state with
            {
                Market = state.Market with { Policy = new LiquidationPolicy(e.Buffer, e.DeficitPolicy) },
            },
            InstrumentLiquidationSet e => WithInstrument(
                state,
                e.Symbol,
                e,
                static (i, e) =>
                    i with
                    {
                        Spec = i.Spec with { LiquidationSlippage = e.Slippage, LiquidationNotionalCap = e.NotionalCap },
                    }
            ),
            LiquidationTriggered e => Triggered(state, e),
            PositionLiquidated e => Move(
                state,
                e.Account,
                e.Symbol,
                e.SizeBefore,
                e.SizeAfter,
                e.EntryPrice,
                e.Asset,
                e.RealizedPnl - e.InsuranceFundDelta,
                e.RealizedPnl,
                insuranceFund: Add(state.InsuranceFund, e.Asset, e.InsuranceFundDelta)
            ),
            PositionAutoDeleveraged e => Move(
                state,
                e.Account,
                e.Symbol,
                e.SizeBefore,
                e.SizeAfter,
                e.EntryPrice,
                e.Asset,
                e.RealizedPnl,
                e.RealizedPnl
            ),
            LossSocialized e => WithBalance(
                WithBalance(state, e.Account, e.Asset, state.Account(e.Account).Balance(e.Asset) - e.Amount),
                e.LiquidatedAccount,
                e.Asset,
                state.Account(e.LiquidatedAccount).Balance(e.Asset) + e.Amount
            ),
            CollateralSold e => Sold(state, e),
            DebtCovered e => WithBalance(
                state,
                e.Account,
                e.Asset,
                state.Account(e.Account).Balance(e.Asset) + e.Amount,
                insuranceFund: Add(state.InsuranceFund, e.Asset, -e.Amount)
            ),
            // records: the balances moved with the position-liquidated of the same step / the liquidation's steps
            InsuranceFundChanged or LiquidationCompleted or AccountBankrupt => state,
            _ => throw new UnreachableException($"no evolution for event {@event.GetType().Name}"),
        };

    private static LedgerState Listed(LedgerState state, InstrumentListed e)
    {
        var spec = new InstrumentSpec(
            e.Symbol,
            e.Base,
            e.Quote,
            RiskTierSchedule.FromRecorded(e.Tiers),
            e.TakerFeeRate,
            e.LiquidationFeeRate,
            e.QuantityStep,
            e.TickSize,
            e.Limits
        );
        var instruments = state.Market.Instruments.Add(e.Symbol, new InstrumentState(spec, Mark: null));
        return state with { Market = state.Market with { Instruments = instruments } };
    }

    private static LedgerState Listed(LedgerState state, CollateralListed e)
    {
        var collateral = state.Market.Collateral.Add(
            e.Asset,
            new CollateralState(e.Asset, CollateralSchedule.FromRecorded(e.Ratios), IndexPrice: null, e.Limits)
        );
        return state with { Market = state.Market with { Collateral = collateral } };
    }

    private static InstrumentSpec Respecified(InstrumentSpec spec, InstrumentParametersChanged e) =>
        spec with
        {
            Tiers = RiskTierSchedule.FromRecorded(e.Tiers),
            TakerFeeRate = e.TakerFeeRate,
            LiquidationFeeRate = e.LiquidationFeeRate,
            QuantityStep = e.QuantityStep,
            TickSize = e.TickSize,
            Limits = e.Limits,
        };

    /// <summary>The account's balance of <paramref name="asset"/> set, the running total moved with it, and the fund
    /// and the external flows set when given (each change folds into one copy of the state).</summary>
    private static LedgerState WithBalance(
        LedgerState state,
        AccountId id,
        Asset asset,
        decimal balance,
        ImmutableSortedDictionary<Asset, decimal>? insuranceFund = null,
        ExternalFlows? flows = null
    )
    {
        var account = state.Account(id);
        return state.WithAccount(
            account with
            {
                Balances = account.Balances.SetItem(asset, balance),
            },
            flows ?? state.Flows,
            Add(state.Held, asset, balance - account.Balance(asset)),
            insuranceFund ?? state.InsuranceFund,
            state.FeeAccount
        );
    }

    private static LedgerState Leveraged(LedgerState state, LeverageSet e)
    {
        var account = state.Account(e.Account);
        return state.WithAccount(account with { Leverage = account.Leverage.SetItem(e.Symbol, e.Leverage) });
    }

    /// <summary>A sale to the market: both legs are market flows (collateral out, settlement in), like realised
    /// PnL.</summary>
    private static LedgerState Sold(LedgerState state, CollateralSold e)
    {
        var account = state.Account(e.Account);
        var sold = WithBalance(state, e.Account, e.Asset, account.Balance(e.Asset) - e.Quantity);
        var paid = WithBalance(sold, e.Account, e.SettlementAsset, account.Balance(e.SettlementAsset) + e.Proceeds);
        return paid with { Flows = paid.Flows.Realize(e.Asset, -e.Quantity).Realize(e.SettlementAsset, e.Proceeds) };
    }

    private static LedgerState Fill(LedgerState state, TradeFilled e) =>
        Move(
            state,
            e.Account,
            e.Symbol,
            e.SizeBefore,
            e.SizeAfter,
            e.EntryPriceAfter,
            e.FeeAsset,
            e.RealizedPnl - e.Fee,
            e.RealizedPnl,
            feeAccount: e.Fee == 0m ? state.FeeAccount : Add(state.FeeAccount, e.FeeAsset, e.Fee)
        );

    /// <summary>
    /// Moves a position from <paramref name="sizeBefore"/> (checked against the fold) to <paramref name="sizeAfter"/>,
    /// moves the settlement balance, records realised PnL and keeps the holders index; the fund and the fee account
    /// are set when given (each change folds into one copy of the state).
    /// </summary>
    private static LedgerState Move(
        LedgerState state,
        AccountId accountId,
        Symbol symbol,
        decimal sizeBefore,
        decimal sizeAfter,
        decimal entryAfter,
        Asset asset,
        decimal balanceDelta,
        decimal realized,
        ImmutableSortedDictionary<Asset, decimal>? insuranceFund = null,
        ImmutableSortedDictionary<Asset, decimal>? feeAccount = null
    )
    {
        var account = state.Account(accountId);
        if (account.Size(symbol) != sizeBefore)
            throw new UnreachableException(
                $"{accountId}: an event expects size {sizeBefore} in {symbol}, the fold holds {account.Size(symbol)}"
            );
        var positions =
            sizeAfter == 0m
                ? account.Positions.Remove(symbol)
                : account.Positions.SetItem(symbol, new Position(sizeAfter, entryAfter));
        var next = account with
        {
            Positions = positions,
            Balances = account.Balances.SetItem(asset, account.Balance(asset) + balanceDelta),
        };
        // the holders index changes only when a position opens or closes (a holder is an account with a position); a
        // move from flat to flat in an instrument nobody held still records its empty entry, as it always has (the
        // entry is part of a snapshot's canonical form)
        (Symbol, bool)? holding =
            sizeBefore == 0m && sizeAfter != 0m ? (symbol, true)
            : sizeAfter == 0m && (sizeBefore != 0m || !state.ListsHolders(symbol)) ? (symbol, false)
            : null;
        return state.WithAccount(
            next,
            state.Flows.Realize(asset, realized),
            balanceDelta == 0m ? state.Held : Add(state.Held, asset, balanceDelta),
            insuranceFund ?? state.InsuranceFund,
            feeAccount ?? state.FeeAccount,
            holding
        );
    }

    private static LedgerState Triggered(LedgerState state, LiquidationTriggered e)
    {
        var account = state.Account(e.Account);
        var expected = LiquidationIds.Next(account);
        if (e.LiquidationId != expected)
            throw new UnreachableException(
                $"{e.Account}: liquidation-triggered carries id {e.LiquidationId}, the fold expects {expected}"
            );
        return state.WithAccount(account with { Liquidations = account.Liquidations + 1 });
    }

    private static LedgerState WithInstrument<TEvent>(
        LedgerState state,
        Symbol symbol,
        TEvent e,
        Func<InstrumentState, TEvent, InstrumentState> change
    )
        where TEvent : ILedgerEvent =>
        state.Market.Instruments.TryGetValue(symbol, out var instrument)
            ? state with
            {
                Market = state.Market with
                {
                    Instruments = state.Market.Instruments.SetItem(symbol, change(instrument, e)),
                },
            }
            : throw new UnreachableException($"{e.GetType().Name} for unlisted instrument {symbol}");

    private static LedgerState WithCollateral<TEvent>(
        LedgerState state,
        Asset asset,
        TEvent e,
        Func<CollateralState, TEvent, CollateralState> change
    )
        where TEvent : ILedgerEvent =>
        state.Market.Collateral.TryGetValue(asset, out var collateral)
            ? state with
            {
                Market = state.Market with
                {
                    Collateral = state.Market.Collateral.SetItem(asset, change(collateral, e)),
                },
            }
            : throw new UnreachableException($"{e.GetType().Name} for unlisted collateral asset {asset}");

    internal static ImmutableSortedDictionary<Asset, decimal> Add(
        ImmutableSortedDictionary<Asset, decimal> totals,
        Asset asset,
        decimal amount
    ) => totals.SetItem(asset, totals.GetValueOrDefault(asset) + amount);
}
