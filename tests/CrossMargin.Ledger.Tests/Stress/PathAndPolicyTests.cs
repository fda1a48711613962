using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Parameters;
using CrossMargin.Ledger.Stress;
using static CrossMargin.Ledger.Tests.Samples;

namespace CrossMargin.Ledger.Tests.Stress;

/// <summary>Price paths, thinning liquidity and the cascade-prevention policies, each against figures worked by
/// hand (BTCUSDT's price precision is 8 places: prices round half away from zero there).</summary>
public sealed class PathAndPolicyTests
{
    private static readonly ImpactModel BtcImpact = new(
        ImpactModel.DefaultY,
        new Dictionary<string, MarketLiquidity> { [BtcUsdt] = new(0.04m, 100m) }
    );

    /// <summary>Alice long 1 BTC on 1 000 USDT and Bob long 1 BTC on 5 000, both at 60 000; no fees; a fund of
    /// <paramref name="fund"/>.</summary>
    private static LedgerState TwoLongs(decimal fund = 0m)
    {
        var commands = new List<LedgerCommand>
        {
            ListBtcUsdt(takerFee: 0m),
            new UpdatePrice(BtcUsdt, 60_000m),
            new Deposit(Alice, Usdt, 1_000m),
            new Deposit(Bob, Usdt, 5_000m),
            new SetLeverage(Alice, BtcUsdt, 100m),
            new SetLeverage(Bob, BtcUsdt, 100m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 1m, 60_000m),
            new OpenPosition(Bob, BtcUsdt, Side.Long, 1m, 60_000m),
        };
        if (fund > 0m)
            commands.Insert(2, new FundInsurance(Usdt, fund));
        return React([.. commands]).State;
    }

    [Test]
    public void A_price_path_moves_one_step_per_round_and_each_step_liquidates_who_it_reaches()
    {
        // step 1: −5 % → 57 000: Alice's equity 1 000 − 3 000 < 0; Bob's 5 000 − 3 000 = 2 000 stands
        // step 2: −10 % → 54 000: Bob's 5 000 − 6 000 < 0
        var report = Run(
            TwoLongs(),
            new StressScenario([Shock.By(BtcUsdt, -0.05m)])
            {
                Then =
                [
                    [Shock.By(BtcUsdt, -0.1m)],
                ],
            }
        );
        Assert.That(report.Rounds.Select(r => r.Prices[BtcUsdt]), Is.EqualTo(new[] { 57_000m, 54_000m }));
        Assert.That(report.Rounds[0].Liquidated, Is.EqualTo(new[] { Alice }));
        Assert.That(report.Rounds[1].Liquidated, Is.EqualTo(new[] { Bob }));
        Assert.That(report.Stop, Is.EqualTo(StressStop.ImpactOff));
        Assert.That(report.PathEnd[BtcUsdt], Is.EqualTo(54_000m));
        Assert.That(report.Amplification[BtcUsdt], Is.EqualTo(1m));
    }

    [Test]
    public void Impact_accumulates_on_top_of_the_path()
    {
        // round 1: 57 000, Alice's 1 BTC sold
        // round 2: the path's step 57 000 → 54 000 and the impact of 1 BTC, 1 × 0.04 × √(1/100) = 0.004:
        //          57 000 × (54 000 / 57 000) × 0.996 = 53 784; Bob (5 000 − 6 216 < 0) sold
        // round 3: 53 784 × 0.996 = 53 568.864; nobody holds BTCUSDT, nothing sold: the run stops
        // amplification = (53 568.864 / 60 000 − 1) / (54 000 / 60 000 − 1) = −0.1071856 / −0.1 = 1.071856
        var report = Run(
            TwoLongs(),
            new StressScenario([Shock.By(BtcUsdt, -0.05m)], BtcImpact)
            {
                Then =
                [
                    [Shock.By(BtcUsdt, -0.1m)],
                ],
            }
        );
        Assert.That(report.Rounds.Select(r => r.Prices[BtcUsdt]), Is.EqualTo(new[] { 57_000m, 53_784m, 53_568.864m }));
        Assert.That(report.Rounds[1].Liquidated, Is.EqualTo(new[] { Bob }));
        Assert.That(report.Stop, Is.EqualTo(StressStop.NothingSold));
        Assert.That(report.Amplification[BtcUsdt], Is.EqualTo(1.071856m));
    }

    [Test]
    public void A_path_step_after_impact_moves_the_impacted_price_by_the_paths_ratio()
    {
        // as above to round 2 (53 784, Bob sold); round 3 takes the path from −10 % to −12 % (54 000 → 52 800) from
        // where impact left the price, and the impact of Bob's 1 BTC: 53 784 × 52 800 / 54 000 × 0.996 =
        // 52 588.8 × 0.996 = 52 378.4448; nothing is held any more, so round 3 sells nothing and the run stops
        // amplification = (52 378.4448 / 60 000 − 1) / (52 800 / 60 000 − 1) = 1.0585493333…
        var report = Run(
            TwoLongs(),
            new StressScenario([Shock.By(BtcUsdt, -0.05m)], BtcImpact)
            {
                Then =
                [
                    [Shock.By(BtcUsdt, -0.1m)],
                    [Shock.To(BtcUsdt, 52_800m)],
                ],
            }
        );
        Assert.That(report.Rounds.Select(r => r.Prices[BtcUsdt]), Is.EqualTo(new[] { 57_000m, 53_784m, 52_378.4448m }));
        Assert.That(report.Stop, Is.EqualTo(StressStop.NothingSold));
        Assert.That(report.PathEnd[BtcUsdt], Is.EqualTo(52_800m));
        Assert.That(decimal.Round(report.Amplification[BtcUsdt], 12), Is.EqualTo(1.058549333333m));
    }

    [Test]
    public void Liquidity_thins_as_the_price_moves_in_units_of_its_daily_volatility()
    {
        // round 2 after −10 % with κ = 1: V = 100 / (1 + 1 × 0.1 / 0.04) = 100 / 3.5 = 28.571…;
        // Δp/p = 0.04 × √(1 / 28.571…) = 0.04 × √0.035 = 0.0074833147735…;
        // 54 000 × (1 − 0.0074833…) = 53 595.9010022284… → 53 595.90100223 (53 784 without thinning)
        var thin = BtcImpact with
        {
            Thinning = 1m,
        };
        var alone = React(
            ListBtcUsdt(takerFee: 0m),
            new UpdatePrice(BtcUsdt, 60_000m),
            new Deposit(Alice, Usdt, 1_000m),
            new SetLeverage(Alice, BtcUsdt, 100m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 1m, 60_000m)
        ).State;
        var report = Run(alone, new StressScenario([Shock.By(BtcUsdt, -0.1m)], thin));
        Assert.That(report.Rounds.Select(r => r.Prices[BtcUsdt]), Is.EqualTo(new[] { 54_000m, 53_595.90100223m }));
    }

    [Test]
    public void A_circuit_breaker_spreads_a_move_over_rounds_and_ends_where_the_shock_does()
    {
        // at most 4 % a round: 60 000 × 0.96 = 57 600 (Alice: 1 000 − 2 400 < 0), then 57 600 × 0.96 = 55 296, then
        // the rest of the −10 % (54 000, within 4 % of 55 296; Bob: 5 000 − 6 000 < 0)
        var report = Run(
            TwoLongs(),
            new StressScenario([Shock.By(BtcUsdt, -0.1m)]) { Policy = new StressPolicy(CircuitBreaker: 0.04m) }
        );
        Assert.That(report.Rounds.Select(r => r.Prices[BtcUsdt]), Is.EqualTo(new[] { 57_600m, 55_296m, 54_000m }));
        Assert.That(report.Rounds.Select(r => r.AccountsLiquidated), Is.EqualTo(new[] { 1, 0, 1 }));
        Assert.That(report.Stop, Is.EqualTo(StressStop.ImpactOff));
        Assert.That(report.PricesAfter[BtcUsdt], Is.EqualTo(54_000m));
    }

    [Test]
    public void A_per_round_cap_cuts_liquidations_short_and_the_next_round_resumes_them()
    {
        // at 54 000 both are bankrupt; a cap of 60 000 notional a price event takes Alice's 1 BTC (54 000) and
        // 6 000 / 54 000 → 0.111 BTC of Bob's, then the next round marks 54 000 again and takes the rest
        var report = Run(
            TwoLongs(),
            new StressScenario([Shock.By(BtcUsdt, -0.1m)]) { Policy = new StressPolicy(RoundCap: 60_000m) }
        );
        Assert.That(report.Rounds.Length, Is.GreaterThanOrEqualTo(2));
        Assert.That(report.Rounds[1].Prices[BtcUsdt], Is.EqualTo(54_000m), "marked again at its price");
        var first = report.Rounds[0].Events.OfType<PositionLiquidated>().Sum(p => p.NotionalAtMark);
        Assert.That(first, Is.LessThanOrEqualTo(60_000m));
        Assert.That(
            report.Rounds.SelectMany(r => r.Events).OfType<PositionLiquidated>().Sum(p => p.Quantity),
            Is.EqualTo(2m),
            "both BTC are closed in the end"
        );
        Assert.That(report.LiquidatedLongNotional, Is.EqualTo(120_000m));
    }

    [Test]
    public void A_larger_fund_covers_what_the_venues_own_leaves_uncovered()
    {
        // −10 %: Alice's deficit 5 000 and Bob's 1 000 (both bankrupt, nobody short): a fund of 1 000 leaves
        // 5 000 uncovered; with 5 000 more it covers all 6 000
        var own = Run(TwoLongs(1_000m), new StressScenario([Shock.By(BtcUsdt, -0.1m)]));
        var larger = Run(
            TwoLongs(1_000m),
            new StressScenario([Shock.By(BtcUsdt, -0.1m)]) { Policy = new StressPolicy(ExtraFund: 5_000m) }
        );
        Assert.That((own.Uncovered, own.InsuranceFundAfter), Is.EqualTo((5_000m, 0m)));
        Assert.That(
            (larger.InsuranceFundBefore, larger.Uncovered, larger.FundDrawdown),
            Is.EqualTo((6_000m, 0m, 6_000m))
        );
    }

    [Test]
    public void A_buffer_is_recorded_on_every_liquidation_and_stops_step_downs_later()
    {
        // a 2 BTC long; at 59 250 (−1.25 %) its equity is 2 000 − 1 500 = 500 against MM 118 500 × 0.5 % − 50 =
        // 542.5. A step-down to bracket 1 (below 50 000: 0.843 BTC, MM 0.4 % × 49 947.75 = 199.79) leaves 500 >
        // 199.79 standing; with a buffer of 2 it needs 500 > 3 × 199.79 = 599.37, so no step-down restores it and
        // the position is closed
        var state = React(
            ListBtcUsdt(takerFee: 0m),
            new UpdatePrice(BtcUsdt, 60_000m),
            new Deposit(Alice, Usdt, 2_000m),
            new SetLeverage(Alice, BtcUsdt, 100m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 2m, 60_000m)
        ).State;
        var shock = new StressScenario([Shock.By(BtcUsdt, -0.0125m)]);
        var own = Run(state, shock);
        var buffered = Run(state, shock with { Policy = new StressPolicy(Buffer: 2m) });
        Assert.That(own.Rounds[0].Events.OfType<LiquidationTriggered>().Single().Buffer, Is.Zero);
        Assert.That(buffered.Rounds[0].Events.OfType<LiquidationTriggered>().Single().Buffer, Is.EqualTo(2m));
        Assert.That(own.Rounds[0].Events.OfType<PositionLiquidated>().Single().SizeAfter, Is.EqualTo(0.843m));
        Assert.That(buffered.Rounds[0].Events.OfType<PositionLiquidated>().Last().SizeAfter, Is.Zero);
        Assert.That(buffered.LiquidatedLongNotional, Is.EqualTo(120_000m));
    }

    [Test]
    public void Full_close_closes_what_a_tier_step_down_would_have_left_standing()
    {
        // the same 2 BTC long at −1.25 % as above: tiered, a step-down leaves 0.843 BTC; in full, nothing
        var state = React(
            ListBtcUsdt(takerFee: 0m),
            new UpdatePrice(BtcUsdt, 60_000m),
            new Deposit(Alice, Usdt, 2_000m),
            new SetLeverage(Alice, BtcUsdt, 100m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 2m, 60_000m)
        ).State;
        var shock = new StressScenario([Shock.By(BtcUsdt, -0.0125m)]);
        var full = Run(state, shock with { Policy = new StressPolicy(CloseInFull: true) });
        var fill = full.Rounds[0].Events.OfType<PositionLiquidated>().Single();
        Assert.That((fill.Quantity, fill.SizeAfter, fill.Rule), Is.EqualTo((2m, 0m, StepRule.CloseInFull)));
        Assert.That(full.LiquidatedLongNotional, Is.EqualTo(120_000m));
        Assert.That(state.Market.Policy.CloseInFull, Is.False, "the state given stays as it was");
    }

    [Test]
    public void Full_close_goes_on_past_health_to_every_position_of_the_account()
    {
        // long 1 BTC and 1 ETH on 2 000: at BTCUSDT −3 % (58 200) equity is 2 000 − 1 800 = 200 against MM
        // 58 200 × 0.5 % − 50 + 3 000 × 0.5 % = 241 + 15 = 256. Tier by tier, BTCUSDT goes and 200 > 15 leaves the
        // ETH standing (no liquidation fee on BTCUSDT here, so the close leaves the 200); in full, the ETH goes too
        var state = React(
            new ListInstrument(BtcUsdt, "BTC", Usdt, BtcTierInputs, 0m, 0m, 0.001m, 0.1m),
            ListEthUsdt(),
            new UpdatePrice(BtcUsdt, 60_000m),
            new UpdatePrice(EthUsdt, 3_000m),
            new Deposit(Alice, Usdt, 2_000m),
            new SetLeverage(Alice, BtcUsdt, 100m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 1m, 60_000m),
            new OpenPosition(Alice, EthUsdt, Side.Long, 1m, 3_000m)
        ).State;
        var shock = new StressScenario([Shock.By(BtcUsdt, -0.03m)]);
        var tiered = Run(state, shock).Rounds[0].Events.OfType<PositionLiquidated>().ToList();
        var full = Run(state, shock with { Policy = new StressPolicy(CloseInFull: true) })
            .Rounds[0]
            .Events.OfType<PositionLiquidated>()
            .ToList();
        Assert.That(tiered.Select(p => p.Symbol.Value).Distinct(), Is.EqualTo(new[] { BtcUsdt }));
        Assert.That(full.Select(p => p.Symbol.Value), Is.EquivalentTo(new[] { BtcUsdt, EthUsdt }));
        Assert.That(full.All(p => p.SizeAfter == 0m && p.Rule == StepRule.CloseInFull), Is.True);
    }

    [Test]
    public void A_comparison_runs_every_policy_on_the_same_shock()
    {
        var cases = PolicyComparison.Standard(TwoLongs(1_000m));
        Assert.That(
            cases.Select(c => c.Name),
            Is.EqualTo(
                new[]
                {
                    "venue's own",
                    "full close",
                    "buffer 10 %",
                    "per-round cap",
                    "circuit breaker 5 %",
                    "fund doubled",
                }
            )
        );
        // the cap: 5 % of the longs' open interest, 2 BTC × 60 000 = 120 000 → 6 000
        Assert.That(cases.Single(c => c.Name == "per-round cap").Policy!.RoundCap, Is.EqualTo(6_000m));
        var compared = PolicyComparison.Run(TwoLongs(1_000m), new StressScenario([Shock.By(BtcUsdt, -0.1m)]), cases);
        Assert.That(compared.IsValid, Is.True, compared.Problem);
        var own = compared.Value.Single(o => o.Case.Name == "venue's own").Report;
        var doubled = compared.Value.Single(o => o.Case.Name == "fund doubled").Report;
        Assert.That((own.Uncovered, doubled.Uncovered), Is.EqualTo((5_000m, 4_000m)));
        var capped = compared.Value.Single(o => o.Case.Name == "per-round cap").Report;
        Assert.That(capped.Rounds.Length, Is.GreaterThan(own.Rounds.Length), "the cap spreads the closes over rounds");
        Assert.That(
            PolicyComparison
                .Run(TwoLongs(), new StressScenario([Shock.By(BtcUsdt, -0.1m)]), [cases[0], cases[0]])
                .Problem,
            Is.EqualTo("the policy 'venue's own' is named twice")
        );
    }

    [Test]
    public void A_liquidation_map_counts_what_each_level_liquidates_on_the_way_there()
    {
        // falls in steps of 5 %: Alice (1 000 on 1 BTC at 60 000) goes at the first level below her liquidation
        // price, Bob (5 000) further down; nobody is short, so rises liquidate nothing
        var map = LiquidationMap.Build(TwoLongs(), new LiquidationMapSpec(BtcUsdt, 0.05m, 0.2m));
        Assert.That(map.IsValid, Is.True, map.Problem);
        Assert.That(map.Value.Below.Select(l => l.Price), Is.EqualTo(new[] { 57_000m, 54_000m, 51_000m, 48_000m }));
        Assert.That(map.Value.Below.Select(l => l.Move), Is.EqualTo(new[] { -0.05m, -0.1m, -0.15m, -0.2m }));
        // Alice: 1 000 − 3 000 < 0 at 57 000; Bob: 5 000 − 3 000 = 2 000 > MM there, 5 000 − 6 000 < 0 at 54 000
        Assert.That(
            map.Value.Below.Select(l => l.LongNotional),
            Is.EqualTo(new[] { 60_000m, 120_000m, 120_000m, 120_000m })
        );
        Assert.That(map.Value.Below.Select(l => l.Accounts), Is.EqualTo(new[] { 1, 2, 2, 2 }));
        Assert.That(map.Value.Above.Select(l => l.Price), Is.EqualTo(new[] { 63_000m, 66_000m, 69_000m, 72_000m }));
        Assert.That(map.Value.Above.All(l => l.LongNotional == 0m && l.ShortNotional == 0m), Is.True);
        Assert.That(
            LiquidationMap.Build(TwoLongs(), new LiquidationMapSpec(BtcUsdt, 0.0001m, 0.5m)).Problem,
            Is.EqualTo("0.5 in steps of 0.0001 is more than 1000 levels")
        );
    }

    [Test]
    public void A_path_on_a_coarse_price_grid_lands_on_each_point_instead_of_drifting()
    {
        // an instrument marked 50 with whole-number prices: steps of −0.5 % are 49.75, 49.5, … each rounded half away
        // from zero (50, 50, 49, 49, 48, …); a path moving from where the rounded price stands would stay at 50
        var state = React(
            new ListInstrument(
                "XXUSDT",
                "XX",
                Usdt,
                [new RiskTierInput(0m, 0.01m, 50m)],
                0m,
                0m,
                1m,
                1m,
                new InstrumentLimitsInput(PricePrecision: 0)
            ),
            new UpdatePrice("XXUSDT", 50m)
        ).State;
        var map = LiquidationMap.Build(state, new LiquidationMapSpec("XXUSDT", 0.005m, 0.05m));
        Assert.That(map.IsValid, Is.True, map.Problem);
        Assert.That(
            map.Value.Below.Select(l => l.Price),
            Is.EqualTo(new[] { 50m, 50m, 49m, 49m, 49m, 49m, 48m, 48m, 48m, 48m })
        );
    }

    [Test]
    public void A_later_step_marks_only_the_markets_it_names()
    {
        // step 1 names BTCUSDT and ETHUSDT, step 2 ETHUSDT alone: round 2 sends no BTCUSDT price
        var state = React(
            ListBtcUsdt(takerFee: 0m),
            ListEthUsdt(),
            new UpdatePrice(BtcUsdt, 60_000m),
            new UpdatePrice(EthUsdt, 3_000m)
        ).State;
        var report = Run(
            state,
            new StressScenario([Shock.By(BtcUsdt, -0.05m), Shock.By(EthUsdt, -0.05m)])
            {
                Then =
                [
                    [Shock.By(EthUsdt, -0.1m)],
                ],
            }
        );
        Assert.That(report.Rounds[1].Prices.Keys, Is.EqualTo(new[] { EthUsdt }));
        Assert.That(
            report.PathEnd,
            Is.EqualTo(new Dictionary<string, decimal> { [BtcUsdt] = 57_000m, [EthUsdt] = 2_700m })
        );
    }

    /// <summary>BTCUSDT listed with a maximum price of 120 000 and marked at 60 000.</summary>
    private static LedgerState BtcWithMaxPrice120k() =>
        React(
            ListBtcUsdt(takerFee: 0m) with
            {
                Limits = new InstrumentLimitsInput(MaxPrice: 120_000m),
            },
            new UpdatePrice(BtcUsdt, 60_000m)
        ).State;

    [Test]
    public void A_shock_past_the_maximum_price_stops_there_and_amplifies_nothing()
    {
        var state = BtcWithMaxPrice120k();
        var report = Run(state, new StressScenario([Shock.By(BtcUsdt, 5m)]));
        Assert.That(report.PricesAfter[BtcUsdt], Is.EqualTo(120_000m));
        Assert.That(report.PathEnd[BtcUsdt], Is.EqualTo(120_000m));
        Assert.That(report.Amplification[BtcUsdt], Is.EqualTo(1m));
    }

    [Test]
    public void A_circuit_breaker_holding_a_move_past_the_maximum_price_adds_no_empty_rounds()
    {
        // +300 % in steps of at most 5 %: 60 000 × 1.05^14 = 118 795.9…, the 15th round stops at the maximum 120 000;
        // the rest of the move could never be made, so the run ends there instead of idling to the round limit
        var state = BtcWithMaxPrice120k();
        var report = Run(
            state,
            new StressScenario([Shock.By(BtcUsdt, 3m)]) { Policy = new StressPolicy(CircuitBreaker: 0.05m) }
        );
        Assert.That(report.Rounds, Has.Length.EqualTo(15));
        Assert.That(report.Rounds.All(r => r.Prices.Count == 1), Is.True, "every round moves the price");
        Assert.That(report.PricesAfter[BtcUsdt], Is.EqualTo(120_000m));
        Assert.That(report.Stop, Is.EqualTo(StressStop.ImpactOff));
    }

    [Test]
    public void A_rounds_recount_includes_an_account_credited_only_from_another_accounts_stream()
    {
        // an empty fund and socialised losses: at 57 000 alice's deficit is charged to bob and carol, on their
        // streams, crediting alice
        var before = React(
            ListBtcUsdt(takerFee: 0m),
            new UpdatePrice(BtcUsdt, 60_000m),
            new SetLiquidationPolicy(0m, DeficitPolicy.Socialize),
            new Deposit(Alice, Usdt, 1_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.5m, 60_000m),
            new Deposit(Bob, Usdt, 10_000m),
            new OpenPosition(Bob, BtcUsdt, Side.Short, 0.3m, 60_000m),
            new Deposit("carol", Usdt, 3_000m),
            new OpenPosition("carol", BtcUsdt, Side.Short, 0.4m, 60_000m)
        ).State;
        var ran = LedgerRuntime.Run(before, new UpdatePrice(BtcUsdt, 57_000m));
        var emitted = ((Decision.Accepted)ran.Decision).Events;
        Assert.That(emitted.Select(e => e.Event).OfType<LossSocialized>(), Is.Not.Empty);
        Assert.That(StressEngine.RoundViolations(before, ran.State, [.. emitted]), Is.Empty);
        // without alice's own stream, the charges that credit her still name her
        var others = emitted.Where(e => e.Stream != Streams.Account(Alice)).ToList();
        Assert.That(StressEngine.RoundViolations(before, ran.State, others), Is.Empty);
    }

    [Test]
    public void The_standard_cap_is_never_below_one_quantity_step()
    {
        // a single 0.001 BTC long: 5 % of its 60 notional is 3, below the 60 one step is worth
        var state = React(
            ListBtcUsdt(takerFee: 0m),
            new UpdatePrice(BtcUsdt, 60_000m),
            new Deposit(Alice, Usdt, 100m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.001m, 60_000m)
        ).State;
        var cases = PolicyComparison.Standard(state);
        Assert.That(cases.Single(c => c.Name == "per-round cap").Policy!.RoundCap, Is.EqualTo(60m));
        Assert.That(
            PolicyComparison.Run(state, new StressScenario([Shock.By(BtcUsdt, -0.5m)]), cases).IsValid,
            Is.True
        );
    }

    [TestCase("path too long", "the price path has 3 steps, more than the round limit 2")]
    [TestCase("unknown in a step", "path step 2: shock of XRPUSDT: not a listed instrument or collateral asset")]
    [TestCase("breaker", "the circuit breaker's move must be above 0 and below 1 (a fraction), not 1")]
    [TestCase("cap", "the per-round notional cap must be positive, not 0")]
    [TestCase("fund", "the insurance fund top-up must be positive, not -1")]
    [TestCase("thinning", "the liquidity thinning κ must not be negative, not -0.5")]
    [TestCase("buffer", "policy: buffer must be in [0, 10), not 10")]
    [TestCase("above max", "shock of BTCUSDT: the price 2000000000 is above the market's maximum")]
    public void A_path_or_policy_that_cannot_run_is_refused_naming_what_is_wrong(string what, string problem)
    {
        var fall = Shock.By(BtcUsdt, -0.1m);
        var scenario = what switch
        {
            "path too long" => new StressScenario([fall], MaxRounds: 2)
            {
                Then =
                [
                    [fall],
                    [fall],
                ],
            },
            "unknown in a step" => new StressScenario([fall])
            {
                Then =
                [
                    [Shock.By("XRPUSDT", -0.1m)],
                ],
            },
            "breaker" => new StressScenario([fall]) { Policy = new StressPolicy(CircuitBreaker: 1m) },
            "cap" => new StressScenario([fall]) { Policy = new StressPolicy(RoundCap: 0m) },
            "fund" => new StressScenario([fall]) { Policy = new StressPolicy(ExtraFund: -1m) },
            "thinning" => new StressScenario([fall], BtcImpact with { Thinning = -0.5m }),
            "buffer" => new StressScenario([fall]) { Policy = new StressPolicy(Buffer: 10m) },
            "above max" => new StressScenario([Shock.To(BtcUsdt, 2_000_000_000m)]),
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };
        var ran = StressEngine.Run(TwoLongs(), scenario);
        Assert.That(ran.IsValid, Is.False);
        Assert.That(ran.Problem, Does.StartWith(problem));
    }

    private static StressReport Run(LedgerState state, StressScenario scenario)
    {
        var ran = StressEngine.Run(state, scenario);
        Assert.That(ran.IsValid, Is.True, ran.Problem);
        return ran.Value;
    }
}
