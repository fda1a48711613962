using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Margin;
using static CrossMargin.Ledger.Tests.Samples;

namespace CrossMargin.Ledger.Tests.Liquidation;

/// <summary>Worked liquidation examples, derived by hand; brackets are <see cref="Samples.BtcTierInputs"/>, taker fees
/// 0.</summary>
public sealed class LiquidationSpecs
{
    private static readonly LedgerCommand BtcListing = ListBtcUsdt(takerFee: 0m); // liquidation fee 0.5 %
    private static readonly LedgerCommand BtcLowFee = ListBtcUsdt(takerFee: 0m) with { LiquidationFeeRate = 0.001m };
    private static readonly LedgerCommand EthLowFee = ListEthUsdt() with
    {
        TakerFeeRate = 0m,
        LiquidationFeeRate = 0.001m,
    };
    private static readonly LedgerCommand Mark60K = new UpdatePrice(BtcUsdt, 60_000m);

    private static (LedgerState State, IReadOnlyList<ILedgerEvent> Last) Run(params LedgerCommand[] commands) =>
        React(commands);

    private static AccountMargin MarginOf(LedgerState state, string account) =>
        MarginCalculator.Compute(state.Account(account), state.Market);

    [Test]
    public void One_tick_above_the_liquidation_price_nothing_happens_at_the_tick_below_the_position_is_closed()
    {
        // 1 000 USDT, long 0.5 at 60 000 in bracket 1: P = (1 000 − 30 000) / (0.002 − 0.5) = 58 232.93…
        LedgerCommand[] open =
        [
            BtcListing,
            Mark60K,
            new Deposit(Alice, Usdt, 1_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.5m, 60_000m),
        ];
        Assert.That(
            MarginOf(Run(open).State, Alice).Positions[0].LiquidationPrice,
            Is.EqualTo(58_232.931726907630522088m)
        );

        var above = Run([.. open, new UpdatePrice(BtcUsdt, 58_233.0m)]);
        Assert.That(above.Last, Has.Count.EqualTo(1), "only the mark");

        var below = Run([.. open, new UpdatePrice(BtcUsdt, 58_232.9m)]);
        // E = 1 000 + 0.5 × (58 232.9 − 60 000) = 116.45 ≤ MM = 29 116.45 × 0.004 = 116.4658
        var triggered = below.Last.OfType<LiquidationTriggered>().Single();
        Assert.That(
            (triggered.Equity, triggered.MaintenanceMargin, triggered.LiquidationId),
            Is.EqualTo((116.45m, 116.4658m, "alice#1"))
        );
        var step = below.Last.OfType<PositionLiquidated>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(step.Rule, Is.EqualTo(StepRule.CloseInTier1));
            Assert.That(step.BankruptcyPrice, Is.EqualTo(58_000m)); // 58 232.9 − 116.45 / 0.5
            Assert.That(step.RealizedPnl, Is.EqualTo(-883.55m)); // 0.5 × (58 232.9 − 60 000)
            // d = 0.5 × (58 232.9 − 58 000) = 116.45 < 0.005 × 0.5 × 58 232.9 = 145.58: the fee is capped at d
            Assert.That(step.Fee, Is.EqualTo(116.45m));
            Assert.That(step.InsuranceFundDelta, Is.EqualTo(116.45m));
        });
        Assert.That(below.Last.OfType<LiquidationCompleted>().Single().Outcome, Is.EqualTo(LiquidationOutcome.Flat));
        Assert.That(below.State.Account(Alice).Balance(Usdt), Is.Zero);
        Assert.That(below.State.InsuranceFundBalance, Is.EqualTo(116.45m));
    }

    [Test]
    public void Two_positions_the_larger_maintenance_margin_goes_first_even_when_the_other_price_moved()
    {
        var (state, last) = Run(
            BtcLowFee,
            EthLowFee,
            Mark60K,
            new UpdatePrice(EthUsdt, 3_000m),
            new Deposit(Alice, Usdt, 1_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.5m, 60_000m),
            new OpenPosition(Alice, EthUsdt, Side.Long, 10m, 3_000m),
            new UpdatePrice(EthUsdt, 2_990m),
            new UpdatePrice(BtcUsdt, 58_700m)
        );
        // E = 1 000 − 100 − 650 = 250; MM = BTC 29 350 × 0.004 = 117.4 + ETH 29 900 × 0.005 = 149.5 → 266.9 ≥ E
        var step = last.OfType<PositionLiquidated>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(step.Symbol, Is.EqualTo((Symbol)EthUsdt), "ETH's MM 149.5 is larger than BTC's 117.4");
            // BP = 2 990 − E·|ΔMM| / (MM·Δ) = 2 990 − 250 × 149.5 / (266.9 × 10)
            Assert.That(step.BankruptcyPrice, Is.EqualTo(2_975.996627950543274635m));
            Assert.That(step.Fee, Is.EqualTo(29.9m)); // 0.001 × 10 × 2 990, below d = 140.03…
            Assert.That(step.RealizedPnl, Is.EqualTo(-100m));
        });
        // after: E = 870.1 − 650 = 220.1 > MM 117.4: healthy, BTC stays open
        var done = last.OfType<LiquidationCompleted>().Single();
        Assert.That(
            (done.Outcome, done.Equity, done.MaintenanceMargin, done.Positions.Single().Symbol),
            Is.EqualTo((LiquidationOutcome.Healthy, 220.1m, 117.4m, (Symbol)BtcUsdt))
        );
        Assert.That(MarginOf(state, Alice).Liquidatable, Is.False);
    }

    [Test]
    public void A_position_above_bracket_one_steps_down_to_the_next_lower_cap()
    {
        var (_, last) = Run(
            BtcLowFee,
            Mark60K,
            new Deposit(Alice, Usdt, 7_000m),
            new SetLeverage(Alice, BtcUsdt, 50m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 5m, 60_000m),
            new UpdatePrice(BtcUsdt, 58_900m)
        );
        // N = 294 500 (bracket 3): MM = 2 945 − 1 300 = 1 645 ≥ E = 7 000 − 5 500 = 1 500
        var step = last.OfType<PositionLiquidated>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(step.Rule, Is.EqualTo(StepRule.TierStepDown));
            // keep < 250 000 / 58 900 = 4.2444…: Δ = 5 − 4.2444… = 0.7555… rounded up to the 0.001 step
            Assert.That(step.Quantity, Is.EqualTo(0.756m));
            Assert.That((step.TierBefore, step.TierAfter), Is.EqualTo((3, (int?)2)));
            // MM after = 249 971.6 × 0.005 − 50 = 1 199.858; BP = 58 900 − 1 500 × 445.142 / (1 645 × 0.756)
            Assert.That(step.BankruptcyPrice, Is.EqualTo(58_363.089207314131326289m));
            Assert.That(step.Fee, Is.EqualTo(44.5284m)); // 0.001 × 0.756 × 58 900
        });
        var done = last.OfType<LiquidationCompleted>().Single();
        // balance 7 000 − 831.6 − 44.5284 = 6 123.8716; E = 6 123.8716 − 4 668.4 = 1 455.4716 > MM 1 199.858
        Assert.That(
            (done.Outcome, done.Equity, done.MaintenanceMargin),
            Is.EqualTo((LiquidationOutcome.Healthy, 1_455.4716m, 1_199.858m))
        );
    }

    [Test]
    public void A_gap_through_the_bankruptcy_price_is_paid_by_the_insurance_fund_exactly()
    {
        var (state, last) = Run(
            BtcListing,
            Mark60K,
            new FundInsurance(Usdt, 1_000m),
            new Deposit(Alice, Usdt, 1_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.5m, 60_000m),
            new UpdatePrice(BtcUsdt, 57_000m)
        );
        // E = 1 000 − 1 500 = −500; BP = 57 000 − (−500 × 114) / (114 × 0.5) = 58 000; d = 0.5 × (57 000 − 58 000) =
        // −500
        var step = last.OfType<PositionLiquidated>().Single();
        Assert.That(
            (step.BankruptcyPrice, step.Fee, step.InsuranceFundDelta, step.Execution),
            Is.EqualTo((58_000m, 0m, -500m, Execution.Market))
        );
        var bankrupt = last.OfType<AccountBankrupt>().Single();
        Assert.That((bankrupt.Equity, bankrupt.CoveredByInsuranceFund, bankrupt.Uncovered), Is.EqualTo((0m, 500m, 0m)));
        Assert.That(state.InsuranceFundBalance, Is.EqualTo(500m));
        Assert.That(last.OfType<InsuranceFundChanged>().Single().BalanceAfter, Is.EqualTo(500m));
    }

    private static LedgerCommand[] EmptyFundWithTwoShorts(params LedgerCommand[] policy) =>
        [
            BtcListing,
            Mark60K,
            .. policy,
            new Deposit(Alice, Usdt, 1_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.5m, 60_000m),
            new Deposit(Bob, Usdt, 10_000m),
            new OpenPosition(Bob, BtcUsdt, Side.Short, 0.3m, 60_000m),
            new Deposit("carol", Usdt, 3_000m),
            new OpenPosition("carol", BtcUsdt, Side.Short, 0.4m, 60_000m),
            new UpdatePrice(BtcUsdt, 57_000m),
        ];

    [Test]
    public void An_empty_fund_sends_the_slice_to_the_highest_ranked_opposite_positions_at_the_bankruptcy_price()
    {
        var (state, last) = Run(EmptyFundWithTwoShorts());
        var adl = last.OfType<PositionAutoDeleveraged>().ToArray();
        // score = PnL% × N / (E × MM_i / MM): bob 0.05 × 17 100 / 10 900; carol 0.05 × 22 800 / 4 200 — carol first
        Assert.That(
            adl.Select(a => (a.Account, a.Rank, a.Quantity, a.Price)),
            Is.EqualTo(
                new (AccountId, int, decimal, decimal)[] { ("carol", 1, 0.4m, 58_000m), (Bob, 2, 0.1m, 58_000m) }
            )
        );
        // rounded to 18 places
        Assert.That(adl.Select(a => a.Score), Is.EqualTo(new[] { 0.271428571428571429m, 0.078440366972477064m }));
        Assert.That(adl.Select(a => a.RealizedPnl), Is.EqualTo(new[] { 800m, 200m })); // (60 000 − 58 000) × quantity
        var step = last.OfType<PositionLiquidated>().Single();
        Assert.That(
            (step.Execution, step.FillPrice, step.RealizedPnl, step.InsuranceFundDelta),
            Is.EqualTo((Execution.Adl, 58_000m, -1_000m, 0m))
        );
        Assert.That(state.Account(Alice).Balance(Usdt), Is.Zero);
        Assert.That(state.Account(Bob).Size(BtcUsdt), Is.EqualTo(-0.2m));
        // the 0.5 BTC went to ADL at 58 000 against a market fill at the mark 57 000: a deficit of 500 in BTCUSDT, all
        // absorbed by ADL
        Assert.That(
            last.OfType<AccountBankrupt>().Single().Deficits,
            Is.EqualTo(new[] { new InstrumentDeficit(BtcUsdt, 500m, 0m, 0.5m, 500m, 0m, 0m) })
        );
    }

    [Test]
    public void Socialised_loss_charges_profitable_opposite_positions_pro_rata()
    {
        var (state, last) = Run(EmptyFundWithTwoShorts(new SetLiquidationPolicy(0m, DeficitPolicy.Socialize)));
        // filled at 57 000: deficit 500 shared by profit: bob 900, carol 1 200 → bob 500 × 900 / 2 100 =
        // 214.2857142857…
        // rounded down to the satoshi (a charge to a winner is money), carol the rest
        var shares = last.OfType<LossSocialized>().Select(l => (l.Account, l.Amount)).ToArray();
        Assert.That(shares, Is.EqualTo(new (AccountId, decimal)[] { (Bob, 214.28571428m), ("carol", 285.71428572m) }));
        Assert.That(last.OfType<PositionLiquidated>().Single().Execution, Is.EqualTo(Execution.Socialized));
        Assert.That(state.Account(Alice).Balance(Usdt), Is.Zero);
        Assert.That(last.OfType<AccountBankrupt>().Single().Socialized, Is.EqualTo(500m));
        Assert.That(last.OfType<PositionAutoDeleveraged>(), Is.Empty);
    }

    [Test]
    public void A_cascade_on_one_price_event_shares_the_fund_in_account_order()
    {
        var (state, last) = Run(
            BtcListing,
            Mark60K,
            new FundInsurance(Usdt, 600m),
            new Deposit(Alice, Usdt, 1_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.5m, 60_000m),
            new Deposit(Bob, Usdt, 1_200m),
            new OpenPosition(Bob, BtcUsdt, Side.Long, 0.5m, 60_000m),
            new Deposit("carol", Usdt, 10_000m),
            new OpenPosition("carol", BtcUsdt, Side.Short, 0.8m, 60_000m),
            new UpdatePrice(BtcUsdt, 57_000m)
        );
        Assert.That(
            last.OfType<LiquidationTriggered>().Select(t => t.Account),
            Is.EqualTo(new AccountId[] { Alice, Bob })
        );
        // alice's deficit 500 is paid in full; bob's is 600 per unit (BP 57 600) with 100 left: 0.166 covered, 0.334 to
        // ADL
        var bobSteps = last.OfType<PositionLiquidated>().Where(p => p.Account == Bob).ToArray();
        Assert.That(
            bobSteps.Select(p => (p.Execution, p.Quantity, p.InsuranceFundDelta)),
            Is.EqualTo(new[] { (Execution.Market, 0.166m, -99.6m), (Execution.Adl, 0.334m, 0m) })
        );
        // 0.334 × (60 000 − 57 600)
        Assert.That(last.OfType<PositionAutoDeleveraged>().Single().RealizedPnl, Is.EqualTo(801.6m));
        Assert.That(state.InsuranceFundBalance, Is.EqualTo(0.4m)); // 600 − 500 − 99.6
        Assert.That(state.Account(Bob).Balance(Usdt), Is.Zero);
        Assert.That(Invariants.Violations(state), Is.Empty);
    }

    [Test]
    public void A_per_price_event_cap_stops_the_cascade_and_says_so()
    {
        var (state, last) = Run(
            BtcListing,
            Mark60K,
            new SetInstrumentLiquidation(BtcUsdt, 0m, NotionalCap: 20_000m),
            new FundInsurance(Usdt, 10_000m),
            new Deposit(Alice, Usdt, 1_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.5m, 60_000m),
            new UpdatePrice(BtcUsdt, 57_000m)
        );
        // 20 000 / 57 000 = 0.3508… → 0.350 may be liquidated at this price event
        Assert.That(last.OfType<PositionLiquidated>().Sum(p => p.Quantity), Is.EqualTo(0.35m));
        Assert.That(last.OfType<AccountBankrupt>().Single().Positions.Single().Size, Is.EqualTo(0.15m));
        Assert.That(
            MarginOf(state, Alice).Liquidatable,
            Is.True,
            "a cap leaves the account liquidatable until the next price event"
        );
    }

    [Test]
    public void Slippage_moves_the_fill_against_the_account_and_the_buffer_decides_how_deep_a_step_down_goes()
    {
        var (_, last) = Run(
            BtcLowFee,
            Mark60K,
            new SetInstrumentLiquidation(BtcUsdt, 0.001m),
            new SetLiquidationPolicy(0.5m, DeficitPolicy.Adl),
            new Deposit(Alice, Usdt, 7_000m),
            new SetLeverage(Alice, BtcUsdt, 50m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 5m, 60_000m),
            new UpdatePrice(BtcUsdt, 58_900m)
        );
        var steps = last.OfType<PositionLiquidated>().ToArray();
        Assert.That(steps[0].FillPrice, Is.EqualTo(58_841.1m)); // 58 900 × (1 − 0.001), a sale
        // the step-down to bracket 2 (0.756) would leave E = 1 455.4716 with no fee at all, not above 1.5 × MM = 1
        // 799.787, so it
        // cannot restore health under this buffer; the step-down to bracket 1 (4.152, keeping 0.848) leaves E = 1
        // 255.4472 fee-free
        // against 1.5 × 199.7888: that one is taken, with the full fee 0.001 × 4.152 × 58 841.1 = 244.3082472 (rounded
        // up)
        var step = steps.Single();
        Assert.That(
            (step.Rule, step.Quantity, step.Fee, step.SizeAfter, step.TierAfter),
            Is.EqualTo((StepRule.TierStepDown, 4.152m, 244.3082472m, 0.848m, 1))
        );
        var done = last.OfType<LiquidationCompleted>().Single();
        Assert.That(
            (done.Outcome, done.Equity, done.MaintenanceMargin),
            Is.EqualTo((LiquidationOutcome.Healthy, 1_011.1389528m, 199.7888m))
        );
    }

    [Test]
    public void A_collateral_price_drop_triggers_the_accounts_holding_that_collateral()
    {
        var (_, last) = Run(
            BtcListing,
            Mark60K,
            ListBtcCollateral(),
            new UpdatePrice(Btc, 60_000m),
            new Deposit(Bob, Btc, 0.02m),
            new OpenPosition(Bob, BtcUsdt, Side.Short, 0.4m, 60_000m),
            new UpdatePrice(Btc, 30_000m)
        );
        // short 0.4 at 60 000, no uPnL: E = 0.02 × 30 000 × 0.95 = 570 > MM = 24 000 × 0.004 = 96 — healthy
        Assert.That(last.OfType<LiquidationTriggered>(), Is.Empty);
        var crash = Run(
            BtcListing,
            Mark60K,
            ListBtcCollateral(),
            new UpdatePrice(Btc, 60_000m),
            new Deposit(Bob, Btc, 0.02m),
            new OpenPosition(Bob, BtcUsdt, Side.Short, 0.4m, 60_000m),
            new UpdatePrice(Btc, 5_000m)
        ).Last;
        // 0.02 × 5 000 × 0.95 = 95 ≤ 96
        var triggered = crash.OfType<LiquidationTriggered>().Single();
        Assert.That(
            (triggered.TriggerType, triggered.TriggerSymbol, triggered.CollateralValue),
            Is.EqualTo(("index-price-updated.v2", Btc, 95m))
        );
        Assert.That(
            triggered.Prices.Select(p => (p.Symbol, p.Kind)),
            Is.EquivalentTo(new[] { (BtcUsdt, PriceKind.Mark), (Btc, PriceKind.Index) })
        );
    }

    [Test]
    public void Parameters_in_force_at_the_price_event_decide_and_a_change_affects_only_later_events()
    {
        var state = LedgerState.Initial;
        var log = new List<LoggedEvent>();
        void Do(LedgerCommand c)
        {
            var ran = LedgerRuntime.Run(state, c);
            foreach (var e in ((Decision.Accepted)ran.Decision).Events)
                log.Add(new LoggedEvent(log.Count + 1, e.Stream, "c" + log.Count, e.Event));
            state = ran.State;
        }
        foreach (
            var c in new[]
            {
                BtcListing,
                Mark60K,
                new FundInsurance(Usdt, 10_000m),
                new Deposit(Alice, Usdt, 1_000m),
                new OpenPosition(Alice, BtcUsdt, Side.Long, 0.5m, 60_000m),
                new UpdatePrice(BtcUsdt, 58_232.9m),
            }
        )
            Do(c);
        Do(ListBtcUsdt(takerFee: 0m) with { LiquidationFeeRate = 0.001m });
        foreach (
            var c in new LedgerCommand[]
            {
                new Deposit(Bob, Usdt, 1_000m),
                new OpenPosition(Bob, BtcUsdt, Side.Long, 0.5m, 58_232.9m),
                new UpdatePrice(BtcUsdt, 56_400m),
            }
        )
            Do(c);
        var fees = log.Select(l => l.Event).OfType<PositionLiquidated>().Select(p => (p.Account, p.Fee)).ToArray();
        // alice at 0.5 %: the fee is capped at d = 116.45; bob after the change at 0.1 %: 0.001 × 0.5 × 56 400 = 28.2 <
        // d = 83.55
        Assert.That(fees, Is.EqualTo(new (AccountId, decimal)[] { (Alice, 116.45m), (Bob, 28.2m) }));
        Assert.That(
            ReexecutionAudit.Run(log, Application.Audit.Reexecution.Describe).Agrees,
            "replay uses the rate in force at each position"
        );
    }

    [Test]
    public void React_sends_liquidate_account_for_exactly_the_exposed_liquidatable_accounts_in_id_order()
    {
        // carol and alice are thin longs, bob a healthy long; dave is short (profits); erin holds only ETH (not
        // exposed)
        var (state, _) = Run(
            BtcListing,
            EthLowFee,
            Mark60K,
            new UpdatePrice(EthUsdt, 3_000m),
            new Deposit("carol", Usdt, 250m),
            new OpenPosition("carol", BtcUsdt, Side.Long, 0.5m, 60_000m),
            new Deposit(Alice, Usdt, 250m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.5m, 60_000m),
            new Deposit(Bob, Usdt, 5_000m),
            new OpenPosition(Bob, BtcUsdt, Side.Long, 0.5m, 60_000m),
            new Deposit("dave", Usdt, 250m),
            new OpenPosition("dave", BtcUsdt, Side.Short, 0.5m, 60_000m),
            new Deposit("erin", Usdt, 100m),
            new OpenPosition("erin", EthUsdt, Side.Long, 1m, 3_000m)
        );
        var moved = LedgerEvolution.Evolve(state, new MarkPriceUpdated(BtcUsdt, 59_700m));
        var trigger = LiquidationEngine.TriggerOf(new MarkPriceUpdated(BtcUsdt, 59_700m), moved)!;
        // E = 250 − 150 = 100 ≤ MM = 29 850 × 0.004 = 119.4 for alice and carol
        Assert.That(
            LiquidationEngine.Exposed(moved, trigger),
            Is.EqualTo(new AccountId[] { Alice, Bob, "carol", "dave" })
        );
        Assert.That(
            LiquidationEngine.React(moved, trigger).Select(c => c.Account),
            Is.EqualTo(new AccountId[] { Alice, "carol" })
        );
        Assert.That(
            LiquidationEngine
                .Cascade(moved, trigger)
                .Events.Select(e => e.Event)
                .OfType<LiquidationTriggered>()
                .Select(t => t.Account),
            Is.EqualTo(new AccountId[] { Alice, "carol" })
        );
    }
}
