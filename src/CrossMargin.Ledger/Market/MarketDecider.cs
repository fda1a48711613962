using CrossMargin.Ledger.Arithmetic;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Parameters;
using static CrossMargin.Ledger.Commands.RejectionCodes;

namespace CrossMargin.Ledger.Market;

/// <summary>Decides listings, parameter changes, price updates and insurance-fund top-ups.</summary>
public static class MarketDecider
{
    /// <summary>Lists an instrument, changes a listed one, or answers no events when nothing changes.</summary>
    /// <param name="largestPosition">the largest absolute open position in a symbol (a change may not set limits below
    /// it).</param>
    public static Decision Decide(ListInstrument c, MarketState market, Func<string, decimal> largestPosition)
    {
        var error =
            Identifiers.CheckSymbol(c.Symbol, "symbol")
            ?? Identifiers.CheckSymbol(c.Base, "base")
            ?? Identifiers.CheckSymbol(c.Quote, "quote");
        if (error is not null)
            return Decision.Reject(InvalidArgument, error);
        if (c.Quote != Venue.SettlementAsset)
            return Decision.Reject(
                InvalidParameters,
                $"quote must be the settlement asset {Venue.SettlementAsset}, not {c.Quote}"
            );
        if (c.Base == c.Quote)
            return Decision.Reject(InvalidParameters, $"base and quote are both {c.Base}");
        if (market.Collateral.ContainsKey(c.Symbol))
            return Decision.Reject(
                ListingMismatch,
                $"{c.Symbol} is already a collateral asset; prices could not tell them apart"
            );
        if (c.TakerFeeRate is < 0m or >= 1m)
            return Decision.Reject(InvalidParameters, $"takerFeeRate must be in [0, 1), not {c.TakerFeeRate}");
        if (c.LiquidationFeeRate is < 0m or >= 1m)
            return Decision.Reject(
                InvalidParameters,
                $"liquidationFeeRate must be in [0, 1), not {c.LiquidationFeeRate}"
            );
        if (c.QuantityStep <= 0m)
            return Decision.Reject(InvalidParameters, $"quantityStep must be positive, not {c.QuantityStep}");
        // a quantity finer than 10⁻⁸ makes notionals and margins of dust that round to nothing
        if (!Money.IsWhole(c.QuantityStep))
            return Decision.Reject(
                InvalidParameters,
                $"quantityStep must have at most {Money.Scale} decimal places, not {c.QuantityStep}"
            );
        if (c.TickSize <= 0m)
            return Decision.Reject(InvalidParameters, $"tickSize must be positive, not {c.TickSize}");
        if (!Prices.IsOnPrecision(c.TickSize))
            return Decision.Reject(
                InvalidParameters,
                $"tickSize must have at most {Prices.Scale} decimal places, not {c.TickSize}"
            );
        var schedule = RiskTierSchedule.Create(c.Tiers, out var tierError);
        if (schedule is null)
            return Decision.Reject(InvalidParameters, tierError!);
        market.Instruments.TryGetValue(c.Symbol, out var listed);
        var baseline = listed?.Spec.Limits ?? InstrumentLimits.Default(c.TickSize, c.QuantityStep);
        string? inputError = null;
        var limits = c.Limits is null
            ? baseline
            : c.Limits.Over(baseline, relisting: listed is not null, c.QuantityStep, out inputError);
        if (limits is null)
            return Decision.Reject(InvalidParameters, inputError!);
        if (limits.Check(c.TickSize, c.QuantityStep) is { } limitError)
            return Decision.Reject(InvalidParameters, limitError);
        // limits bound the arithmetic only if what is already there fits them: the mark and every open position
        if (listed?.Mark is { } mark && mark > limits.MaxPrice)
            return Decision.Reject(
                InvalidParameters,
                $"limits.maxPrice {limits.MaxPrice} is below {c.Symbol}'s mark {mark}"
            );
        if (largestPosition(c.Symbol) is var largest && largest > limits.MaxQuantity)
            return Decision.Reject(
                InvalidParameters,
                $"limits.maxQuantity {limits.MaxQuantity} is below an open {c.Symbol} position of {largest}"
            );

        var stream = Streams.Instrument(c.Symbol);
        if (listed is null)
            return Decision.Accept(
                new Emitted(
                    stream,
                    new InstrumentListed(
                        c.Symbol,
                        c.Base,
                        c.Quote,
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
        if (spec.Base != c.Base || spec.Quote != c.Quote)
            return Decision.Reject(
                ListingMismatch,
                $"{c.Symbol} is listed as {spec.Base}/{spec.Quote}, not {c.Base}/{c.Quote}"
            );
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
                        c.Symbol,
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

    /// <summary>Lists a collateral asset, changes its bands, or answers no events when nothing changes.</summary>
    public static Decision Decide(ListCollateral c, MarketState market)
    {
        if (Identifiers.CheckSymbol(c.Asset, "asset") is { } error)
            return Decision.Reject(InvalidArgument, error);
        if (c.Asset == Venue.SettlementAsset)
            return Decision.Reject(InvalidParameters, $"{c.Asset} is the settlement asset; it always counts 1:1");
        if (market.Instruments.ContainsKey(c.Asset))
            return Decision.Reject(
                ListingMismatch,
                $"{c.Asset} is already an instrument; prices could not tell them apart"
            );
        var schedule = CollateralSchedule.Create(c.Ratios, out var ratioError);
        if (schedule is null)
            return Decision.Reject(InvalidParameters, ratioError!);
        string? inputError = null;
        var limits = c.Limits is null ? AssetLimits.DefaultCollateral : c.Limits.OverDefaults(out inputError);
        if (limits is null)
            return Decision.Reject(InvalidParameters, inputError!);
        if (limits.Check() is { } limitError)
            return Decision.Reject(InvalidParameters, limitError);
        var stream = Streams.Asset(c.Asset);
        if (!market.Collateral.TryGetValue(c.Asset, out var listed))
            return Decision.Accept(new Emitted(stream, new CollateralListed(c.Asset, schedule.Bands, limits)));
        // balances were accepted at the listed precision and bounds; changing them under those balances is not a
        // parameter change
        if (c.Limits is not null && limits != listed.Limits)
            return Decision.Reject(
                ListingMismatch,
                $"{c.Asset}'s limits are fixed at listing ({listed.Limits.Precision} places, index up to "
                    + $"{listed.Limits.MaxPrice}, balances up to {listed.Limits.MaxBalance})"
            );
        return listed.Schedule.Bands.SequenceEqual(schedule.Bands)
            ? Decision.Accept()
            : Decision.Accept(new Emitted(stream, new CollateralRatiosChanged(c.Asset, schedule.Bands)));
    }

    /// <summary>A mark for an instrument, an index price for a collateral asset.</summary>
    public static Decision Decide(UpdatePrice c, MarketState market)
    {
        if (c.Price <= 0m)
            return Decision.Reject(InvalidArgument, $"price must be positive, not {c.Price}");
        if (market.Instruments.TryGetValue(c.Symbol, out var instrument))
        {
            var limits = instrument.Spec.Limits;
            if (!limits.IsOnPrecision(c.Price))
                return Decision.Reject(
                    PriceNotOnPrecision,
                    $"mark {c.Price} of {c.Symbol} has more than {limits.PricePrecision} decimal places, its listed "
                        + $"price precision"
                );
            if (c.Price > limits.MaxPrice)
                return Decision.Reject(
                    PriceAboveLimit,
                    $"mark {c.Price} of {c.Symbol} is above its listed maximum price {limits.MaxPrice}"
                );
            return Decision.Accept(new Emitted(Streams.Instrument(c.Symbol), new MarkPriceUpdated(c.Symbol, c.Price)));
        }
        if (market.Collateral.TryGetValue(c.Symbol, out var collateral))
        {
            if (!Prices.IsOnPrecision(c.Price))
                return Decision.Reject(
                    PriceNotOnPrecision,
                    $"index price {c.Price} of {c.Symbol} has more than {Prices.Scale} decimal places, the precision "
                        + $"of index prices"
                );
            if (c.Price > collateral.Limits.MaxPrice)
                return Decision.Reject(
                    PriceAboveLimit,
                    $"index price {c.Price} of {c.Symbol} is above its listed maximum price "
                        + $"{collateral.Limits.MaxPrice}"
                );
            return Decision.Accept(new Emitted(Streams.Asset(c.Symbol), new IndexPriceUpdated(c.Symbol, c.Price)));
        }
        return c.Symbol == Venue.SettlementAsset
            ? Decision.Reject(InvalidArgument, $"{c.Symbol} is the settlement asset; its price is 1 by definition")
            : Decision.Reject(UnknownInstrument, $"no instrument or collateral asset named '{c.Symbol}' is listed");
    }

    /// <summary>Sets the venue's liquidation buffer (≥ 0, below 10) and deficit policy; no events when
    /// unchanged.</summary>
    public static Decision Decide(SetLiquidationPolicy c, MarketState market)
    {
        if (c.Buffer is < 0m or >= 10m)
            return Decision.Reject(InvalidParameters, $"buffer must be in [0, 10), not {c.Buffer}");
        return market.Policy == new LiquidationPolicy(c.Buffer, c.DeficitPolicy)
            ? Decision.Accept()
            : Decision.Accept(new Emitted(Streams.Venue, new LiquidationPolicySet(c.Buffer, c.DeficitPolicy)));
    }

    /// <summary>Sets an instrument's liquidation slippage (in [0, 0.5)) and cap (positive or none); no events when
    /// unchanged.</summary>
    public static Decision Decide(SetInstrumentLiquidation c, MarketState market)
    {
        if (!market.Instruments.TryGetValue(c.Symbol, out var instrument))
            return Decision.Reject(UnknownInstrument, $"no instrument named '{c.Symbol}' is listed");
        if (c.Slippage is < 0m or >= 0.5m)
            return Decision.Reject(InvalidParameters, $"slippage must be in [0, 0.5), not {c.Slippage}");
        if (c.NotionalCap is <= 0m)
            return Decision.Reject(InvalidParameters, $"notionalCap must be positive when given, not {c.NotionalCap}");
        return
            instrument.Spec.LiquidationSlippage == c.Slippage && instrument.Spec.LiquidationNotionalCap == c.NotionalCap
            ? Decision.Accept()
            : Decision.Accept(
                new Emitted(
                    Streams.Instrument(c.Symbol),
                    new InstrumentLiquidationSet(c.Symbol, c.Slippage, c.NotionalCap)
                )
            );
    }

    /// <summary>Tops up the insurance fund with the settlement asset (the only asset it pays out).</summary>
    public static Decision Decide(FundInsurance c, MarketState market, decimal fundBalance)
    {
        if (c.Amount <= 0m)
            return Decision.Reject(InvalidArgument, $"amount must be positive, not {c.Amount}");
        if (!market.AcceptsAsset(c.Asset))
            return Decision.Reject(
                UnknownAsset,
                $"'{c.Asset}' is neither the settlement asset nor a listed collateral asset"
            );
        // the fund pays deficits in the settlement asset only; a collateral asset would sit there unused and unseen
        if (c.Asset != Venue.SettlementAsset)
            return Decision.Reject(
                InsuranceFundSettlementOnly,
                $"the insurance fund holds and pays {Venue.SettlementAsset} only, not {c.Asset}"
            );
        return Accounts.AccountDecider.AmountRejection(
                c.Amount,
                c.Asset,
                market,
                fundBalance + c.Amount,
                "the insurance fund"
            ) ?? Decision.Accept(new Emitted(Streams.InsuranceFund, new InsuranceFundDeposited(c.Asset, c.Amount)));
    }
}
