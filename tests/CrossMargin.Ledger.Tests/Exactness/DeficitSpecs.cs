using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Margin;
using static CrossMargin.Ledger.Tests.Samples;

namespace CrossMargin.Ledger.Tests.Exactness;

/// <summary>
/// Deficit rules a risk engineer signs (design §4): no price ≤ 0, ADL never makes a counterparty insolvent,
/// socialised loss never charges a winner more than its profit over one price event. ETHUSDT stands in for
/// any small-priced instrument (tick 0.01); BTC is a collateral asset whose index can crash.
/// </summary>
public sealed class DeficitSpecs
{
    private static readonly LedgerCommand Eth = ListEthUsdt() with { TakerFeeRate = 0m, LiquidationFeeRate = 0.001m };

    private static (LedgerState State, IReadOnlyList<ILedgerEvent> Last) Run(params LedgerCommand[] commands) =>
        React(commands);

    private static decimal EquityOf(LedgerState state, string account) =>
        MarginCalculator.Compute(state.Account(account), state.Market).Equity;

    /// <summary>Alice: 2 BTC collateral, a loss of 79 600 USDT realised on ETH, short 10 ETH left; Bob: long 10 ETH
    /// from 40 with 100 USDT.</summary>
    private static LedgerCommand[] ShortOverCollateralDebt() =>
        [
            Eth,
            ListBtcCollateral(),
            new UpdatePrice(EthUsdt, 40m),
            new UpdatePrice(Btc, 60_000m),
            new Deposit(Alice, Btc, 2m),
            new OpenPosition(Alice, EthUsdt, Side.Short, 2_000m, 40m),
            new Deposit(Bob, Usdt, 100m),
            new OpenPosition(Bob, EthUsdt, Side.Long, 10m, 40m),
            new UpdatePrice(EthUsdt, 80m),
            new ClosePosition(Alice, EthUsdt, 80m, 1_990m),
        ];

    [Test]
    public void A_short_whose_bankruptcy_price_would_be_negative_is_never_deleveraged_below_the_tick()
    {
        // BTC index to 1: C = −79 600 + 2 × 0.95 = −79 598.1, uPnL −400: E = −79 998.1 and BP = 80 + E / 10 = −7 919.81
        // < 0.
        // Once the engine filled ADL there: bob "sold" at −7 919.81 and paid for alice's collateral loss.
        var (state, last) = Run([.. ShortOverCollateralDebt(), new UpdatePrice(Btc, 1m)]);
        var steps = last.OfType<PositionLiquidated>().ToArray();
        Assert.That(
            steps.Select(s => s.BankruptcyPrice).Concat(steps.Select(s => s.FillPrice)),
            Has.All.GreaterThan(0m)
        );
        var adl = last.OfType<PositionAutoDeleveraged>().ToArray();
        Assert.That(adl.Select(a => a.Price), Has.All.EqualTo(0.00000001m), "clamped to the least price");
        Assert.That(EquityOf(state, Bob), Is.GreaterThanOrEqualTo(0m));
        var bankrupt = last.OfType<AccountBankrupt>().Single();
        // the clamp leaves 10 × (10⁻⁸ + 7 919.81) = 79 198.1000001 that nothing in ETH can cover, and more beyond what
        // bob can take
        Assert.That(bankrupt.Uncovered, Is.GreaterThanOrEqualTo(79_198.1000001m));
        Assert.That(Invariants.Violations(state), Is.Empty);
    }

    [Test]
    public void A_deficit_nothing_covered_stays_with_its_instrument_and_is_reported_per_instrument()
    {
        // alice: 1 BTC and 10 ETH long on 2 500 USDT; nobody is short BTC, bob is short 10 ETH. BTC to 57 000: E =
        // −500,
        // MM = 235 + 150. BTC first: BP = 57 000 + 500 × 235 / 385 = 57 305.19…; no BTC counterparty, so 305.1948052
        // stays
        // uncovered. ETH then: once its bankruptcy price used the whole E = −500 (3 050, bob paid for BTC's deficit);
        // now E + uncovered = −194.8051948: BP = 3 019.48051948, and bob absorbs ETH's own deficit 194.8051948.
        var (state, last) = Run(
            ListBtcUsdt(takerFee: 0m),
            Eth,
            new UpdatePrice(BtcUsdt, 60_000m),
            new UpdatePrice(EthUsdt, 3_000m),
            new Deposit(Alice, Usdt, 2_500m),
            new SetLeverage(Alice, BtcUsdt, 100m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 1m, 60_000m),
            new OpenPosition(Alice, EthUsdt, Side.Long, 10m, 3_000m),
            new Deposit(Bob, Usdt, 10_000m),
            new OpenPosition(Bob, EthUsdt, Side.Short, 10m, 3_000m),
            new UpdatePrice(BtcUsdt, 57_000m)
        );
        var adl = last.OfType<PositionAutoDeleveraged>().Single();
        Assert.That(
            (adl.Account, adl.Symbol, adl.Quantity, adl.Price),
            Is.EqualTo(((AccountId)Bob, (Symbol)EthUsdt, 10m, 3_019.48051948m))
        );
        var bankrupt = last.OfType<AccountBankrupt>().Single();
        // once: "by ADL 10 units" — 0 BTC and 10 ETH added together; now each instrument in money
        Assert.That(
            bankrupt.Deficits,
            Is.EqualTo(
                new[]
                {
                    new InstrumentDeficit(BtcUsdt, 305.1948052m, 0m, 0m, 0m, 0m, 305.1948052m),
                    new InstrumentDeficit(EthUsdt, 194.8051948m, 0m, 10m, 194.8051948m, 0m, 0m),
                }
            )
        );
        Assert.That(
            (bankrupt.Uncovered, bankrupt.Equity, state.Account(Alice).Balance(Usdt)),
            Is.EqualTo((305.1948052m, -305.1948052m, -305.1948052m))
        );
    }

    [Test]
    public void Adl_takes_only_what_the_counterpartys_equity_covers_and_records_the_rest()
    {
        // alice long 10 ETH from 40 on 2 BTC collateral; the mark falls to 20 and bob opens a fresh short of 10 there
        // with 20 USDT.
        // BTC index to 1: alice's E = 1.9 − 200 = −198.1, BP = 20 + 19.81 = 39.81; bob would lose 19.81 per unit
        // taken at 39.81 against his mark 20, so with E = 20 he takes 20 / 19.81 = 1.0095… → 1 (step 0.01: 1.00)
        var (state, last) = Run(
            Eth,
            ListBtcCollateral(),
            new UpdatePrice(EthUsdt, 40m),
            new UpdatePrice(Btc, 60_000m),
            new Deposit(Alice, Btc, 2m),
            new OpenPosition(Alice, EthUsdt, Side.Long, 10m, 40m),
            new UpdatePrice(EthUsdt, 20m),
            new Deposit(Bob, Usdt, 20m),
            new OpenPosition(Bob, EthUsdt, Side.Short, 10m, 20m),
            new UpdatePrice(Btc, 1m)
        );
        var adl = last.OfType<PositionAutoDeleveraged>().Single();
        Assert.That((adl.Account, adl.Price, adl.Quantity), Is.EqualTo(((AccountId)Bob, 39.81m, 1m)));
        Assert.That(EquityOf(state, Bob), Is.GreaterThanOrEqualTo(0m), "once −379.8");
        var bankrupt = last.OfType<AccountBankrupt>().Single();
        Assert.That(bankrupt.Uncovered, Is.GreaterThan(0m), "the 9 bob could not take are recorded as uncovered");
        Assert.That(last.OfType<PositionLiquidated>().Select(p => p.Execution), Does.Contain(Execution.Uncovered));
        Assert.That(Invariants.Violations(state), Is.Empty);
    }

    [Test]
    public void Socialised_loss_charges_a_winner_at_most_its_profit_over_the_whole_price_event()
    {
        // bob short 1 from 3 000, profit 70 at 2 930; alice and carol long 1 from 3 000 with 30 each: E = −40, BP 2
        // 970, deficit 40 each.
        // Once each slice was capped against bob's unchanged profit of 70: he paid 40 + 40 = 80.
        var (state, last) = Run(
            Eth,
            new UpdatePrice(EthUsdt, 3_000m),
            new SetLiquidationPolicy(0m, DeficitPolicy.Socialize),
            new Deposit(Bob, Usdt, 1_000m),
            new OpenPosition(Bob, EthUsdt, Side.Short, 1m, 3_000m),
            new Deposit(Alice, Usdt, 30m),
            new OpenPosition(Alice, EthUsdt, Side.Long, 1m, 3_000m),
            new Deposit("carol", Usdt, 30m),
            new OpenPosition("carol", EthUsdt, Side.Long, 1m, 3_000m),
            new UpdatePrice(EthUsdt, 2_930m)
        );
        var charges = last.OfType<LossSocialized>().Select(l => (l.LiquidatedAccount, l.Amount)).ToArray();
        Assert.That(charges, Is.EqualTo(new (AccountId, decimal)[] { (Alice, 40m), ("carol", 30m) }));
        Assert.That(state.Account(Bob).Balance(Usdt), Is.EqualTo(930m));
        Assert.That(
            last.OfType<AccountBankrupt>().Select(b => (b.Account, b.Socialized, b.Uncovered)),
            Is.EqualTo(new (AccountId, decimal, decimal)[] { (Alice, 40m, 0m), ("carol", 30m, 10m) })
        );
    }
}
