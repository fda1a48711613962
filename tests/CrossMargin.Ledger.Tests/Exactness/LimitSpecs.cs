using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Parameters;
using static CrossMargin.Ledger.Commands.RejectionCode;
using static CrossMargin.Ledger.Tests.Samples;

namespace CrossMargin.Ledger.Tests.Exactness;

/// <summary>Listing data bounds every input: price precision and maximum, position size and notional, the fill band,
/// asset precision and balance.</summary>
public sealed class LimitSpecs
{
    private static readonly LedgerCommand[] Market =
    [
        ListBtcUsdt(),
        new UpdatePrice(BtcUsdt, 60_000m),
        new Deposit(Alice, Usdt, 1m),
    ];

    [Test]
    public void A_fill_far_from_the_mark_is_refused_open_or_close()
    {
        // the example: a fill at 0.1 with the mark at 60 000 let 1 USDT become a 5 990 USDT withdrawal
        var open = Spec.Given(Market)
            .When(new OpenPosition(Alice, BtcUsdt, Side.Long, 0.001m, 0.1m))
            .ThenRejected(PriceOutsideBand);
        Assert.That(
            open.Message,
            Is.EqualTo("price 0.1 is more than 10.0 % away from BTCUSDT's mark 60000 (band 54000.0 to 66000.0)")
        );
        var held = Spec.Given([
            .. Market,
            new Deposit(Alice, Usdt, 1_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.001m, 60_000m),
        ]);
        held.When(new ClosePosition(Alice, BtcUsdt, 66_000.1m)).ThenRejected(PriceOutsideBand);
        held.When(new ClosePosition(Alice, BtcUsdt, 66_000m))
            .Then(
                new TradeFilled(
                    Account: Alice,
                    Symbol: BtcUsdt,
                    Side: Side.Short,
                    Quantity: 0.001m,
                    Price: 66_000m,
                    Effect: FillEffect.Close,
                    SizeBefore: 0.001m,
                    EntryPriceBefore: 60_000m,
                    SizeAfter: 0m,
                    EntryPriceAfter: 0m,
                    RealizedPnl: 6m,
                    Fee: 0.0264m,
                    FeeAsset: Usdt
                ),
                new TradingFeeCollected(Alice, BtcUsdt, Usdt, 0.0264m)
            );
    }

    [Test]
    public void A_listing_names_its_band_and_limits_and_they_are_checked()
    {
        var tight = ListBtcUsdt() with { Limits = new InstrumentLimits(1, 1_000_000m, 1_000m, 10_000_000m, 0.01m) };
        var given = Spec.Given(tight, new UpdatePrice(BtcUsdt, 60_000m), new Deposit(Alice, Usdt, 1_000_000m));
        given.When(new OpenPosition(Alice, BtcUsdt, Side.Long, 0.001m, 60_600.1m)).ThenRejected(PriceOutsideBand);
        given
            .When(new OpenPosition(Alice, BtcUsdt, Side.Long, 0.001m, 60_600m))
            .Then(
                new TradeFilled(
                    Account: Alice,
                    Symbol: BtcUsdt,
                    Side: Side.Long,
                    Quantity: 0.001m,
                    Price: 60_600m,
                    Effect: FillEffect.Open,
                    SizeBefore: 0m,
                    EntryPriceBefore: 0m,
                    SizeAfter: 0.001m,
                    EntryPriceAfter: 60_600m,
                    RealizedPnl: 0m,
                    Fee: 0.024240m,
                    FeeAsset: Usdt
                ),
                new TradingFeeCollected(Alice, BtcUsdt, Usdt, 0.024240m)
            );
        Assert.That(
            Spec.Given(tight).When(new UpdatePrice(BtcUsdt, 60_000.05m)).ThenRejected(PriceNotOnPrecision).Message,
            Is.EqualTo("mark 60000.05 of BTCUSDT has more than 1 decimal places, its listed price precision")
        );
        Spec.Given(tight).When(new UpdatePrice(BtcUsdt, 1_000_000.1m)).ThenRejected(PriceAboveLimit);
    }

    [Test]
    public void Limits_outside_the_arithmetic_envelope_are_refused_at_listing()
    {
        Assert.That(
            Spec.Given()
                .When(
                    ListBtcUsdt() with
                    {
                        Limits = new InstrumentLimits(8, 10_000_000m, 1_000_000m, 1_000_000m, 0.1m),
                    }
                )
                .ThenRejected(InvalidParameters)
                .Message,
            Does.Contain("limits.maxQuantity × limits.maxPrice is 10000000000000, above the envelope 1000000000000")
        );
        Assert.That(
            Spec.Given()
                .When(ListBtcUsdt() with { Limits = new InstrumentLimits(0, 1_000m, 1_000m, 1_000m, 0.1m) })
                .ThenRejected(InvalidParameters)
                .Message,
            Does.Contain("tickSize 0.1 has more places than limits.pricePrecision 0")
        );
        Assert.That(
            Spec.Given()
                .When(ListBtcUsdt() with { Limits = new InstrumentLimits(8, 1_000m, 1_000m, 1_000m, 1m) })
                .ThenRejected(InvalidParameters)
                .Message,
            Does.Contain("limits.priceBand must be in (0, 1), not 1")
        );
        Assert.That(
            Spec.Given()
                .When(ListBtcUsdt() with { Limits = new InstrumentLimits(9, 1_000m, 1_000m, 1_000m, 0.1m) })
                .ThenRejected(InvalidParameters)
                .Message,
            Does.Contain("limits.pricePrecision must be 0 to 8, not 9")
        );
        Assert.That(
            Spec.Given()
                .When(
                    new ListCollateral(
                        Btc,
                        [new CollateralRatioTier(0m, 0.9m)],
                        new AssetLimits(8, 10_000_000m, 1_000_000m)
                    )
                )
                .ThenRejected(InvalidParameters)
                .Message,
            Does.Contain("limits.maxBalance × limits.maxPrice is 10000000000000")
        );
    }

    [Test]
    public void A_collateral_asset_has_its_own_precision_and_largest_balance_fixed_at_listing()
    {
        var listing = new ListCollateral(
            Btc,
            [new CollateralRatioTier(0m, 0.95m)],
            new AssetLimits(6, 1_000_000m, 100m)
        );
        Spec.Given()
            .When(listing)
            .Then(
                new CollateralListed(Btc, [new CollateralRatioTier(0m, 0.95m)], new AssetLimits(6, 1_000_000m, 100m))
            );
        Assert.That(
            Spec.Given(listing).When(new Deposit(Alice, Btc, 0.0000001m)).ThenRejected(AmountNotOnPrecision).Message,
            Is.EqualTo("amount 0.0000001 has more than 6 decimal places, the precision of BTC")
        );
        Assert.That(
            Spec.Given(listing, new Deposit(Alice, Btc, 99m))
                .When(new Deposit(Alice, Btc, 1.000001m))
                .ThenRejected(BalanceAboveLimit)
                .Message,
            Is.EqualTo("alice would hold 100.000001 BTC, above the listed maximum balance 100")
        );
        Spec.Given(listing).When(new UpdatePrice(Btc, 1_000_000.01m)).ThenRejected(PriceAboveLimit);
        Spec.Given(listing)
            .When(listing with { Limits = new AssetLimits(8, 1_000_000m, 100m) })
            .ThenRejected(ListingMismatch);
        Spec.Given(listing).When(listing with { Limits = null }).Then();
    }

    [Test]
    public void A_parameter_change_keeps_the_limits_it_does_not_name()
    {
        var limits = new InstrumentLimits(1, 1_000_000m, 1_000m, 10_000_000m, 0.01m);
        var tight = ListBtcUsdt() with { Limits = limits };
        Spec.Given(tight)
            .When(tight with { Limits = null, TakerFeeRate = 0.0005m })
            .Then(new InstrumentParametersChanged(BtcUsdt, BtcTiers.Tiers, 0.0005m, 0.005m, 0.001m, 0.1m, limits));
        Spec.Given(tight).When(tight with { Limits = null }).Then();
        // naming the band alone keeps the tight notional (it once fell back to the 10¹¹ default)
        Spec.Given(tight)
            .When(tight with { Limits = new InstrumentLimitsInput(PriceBand: 0.05m) })
            .Then(
                new InstrumentParametersChanged(
                    BtcUsdt,
                    BtcTiers.Tiers,
                    0.0004m,
                    0.005m,
                    0.001m,
                    0.1m,
                    limits with
                    {
                        PriceBand = 0.05m,
                    }
                )
            );
    }

    [Test]
    public void A_new_listing_fills_the_limits_it_does_not_name_from_the_defaults()
    {
        // 10¹² / 70 000 = 14 285 714.2857… base units, down to the step 0.001
        Spec.Given()
            .When(ListBtcUsdt() with { Limits = new InstrumentLimitsInput(MaxPrice: 70_000m, PriceBand: 0.05m) })
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
                    new InstrumentLimits(8, 70_000m, 14_285_714.285m, 100_000_000_000m, 0.05m)
                )
            );
        Assert.That(
            Spec.Given()
                .When(ListBtcUsdt() with { Limits = new InstrumentLimitsInput(MaxPrice: 0.00000000000000000001m) })
                .ThenRejected(InvalidParameters)
                .Message,
            Does.Contain("limits.maxPrice must be positive with at most 8 places")
        );
        Assert.That(
            Spec.Given()
                .When(
                    new ListCollateral(
                        Btc,
                        [new CollateralRatioTier(0m, 0.9m)],
                        new AssetLimitsInput(MaxPrice: 0.00000000000000000001m)
                    )
                )
                .ThenRejected(InvalidParameters)
                .Message,
            Does.Contain("limits.maxPrice must be positive with at most 8 places")
        );
    }

    [Test]
    public void A_change_cannot_set_limits_below_the_mark_or_an_open_position()
    {
        // once: maxQuantity could be lowered under a 10¹² position and maxPrice raised, and a mark at the new maximum
        // overflowed
        var wide = ListBtcUsdt() with
        {
            Limits = new InstrumentLimits(8, 1_000_000m, 1_000_000m, 1_000_000_000_000m, 0.1m),
        };
        var held = Spec.Given(
            wide,
            new UpdatePrice(BtcUsdt, 60_000m),
            new Deposit(Alice, Usdt, 100_000_000m),
            new SetLeverage(Alice, BtcUsdt, 1m),
            new OpenPosition(Alice, BtcUsdt, Side.Short, 1_500m, 60_000m)
        );
        Assert.That(
            held.When(wide with { Limits = new InstrumentLimitsInput(MaxPrice: 1_000_000_000m, MaxQuantity: 1_000m) })
                .ThenRejected(InvalidParameters)
                .Message,
            Is.EqualTo("limits.maxQuantity 1000 is below an open BTCUSDT position of 1500")
        );
        Assert.That(
            held.When(wide with { Limits = new InstrumentLimitsInput(MaxPrice: 50_000m) })
                .ThenRejected(InvalidParameters)
                .Message,
            Is.EqualTo("limits.maxPrice 50000 is below BTCUSDT's mark 60000")
        );
    }
}
