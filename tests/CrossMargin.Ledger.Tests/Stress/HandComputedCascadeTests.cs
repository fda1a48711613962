using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Parameters;
using CrossMargin.Ledger.Stress;
using static CrossMargin.Ledger.Tests.Samples;

namespace CrossMargin.Ledger.Tests.Stress;

/// <summary>
/// A three-account cascade worked by hand (issue 12): one bracket (MMR 1 %, no maintenance amount), no fees, no
/// slippage, quantity step 0.001 BTC. Everyone opened at 60 000.
/// <code>
/// Alice  long  1 BTC, 5 800 USDT      fund 201 USDT
/// Bob    long  1 BTC, 7 000 USDT      impact: Y = 1, σ = 0.05, V = 0.25 BTC
/// Carol  short 2 BTC, 20 000 USDT     shock: BTCUSDT −10 %
///
/// round 1  mark 60 000 × (1 − 0.10) = 54 000
///   Alice  E = 5 800 + 1 × (54 000 − 60 000) = −200 &lt; 0: closed whole (one bracket), bankrupt
///          bankruptcy price = mark − E / size = 54 000 + 200 = 54 200; filled at the mark, deficit 200 per BTC
///          the fund (201 ≥ 200) covers the whole BTC: pays 200, keeps 1; 1 BTC sold on the market
///   Bob    E = 7 000 − 6 000 = 1 000 &gt; MM = 1 % × 54 000 = 540: standing
///   Carol  E = 20 000 + 2 × 6 000 = 32 000: standing
/// round 2  Δp/p = Y·σ·√(Q/V) = 1 × 0.05 × √(1 / 0.25) = 0.05 × 2 = 0.10 → 54 000 × 0.90 = 48 600
///   Bob    E = 7 000 + (48 600 − 60 000) = −4 400: bankrupt, bankruptcy price 48 600 + 4 400 = 53 000,
///          deficit 4 400 per BTC; the fund's 1 USDT covers floor(1 / 4 400, 0.001) = 0 BTC, so the whole BTC is
///          auto-deleveraged: Carol (the only short) buys it back at 53 000, realising (60 000 − 53 000) × 1 = 7 000
///   nothing traded on the market (an ADL fill is a transfer), so no price moves: the run stops
/// totals   liquidated Alice and Bob, 2 BTC long at the price before = 120 000; ADL 1 × 53 000 = 53 000;
///          fund 201 → 1 (drawdown 200); nothing socialised or uncovered
///          amplification = (48 600 / 60 000 − 1) / (54 000 / 60 000 − 1) = −0.19 / −0.10 = 1.9
/// ADL overshoot (round 2): Carol gave up (53 000 − 48 600) × 1 = 4 400 against the mark; the fund still held 1
///          when Bob's liquidation ended, so the least haircut that covers the deficit is 4 400 − 1 = 4 399 and
///          the queue took 1 more (the fund pays in whole quantity steps: 0.001 BTC × 4 400 = 4.4 &gt; 1)
/// </code>
/// </summary>
public sealed class HandComputedCascadeTests
{
    private const string Carol = "carol";

    private static readonly ImpactModel Impact = new(
        1m,
        new Dictionary<string, MarketLiquidity> { [BtcUsdt] = new(0.05m, 0.25m) }
    );

    private static LedgerState Venue() =>
        React(
            new ListInstrument(BtcUsdt, "BTC", Usdt, [new RiskTierInput(0m, 0.01m, 50m)], 0m, 0m, 0.001m, 0.1m),
            new UpdatePrice(BtcUsdt, 60_000m),
            new FundInsurance(Usdt, 201m),
            new Deposit(Alice, Usdt, 5_800m),
            new Deposit(Bob, Usdt, 7_000m),
            new Deposit(Carol, Usdt, 20_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 1m, 60_000m),
            new OpenPosition(Bob, BtcUsdt, Side.Long, 1m, 60_000m),
            new OpenPosition(Carol, BtcUsdt, Side.Short, 2m, 60_000m)
        ).State;

    private static StressReport Cascade()
    {
        var ran = StressEngine.Run(Venue(), new StressScenario([Shock.By(BtcUsdt, -0.1m)], Impact));
        Assert.That(ran.IsValid, Is.True, ran.Problem);
        return ran.Value;
    }

    [Test]
    public void Round_one_closes_alice_on_the_market_and_the_fund_pays_her_deficit()
    {
        var round = Cascade().Rounds[0];
        Assert.That(round.Prices[BtcUsdt], Is.EqualTo(54_000m));
        Assert.That(round.Liquidated, Is.EqualTo(new[] { Alice }));
        var fill = round.Events.OfType<PositionLiquidated>().Single();
        Assert.That(
            (fill.Quantity, fill.BankruptcyPrice, fill.FillPrice, fill.Execution, fill.InsuranceFundDelta),
            Is.EqualTo((1m, 54_200m, 54_000m, Execution.Market, -200m))
        );
        Assert.That(round.NetSold[BtcUsdt], Is.EqualTo(1m));
        Assert.That(round.InsuranceFund, Is.EqualTo(1m));
        Assert.That(round.LiquidatedLongNotional, Is.EqualTo(60_000m));
        Assert.That((round.AdlNotional, round.Socialized, round.Uncovered), Is.EqualTo((0m, 0m, 0m)));
    }

    [Test]
    public void Round_two_moves_the_mark_by_the_square_root_law_and_deleverages_bob_against_carol()
    {
        var round = Cascade().Rounds[1];
        Assert.That(round.Prices[BtcUsdt], Is.EqualTo(48_600m));
        Assert.That(round.Liquidated, Is.EqualTo(new[] { Bob }));
        var fill = round.Events.OfType<PositionLiquidated>().Single();
        Assert.That(
            (fill.Account, fill.Quantity, fill.BankruptcyPrice, fill.FillPrice, fill.Execution),
            Is.EqualTo(((AccountId)Bob, 1m, 53_000m, 53_000m, Execution.Adl))
        );
        var adl = round.Events.OfType<PositionAutoDeleveraged>().Single();
        Assert.That(
            (adl.Account, adl.Quantity, adl.Price, adl.SizeBefore, adl.SizeAfter, adl.RealizedPnl),
            Is.EqualTo(((AccountId)Carol, 1m, 53_000m, -2m, -1m, 7_000m))
        );
        Assert.That(round.NetSold, Is.Empty, "an ADL fill trades nothing on the market");
        Assert.That(round.AdlNotional, Is.EqualTo(53_000m));
        Assert.That(round.InsuranceFund, Is.EqualTo(1m));
        Assert.That(round.LiquidatedLongNotional, Is.EqualTo(60_000m));
    }

    [Test]
    public void The_totals_add_the_two_rounds_and_the_run_stops_when_nothing_trades()
    {
        var report = Cascade();
        Assert.That(report.Rounds, Has.Length.EqualTo(2));
        Assert.That(report.Stop, Is.EqualTo(StressStop.NothingSold));
        Assert.That(report.Liquidated, Is.EqualTo(new[] { Alice, Bob }));
        Assert.That(report.LiquidatedLongNotional, Is.EqualTo(120_000m));
        Assert.That(report.LiquidatedShortNotional, Is.Zero);
        Assert.That(report.ExposureHit, Is.EqualTo(120_000m));
        Assert.That(report.AdlNotional, Is.EqualTo(53_000m));
        Assert.That((report.InsuranceFundBefore, report.InsuranceFundAfter), Is.EqualTo((201m, 1m)));
        Assert.That(report.FundDrawdown, Is.EqualTo(200m));
        Assert.That((report.Socialized, report.Uncovered), Is.EqualTo((0m, 0m)));
        Assert.That(report.Amplification[BtcUsdt], Is.EqualTo(1.9m));
        Assert.That(ContagionSearch.Exhausts(report), Is.True, "the losses reached ADL");
    }

    [Test]
    public void The_adl_overshoot_is_the_fund_remainder_a_whole_quantity_step_could_not_spend()
    {
        var report = Cascade();
        Assert.That(report.Rounds[0].AdlHaircuts, Is.Empty);
        var (id, haircut) = report.Rounds[1].AdlHaircuts.Single();
        Assert.That(id, Is.EqualTo("bob#1"));
        Assert.That(
            (haircut.Taken, haircut.FundLeft, haircut.Needed, haircut.Overshoot),
            Is.EqualTo((4_400m, 1m, 4_399m, 1m))
        );
        Assert.That((report.AdlTaken, report.AdlNeeded), Is.EqualTo((4_400m, 4_399m)));
    }

    [Test]
    public void A_round_whose_balances_disagree_with_the_running_totals_is_caught()
    {
        // round 1 of the cascade, then Carol's balance nudged behind the fold's back: the touched-account recount
        // and the running totals disagree by exactly the nudge
        var venue = Venue();
        var ran = LedgerRuntime.Run(venue, new UpdatePrice(BtcUsdt, 54_000m));
        var emitted = ((Decision.Accepted)ran.Decision).Events.ToList();
        Assert.That(StressEngine.RoundViolations(venue, ran.State, emitted), Is.Empty);
        var carol = ran.State.Account(Carol);
        var nudged = ran.State with
        {
            Accounts = ran.State.Accounts.SetItem(
                Carol,
                carol with
                {
                    Balances = carol.Balances.SetItem(Usdt, carol.Balance(Usdt) + 0.00000001m),
                }
            ),
        };
        emitted.Add(new Emitted(Streams.Account(Carol), new FundsDeposited(Carol, Usdt, 0m, 20_000m)));
        Assert.That(
            StressEngine.RoundViolations(venue, nudged, emitted),
            // alice's 5 800 went (her loss of 6 000, the fund's 200 back): −5 800 on the books, −5 799.99999999 counted
            Is.EqualTo(new[] { "the accounts the round touched moved -5799.99999999 USDT, the running totals -5800" })
        );
    }
}
