using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Margin;
using CrossMargin.Ledger.Parameters;
using CrossMargin.Ledger.Projections;
using static CrossMargin.Ledger.Tests.Samples;

namespace CrossMargin.Ledger.Tests.Exactness;

/// <summary>
/// Cross-margin liquidation sells across the whole portfolio, collateral included: settlement debt left once the
/// positions are gone is paid by selling collateral at its haircut, then by the insurance fund, and a flat account
/// whose equity falls below zero is liquidated. What nothing covers stays visible as bad debt.
/// </summary>
public sealed class BadDebtSpecs
{
    private static readonly LedgerCommand Eth = ListEthUsdt() with { TakerFeeRate = 0m, LiquidationFeeRate = 0.001m };

    /// <summary>Alice: 1 BTC collateral (95 %), bought 10 ETH at 3 000 and sold them at 2 000: flat, owing 10 000
    /// USDT.</summary>
    private static LedgerCommand[] FlatWithDebt() =>
        [
            Eth,
            ListBtcCollateral(),
            new UpdatePrice(EthUsdt, 3_000m),
            new UpdatePrice(Btc, 60_000m),
            new FundInsurance(Usdt, 100m),
            new Deposit(Alice, Btc, 1m),
            new OpenPosition(Alice, EthUsdt, Side.Long, 10m, 3_000m),
            new UpdatePrice(EthUsdt, 2_000m),
            new ClosePosition(Alice, EthUsdt, 2_000m),
        ];

    [Test]
    public void A_flat_account_whose_collateral_falls_below_its_debt_is_liquidated_by_selling_it_then_the_fund()
    {
        // once: BTC fell and the account went deeper underwater with nothing happening
        var (before, _) = React(FlatWithDebt());
        Assert.That(before.Account(Alice).Balance(Usdt), Is.EqualTo(-10_000m));
        Assert.That(
            MarginCalculator.Compute(before.Account(Alice), before.Market).Liquidatable,
            Is.False,
            "1 × 60 000 × 0.95 covers 10 000"
        );

        // index 10 000: C = −10 000 + 9 500 = −500 < 0. The BTC is sold at 10 000 × 0.95 = 9 500 (all of it: 10 000 / 9
        // 500 > 1),
        // for 9 500; the fund (100) pays 100 of the 500 left; 400 stays uncovered
        var (state, last) = React([.. FlatWithDebt(), new UpdatePrice(Btc, 10_000m)]);
        var sold = last.OfType<CollateralSold>().Single();
        Assert.That(
            (sold.Step, sold.Asset, sold.Quantity, sold.IndexPrice, sold.Price, sold.Proceeds),
            Is.EqualTo((1, (Asset)Btc, 1m, 10_000m, 9_500m, 9_500m))
        );
        var covered = last.OfType<DebtCovered>().Single();
        Assert.That((covered.Step, covered.Amount), Is.EqualTo((2, 100m)));
        var end = last.OfType<AccountBankrupt>().Single();
        Assert.That((end.CoveredByInsuranceFund, end.Uncovered, end.Equity), Is.EqualTo((100m, 400m, -400m)));
        Assert.That(state.Account(Alice).Balance(Btc), Is.Zero);
        Assert.That(state.InsuranceFundBalance, Is.Zero);
        Assert.That(Invariants.Violations(state), Is.Empty);
    }

    [Test]
    public void Debt_left_after_the_positions_are_gone_is_paid_by_selling_collateral_in_the_same_liquidation()
    {
        // Bob: 1 BTC collateral (57 000 counted), long 200 ETH from 3 000 (bracket 2, MM 0.0065 × N − 150); a 200 %
        // buffer.
        // ETH to 2 720: E = 57 000 − 56 000 = 1 000 ≤ MM 3 386. A fee-free step-down to bracket 1 leaves 1 000 < 3 ×
        // 499.94,
        // so the position is closed: BP = 2 720 − 1 000 / 200 = 2 715, d = 1 000, fee min(0.001 × 200 × 2 720, d) =
        // 544;
        // USDT = −56 000 − 544 = −56 544, paid by selling 56 544 / 57 000 = 0.992 BTC at 60 000 × 0.95 = 57 000
        var (state, last) = React(
            Eth,
            ListBtcCollateral(),
            new SetLiquidationPolicy(2m, DeficitPolicy.Adl),
            new UpdatePrice(EthUsdt, 3_000m),
            new UpdatePrice(Btc, 60_000m),
            new Deposit(Bob, Btc, 1m),
            new SetLeverage(Bob, EthUsdt, 75m),
            new OpenPosition(Bob, EthUsdt, Side.Long, 200m, 3_000m),
            new UpdatePrice(EthUsdt, 2_720m)
        );
        var step = last.OfType<PositionLiquidated>().Single();
        Assert.That(
            (step.Rule, step.Quantity, step.Fee, step.RealizedPnl),
            Is.EqualTo((StepRule.CloseStepDownCannotRestore, 200m, 544m, -56_000m))
        );
        var sold = last.OfType<CollateralSold>().Single();
        Assert.That((sold.Step, sold.Quantity, sold.Price, sold.Proceeds), Is.EqualTo((2, 0.992m, 57_000m, 56_544m)));
        Assert.That((state.Account(Bob).Balance(Usdt), state.Account(Bob).Balance(Btc)), Is.EqualTo((0m, 0.008m)));
        Assert.That(last.OfType<LiquidationCompleted>().Single().Outcome, Is.EqualTo(LiquidationOutcome.Flat));
        Assert.That(Invariants.Violations(state), Is.Empty);
    }

    [Test]
    public void A_deficit_the_collateral_sale_then_pays_is_not_reported_as_uncovered()
    {
        // 1 BTC at 30 000 counts 10 000 × 0.9 + 20 000 × 0.5 = 19 000 but sells at 30 000 × 0.9 = 27 000. Long 100 ETH
        // from 3 000,
        // marked 2 800.5: E = 19 000 − 19 950 = −950. Closed at 2 800.5 with BP 2 810: a deficit of 950 no one can take
        // (no fund, no
        // ETH short); USDT −19 950 is then paid by selling 0.73888889 BTC for 19 950.00003: nothing is left uncovered
        var (state, last) = React(
            Eth,
            new ListCollateral(Btc, [new CollateralRatioTier(0m, 0.9m), new CollateralRatioTier(10_000m, 0.5m)]),
            new UpdatePrice(EthUsdt, 3_000m),
            new UpdatePrice(Btc, 30_000m),
            new Deposit(Alice, Btc, 1m),
            new SetLeverage(Alice, EthUsdt, 75m),
            new OpenPosition(Alice, EthUsdt, Side.Long, 100m, 3_000m),
            new UpdatePrice(EthUsdt, 2_800.5m)
        );
        var sold = last.OfType<CollateralSold>().Single();
        Assert.That((sold.Quantity, sold.Price, sold.Proceeds), Is.EqualTo((0.73888889m, 27_000m, 19_950.00003m)));
        var end = last.OfType<AccountBankrupt>().Single();
        Assert.That(
            (end.Uncovered, end.CollateralProceeds, end.CoveredByInsuranceFund),
            Is.EqualTo((0m, 19_950.00003m, 0m))
        );
        Assert.That(
            end.Deficits,
            Is.EqualTo(new[] { new InstrumentDeficit(EthUsdt, 950m, 0m, 0m, 0m, 0m, 950m) }),
            "the instrument's own covers left 950"
        );
        Assert.That(state.Account(Alice).Balance(Usdt), Is.EqualTo(0.00003m));
        Assert.That(Invariants.Violations(state), Is.Empty);
    }

    [Test]
    public void A_flat_account_with_nothing_to_sell_and_an_empty_fund_is_not_liquidated_again_and_again()
    {
        // no fund; BTC at 10⁻⁸ sells for 0.95 × 10⁻⁸, below the least amount: nothing can settle the debt, so no
        // liquidation is recorded
        var (state, last) = React(
            Eth,
            ListBtcCollateral(),
            new UpdatePrice(EthUsdt, 3_000m),
            new UpdatePrice(Btc, 60_000m),
            new Deposit(Alice, Btc, 1m),
            new OpenPosition(Alice, EthUsdt, Side.Long, 10m, 3_000m),
            new UpdatePrice(EthUsdt, 2_000m),
            new ClosePosition(Alice, EthUsdt, 2_000m),
            new UpdatePrice(Btc, 0.00000001m)
        );
        Assert.That(last, Has.Count.EqualTo(1).And.All.TypeOf<Events.IndexPriceUpdated>());
        Assert.That(
            MarginCalculator.Compute(state.Account(Alice), state.Market).Liquidatable,
            Is.True,
            "it is bad debt, and shown as such"
        );
    }

    [Test]
    public void Bad_debt_on_a_flat_account_is_in_the_at_risk_list_and_the_margin_distribution()
    {
        var (state, _) = React([.. FlatWithDebt(), new UpdatePrice(Btc, 10_000m)]);
        var atRisk = ReadModels.AtStake(state).Single();
        Assert.That(
            (atRisk.Account, atRisk.Equity, atRisk.Positions.Length, atRisk.Liquidatable),
            Is.EqualTo(((AccountId)Alice, -400m, 0, true))
        );
        var undefined = ReadModels
            .DistributionRows(ReadModels.AtStake(state))
            .Single(r => r[0]!.StartsWith("undefined", StringComparison.Ordinal));
        Assert.That((undefined[1], undefined[2]), Is.EqualTo(("1", "-400")));
    }
}
