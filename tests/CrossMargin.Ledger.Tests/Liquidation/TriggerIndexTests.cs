using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Margin;
using CrossMargin.Ledger.Parameters;
using static CrossMargin.Ledger.Tests.Samples;

namespace CrossMargin.Ledger.Tests.Liquidation;

/// <summary>Trigger prices worked by hand (checked with Python's decimal), and the index kept across the events that
/// move what the kernel reads.</summary>
public sealed class TriggerIndexTests
{
    private static readonly LedgerCommand BtcListing = ListBtcUsdt(takerFee: 0m);

    /// <summary>Alice, with 1 000 USDT, long 0.1 BTCUSDT at a mark of 60 000 (no fee).</summary>
    private static LedgerState AliceLongATenthAt60000() =>
        React(
            BtcListing,
            new UpdatePrice(BtcUsdt, 60_000m),
            new Deposit(Alice, Usdt, 1_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.1m, 60_000m)
        ).State;

    [Test]
    public void A_long_is_armed_where_its_slack_less_the_reserve_is_spent()
    {
        // E = 1 000, MM = 6 000 × 0.004 = 24, slack 976; reserve 2·10⁻⁸ × (2 figures + 1) = 6·10⁻⁸;
        // one price shares it: distance = 975.99999994 / 0.1 = 9 759.9999994, trigger 50 240.0000006
        var state = AliceLongATenthAt60000();
        Assert.That(state.Triggers!.TriggersOf(Alice).Single(), Is.EqualTo((BtcUsdt, true, 50_240.0000006m)));
    }

    [Test]
    public void A_short_is_armed_at_its_quantity_times_one_plus_the_highest_bracket_rate()
    {
        // the same slack; a short loses at most 0.1 × (1 + 0.025) per unit the mark rises (the top bracket's rate):
        // distance = 975.99999994 / 0.1025 = 9 521.951218926829 (cut to 12 places), trigger 69 521.951218926829
        var (state, _) = React(
            BtcListing,
            new UpdatePrice(BtcUsdt, 60_000m),
            new Deposit(Alice, Usdt, 1_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Short, 0.1m, 60_000m)
        );
        Assert.That(state.Triggers!.TriggersOf(Alice).Single(), Is.EqualTo((BtcUsdt, false, 69_521.951218926829m)));
    }

    [Test]
    public void Several_prices_share_the_slack_in_proportion_to_what_a_whole_move_of_each_would_cost()
    {
        // E = 1 000 − 1.5 (the ETH fee) = 998.5, MM = 6 000 × 0.004 + 3 000 × 0.005 = 39, slack 959.5; reserve
        // 2·10⁻⁸ × (2 × 2 figures + 1) = 10⁻⁷: 959.4999999 to share. A whole move of BTCUSDT would cost
        // 0.1 × 60 000 = 6 000, of ETHUSDT 1 × 1.0065 × 3 000 = 3 019.5, 9 019.5 together, so
        // BTC's share is 959.4999999 × 6 000 / 9 019.5: distance 6 382.837185431564 (cut to 12 places), trigger
        // 53 617.162814568436; ETH's 959.4999999 × 3 019.5 / 9 019.5 over 1.0065: distance 319.141859271578, trigger
        // 3 319.141859271578. Both are 10.638 % of their price away (an equal split would put BTC's 8.0 % away and
        // ETH's 15.9 %); together they spend 959.4999999 less what the cuts leave.
        var (state, _) = React(
            BtcListing,
            ListEthUsdt(),
            new UpdatePrice(BtcUsdt, 60_000m),
            new UpdatePrice(EthUsdt, 3_000m),
            new Deposit(Alice, Usdt, 1_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.1m, 60_000m),
            new OpenPosition(Alice, EthUsdt, Side.Short, 1m, 3_000m)
        );
        Assert.That(
            state.Triggers!.TriggersOf(Alice),
            Is.EqualTo(new[] { (BtcUsdt, true, 53_617.162814568436m), (EthUsdt, false, 3_319.141859271578m) })
        );
    }

    [Test]
    public void A_mark_inside_every_trigger_re_evaluates_nobody_and_one_at_a_trigger_re_evaluates_its_account()
    {
        var (state, _) = React(
            BtcListing,
            new UpdatePrice(BtcUsdt, 60_000m),
            new Deposit(Alice, Usdt, 1_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.1m, 60_000m),
            new Deposit(Bob, Usdt, 1_000m),
            new OpenPosition(Bob, BtcUsdt, Side.Short, 0.1m, 60_000m)
        );
        var before = state.Triggers!.Evaluations;
        var inside = LedgerRuntime.Run(state, new UpdatePrice(BtcUsdt, 50_240.1m)).State;
        Assert.That(inside.Triggers!.Evaluations, Is.EqualTo(before));
        var reached = LedgerRuntime.Run(inside, new UpdatePrice(BtcUsdt, 50_240m)).State;
        Assert.That(reached.Triggers!.Evaluations, Is.EqualTo(before + 1));
        // Alice, re-armed at 50 240 (E = 1 000 − 976 = 24, MM = 5 024 × 0.004 = 20.096), is healthy and armed again
        Assert.That(reached.Triggers.Liquidatable, Is.Empty);
        Assert.That(reached.Triggers.TriggersOf(Alice).Single().Price, Is.LessThan(50_240m));
    }

    [Test]
    public void A_deposit_keeps_the_nearer_trigger_until_a_price_reaches_it_and_an_order_that_adds_re_arms()
    {
        var state = AliceLongATenthAt60000();
        var before = state.Triggers!.Evaluations;
        // E = 1 500: fresh, the trigger would be 60 000 − 1 475.99999994 / 0.1 = 45 240.0000006; the armed
        // 50 240.0000006 is nearer, so it stays (the account is evaluated all the same)
        var deposited = LedgerRuntime.Run(state, new Deposit(Alice, Usdt, 500m)).State;
        Assert.That(deposited.Triggers!.TriggersOf(Alice).Single(), Is.EqualTo((BtcUsdt, true, 50_240.0000006m)));
        Assert.That(deposited.Triggers.Evaluations, Is.EqualTo(before + 1));
        // reaching it re-evaluates and re-arms: E = 1 500 − 0.1 × 9 760 = 524, MM = 5 024 × 0.004 = 20.096,
        // trigger 50 240 − 503.90399994 / 0.1 = 45 200.9600006
        var reached = LedgerRuntime.Run(deposited, new UpdatePrice(BtcUsdt, 50_240m)).State;
        Assert.That(reached.Triggers!.TriggersOf(Alice).Single(), Is.EqualTo((BtcUsdt, true, 45_200.9600006m)));
        Assert.That(reached.Triggers.Evaluations, Is.EqualTo(before + 2));
        // an order that adds exposure moves the trigger nearer: 60 000 − 1 451.99999994 / 0.2 = 52 740.0000003
        var added = LedgerRuntime.Run(deposited, new OpenPosition(Alice, BtcUsdt, Side.Long, 0.1m, 60_000m)).State;
        Assert.That(added.Triggers!.TriggersOf(Alice).Single(), Is.EqualTo((BtcUsdt, true, 52_740.0000003m)));
    }

    [Test]
    public void Triggers_stay_only_on_the_same_prices_in_the_same_directions_each_at_least_as_near()
    {
        var longBtc = Arming([(BtcUsdt, true, 50_000m)]);
        Assert.Multiple(() =>
        {
            // a falling mark reaches the higher trigger first
            Assert.That(longBtc.Covers(Arming([(BtcUsdt, true, 49_000m)])), Is.True);
            Assert.That(longBtc.Covers(Arming([(BtcUsdt, true, 50_000m)])), Is.True);
            Assert.That(longBtc.Covers(Arming([(BtcUsdt, true, 50_000.000000000001m)])), Is.False);
            // a rising one the lower
            Assert.That(Arming([(BtcUsdt, false, 70_000m)]).Covers(Arming([(BtcUsdt, false, 71_000m)])), Is.True);
            Assert.That(Arming([(BtcUsdt, false, 70_000m)]).Covers(Arming([(BtcUsdt, false, 69_000m)])), Is.False);
            // another instrument, another direction, one more or one fewer price: never
            Assert.That(longBtc.Covers(Arming([(EthUsdt, true, 49_000m)])), Is.False);
            Assert.That(longBtc.Covers(Arming([(BtcUsdt, false, 49_000m)])), Is.False);
            Assert.That(longBtc.Covers(Arming([(BtcUsdt, true, 49_000m), (EthUsdt, true, 2_000m)])), Is.False);
            Assert.That(longBtc.Covers(Arming([])), Is.False);
            // an account re-evaluated at every move is re-armed, and so is one that now must be
            Assert.That(Arming([(BtcUsdt, true, decimal.MaxValue)]).Covers(longBtc), Is.False);
            Assert.That(longBtc.Covers(Arming([(BtcUsdt, true, decimal.MaxValue)])), Is.False);
            // collateral falls like a long
            var btcCollateral = new TriggerIndex.Arming([], [(Btc, 50_000m)]);
            Assert.That(btcCollateral.Covers(new TriggerIndex.Arming([], [(Btc, 49_000m)])), Is.True);
            Assert.That(btcCollateral.Covers(new TriggerIndex.Arming([], [(Btc, 51_000m)])), Is.False);
            Assert.That(btcCollateral.Covers(new TriggerIndex.Arming([], [("ETH", 49_000m)])), Is.False);
            // every price is held to it, the last as much as the first
            var three = new TriggerIndex.Arming([(BtcUsdt, true, 50_000m), (EthUsdt, false, 3_500m)], [(Btc, 50_000m)]);
            Assert.That(
                three.Covers(new([(BtcUsdt, true, 49_000m), (EthUsdt, false, 3_600m)], [(Btc, 49_000m)])),
                Is.True
            );
            Assert.That(
                three.Covers(new([(BtcUsdt, true, 49_000m), (EthUsdt, false, 3_400m)], [(Btc, 49_000m)])),
                Is.False
            );
            Assert.That(
                three.Covers(new([(BtcUsdt, true, 49_000m), (EthUsdt, false, 3_600m)], [(Btc, 51_000m)])),
                Is.False
            );
        });

        static TriggerIndex.Arming Arming((string Symbol, bool Falls, decimal Price)[] marks) =>
            new([.. marks.Select(m => ((Symbol)m.Symbol, m.Falls, m.Price))], []);
    }

    [Test]
    public void A_liquidatable_account_the_cap_stopped_is_re_evaluated_at_every_move_of_its_prices()
    {
        var (state, _) = React(
            BtcListing,
            new UpdatePrice(BtcUsdt, 60_000m),
            new SetInstrumentLiquidation(BtcUsdt, 0m, 1m),
            new Deposit(Alice, Usdt, 1_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.5m, 60_000m),
            new UpdatePrice(BtcUsdt, 57_000m)
        );
        Assert.That(state.Triggers!.Liquidatable, Is.EqualTo(new[] { (AccountId)Alice }));
        Assert.That(state.Triggers.TriggersOf(Alice).Single().Price, Is.EqualTo(decimal.MaxValue));
        // a move up that heals the account takes it out of the set
        var healed = LedgerRuntime.Run(state, new UpdatePrice(BtcUsdt, 60_000m)).State;
        Assert.That(healed.Triggers!.Liquidatable, Is.Empty);
        Assert.That(MarginKernel.Evaluate(healed.Account(Alice), healed.Market).Liquidatable, Is.False);
        // so does a deposit, which re-arms it at once, at a trigger a price must reach:
        // E = 3 000 − 0.5 × 3 000 = 1 500, MM = 28 500 × 0.004 = 114, trigger 57 000 − 1 385.99999994 / 0.5
        // = 54 228.00000012
        var deposited = LedgerRuntime.Run(state, new Deposit(Alice, Usdt, 2_000m)).State;
        Assert.That(deposited.Triggers!.Liquidatable, Is.Empty);
        Assert.That(deposited.Triggers.TriggersOf(Alice).Single(), Is.EqualTo((BtcUsdt, true, 54_228.00000012m)));
    }

    [Test]
    public void An_asset_a_log_holds_before_its_listing_counts_from_the_listing_on()
    {
        // no decider accepts this order (a deposit of an unlisted asset); a log folded by hand still keeps the index
        var (listed, _) = React(
            BtcListing,
            new UpdatePrice(BtcUsdt, 60_000m),
            new SetInstrumentLiquidation(BtcUsdt, 0m, 1m),
            new Deposit(Alice, Usdt, 100m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.1m, 60_000m)
        );
        var state = LedgerRuntime.Fold(listed, new FundsDeposited(Alice, Btc, 1m, 1m));
        state = LedgerRuntime.Run(state, new UpdatePrice(BtcUsdt, 59_200m)).State;
        Assert.That(state.Triggers!.Liquidatable, Is.EqualTo(new[] { (AccountId)Alice }));
        state = LedgerRuntime.Fold(
            state,
            new CollateralListed(Btc, [new CollateralRatioTier(0m, 0.95m)], AssetLimits.DefaultCollateral)
        );
        Assert.That(state.Triggers!.TriggersOf(Alice), Does.Contain((Btc, true, decimal.MaxValue)));
        state = LedgerRuntime.Fold(state, new IndexPriceUpdated(Btc, 60_000m));
        Assert.That(state.Triggers!.Liquidatable, Is.Empty);
    }

    [Test]
    public void An_index_caught_up_over_a_listing_counts_the_asset_a_log_held_before_it()
    {
        // folded by hand, as no decider would: alice holds BTC before it is listed and owes 10 USDT, so she is flat
        // with equity below zero, liquidatable, and armed on no price at all
        var (listed, _) = React(BtcListing, new UpdatePrice(BtcUsdt, 60_000m));
        var built = LedgerRuntime.Fold(
            LedgerRuntime.Fold(listed, new FundsDeposited(Alice, Btc, 1m, 1m)),
            new FundsWithdrawn(Alice, Usdt, 10m, -10m)
        ) with
        {
            Triggers = null,
        };
        var index = TriggerIndex.Build(built);
        Assert.That(index.Liquidatable, Is.EqualTo(new[] { (AccountId)Alice }));
        Assert.That(index.TriggersOf(Alice), Is.Empty);
        // listed and priced while the index was built: 1 BTC at 60 000 × 0.95 now covers the debt
        var now = LedgerRuntime.Fold(
            LedgerRuntime.Fold(
                built,
                new CollateralListed(Btc, [new CollateralRatioTier(0m, 0.95m)], AssetLimits.DefaultCollateral)
            ),
            new IndexPriceUpdated(Btc, 60_000m)
        );
        Assert.That(MarginKernel.Evaluate(now.Account(Alice), now.Market).Liquidatable, Is.False);
        var caughtUp = index.CaughtUp(built, now)!;
        Assert.That(caughtUp.Liquidatable, Is.Empty);
        Assert.That(caughtUp.TriggersOf(Alice).Select(t => t.Subject), Is.EqualTo(new[] { Btc }));
        Assert.That(caughtUp.Inconsistency(), Is.Null);
    }
}
