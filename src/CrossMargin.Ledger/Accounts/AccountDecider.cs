using CrossMargin.Ledger.Arithmetic;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Margin;
using CrossMargin.Ledger.Market;

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
        if (!AccountId.Parse(c.Account).Is(out var id, out var problem))
            return Rejections.InvalidArgument(problem);
        if (c.Amount <= 0m)
            return Rejections.AmountNotPositive(c.Amount);
        if (!state.Market.TryAcceptedAsset(c.Asset, out var asset))
            return Rejections.UnknownAsset(c.Asset);
        var after = state.Account(id).Balance(asset) + c.Amount;
        if (AmountRejection(c.Amount, asset, state.Market, after, id.Value) is { } limit)
            return limit;
        return Decision.Accept(new Emitted(Streams.Account(id), new FundsDeposited(id, asset, c.Amount, after)));
    }

    /// <summary>Debits an amount the balance holds, if free collateral stays ≥ 0.</summary>
    public static Decision Decide(Withdraw c, LedgerState state)
    {
        if (!AccountId.Parse(c.Account).Is(out var id, out var problem))
            return Rejections.InvalidArgument(problem);
        if (c.Amount <= 0m)
            return Rejections.AmountNotPositive(c.Amount);
        if (!state.Market.TryAcceptedAsset(c.Asset, out var asset))
            return Rejections.UnknownAsset(c.Asset);
        if (AmountRejection(c.Amount, asset, state.Market, balanceAfter: null, id.Value) is { } precision)
            return precision;
        var balance = state.Account(id).Balance(asset);
        if (balance < c.Amount)
            return Rejections.InsufficientBalance(id, balance, asset, c.Amount);
        var emitted = new Emitted(Streams.Account(id), new FundsWithdrawn(id, asset, c.Amount, balance - c.Amount));
        return FreeCollateralRejection(state, id, emitted, "withdrawal") ?? Decision.Accept(emitted);
    }

    /// <summary>Sets leverage within the current bracket's maximum, if free collateral stays ≥ 0.</summary>
    public static Decision Decide(SetLeverage c, LedgerState state)
    {
        if (!AccountId.Parse(c.Account).Is(out var id, out var problem))
            return Rejections.InvalidArgument(problem);
        if (!state.Market.TryInstrument(c.Symbol, out var symbol, out var instrument))
            return Rejections.UnknownInstrument(c.Symbol);
        if (c.Leverage < 1m)
            return Rejections.LeverageBelowOne(c.Leverage);
        var account = state.Account(id);
        var notional = Math.Abs(account.Size(symbol)) * (instrument.Mark ?? 0m);
        var (tier, number) = instrument.Spec.Tiers.For(notional);
        if (c.Leverage > tier.MaxLeverage)
            return Rejections.LeverageAboveBracket(symbol, number, notional, tier.MaxLeverage, c.Leverage);
        if (account.Leverage.TryGetValue(symbol, out var current) && current == c.Leverage)
            return Decision.Accept();
        var emitted = new Emitted(Streams.Account(id), new LeverageSet(id, symbol, c.Leverage));
        return FreeCollateralRejection(state, id, emitted, "leverage change") ?? Decision.Accept(emitted);
    }

    /// <summary>Fills an order; adding exposure is checked, reducing is always allowed.</summary>
    public static Decision Decide(OpenPosition c, LedgerState state)
    {
        if (!AccountId.Parse(c.Account).Is(out var id, out var problem))
            return Rejections.InvalidArgument(problem);
        if (!state.Market.TryInstrument(c.Symbol, out var symbol, out var instrument))
            return Rejections.UnknownInstrument(c.Symbol);
        return Trade(state, id, symbol, instrument, c.Side, c.Quantity, c.Price, reduceOnly: false);
    }

    /// <summary>Reduces or closes a position; a quantity above the position is rejected, not flipped.</summary>
    public static Decision Decide(ClosePosition c, LedgerState state)
    {
        if (!AccountId.Parse(c.Account).Is(out var id, out var problem))
            return Rejections.InvalidArgument(problem);
        if (!state.Market.TryInstrument(c.Symbol, out var symbol, out var instrument))
            return Rejections.UnknownInstrument(c.Symbol);
        var size = state.Account(id).Size(symbol);
        if (size == 0m)
            return Rejections.NoPosition(id, symbol);
        var quantity = c.Quantity ?? Math.Abs(size);
        if (quantity > Math.Abs(size))
            return Rejections.QuantityExceedsPosition(id, size, symbol, quantity);
        return Trade(
            state,
            id,
            symbol,
            instrument,
            size > 0m ? Side.Short : Side.Long,
            quantity,
            c.Price,
            reduceOnly: true
        );
    }

    private static Decision Trade(
        LedgerState state,
        AccountId accountId,
        Symbol symbol,
        InstrumentState instrument,
        Side side,
        decimal quantity,
        decimal price,
        bool reduceOnly
    )
    {
        var spec = instrument.Spec;
        if (quantity <= 0m)
            return Rejections.QuantityNotPositive(quantity);
        if (price <= 0m)
            return Rejections.PriceNotPositive(price);
        var account = state.Account(accountId);
        var closesAll = reduceOnly && quantity == Math.Abs(account.Size(symbol));
        if (!closesAll && !Quantity.IsOnStep(quantity, spec.QuantityStep))
            return Rejections.QuantityNotOnStep(quantity, symbol, spec.QuantityStep);
        if (price % spec.TickSize != 0m)
            return Rejections.PriceNotOnTick(price, symbol, spec.TickSize);
        if (instrument.Mark is not { } mark)
            return Rejections.NoMarkPrice(symbol);
        var limits = spec.Limits;
        if (price > limits.MaxPrice)
            return Rejections.OrderPriceAboveLimit(price, symbol, limits.MaxPrice);
        // a fill far from the mark moves money between an account and the market at a price nobody traded
        if (Math.Abs(price - mark) > limits.PriceBand * mark)
            return Rejections.PriceOutsideBand(price, limits.PriceBand, symbol, mark);

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
            return Rejections.PositionAboveMaxQuantity(accountId, fill.SizeAfter, symbol, limits.MaxQuantity);
        if (Math.Abs(fill.SizeAfter) * price > limits.MaxPositionNotional)
            return Rejections.PositionAboveMaxNotional(
                accountId,
                symbol,
                Math.Abs(fill.SizeAfter) * price,
                limits.MaxPositionNotional
            );

        // the checks read free collateral and the leg's bracket, never a liquidation or bankruptcy price
        var after = MarginCalculator.WithoutPrices(Fold(state, events).Account(accountId), state.Market);
        var leg = after.Positions.Single(p => p.Symbol == symbol);
        var chosen = account.Leverage.GetValueOrDefault(symbol, spec.DefaultLeverage);
        if (chosen > leg.Leverage)
            return Rejections.LeverageAboveBracketAfterOrder(symbol, leg.Notional, leg.Tier, leg.Leverage, chosen);
        return after.FreeCollateral < 0m
            ? Rejections.InsufficientFreeCollateral("order", after.FreeCollateral, after.Equity, after.InitialMargin)
            : Decision.Accept(events);
    }

    private static Decision? FreeCollateralRejection(
        LedgerState state,
        AccountId accountId,
        Emitted emitted,
        string what
    )
    {
        var after = MarginCalculator.WithoutPrices(Fold(state, [emitted]).Account(accountId), state.Market);
        return after.FreeCollateral >= 0m
            ? null
            : Rejections.InsufficientFreeCollateral(what, after.FreeCollateral, after.Equity, after.InitialMargin);
    }

    private static LedgerState Fold(LedgerState state, IEnumerable<Emitted> events) =>
        LedgerRuntime.Probe(state, events);

    /// <summary>
    /// An amount with more places than the asset's listed precision is refused, never rounded; so is a deposit
    /// that would take <paramref name="holder"/>'s balance above the asset's maximum (<paramref name="balanceAfter"/>).
    /// </summary>
    internal static Decision? AmountRejection(
        decimal amount,
        Asset asset,
        MarketState market,
        decimal? balanceAfter,
        string holder
    )
    {
        var limits = market.LimitsOf(asset);
        if (!limits.IsOnPrecision(amount))
            return Rejections.AmountNotOnPrecision(amount, limits.Precision, asset);
        return balanceAfter is { } after && after > limits.MaxBalance
            ? Rejections.BalanceAboveLimit(holder, after, asset, limits.MaxBalance)
            : null;
    }
}
