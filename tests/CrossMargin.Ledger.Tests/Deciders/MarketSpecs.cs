using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Parameters;
using static CrossMargin.Ledger.Commands.RejectionCode;
using static CrossMargin.Ledger.Tests.Samples;

namespace CrossMargin.Ledger.Tests.Deciders;

public sealed class MarketSpecs
{
    [Test]
    public void Listing_records_the_derived_brackets() =>
        Spec.Given()
            .When(ListBtcUsdt())
            .Then(
                new InstrumentListed(
                    BtcUsdt,
                    "BTC",
                    Usdt,
                    BtcTiers.Tiers,
                    0.0004m,
                    0.005m,
                    0.001m,
                    0.1m,
                    InstrumentLimits.Default(0.1m, 0.001m)
                )
            );

    [Test]
    public void Listing_again_unchanged_appends_nothing_and_a_change_is_an_event()
    {
        Spec.Given(ListBtcUsdt()).When(ListBtcUsdt()).Then();
        Spec.Given(ListBtcUsdt())
            .When(ListBtcUsdt(takerFee: 0.0005m))
            .Then(
                new InstrumentParametersChanged(
                    BtcUsdt,
                    BtcTiers.Tiers,
                    0.0005m,
                    0.005m,
                    0.001m,
                    0.1m,
                    InstrumentLimits.Default(0.1m, 0.001m)
                )
            );
    }

    [Test]
    public void Relisting_with_another_base_is_refused() =>
        Spec.Given(ListBtcUsdt()).When(ListBtcUsdt() with { Base = "XBT" }).ThenRejected(ListingMismatch);

    [Test]
    public void Only_the_settlement_asset_quotes() =>
        Assert.That(
            Spec.Given().When(ListBtcUsdt() with { Quote = "USDC" }).ThenRejected(InvalidParameters).Message,
            Does.Contain("quote must be the settlement asset USDT")
        );

    private static InstrumentListed ListedWithFee(decimal takerFee) =>
        new(
            BtcUsdt,
            "BTC",
            Usdt,
            BtcTiers.Tiers,
            takerFee,
            0.005m,
            0.001m,
            0.1m,
            InstrumentLimits.Default(0.1m, 0.001m)
        );

    /// <summary>A rate carries at most 8 places (<c>Rate.Scale</c>): a finer one is refused, named, never
    /// rounded.</summary>
    [Test]
    public void A_rate_finer_than_eight_places_is_refused_wherever_it_is_listed()
    {
        const decimal fine = 0.000400001m;
        string Refused(LedgerState given, LedgerCommand command) =>
            Spec.Given(given).When(command).ThenRejected(InvalidParameters).Message;
        var none = LedgerState.Initial;
        Assert.That(
            Refused(none, ListBtcUsdt(takerFee: fine)),
            Is.EqualTo("takerFeeRate must have at most 8 decimal places, not 0.000400001")
        );
        Assert.That(
            Refused(none, ListBtcUsdt() with { LiquidationFeeRate = fine }),
            Is.EqualTo("liquidationFeeRate must have at most 8 decimal places, not 0.000400001")
        );
        Assert.That(
            Refused(none, ListBtcUsdt() with { Tiers = [new(0m, 0.004000001m, 125m)] }),
            Does.EndWith("tiers[0].mmr must have at most 8 decimal places, not 0.004000001")
        );
        Assert.That(
            Refused(none, ListBtcCollateral() with { Ratios = [new CollateralRatioTier(0m, 0.950000001m)] }),
            Does.EndWith("ratios[0].ratio must have at most 8 decimal places, not 0.950000001")
        );
        Assert.That(
            Refused(none, new SetLiquidationPolicy(0.050000001m, DeficitPolicy.Adl)),
            Is.EqualTo("buffer must have at most 8 decimal places, not 0.050000001")
        );
        Assert.That(
            Refused(BtcMarket(), new SetInstrumentLiquidation(BtcUsdt, 0.001000001m)),
            Is.EqualTo("slippage must have at most 8 decimal places, not 0.001000001")
        );
        Assert.That(
            Spec.Given().When(ListBtcUsdt(takerFee: 0.00040001m)).Then(ListedWithFee(0.00040001m)),
            Has.Length.EqualTo(1),
            "eight places fit"
        );
    }

    [Test]
    public void An_input_an_older_rule_refuses_keeps_that_rules_words() =>
        // recorded rejections re-execute by their text: the places check comes after every rule that existed before
        Assert.That(
            Spec.Given()
                .When(ListBtcUsdt(takerFee: 0.000400001m) with { QuantityStep = 0m })
                .ThenRejected(InvalidParameters)
                .Message,
            Is.EqualTo("quantityStep must be positive, not 0")
        );

    [Test]
    public void A_log_that_recorded_a_finer_rate_still_folds()
    {
        // releases up to 0.1.0 accepted any number of places; what they recorded must still replay
        var listed = new InstrumentListed(
            BtcUsdt,
            "BTC",
            Usdt,
            [new(0m, null, 0.004000001m, 125m, 0m)],
            0.000400001m,
            0.005m,
            0.001m,
            0.1m,
            InstrumentLimits.Default(0.1m, 0.001m)
        );
        var state = LedgerEvolution.Evolve(LedgerState.Initial, listed);
        Assert.That(state.Market.Instruments[BtcUsdt].Spec.TakerFeeRate, Is.EqualTo(0.000400001m));
        var ratios = new CollateralListed(
            Btc,
            [new CollateralRatioTier(0m, 0.950000001m)],
            AssetLimits.DefaultCollateral
        );
        Assert.That(
            LedgerEvolution.Evolve(state, ratios).Market.Collateral[Btc].Schedule.Bands[0].Ratio,
            Is.EqualTo(0.950000001m)
        );
    }

    [Test]
    public void Invalid_brackets_and_steps_are_named()
    {
        Assert.That(
            Spec.Given()
                .When(ListBtcUsdt() with { Tiers = [new RiskTierInput(0m, 0.2m, 10m)] })
                .ThenRejected(InvalidParameters)
                .Message,
            Does.Contain("mmr × maxLeverage = 2")
        );
        Assert.That(
            Spec.Given().When(ListBtcUsdt() with { QuantityStep = 0m }).ThenRejected(InvalidParameters).Message,
            Does.Contain("quantityStep")
        );
        // a 10⁻¹⁸ quantity once divided by zero in a display-only bankruptcy price
        Assert.That(
            Spec.Given()
                .When(ListBtcUsdt() with { QuantityStep = 0.000000000000000001m })
                .ThenRejected(InvalidParameters)
                .Message,
            Does.Contain("quantityStep must have at most 8 decimal places")
        );
        Assert.That(
            Spec.Given().When(ListBtcUsdt() with { TakerFeeRate = -0.1m }).ThenRejected(InvalidParameters).Message,
            Does.Contain("takerFeeRate")
        );
    }

    [Test]
    public void A_price_goes_to_the_instrument_or_the_collateral_asset()
    {
        Spec.Given(ListBtcUsdt(), ListBtcCollateral())
            .When(new UpdatePrice(BtcUsdt, 61_000m))
            .Then(new MarkPriceUpdated(BtcUsdt, 61_000m));
        Spec.Given(ListBtcUsdt(), ListBtcCollateral())
            .When(new UpdatePrice(Btc, 61_000m))
            .Then(new IndexPriceUpdated(Btc, 61_000m));
        Spec.Given().When(new UpdatePrice("XRPUSDT", 1m)).ThenRejected(UnknownInstrument);
        Spec.Given().When(new UpdatePrice(Usdt, 1m)).ThenRejected(InvalidArgument);
        Spec.Given(ListBtcUsdt()).When(new UpdatePrice(BtcUsdt, 0m)).ThenRejected(InvalidArgument);
    }

    [Test]
    public void Collateral_cannot_be_the_settlement_asset_or_an_instrument()
    {
        Spec.Given().When(new ListCollateral(Usdt, [new CollateralRatioTier(0m, 1m)])).ThenRejected(InvalidParameters);
        Spec.Given(ListBtcUsdt())
            .When(new ListCollateral(BtcUsdt, [new CollateralRatioTier(0m, 1m)]))
            .ThenRejected(ListingMismatch);
        Spec.Given(ListBtcCollateral())
            .When(new ListCollateral(Btc, [new CollateralRatioTier(0m, 0.9m)]))
            .Then(new CollateralRatiosChanged(Btc, [new CollateralRatioTier(0m, 0.9m)]));
    }

    [Test]
    public void The_insurance_fund_takes_accepted_assets() =>
        Spec.Given().When(new FundInsurance(Usdt, 5m)).Then(new InsuranceFundDeposited(Usdt, 5m));

    [Test]
    public void A_top_up_in_an_unknown_asset_reads_word_for_word_as_released()
    {
        // recorded rejections re-execute by their exact text: a 0.1.0 store that recorded this one must still verify
        var rejection = Spec.Given().When(new FundInsurance("DOGE", 1m)).ThenRejected(UnknownAsset);
        Assert.That(
            rejection.Message,
            Is.EqualTo("'DOGE' is neither the settlement asset nor a listed collateral asset")
        );
    }
}
