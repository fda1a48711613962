using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Margin;
using static CrossMargin.Ledger.Tests.Samples;

namespace CrossMargin.Ledger.Tests.Exactness;

/// <summary>
/// A tier step-down exists to leave the account standing (design §4). With the fee capped at <c>d</c>, or a
/// liquidation fee rate at least the marginal MMR, it never could: <c>E_after = E × MM_after / MM ≤ MM_after</c>,
/// the next step closed the position and the fund took all the margin. The rule now: the fee is capped at
/// what leaves <c>E &gt; MM × (1 + buffer)</c>; when even a fee-free step-down cannot, the position is closed.
/// </summary>
public sealed class StepDownSpecs
{
    /// <summary>The tour's BTCUSDT (README): 0.4 % to 50 000, 0.5 % above; liquidation fee 0.5 % (≥ the marginal
    /// MMR).</summary>
    private static readonly LedgerCommand ReadmeBtc = new ListInstrument(
        BtcUsdt,
        "BTC",
        Usdt,
        [new(0m, 0.004m, 125m), new(50_000m, 0.005m, 100m)],
        0.0004m,
        0.005m,
        0.001m,
        0.1m
    );

    [Test]
    public void A_step_down_leaves_the_account_standing_with_the_fee_capped_at_its_slack()
    {
        // 1 BTC long from 60 000 on 1 000 USDT less a 24 taker fee, marked 59 245: E = 221 ≤ MM = 0.005 × 59 245 − 50 =
        // 246.225.
        // Step-down of 0.157 to bracket 1: MM_after = 0.004 × 0.843 × 59 245 = 199.77414 (up); fee-free E_after = 221.
        // The fee min(46.507325, d = 41.69211111) once left E = 179.30788889 < MM_after and the next step closed the
        // rest;
        // capped at the largest amount below the slack 21.22586 it is 21.22585999 and the account stays open.
        var (state, last) = React(
            ReadmeBtc,
            new UpdatePrice(BtcUsdt, 60_000m),
            new Deposit(Alice, Usdt, 1_000m),
            new SetLeverage(Alice, BtcUsdt, 100m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 1m, 60_000m),
            new UpdatePrice(BtcUsdt, 59_245m)
        );
        var step = last.OfType<PositionLiquidated>().Single();
        Assert.That(
            (step.Rule, step.Quantity, step.SizeAfter, step.Fee),
            Is.EqualTo((StepRule.TierStepDown, 0.157m, 0.843m, 21.22585999m))
        );
        var done = last.OfType<LiquidationCompleted>().Single();
        Assert.That(
            (done.Outcome, done.Equity, done.MaintenanceMargin),
            Is.EqualTo((LiquidationOutcome.Healthy, 199.77414001m, 199.77414m))
        );
        Assert.That(MarginCalculator.Compute(state.Account(Alice), state.Market).Liquidatable, Is.False);
    }

    [Test]
    public void A_step_down_that_cannot_restore_health_even_without_a_fee_closes_the_position()
    {
        // the same account under a 50 % buffer: after a fee-free step-down E = 221 is not above 1.5 × 199.77414, so the
        // whole
        // position is closed at once: realised −755, fee min(0.005 × 59 245 = 296.225, d = 221) = 221, E = 0
        var (_, last) = React(
            ReadmeBtc,
            new SetLiquidationPolicy(0.5m, DeficitPolicy.Adl),
            new UpdatePrice(BtcUsdt, 60_000m),
            new Deposit(Alice, Usdt, 1_000m),
            new SetLeverage(Alice, BtcUsdt, 100m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 1m, 60_000m),
            new UpdatePrice(BtcUsdt, 59_245m)
        );
        var step = last.OfType<PositionLiquidated>().Single();
        Assert.That(
            (step.Rule, step.Quantity, step.SizeAfter, step.Fee),
            Is.EqualTo((StepRule.CloseStepDownCannotRestore, 1m, 0m, 221m))
        );
        Assert.That(last.OfType<LiquidationCompleted>().Single().Outcome, Is.EqualTo(LiquidationOutcome.Flat));
    }
}
