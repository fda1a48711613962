using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Margin;
using CrossMargin.Ledger.Market;
using static CrossMargin.Ledger.Commands.RejectionCodes;

namespace CrossMargin.Ledger.Accounts;

/// <summary>
/// Decides account commands with the pre-trade rules of design §3: a deposit must be positive; a
/// withdrawal must leave the asset balance ≥ 0 and F ≥ 0; an order that adds exposure must leave
/// F ≥ 0 and keep the leverage in force within its bracket's maximum; a reducing order always passes.
/// Post-trade figures come from folding the would-be events, so the check and the ledger never disagree.
/// </summary>
public static class AccountDecider
{
    /// <summary>Credits a positive amount of an accepted asset.</summary>
    public static Decision Decide(Deposit c, LedgerState state)
    {
        if (Identifiers.CheckAccount(c.Account) is { } idError)
            return Decision.Reject(InvalidArgument, idError);
        if (c.Amount <= 0m)
            return Decision.Reject(InvalidArgument, $"amount must be positive, not {c.Amount}");
        if (!state.Market.AcceptsAsset(c.Asset))
            return UnknownAssetRejection(c.Asset);
        var after = state.Account(c.Account).Balance(c.Asset) + c.Amount;
        if (AmountRejection(c.Amount, c.Asset, state.Market, after, c.Account) is { } limit)
            return limit;
        return Decision.Accept(
            new Emitted(Streams.Account(c.Account), new FundsDeposited(c.Account, c.Asset, c.Amount, after))
        );
    }

    /// <summary>Debits an amount the balance holds, if free collateral stays ≥ 0.</summary>
    public static Decision Decide(Withdraw c, LedgerState state)
    {
        if (Identifiers.CheckAccount(c.Account) is { } idError)
            return Decision.Reject(InvalidArgument, idError);
        if (c.Amount <= 0m)
            return Decision.Reject(InvalidArgument, $"amount must be positive, not {c.Amount}");
        if (!state.Market.AcceptsAsset(c.Asset))
            return UnknownAssetRejection(c.Asset);
        if (AmountRejection(c.Amount, c.Asset, state.Market, balanceAfter: null, c.Account) is { } precision)
            return precision;
        var balance = state.Account(c.Account).Balance(c.Asset);
        if (balance < c.Amount)
            return Decision.Reject(
                InsufficientBalance,
                $"{c.Account} holds {balance} {c.Asset}, cannot withdraw {c.Amount}"
            );
        var emitted = new Emitted(
            Streams.Account(c.Account),
            new FundsWithdrawn(c.Account, c.Asset, c.Amount, balance - c.Amount)
        );
        return FreeCollateralRejection(state, c.Account, emitted, "withdrawal") ?? Decision.Accept(emitted);
    }

    /// <summary>Sets leverage within the current bracket's maximum, if free collateral stays ≥ 0.</summary>
    public static Decision Decide(SetLeverage c, LedgerState state)
    {
        if (Identifiers.CheckAccount(c.Account) is { } idError)
            return Decision.Reject(InvalidArgument, idError);
        if (!state.Market.Instruments.TryGetValue(c.Symbol, out var instrument))
            return UnknownInstrumentRejection(c.Symbol);
        if (c.Leverage < 1m)
            return Decision.Reject(InvalidArgument, $"leverage must be at least 1, not {c.Leverage}");
        var account = state.Account(c.Account);
        var notional = Math.Abs(account.Size(c.Symbol)) * (instrument.Mark ?? 0m);
        var (tier, number) = instrument.Spec.Tiers.For(notional);
        if (c.Leverage > tier.MaxLeverage)
            return Decision.Reject(
                LeverageAboveTierMaximum,
                $"{c.Symbol} bracket {number} (notional {notional}) allows at most {tier.MaxLeverage}×, not "
                    + $"{c.Leverage}×"
            );
        if (account.Leverage.TryGetValue(c.Symbol, out var current) && current == c.Leverage)
            return Decision.Accept();
        var emitted = new Emitted(Streams.Account(c.Account), new LeverageSet(c.Account, c.Symbol, c.Leverage));
        return FreeCollateralRejection(state, c.Account, emitted, "leverage change") ?? Decision.Accept(emitted);
    }

    /// <summary>Fills an order; adding exposure is checked, reducing is always allowed.</summary>
    public static Decision Decide(OpenPosition c, LedgerState state) =>
        Trade(state, c.Account, c.Symbol, c.Side, c.Quantity, c.Price, reduceOnly: false);

    /// <summary>Reduces or closes a position; a quantity above the position is rejected, not flipped.</summary>
    public static Decision Decide(ClosePosition c, LedgerState state)
    {
        if (Identifiers.CheckAccount(c.Account) is { } idError)
            return Decision.Reject(InvalidArgument, idError);
        if (!state.Market.Instruments.ContainsKey(c.Symbol))
            return UnknownInstrumentRejection(c.Symbol);
        var size = state.Account(c.Account).Size(c.Symbol);
        if (size == 0m)
            return Decision.Reject(NoPosition, $"{c.Account} has no position in {c.Symbol}");
        var quantity = c.Quantity ?? Math.Abs(size);
        if (quantity > Math.Abs(size))
            return Decision.Reject(
                QuantityExceedsPosition,
                $"{c.Account} holds {size} {c.Symbol}, cannot close {quantity}"
            );
        return Trade(
            state,
            c.Account,
            c.Symbol,
            size > 0m ? Side.Short : Side.Long,
            quantity,
            c.Price,
            reduceOnly: true
        );
    }

    private static Decision Trade(
        LedgerState state,
        string accountId,
        string symbol,
        Side side,
        decimal quantity,
        decimal price,
        bool reduceOnly
    )
    {
        if (Identifiers.CheckAccount(accountId) is { } idError)
            return Decision.Reject(InvalidArgument, idError);
        if (!state.Market.Instruments.TryGetValue(symbol, out var instrument))
            return UnknownInstrumentRejection(symbol);
        var spec = instrument.Spec;
        if (quantity <= 0m)
            return Decision.Reject(InvalidArgument, $"quantity must be positive, not {quantity}");
        if (price <= 0m)
            return Decision.Reject(InvalidArgument, $"price must be positive, not {price}");
        var account = state.Account(accountId);
        var closesAll = reduceOnly && quantity == Math.Abs(account.Size(symbol));
        if (!closesAll && quantity % spec.QuantityStep != 0m)
            return Decision.Reject(
                QuantityNotOnStep,
                $"quantity {quantity} is not a multiple of {symbol}'s quantity step {spec.QuantityStep}"
            );
        if (price % spec.TickSize != 0m)
            return Decision.Reject(
                PriceNotOnTick,
                $"price {price} is not a multiple of {symbol}'s tick size {spec.TickSize}"
            );
        if (instrument.Mark is not { } mark)
            return Decision.Reject(NoMarkPrice, $"{symbol} has no mark price yet; send update-price first");
        var limits = spec.Limits;
        if (price > limits.MaxPrice)
            return Decision.Reject(
                PriceAboveLimit,
                $"price {price} is above {symbol}'s listed maximum price {limits.MaxPrice}"
            );
        // a fill far from the mark moves money between an account and the market at a price nobody traded
        if (Math.Abs(price - mark) > limits.PriceBand * mark)
            return Decision.Reject(
                PriceOutsideBand,
                $"price {price} is more than {limits.PriceBand * 100m} % away from {symbol}'s mark {mark} (band "
                    + $"{mark - limits.PriceBand * mark} to {mark + limits.PriceBand * mark})"
            );

        account.Positions.TryGetValue(symbol, out var position);
        var fill = Fill.Of(accountId, symbol, position, side, quantity, price, spec.TakerFeeRate);
        Emitted[] events =
            fill.Fee > 0m
                ?
                [
                    new(Streams.Account(accountId), fill),
                    new(Streams.FeeAccount, new TradingFeeCollected(accountId, symbol, fill.FeeAsset, fill.Fee)),
                ]
                : [new(Streams.Account(accountId), fill)];
        if (!Fill.AddsExposure(fill))
            return Decision.Accept(events);
        if (Math.Abs(fill.SizeAfter) > limits.MaxQuantity)
            return Decision.Reject(
                PositionAboveLimit,
                $"after this order {accountId} would hold {fill.SizeAfter} {symbol}, above the listed maximum "
                    + $"{limits.MaxQuantity}"
            );
        if (Math.Abs(fill.SizeAfter) * price > limits.MaxPositionNotional)
            return Decision.Reject(
                PositionAboveLimit,
                $"after this order {accountId}'s {symbol} notional would be {Math.Abs(fill.SizeAfter) * price}, "
                    + $"above the listed maximum {limits.MaxPositionNotional}"
            );

        var after = MarginCalculator.Compute(Fold(state, events).Account(accountId), state.Market);
        var leg = after.Positions.Single(p => p.Symbol == symbol);
        var chosen = account.Leverage.GetValueOrDefault(symbol, spec.DefaultLeverage);
        if (chosen > leg.Leverage)
            return Decision.Reject(
                LeverageAboveTierMaximum,
                $"after this order {symbol} notional {leg.Notional} is in bracket {leg.Tier}, which allows at most "
                    + $"{leg.Leverage}×; leverage is {chosen}× (lower it with set-leverage)"
            );
        return after.FreeCollateral < 0m
            ? Decision.Reject(
                InsufficientFreeCollateral,
                $"after this order free collateral would be {after.FreeCollateral} (equity {after.Equity} − initial "
                    + $"margin {after.InitialMargin})"
            )
            : Decision.Accept(events);
    }

    private static Decision? FreeCollateralRejection(LedgerState state, string accountId, Emitted emitted, string what)
    {
        var after = MarginCalculator.Compute(Fold(state, [emitted]).Account(accountId), state.Market);
        return after.FreeCollateral >= 0m
            ? null
            : Decision.Reject(
                InsufficientFreeCollateral,
                $"after this {what} free collateral would be {after.FreeCollateral} (equity {after.Equity} − initial "
                    + $"margin {after.InitialMargin})"
            );
    }

    private static LedgerState Fold(LedgerState state, IEnumerable<Emitted> events) =>
        LedgerRuntime.Fold(state, events);

    /// <summary>
    /// An amount with more places than the asset's listed precision is refused, never rounded; so is a deposit
    /// that would take <paramref name="holder"/>'s balance above the asset's maximum (<paramref name="balanceAfter"/>).
    /// </summary>
    internal static Decision? AmountRejection(
        decimal amount,
        string asset,
        MarketState market,
        decimal? balanceAfter,
        string holder
    )
    {
        var limits = market.LimitsOf(asset);
        if (!limits.IsOnPrecision(amount))
            return Decision.Reject(
                AmountNotOnPrecision,
                $"amount {amount} has more than {limits.Precision} decimal places, the precision of {asset}"
            );
        return balanceAfter > limits.MaxBalance
            ? Decision.Reject(
                BalanceAboveLimit,
                $"{holder} would hold {balanceAfter} {asset}, above the listed maximum balance {limits.MaxBalance}"
            )
            : null;
    }

    private static Decision UnknownAssetRejection(string asset) =>
        Decision.Reject(
            UnknownAsset,
            $"'{asset}' is neither the settlement asset {Venue.SettlementAsset} nor a listed collateral asset"
        );

    private static Decision UnknownInstrumentRejection(string symbol) =>
        Decision.Reject(UnknownInstrument, $"no instrument named '{symbol}' is listed");
}
