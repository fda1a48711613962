using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using static CrossMargin.Ledger.Commands.RejectionCode;
using static CrossMargin.Ledger.Tests.Samples;

namespace CrossMargin.Ledger.Tests.Deciders;

public sealed class AccountSpecs
{
    [Test]
    public void The_holders_index_follows_opening_and_closing_only()
    {
        var state = Apply(
            BtcMarket(),
            new Deposit(Alice, Usdt, 10_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.1m, 60_000m)
        );
        Assert.That(state.HoldersOf(BtcUsdt), Is.EqualTo(new[] { (AccountId)Alice }));
        // a reduce, and a flip through zero, keep the holder; a close takes it out and leaves the entry empty
        state = Apply(state, new ClosePosition(Alice, BtcUsdt, 60_000m, 0.05m));
        Assert.That(state.HoldersOf(BtcUsdt), Is.EqualTo(new[] { (AccountId)Alice }));
        state = Apply(state, new OpenPosition(Alice, BtcUsdt, Side.Short, 0.1m, 60_000m));
        Assert.That((state.Account(Alice).Size(BtcUsdt), state.HoldersOf(BtcUsdt).Count), Is.EqualTo((-0.05m, 1)));
        state = Apply(state, new ClosePosition(Alice, BtcUsdt, 60_000m));
        Assert.That(state.Holders[BtcUsdt], Is.Empty);
        // a fill from flat to flat (no decider sends one, a log could hold one) records the instrument's empty entry,
        // as the fold always has: the entry is part of a snapshot's canonical form
        var flat = new TradeFilled(
            Account: Bob,
            Symbol: EthUsdt,
            Side: Side.Long,
            Quantity: 0m,
            Price: 3_000m,
            Effect: FillEffect.Open,
            SizeBefore: 0m,
            EntryPriceBefore: 0m,
            SizeAfter: 0m,
            EntryPriceAfter: 0m,
            RealizedPnl: 0m,
            Fee: 0m,
            FeeAsset: Usdt
        );
        var after = Ledger.LedgerEvolution.Evolve(state, flat);
        Assert.That(after.Holders.TryGetValue(EthUsdt, out var holders) && holders.IsEmpty, Is.True);
    }

    private static readonly LedgerCommand ListBtc = ListBtcUsdt(takerFee: 0m);
    private static readonly LedgerCommand Mark60K = new UpdatePrice(BtcUsdt, 60_000m);
    private static readonly LedgerCommand Deposit10K = new Deposit(Alice, Usdt, 10_000m);
    private static readonly LedgerCommand Lev20 = new SetLeverage(Alice, BtcUsdt, 20m);

    [Test]
    public void A_deposit_credits_the_balance() =>
        Spec.Given(Deposit10K)
            .When(new Deposit(Alice, Usdt, 2.5m))
            .Then(new FundsDeposited(Alice, Usdt, 2.5m, 10_002.5m));

    [TestCase(0)]
    [TestCase(-1)]
    public void A_deposit_must_be_positive(decimal amount) =>
        Assert.That(
            Spec.Given().When(new Deposit(Alice, Usdt, amount)).ThenRejected(InvalidArgument).Message,
            Does.Contain($"amount must be positive, not {amount}")
        );

    [Test]
    public void A_deposit_of_an_unlisted_asset_is_rejected() =>
        Spec.Given().When(new Deposit(Alice, "DOGE", 1m)).ThenRejected(UnknownAsset);

    [Test]
    public void An_account_id_with_spaces_is_rejected() =>
        Assert.That(
            Spec.Given().When(new Deposit("a b", Usdt, 1m)).ThenRejected(InvalidArgument).Message,
            Does.Contain("account 'a b'")
        );

    [Test]
    public void A_withdrawal_cannot_exceed_the_balance() =>
        Spec.Given(Deposit10K).When(new Withdraw(Alice, Usdt, 10_000.01m)).ThenRejected(InsufficientBalance);

    [Test]
    public void A_withdrawal_must_leave_free_collateral()
    {
        // long 1 at 60 000 with 20×: IM = 3 000, so at most 7 000 may leave
        var given = new LedgerCommand[]
        {
            ListBtc,
            Mark60K,
            Deposit10K,
            new SetLeverage(Alice, BtcUsdt, 20m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 1m, 60_000m),
        };
        Spec.Given(given).When(new Withdraw(Alice, Usdt, 7_000m)).Then(new FundsWithdrawn(Alice, Usdt, 7_000m, 3_000m));
        Spec.Given(given).When(new Withdraw(Alice, Usdt, 7_000.01m)).ThenRejected(InsufficientFreeCollateral);
    }

    [Test]
    public void An_order_needs_a_mark_price() =>
        Spec.Given(ListBtc, Deposit10K)
            .When(new OpenPosition(Alice, BtcUsdt, Side.Long, 0.1m, 60_000m))
            .ThenRejected(NoMarkPrice);

    [Test]
    public void Quantities_follow_the_step_and_prices_the_tick()
    {
        Spec.Given(ListBtc, Mark60K, Deposit10K)
            .When(new OpenPosition(Alice, BtcUsdt, Side.Long, 0.0005m, 60_000m))
            .ThenRejected(QuantityNotOnStep);
        Spec.Given(ListBtc, Mark60K, Deposit10K)
            .When(new OpenPosition(Alice, BtcUsdt, Side.Long, 0.001m, 60_000.05m))
            .ThenRejected(PriceNotOnTick);
    }

    [Test]
    public void An_order_pays_the_taker_fee_to_the_fee_account() =>
        // fee = 0.5 × 60 000 × 0.0004 = 12, taken from the settlement balance
        Spec.Given(ListBtcUsdt(), Mark60K, Deposit10K)
            .When(new OpenPosition(Alice, BtcUsdt, Side.Long, 0.5m, 60_000m))
            .Then(
                new TradeFilled(
                    Account: Alice,
                    Symbol: BtcUsdt,
                    Side: Side.Long,
                    Quantity: 0.5m,
                    Price: 60_000m,
                    Effect: FillEffect.Open,
                    SizeBefore: 0m,
                    EntryPriceBefore: 0m,
                    SizeAfter: 0.5m,
                    EntryPriceAfter: 60_000m,
                    RealizedPnl: 0m,
                    Fee: 12m,
                    FeeAsset: Usdt
                ),
                new TradingFeeCollected(Alice, BtcUsdt, Usdt, 12m)
            );

    [Test]
    public void Adding_to_a_position_averages_the_entry_price() =>
        // (1 × 60 000 + 0.5 × 63 000) / 1.5 = 61 000
        Spec.Given(ListBtc, Mark60K, Deposit10K, Lev20, new OpenPosition(Alice, BtcUsdt, Side.Long, 1m, 60_000m))
            .When(new OpenPosition(Alice, BtcUsdt, Side.Long, 0.5m, 63_000m))
            .Then(
                new TradeFilled(
                    Account: Alice,
                    Symbol: BtcUsdt,
                    Side: Side.Long,
                    Quantity: 0.5m,
                    Price: 63_000m,
                    Effect: FillEffect.Increase,
                    SizeBefore: 1m,
                    EntryPriceBefore: 60_000m,
                    SizeAfter: 1.5m,
                    EntryPriceAfter: 61_000m,
                    RealizedPnl: 0m,
                    Fee: 0m,
                    FeeAsset: Usdt
                )
            );

    [Test]
    public void A_partial_close_realises_its_share_and_keeps_the_entry() =>
        // 0.5 × (62 000 − 60 000) = 1 000
        Spec.Given(
                ListBtc,
                Mark60K,
                Deposit10K,
                new SetLeverage(Alice, BtcUsdt, 20m),
                new OpenPosition(Alice, BtcUsdt, Side.Long, 2m, 60_000m)
            )
            .When(new ClosePosition(Alice, BtcUsdt, 62_000m, 0.5m))
            .Then(
                new TradeFilled(
                    Account: Alice,
                    Symbol: BtcUsdt,
                    Side: Side.Short,
                    Quantity: 0.5m,
                    Price: 62_000m,
                    Effect: FillEffect.Reduce,
                    SizeBefore: 2m,
                    EntryPriceBefore: 60_000m,
                    SizeAfter: 1.5m,
                    EntryPriceAfter: 60_000m,
                    RealizedPnl: 1_000m,
                    Fee: 0m,
                    FeeAsset: Usdt
                )
            );

    [Test]
    public void An_order_larger_than_the_position_flips_it() =>
        // closes the 1 long: 1 × (61 000 − 60 000) = +1 000; opens 2 short at 61 000
        Spec.Given(ListBtc, Mark60K, Deposit10K, Lev20, new OpenPosition(Alice, BtcUsdt, Side.Long, 1m, 60_000m))
            .When(new OpenPosition(Alice, BtcUsdt, Side.Short, 3m, 61_000m))
            .Then(
                new TradeFilled(
                    Account: Alice,
                    Symbol: BtcUsdt,
                    Side: Side.Short,
                    Quantity: 3m,
                    Price: 61_000m,
                    Effect: FillEffect.Flip,
                    SizeBefore: 1m,
                    EntryPriceBefore: 60_000m,
                    SizeAfter: -2m,
                    EntryPriceAfter: 61_000m,
                    RealizedPnl: 1_000m,
                    Fee: 0m,
                    FeeAsset: Usdt
                )
            );

    [Test]
    public void A_short_closed_at_a_loss_realises_it() =>
        // −1 × (61 000 − 60 000) = −1 000
        Spec.Given(ListBtc, Mark60K, Deposit10K, Lev20, new OpenPosition(Alice, BtcUsdt, Side.Short, 1m, 60_000m))
            .When(new ClosePosition(Alice, BtcUsdt, 61_000m))
            .Then(
                new TradeFilled(
                    Account: Alice,
                    Symbol: BtcUsdt,
                    Side: Side.Long,
                    Quantity: 1m,
                    Price: 61_000m,
                    Effect: FillEffect.Close,
                    SizeBefore: -1m,
                    EntryPriceBefore: 60_000m,
                    SizeAfter: 0m,
                    EntryPriceAfter: 0m,
                    RealizedPnl: -1_000m,
                    Fee: 0m,
                    FeeAsset: Usdt
                )
            );

    [Test]
    public void Closing_needs_a_position_and_no_more_than_it()
    {
        Spec.Given(ListBtc, Mark60K, Deposit10K)
            .When(new ClosePosition(Alice, BtcUsdt, 60_000m))
            .ThenRejected(NoPosition);
        Spec.Given(ListBtc, Mark60K, Deposit10K, new OpenPosition(Alice, BtcUsdt, Side.Long, 0.5m, 60_000m))
            .When(new ClosePosition(Alice, BtcUsdt, 60_000m, 0.501m))
            .ThenRejected(QuantityExceedsPosition);
    }

    [Test]
    public void An_order_beyond_free_collateral_is_rejected() =>
        // 1 BTC at 60 000 with 50×: IM = 60 000 / 50 = 1 200 > equity 1 000
        Spec.Given(ListBtc, Mark60K, new Deposit(Alice, Usdt, 1_000m), new SetLeverage(Alice, BtcUsdt, 50m))
            .When(new OpenPosition(Alice, BtcUsdt, Side.Long, 1m, 60_000m))
            .ThenRejected(InsufficientFreeCollateral);

    [Test]
    public void Default_leverage_is_bracket_one_maximum_and_a_larger_order_must_lower_it()
    {
        var rejection = Spec.Given(ListBtc, Mark60K, Deposit10K)
            .When(new OpenPosition(Alice, BtcUsdt, Side.Long, 1m, 60_000m))
            .ThenRejected(LeverageAboveTierMaximum);
        Assert.That(rejection.Message, Does.Contain("bracket 2").And.Contain("at most 100×").And.Contain("125×"));
    }

    [Test]
    public void Reducing_is_allowed_even_with_negative_free_collateral()
    {
        var underwater = Apply(
            BtcMarket(),
            Deposit10K,
            new SetLeverage(Alice, BtcUsdt, 20m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 2m, 60_000m),
            new UpdatePrice(BtcUsdt, 56_000m)
        );
        Assert.That(
            CrossMargin
                .Ledger.Margin.MarginCalculator.Compute(underwater.Account(Alice), underwater.Market)
                .FreeCollateral,
            Is.Negative
        );
        Spec.Given(underwater)
            .When(new ClosePosition(Alice, BtcUsdt, 56_000m, 0.1m))
            .Then(
                new TradeFilled(
                    Account: Alice,
                    Symbol: BtcUsdt,
                    Side: Side.Short,
                    Quantity: 0.1m,
                    Price: 56_000m,
                    Effect: FillEffect.Reduce,
                    SizeBefore: 2m,
                    EntryPriceBefore: 60_000m,
                    SizeAfter: 1.9m,
                    EntryPriceAfter: 60_000m,
                    RealizedPnl: -400m,
                    Fee: 0m,
                    FeeAsset: Usdt
                )
            );
    }

    [Test]
    public void Leverage_is_bounded_by_the_current_bracket_and_a_repeat_changes_nothing()
    {
        Spec.Given(ListBtc, Mark60K).When(new SetLeverage(Alice, BtcUsdt, 126m)).ThenRejected(LeverageAboveTierMaximum);
        Spec.Given(ListBtc, Mark60K).When(new SetLeverage(Alice, BtcUsdt, 0.5m)).ThenRejected(InvalidArgument);
        Spec.Given(ListBtc, Mark60K, new SetLeverage(Alice, BtcUsdt, 20m))
            .When(new SetLeverage(Alice, BtcUsdt, 20m))
            .Then();
        Spec.Given(ListBtc, Mark60K).When(new SetLeverage(Alice, "XRPUSDT", 2m)).ThenRejected(UnknownInstrument);
    }

    [Test]
    public void Lowering_leverage_must_leave_free_collateral() =>
        // long 1 at 60 000 with 1 000 USDT at 100×: IM 600; at 50× IM would be 1 200 > equity 1 000
        Spec.Given(
                ListBtc,
                Mark60K,
                new Deposit(Alice, Usdt, 1_000m),
                new SetLeverage(Alice, BtcUsdt, 100m),
                new OpenPosition(Alice, BtcUsdt, Side.Long, 1m, 60_000m)
            )
            .When(new SetLeverage(Alice, BtcUsdt, 50m))
            .ThenRejected(InsufficientFreeCollateral);
}
