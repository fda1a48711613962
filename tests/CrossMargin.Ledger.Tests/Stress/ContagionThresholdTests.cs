using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Stress;
using static CrossMargin.Ledger.Tests.Samples;

namespace CrossMargin.Ledger.Tests.Stress;

public sealed class ContagionThresholdTests
{
    /// <summary>
    /// Alice: 1 000 USDT, long 1 BTC at 60 000 (100×); the fund holds <paramref name="fund"/>; no fee on fills, no
    /// liquidation slippage. A fall f leaves her equity 1 000 − 60 000 f; past bankruptcy she is closed at the mark and
    /// the fund pays the deficit 60 000 f − 1 000, so with a fund of 1 000 the losses pass it exactly when
    /// 60 000 f − 1 000 > 1 000, f > 1/30 = 3.333… %. Nobody is short: nothing can be deleveraged, the rest is
    /// uncovered.
    /// </summary>
    private static LedgerState Venue(decimal fund) =>
        React(
            ListBtcUsdt(takerFee: 0m),
            new UpdatePrice(BtcUsdt, 60_000m),
            new FundInsurance(Usdt, fund),
            new Deposit(Alice, Usdt, 1_000m),
            new SetLeverage(Alice, BtcUsdt, 100m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 1m, 60_000m)
        ).State;

    [Test]
    public void The_threshold_is_bracketed_to_the_tolerance_around_the_hand_computed_fall()
    {
        var found = ContagionSearch.Find(Venue(1_000m), new ThresholdSearch([BtcUsdt]));
        Assert.That(found.IsValid, Is.True, found.Problem);
        var (below, at) = (-found.Value.Below!.Value, -found.Value.AtOrAbove!.Value);
        var exact = 1m / 30m;
        Assert.That(below, Is.LessThan(exact));
        Assert.That(at, Is.GreaterThanOrEqualTo(exact));
        Assert.That(at - below, Is.LessThanOrEqualTo(ThresholdSearch.DefaultTolerance));
        Assert.That(found.Value.Report!.Uncovered, Is.GreaterThan(0m));
        Assert.That(found.Value.Report.InsuranceFundAfter, Is.Zero);
        // the move just below is covered, as the bracket says
        var covered = StressEngine.Run(Venue(1_000m), new StressScenario([Shock.By(BtcUsdt, found.Value.Below.Value)]));
        Assert.That(ContagionSearch.Exhausts(covered.Value), Is.False);
        Assert.That(found.Value.Tried, Has.Length.InRange(10, 12), "99 %, then halvings down to 0.1 point");
    }

    [Test]
    public void A_fund_no_move_up_to_the_limit_exhausts_has_no_threshold()
    {
        // 60 000 × 0.99 − 1 000 = 58 400 of deficit at most
        var found = ContagionSearch.Find(Venue(58_400m), new ThresholdSearch([BtcUsdt]));
        Assert.That(found.Value.AtOrAbove, Is.Null);
        Assert.That(found.Value.Below, Is.Null);
        Assert.That(found.Value.Tried, Is.EqualTo(new[] { -0.99m }));
    }

    [Test]
    public void A_rise_hurts_the_shorts_and_finds_its_own_threshold()
    {
        // Bob short 1 BTC at 60 000 with 1 000 USDT: the same arithmetic upwards, f > 1/30
        var state = React(
            ListBtcUsdt(takerFee: 0m),
            new UpdatePrice(BtcUsdt, 60_000m),
            new FundInsurance(Usdt, 1_000m),
            new Deposit(Bob, Usdt, 1_000m),
            new SetLeverage(Bob, BtcUsdt, 100m),
            new OpenPosition(Bob, BtcUsdt, Side.Short, 1m, 60_000m)
        ).State;
        var found = ContagionSearch.Find(state, new ThresholdSearch([BtcUsdt], Rise: true, Limit: 0.5m));
        Assert.That(found.Value.Below, Is.LessThan(1m / 30m));
        Assert.That(found.Value.AtOrAbove, Is.GreaterThanOrEqualTo(1m / 30m));
    }

    [TestCase(
        "0",
        "0.99",
        "the tolerance must be at least 0.00000002 (moves are tried at 8 places) and below 1, not 0"
    )]
    [TestCase(
        "0.00000001",
        "0.99",
        "the tolerance must be at least 0.00000002 (moves are tried at 8 places) and below 1, not 0.00000001"
    )]
    [TestCase("0.001", "1", "the largest move must be above the tolerance and below 1 for a fall, not 1")]
    public void A_search_that_cannot_run_says_why(string toleranceText, string limitText, string problem)
    {
        var tolerance = decimal.Parse(toleranceText, System.Globalization.CultureInfo.InvariantCulture);
        var limit = decimal.Parse(limitText, System.Globalization.CultureInfo.InvariantCulture);
        var found = ContagionSearch.Find(
            Venue(1_000m),
            new ThresholdSearch([BtcUsdt], Tolerance: tolerance, Limit: limit)
        );
        Assert.That(found.Problem, Is.EqualTo(problem));
        Assert.That(ContagionSearch.Find(Venue(1_000m), new ThresholdSearch([])).Problem, Does.StartWith("name at"));
        Assert.That(
            ContagionSearch.Find(Venue(1_000m), new ThresholdSearch(["XRPUSDT"])).Problem,
            Does.StartWith("shock of XRPUSDT")
        );
    }
}
