using CrossMargin.Ledger.Arithmetic;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.Market;

/// <summary>Decides listings, parameter changes, price updates and insurance-fund top-ups.</summary>
public static class MarketDecider
{
    /// <summary>Lists an instrument, changes a listed one, or answers no events when nothing changes.</summary>
    /// <param name="largestPosition">the largest absolute open position in a symbol (a change may not set limits below
    /// it).</param>
    public static Decision Decide(ListInstrument c, MarketState market, Func<Symbol, decimal> largestPosition)
    {
        if (
            !Symbol.Parse(c.Symbol).Is(out var symbol, out var problem)
            || !Asset.Parse(c.Base, "base").Is(out var baseAsset, out problem)
            || !Asset.Parse(c.Quote, "quote").Is(out var quote, out problem)
        )
            return Rejections.InvalidArgument(problem);
        if (quote != Venue.SettlementAsset)
            return Rejections.QuoteNotSettlement(quote);
        if (baseAsset == quote)
            return Rejections.SameBaseAndQuote(baseAsset);
        if (market.IsCollateralSpelled(symbol))
            return Rejections.ListedAsCollateral(symbol);
        if (c.TakerFeeRate is < 0m or >= 1m)
            return Rejections.RateOutOfRange("takerFeeRate", c.TakerFeeRate);
        if (c.LiquidationFeeRate is < 0m or >= 1m)
            return Rejections.RateOutOfRange("liquidationFeeRate", c.LiquidationFeeRate);
        if (c.QuantityStep <= 0m)
            return Rejections.NotPositive("quantityStep", c.QuantityStep);
        // a quantity finer than 10⁻⁸ makes notionals and margins of dust that round to nothing
        if (!Money.IsWhole(c.QuantityStep))
            return Rejections.TooManyPlaces("quantityStep", Money.Scale, c.QuantityStep);
        if (c.TickSize <= 0m)
            return Rejections.NotPositive("tickSize", c.TickSize);
        if (!Price.IsOnPrecision(c.TickSize))
            return Rejections.TooManyPlaces("tickSize", Price.Scale, c.TickSize);
        var tiers = RiskTierSchedule.Create(c.Tiers);
        if (tiers.Problem is { } tierError)
            return Rejections.InvalidParameters(tierError);
        var schedule = tiers.Value;
        market.Instruments.TryGetValue(symbol, out var listed);
        var baseline = listed?.Spec.Limits ?? InstrumentLimits.Default(c.TickSize, c.QuantityStep);
        var named = c.Limits is null
            ? Checked.Valid<InstrumentLimits>(baseline)
            : c.Limits.Over(baseline, relisting: listed is not null, c.QuantityStep);
        if (named.Problem is { } inputError)
            return Rejections.InvalidParameters(inputError);
        var limits = named.Value;
        if (limits.Check(c.TickSize, c.QuantityStep) is { } limitError)
            return Rejections.InvalidParameters(limitError);
        // limits bound the arithmetic only if what is already there fits them: the mark and every open position
        if (listed?.Mark is { } mark && mark > limits.MaxPrice)
            return Rejections.MaxPriceBelowMark(limits.MaxPrice, symbol, mark);
        if (largestPosition(symbol) is var largest && largest > limits.MaxQuantity)
            return Rejections.MaxQuantityBelowPosition(limits.MaxQuantity, symbol, largest);

        var stream = Streams.Instrument(symbol);
        // rates finer than a Rate carries are refused after every older rule, so an input those rules refused is
        // still refused with the same words (recorded rejections re-execute by their text)
        if (listed is null)
            return FinerRate(c)
                ?? Decision.Accept(
                    new Emitted(
                        stream,
                        new InstrumentListed(
                            symbol,
                            baseAsset,
                            quote,
                            schedule.Tiers,
                            c.TakerFeeRate,
                            c.LiquidationFeeRate,
                            c.QuantityStep,
                            c.TickSize,
                            limits
                        )
                    )
                );
        var spec = listed.Spec;
        if (spec.Base != baseAsset || spec.Quote != quote)
            return Rejections.PairMismatch(symbol, spec.Base, spec.Quote, baseAsset, quote);
        if (FinerRate(c) is { } finer)
            return finer;
        var unchanged =
            spec.Tiers.Tiers.SequenceEqual(schedule.Tiers)
            && spec.TakerFeeRate == c.TakerFeeRate
            && spec.LiquidationFeeRate == c.LiquidationFeeRate
            && spec.QuantityStep == c.QuantityStep
            && spec.TickSize == c.TickSize
            && spec.Limits == limits;
        return unchanged
            ? Decision.Accept()
            : Decision.Accept(
                new Emitted(
                    stream,
                    new InstrumentParametersChanged(
                        symbol,
                        schedule.Tiers,
                        c.TakerFeeRate,
                        c.LiquidationFeeRate,
                        c.QuantityStep,
                        c.TickSize,
                        limits
                    )
                )
            );
    }

    /// <summary>A listing's first rate with more places than a <see cref="Rate"/> carries, refused naming it.</summary>
    private static Decision? FinerRate(ListInstrument c)
    {
        if (!Rate.IsOnScale(c.TakerFeeRate))
            return Rejections.TooManyPlaces("takerFeeRate", Rate.Scale, c.TakerFeeRate);
        if (!Rate.IsOnScale(c.LiquidationFeeRate))
            return Rejections.TooManyPlaces("liquidationFeeRate", Rate.Scale, c.LiquidationFeeRate);
        for (var n = 0; n < c.Tiers.Count; n++)
            if (!Rate.IsOnScale(c.Tiers[n].Mmr))
                return Rejections.TooManyPlaces($"tiers[{n}].mmr", Rate.Scale, c.Tiers[n].Mmr);
        return null;
    }

    /// <summary>A collateral listing's first ratio with more places than a <see cref="Rate"/> carries.</summary>
    private static Decision? FinerRate(ListCollateral c)
    {
        for (var n = 0; n < c.Ratios.Count; n++)
            if (!Rate.IsOnScale(c.Ratios[n].Ratio))
                return Rejections.TooManyPlaces($"ratios[{n}].ratio", Rate.Scale, c.Ratios[n].Ratio);
        return null;
    }

    /// <summary>Lists a collateral asset, changes its bands, or answers no events when nothing changes.</summary>
    public static Decision Decide(ListCollateral c, MarketState market)
    {
        if (!Asset.Parse(c.Asset).Is(out var asset, out var problem))
            return Rejections.InvalidArgument(problem);
        if (asset == Venue.SettlementAsset)
            return Rejections.SettlementCountsOneToOne(asset);
        if (market.IsInstrumentSpelled(asset))
            return Rejections.ListedAsInstrument(asset);
        var ratios = CollateralSchedule.Create(c.Ratios);
        if (ratios.Problem is { } ratioError)
            return Rejections.InvalidParameters(ratioError);
        var schedule = ratios.Value;
        var named = c.Limits is null
            ? Checked.Valid<AssetLimits>(AssetLimits.DefaultCollateral)
            : c.Limits.OverDefaults();
        if (named.Problem is { } inputError)
            return Rejections.InvalidParameters(inputError);
        var limits = named.Value;
        if (limits.Check() is { } limitError)
            return Rejections.InvalidParameters(limitError);
        var stream = Streams.Asset(asset);
        if (!market.Collateral.TryGetValue(asset, out var listed))
            return FinerRate(c)
                ?? Decision.Accept(new Emitted(stream, new CollateralListed(asset, schedule.Bands, limits)));
        // balances were accepted at the listed precision and bounds; changing them under those balances is not a
        // parameter change
        if (c.Limits is not null && limits != listed.Limits)
            return Rejections.CollateralLimitsFixed(
                asset,
                listed.Limits.Precision,
                listed.Limits.MaxPrice,
                listed.Limits.MaxBalance
            );
        if (FinerRate(c) is { } finer)
            return finer;
        return listed.Schedule.Bands.SequenceEqual(schedule.Bands)
            ? Decision.Accept()
            : Decision.Accept(new Emitted(stream, new CollateralRatiosChanged(asset, schedule.Bands)));
    }

    /// <summary>A mark for an instrument, an index price for a collateral asset.</summary>
    public static Decision Decide(UpdatePrice c, MarketState market)
    {
        if (c.Price <= 0m)
            return Rejections.PriceNotPositive(c.Price);
        if (market.TryInstrument(c.Symbol, out var symbol, out var instrument))
        {
            var limits = instrument.Spec.Limits;
            if (!limits.IsOnPrecision(c.Price))
                return Rejections.MarkNotOnPrecision(c.Price, symbol, limits.PricePrecision);
            if (c.Price > limits.MaxPrice)
                return Rejections.MarkAboveLimit(c.Price, symbol, limits.MaxPrice);
            return Decision.Accept(new Emitted(Streams.Instrument(symbol), new MarkPriceUpdated(symbol, c.Price)));
        }
        if (Asset.Parse(c.Symbol).Is(out var asset, out _) && market.Collateral.TryGetValue(asset, out var collateral))
        {
            if (!Price.IsOnPrecision(c.Price))
                return Rejections.IndexNotOnPrecision(c.Price, asset, Price.Scale);
            if (c.Price > collateral.Limits.MaxPrice)
                return Rejections.IndexAboveLimit(c.Price, asset, collateral.Limits.MaxPrice);
            return Decision.Accept(new Emitted(Streams.Asset(asset), new IndexPriceUpdated(asset, c.Price)));
        }
        return c.Symbol == Venue.SettlementAsset.Value
            ? Rejections.SettlementPriceIsOne(c.Symbol)
            : Rejections.UnknownPriceSymbol(c.Symbol);
    }

    /// <summary>Sets the venue's liquidation buffer (≥ 0, below 10) and deficit policy; no events when
    /// unchanged.</summary>
    public static Decision Decide(SetLiquidationPolicy c, MarketState market)
    {
        if (c.Buffer is < 0m or >= 10m)
            return Rejections.BufferOutOfRange(c.Buffer);
        if (!Rate.IsOnScale(c.Buffer))
            return Rejections.TooManyPlaces("buffer", Rate.Scale, c.Buffer);
        return market.Policy == new LiquidationPolicy(c.Buffer, c.DeficitPolicy)
            ? Decision.Accept()
            : Decision.Accept(new Emitted(Streams.Venue, new LiquidationPolicySet(c.Buffer, c.DeficitPolicy)));
    }

    /// <summary>Sets an instrument's liquidation slippage (in [0, 0.5)) and cap (positive or none); no events when
    /// unchanged.</summary>
    public static Decision Decide(SetInstrumentLiquidation c, MarketState market)
    {
        if (!market.TryInstrument(c.Symbol, out var symbol, out var instrument))
            return Rejections.UnknownInstrument(c.Symbol);
        if (c.Slippage is < 0m or >= 0.5m)
            return Rejections.SlippageOutOfRange(c.Slippage);
        if (c.NotionalCap is <= 0m)
            return Rejections.NotionalCapNotPositive(c.NotionalCap);
        if (!Rate.IsOnScale(c.Slippage))
            return Rejections.TooManyPlaces("slippage", Rate.Scale, c.Slippage);
        return
            instrument.Spec.LiquidationSlippage == c.Slippage && instrument.Spec.LiquidationNotionalCap == c.NotionalCap
            ? Decision.Accept()
            : Decision.Accept(
                new Emitted(Streams.Instrument(symbol), new InstrumentLiquidationSet(symbol, c.Slippage, c.NotionalCap))
            );
    }

    /// <summary>Tops up the insurance fund with the settlement asset (the only asset it pays out).</summary>
    public static Decision Decide(FundInsurance c, MarketState market, decimal fundBalance)
    {
        if (c.Amount <= 0m)
            return Rejections.AmountNotPositive(c.Amount);
        if (!market.TryAcceptedAsset(c.Asset, out var asset))
            return Rejections.UnknownFundAsset(c.Asset);
        // the fund pays deficits in the settlement asset only; a collateral asset would sit there unused and unseen
        if (asset != Venue.SettlementAsset)
            return Rejections.InsuranceFundSettlementOnly(asset);
        return Accounts.AccountDecider.AmountRejection(
                c.Amount,
                asset,
                market,
                fundBalance + c.Amount,
                "the insurance fund"
            ) ?? Decision.Accept(new Emitted(Streams.InsuranceFund, new InsuranceFundDeposited(asset, c.Amount)));
    }
}
