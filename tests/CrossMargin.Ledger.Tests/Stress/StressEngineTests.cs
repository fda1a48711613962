using System.Collections.Immutable;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Stress;
using CrossMargin.Ledger.Tests.Properties;
using CrossMargin.Ledger.TestSupport;
using static CrossMargin.Ledger.Tests.Samples;

namespace CrossMargin.Ledger.Tests.Stress;

public sealed class StressEngineTests
{
    private static readonly ImpactModel BtcImpact = new(
        ImpactModel.DefaultY,
        new Dictionary<string, MarketLiquidity> { [BtcUsdt] = new(0.04m, 100m) }
    );

    /// <summary>Alice: 1 000 USDT, long 1 BTC at 60 000 (100×, initial margin 600). No fee.</summary>
    private static LedgerState OneLong() =>
        React(
            ListBtcUsdt(takerFee: 0m),
            new UpdatePrice(BtcUsdt, 60_000m),
            new Deposit(Alice, Usdt, 1_000m),
            new SetLeverage(Alice, BtcUsdt, 100m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 1m, 60_000m)
        ).State;

    [Test]
    public void A_forced_sale_moves_the_next_round_by_the_square_root_law()
    {
        // round 1: −10 % → 60 000 × 0.9 = 54 000. Alice's equity 1 000 − 6 000 < 0: the whole BTC is sold.
        // round 2: Δp/p = Y·σ·√(Q/V) = 1 × 0.04 × √(1 / 100) = 0.004 → 54 000 × (1 − 0.004) = 53 784.
        // Nobody holds BTCUSDT any more, so round 2 sells nothing and the run stops there.
        // amplification = (53 784 / 60 000 − 1) / (54 000 / 60 000 − 1) = −0.1036 / −0.1 = 1.036
        var report = Run(OneLong(), new StressScenario([Shock.By(BtcUsdt, -0.1m)], BtcImpact));
        Assert.That(report.Rounds.Select(r => r.Prices[BtcUsdt]), Is.EqualTo(new[] { 54_000m, 53_784m }));
        Assert.That(report.Rounds[0].NetSold[BtcUsdt], Is.EqualTo(1m));
        Assert.That(report.Rounds[0].LiquidatedLongNotional, Is.EqualTo(60_000m), "1 BTC at the price before");
        Assert.That(report.Rounds[0].AccountsLiquidated, Is.EqualTo(1));
        Assert.That(report.Rounds[1].NetSold, Is.Empty);
        Assert.That(report.Stop, Is.EqualTo(StressStop.NothingSold));
        Assert.That(report.PricesAfter[BtcUsdt], Is.EqualTo(53_784m));
        Assert.That(report.Amplification[BtcUsdt], Is.EqualTo(1.036m));
    }

    [Test]
    public void Without_an_impact_model_the_run_is_the_shock_alone()
    {
        var report = Run(OneLong(), new StressScenario([Shock.To(BtcUsdt, 50_000m)]));
        Assert.That(report.Rounds, Has.Length.EqualTo(1));
        Assert.That(report.Stop, Is.EqualTo(StressStop.ImpactOff));
        Assert.That(report.Amplification[BtcUsdt], Is.EqualTo(1m));
    }

    [Test]
    public void The_round_limit_stops_a_run_that_keeps_selling()
    {
        // ten longs of 0.1 BTC, each thinner than the last: every round liquidates the next one
        var commands = new List<LedgerCommand> { ListBtcUsdt(takerFee: 0m), new UpdatePrice(BtcUsdt, 60_000m) };
        for (var i = 0; i < 10; i++)
        {
            commands.Add(new Deposit($"acct-{i}", Usdt, 600m - 30m * i));
            commands.Add(new OpenPosition($"acct-{i}", BtcUsdt, Side.Long, 0.1m, 60_000m));
        }
        var state = React([.. commands]).State;
        var thin = new ImpactModel(5m, new Dictionary<string, MarketLiquidity> { [BtcUsdt] = new(0.05m, 1m) });
        var report = Run(state, new StressScenario([Shock.By(BtcUsdt, -0.08m)], thin, MaxRounds: 2));
        Assert.That(report.Rounds, Has.Length.EqualTo(2));
        Assert.That(report.Stop, Is.EqualTo(StressStop.RoundLimit));
        Assert.That(report.Rounds.Select(r => r.AccountsLiquidated), Has.All.GreaterThan(0));
        Assert.That(report.Amplification[BtcUsdt], Is.GreaterThan(1m));
    }

    [Test]
    public void A_squeeze_stops_at_the_highest_price_the_instrument_takes()
    {
        // Bob short 1 BTC with 1 000 USDT: +10 % closes him with a purchase; an impact of Y = 10⁹ would take the
        // mark to about 6.6 × 10¹³, so round 2 sets the instrument's maximum price instead of failing
        var state = React(
            ListBtcUsdt(takerFee: 0m),
            new UpdatePrice(BtcUsdt, 60_000m),
            new Deposit(Bob, Usdt, 1_000m),
            new SetLeverage(Bob, BtcUsdt, 100m),
            new OpenPosition(Bob, BtcUsdt, Side.Short, 1m, 60_000m)
        ).State;
        var squeeze = new ImpactModel(
            1_000_000_000m,
            new Dictionary<string, MarketLiquidity> { [BtcUsdt] = new(1m, 1m) }
        );
        var report = Run(state, new StressScenario([Shock.By(BtcUsdt, 0.1m)], squeeze));
        var max = state.Market.Instruments.Single().Value.Spec.Limits.MaxPrice;
        Assert.That(report.Rounds[0].NetSold[BtcUsdt], Is.EqualTo(-1m), "bought back");
        Assert.That(report.Rounds[1].Prices[BtcUsdt], Is.EqualTo(max));
        Assert.That(report.PricesAfter[BtcUsdt], Is.EqualTo(max));
    }

    [Test]
    public void A_shock_beyond_what_a_decimal_holds_is_refused_not_thrown()
    {
        var ran = StressEngine.Run(OneLong(), new StressScenario([Shock.By(BtcUsdt, 1e26m)]));
        Assert.That(ran.Problem, Does.StartWith("a figure of the run leaves what a decimal holds"));
        var thin = new ImpactModel(1e20m, new Dictionary<string, MarketLiquidity> { [BtcUsdt] = new(1m, 1e-28m) });
        var impact = StressEngine.Run(OneLong(), new StressScenario([Shock.By(BtcUsdt, -0.5m)], thin));
        Assert.That(impact.Problem, Does.StartWith("a figure of the run leaves what a decimal holds"));
    }

    [TestCase("XRPUSDT", "shock of XRPUSDT: not a listed instrument or collateral asset")]
    [TestCase("twice", "BTCUSDT is shocked twice")]
    [TestCase("-100%", "shock of BTCUSDT: a move of -100 % leaves no price (more than −100 %)")]
    [TestCase("both", "shock of BTCUSDT: give a move or a price, not both or neither")]
    [TestCase("price 0", "shock of BTCUSDT: the price must be positive, not 0")]
    [TestCase(
        "no liquidity",
        "the impact model gives no daily volatility and volume for BTCUSDT, where liquidations can sell"
    )]
    [TestCase("volume 0", "liquidity of BTCUSDT: the daily volume must be positive, not 0")]
    [TestCase("rounds 0", "the round limit must be between 1 and 1 000, not 0")]
    [TestCase(
        "off precision",
        "shock of BTCUSDT: the price 50000.123456789 has more places than the market's price precision"
    )]
    public void A_scenario_that_cannot_run_is_refused_naming_what_is_wrong(string what, string problem)
    {
        var scenario = what switch
        {
            "XRPUSDT" => new StressScenario([Shock.By("XRPUSDT", -0.1m)]),
            "twice" => new StressScenario([Shock.By(BtcUsdt, -0.1m), Shock.To(BtcUsdt, 1m)]),
            "-100%" => new StressScenario([Shock.By(BtcUsdt, -1m)]),
            "both" => new StressScenario([new Shock(BtcUsdt, -0.1m, 50_000m)]),
            "price 0" => new StressScenario([Shock.To(BtcUsdt, 0m)]),
            "no liquidity" => new StressScenario(
                [Shock.By(BtcUsdt, -0.1m)],
                new ImpactModel(1m, new Dictionary<string, MarketLiquidity>())
            ),
            "volume 0" => new StressScenario(
                [Shock.By(BtcUsdt, -0.1m)],
                new ImpactModel(1m, new Dictionary<string, MarketLiquidity> { [BtcUsdt] = new(0.04m, 0m) })
            ),
            "rounds 0" => new StressScenario([Shock.By(BtcUsdt, -0.1m)], MaxRounds: 0),
            _ => new StressScenario([Shock.To(BtcUsdt, 50_000.123456789m)]),
        };
        var ran = StressEngine.Run(OneLong(), scenario);
        Assert.That(ran.IsValid, Is.False);
        Assert.That(ran.Problem, Does.StartWith(problem));
    }

    [Test]
    public void A_one_round_stress_without_impact_decides_exactly_what_the_price_update_decides()
    {
        var compared = 0;
        var capped = 0;
        for (var seed = 0; seed < 200; seed++)
        {
            var state = Venue(seed);
            var random = new Random(seed);
            foreach (var (market, price) in StressEngine.Prices(state).OrderBy(_ => random.Next()).Take(2))
            {
                var move = Math.Round((decimal)(random.NextDouble() * 0.6 - 0.4), 3);
                var scenario = new StressScenario([Shock.By(market, move)]);
                var ran = StressEngine.Run(state, scenario);
                var direct = LedgerRuntime.Run(
                    state,
                    new UpdatePrice(market, StressEngine.Shocked(state, scenario.Shocks[0]))
                );
                if (direct.Decision is Decision.Rejected rejected)
                {
                    Assert.That(ran.Problem, Does.EndWith(rejected.Rejection.Message), $"seed {seed}, {market}");
                    continue;
                }
                var events = ((Decision.Accepted)direct.Decision).Events.Select(e => e.Event);
                Assert.That(ran.IsValid, Is.True, () => $"seed {seed}, {market}: {ran.Problem}");
                Assert.That(
                    // round 1 is the price update; a cap that cut liquidations short marks again in later rounds
                    StateDump.Of(ran.Value.Rounds[0].Events),
                    Is.EqualTo(StateDump.Of(events.ToList())),
                    $"seed {seed}, {market} {move} from {price}"
                );
                Assert.That(ran.Value.Rounds[0].InsuranceFund, Is.EqualTo(direct.State.InsuranceFundBalance));
                if (ran.Value.Rounds.Length > 1)
                    capped++;
                compared++;
            }
        }
        Assert.That(compared, Is.GreaterThan(300));
        Assert.That(capped, Is.GreaterThan(0), "some venues' caps cut a liquidation short and resume it");
    }

    [Test]
    public void A_larger_fall_never_reaches_fewer_longs_without_impact()
    {
        // A fall lowers the equity of every account long the instrument, so each one a fall liquidates a larger fall
        // liquidates too, and the exposure liquidation reaches among them grows. The rest need not: a fall helps a
        // short (one liquidatable for other reasons may be sound again), and a tier step-down sells less quantity at a
        // lower mark (it stops at a bracket's notional cap); the last assertion shows the venues draw such falls.
        int grew = 0,
            soldLess = 0;
        for (var seed = 0; seed < 200; seed++)
        {
            // without per-event notional caps: a cap is a policy that spends a price event's allowance on whoever
            // comes first, so a larger fall may reach other accounts
            var state = Uncapped(Venue(seed));
            foreach (
                var (market, _) in StressEngine
                    .Prices(state)
                    .Where(p => state.Market.TryInstrument(p.Key, out _, out _))
            )
            {
                var symbol = state.Market.Instruments.Keys.Single(k => k.Value == market);
                var longs = state.Accounts.Values.Where(a => a.Size(symbol) > 0m).Select(a => a.Id.Value).ToHashSet();
                (ImmutableSortedSet<string> Hit, decimal Sold)? previous = null;
                foreach (var move in new[] { -0.01m, -0.03m, -0.05m, -0.1m, -0.2m, -0.4m, -0.6m })
                {
                    var ran = StressEngine.Run(state, new StressScenario([Shock.By(market, move)]));
                    if (!ran.IsValid)
                        break; // below the instrument's smallest price step: larger falls are refused too
                    var round = ran.Value.Rounds.Single();
                    var hit = round.Liquidated.Where(longs.Contains).ToImmutableSortedSet(StringComparer.Ordinal);
                    if (previous is { } before)
                    {
                        Assert.That(
                            hit.IsSupersetOf(before.Hit),
                            $"seed {seed}, {market} {move}: [{string.Join(",", hit)}] after "
                                + $"[{string.Join(",", before.Hit)}]"
                        );
                        grew += hit.Count > before.Hit.Count ? 1 : 0;
                        soldLess += round.LiquidatedLongNotional < before.Sold ? 1 : 0;
                    }
                    previous = (hit, round.LiquidatedLongNotional);
                }
            }
        }
        Assert.That(grew, Is.GreaterThan(100), "falls that reached more longs than a smaller one");
        Assert.That(soldLess, Is.GreaterThan(0), "falls that sold less than a smaller one (tier step-downs)");
    }

    [TestCase("2", "1.414213562373095048801688724")]
    [TestCase("0.01", "0.1")]
    [TestCase("0.000003", "0.001732050807568877293527446")]
    [TestCase("12345.6789", "111.1111106055555544054166614")]
    [TestCase("0.5", "0.7071067811865475244008443621")]
    [TestCase("79228162514264337593543950335", "281474976710655.99999999999999822364")]
    [TestCase("0.0000000000000000000000000001", "0.00000000000001")]
    [TestCase("0.0000000000000000000000000987", "0.0000000000003141655614481001")]
    public void Square_roots_are_decimals_to_the_last_place(string x, string root)
    {
        // expected: Python's decimal.Decimal(x).sqrt() at 40 digits, cut to what a decimal holds
        var expected = decimal.Parse(root, System.Globalization.CultureInfo.InvariantCulture);
        var got = StressEngine.SquareRoot(decimal.Parse(x, System.Globalization.CultureInfo.InvariantCulture));
        // 28 significant digits or 28 places, whichever ends first: the last may differ by one
        Assert.That(
            Math.Abs(got - expected),
            Is.LessThanOrEqualTo(Math.Max(expected * 1e-26m, 1e-27m)),
            got.ToString(System.Globalization.CultureInfo.InvariantCulture)
        );
    }

    private static StressReport Run(LedgerState state, StressScenario scenario)
    {
        var ran = StressEngine.Run(state, scenario);
        Assert.That(ran.IsValid, Is.True, ran.Problem);
        return ran.Value;
    }

    private static LedgerState Venue(int seed)
    {
        var state = LedgerState.Initial;
        foreach (var command in VenueScenario.Generate(seed, 60))
            state = LedgerRuntime.Run(state, command).State;
        return state;
    }

    private static LedgerState Uncapped(LedgerState state) =>
        state with
        {
            Market = state.Market with
            {
                Instruments = state.Market.Instruments.ToImmutableSortedDictionary(
                    i => i.Key,
                    i => i.Value with { Spec = i.Value.Spec with { LiquidationNotionalCap = null } }
                ),
            },
            Triggers = null,
        };
}
