using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Margin;
using static CrossMargin.Ledger.Tests.Samples;

namespace CrossMargin.Ledger.Tests.Margin;

public sealed class MarginCalculatorTests
{
    /// <summary>Alice: 10 000 USDT, 20× BTCUSDT, long 2 at 60 000, no fees; then the mark moves.</summary>
    private static LedgerState AliceLongTwo(decimal mark) =>
        Apply(
            BtcMarket(),
            new Deposit(Alice, Usdt, 10_000m),
            new SetLeverage(Alice, BtcUsdt, 20m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 2m, 60_000m),
            new UpdatePrice(BtcUsdt, mark)
        );

    private static AccountMargin MarginOf(LedgerState state, string account) =>
        MarginCalculator.Compute(state.Account(account), state.Market);

    [Test]
    public void Long_position_in_bracket_two()
    {
        var m = MarginOf(AliceLongTwo(58_000m), Alice);
        var p = m.Positions.Single();
        Assert.Multiple(() =>
        {
            Assert.That(p.Notional, Is.EqualTo(116_000m)); // N = 2 × 58 000
            Assert.That(p.Tier, Is.EqualTo(2));
            Assert.That(p.MaintenanceMargin, Is.EqualTo(530m)); // 116 000 × 0.005 − 50
            Assert.That(p.InitialMargin, Is.EqualTo(5_800m)); // 116 000 / 20
            Assert.That(p.UnrealizedPnl, Is.EqualTo(-4_000m)); // 2 × (58 000 − 60 000)
            Assert.That(m.Equity, Is.EqualTo(6_000m)); // 10 000 − 4 000
            Assert.That(m.FreeCollateral, Is.EqualTo(200m)); // 6 000 − 5 800
            Assert.That(m.MarginRatio, Is.EqualTo(0.088333333333333333m)); // 530 / 6 000, 18 places, half-even
            Assert.That(m.Liquidatable, Is.False);
            // P = (W' + cum − s·Q·e) / (Q·MMR − s·Q) = (10 000 + 50 − 120 000) / (0.01 − 2); N = 110 502.5 stays in
            // bracket 2
            Assert.That(p.LiquidationPrice, Is.EqualTo(55_251.256281407035175879m));
            // single position: where E = 0, 58 000 − 6 000 / 2
            Assert.That(p.BankruptcyPrice, Is.EqualTo(55_000m));
        });
    }

    [Test]
    public void At_the_liquidation_price_equity_equals_maintenance_margin_to_the_rounding()
    {
        var price = MarginOf(AliceLongTwo(58_000m), Alice).Positions.Single().LiquidationPrice!.Value;
        var atTick = MarginOf(AliceLongTwo(decimal.Round(price, 1, MidpointRounding.ToPositiveInfinity)), Alice);
        var belowTick = MarginOf(AliceLongTwo(decimal.Round(price, 1, MidpointRounding.ToNegativeInfinity)), Alice);
        Assert.Multiple(() =>
        {
            Assert.That(atTick.Liquidatable, Is.False, "one tick above the liquidation price the account is healthy");
            Assert.That(belowTick.Liquidatable, Is.True, "at the tick below it, E ≤ MM");
        });
    }

    [Test]
    public void Liquidation_price_is_solved_again_in_the_bracket_it_lands_in()
    {
        // 60 000 USDT, 50×, long 5 at 60 000: N = 300 000 (bracket 3)
        var state = Apply(
            BtcMarket(),
            new Deposit(Alice, Usdt, 60_000m),
            new SetLeverage(Alice, BtcUsdt, 50m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 5m, 60_000m)
        );
        var p = MarginOf(state, Alice).Positions.Single();
        // bracket 3 gives (60 000 + 1 300 − 300 000) / (0.05 − 5) = 48 222.2…, N = 241 111 < 250 000: not bracket 3;
        // bracket 2 gives (60 000 + 50 − 300 000) / (0.025 − 5) = 48 231.155778894472361809, N = 241 155.8 in bracket 2
        Assert.That(p.Tier, Is.EqualTo(3));
        Assert.That(p.LiquidationPrice, Is.EqualTo(48_231.155778894472361809m));
    }

    [Test]
    public void Short_position_liquidation_and_bankruptcy_prices()
    {
        var state = Apply(
            BtcMarket(),
            new Deposit(Bob, Usdt, 10_000m),
            new SetLeverage(Bob, BtcUsdt, 10m),
            new OpenPosition(Bob, BtcUsdt, Side.Short, 1m, 60_000m)
        );
        var p = MarginOf(state, Bob).Positions.Single();
        // s = −1: P = (10 000 + 50 + 60 000) / (0.005 + 1) = 69 701.49…; bankrupt where 10 000 − (P − 60 000) = 0
        Assert.That(p.LiquidationPrice, Is.EqualTo(69_701.492537313432835821m));
        Assert.That(p.BankruptcyPrice, Is.EqualTo(70_000m));
    }

    [Test]
    public void A_well_collateralised_long_has_no_liquidation_price()
    {
        var state = Apply(
            BtcMarket(),
            new Deposit(Alice, Usdt, 100_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.5m, 60_000m)
        );
        var p = MarginOf(state, Alice).Positions.Single();
        Assert.That(p.LiquidationPrice, Is.Null); // P = (100 000 − 30 000) / (0.002 − 0.5) < 0
        Assert.That(p.BankruptcyPrice, Is.Null);
    }

    [Test]
    public void Margin_ratio_is_undefined_when_equity_is_not_positive()
    {
        var m = MarginOf(AliceLongTwo(55_000m), Alice); // E = 10 000 + 2 × (55 000 − 60 000) = 0
        Assert.That(m.Equity, Is.Zero);
        Assert.That(m.MarginRatio, Is.Null);
        Assert.That(m.Liquidatable, Is.True);
    }

    [Test]
    public void Haircut_collateral_counts_in_equity()
    {
        var state = Apply(
            BtcMarket(),
            ListBtcCollateral(),
            new UpdatePrice(Btc, 60_000m),
            new Deposit(Bob, Btc, 2m),
            new Deposit(Bob, Usdt, 100m)
        );
        // 2 × 60 000 × 0.95 + 100
        Assert.That(MarginOf(state, Bob).CollateralValue, Is.EqualTo(114_100m));
    }

    [Test]
    public void Leverage_in_force_is_capped_by_the_bracket_the_mark_moves_into()
    {
        // 50× chosen at 60 000 (bracket 1: notional 48 000 at 0.8 BTC); the mark rises into bracket 2, which allows
        // 100× — unchanged;
        // with 125× chosen in bracket 1, a move into bracket 2 caps leverage at 100
        var state = Apply(
            BtcMarket(),
            new Deposit(Alice, Usdt, 10_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.8m, 60_000m),
            new UpdatePrice(BtcUsdt, 65_000m)
        );
        var p = MarginOf(state, Alice).Positions.Single();
        Assert.That(p.Tier, Is.EqualTo(2)); // 0.8 × 65 000 = 52 000
        Assert.That(p.Leverage, Is.EqualTo(100m));
        Assert.That(p.InitialMargin, Is.EqualTo(520m)); // 52 000 / 100
    }
}
