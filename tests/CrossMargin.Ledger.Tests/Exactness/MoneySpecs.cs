using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Parameters;
using static CrossMargin.Ledger.Commands.RejectionCode;
using static CrossMargin.Ledger.Tests.Samples;

namespace CrossMargin.Ledger.Tests.Exactness;

/// <summary>
/// Money as a venue keeps it (8 places, rounding for solvency) and the append guard: each test is an
/// example that broke the store, conservation or the fund before money was quantised.
/// </summary>
public sealed class MoneySpecs
{
    private static readonly LedgerCommand BtcListing = ListBtcUsdt(takerFee: 0.0004m);

    /// <summary>Decides and folds each command as the application does; returns the state and every event.</summary>
    private static (LedgerState State, List<ILedgerEvent> Events) Run(params LedgerCommand[] commands)
    {
        var state = LedgerState.Initial;
        var events = new List<ILedgerEvent>();
        foreach (var c in commands)
        {
            var ran = LedgerRuntime.Run(state, c);
            Assert.That(ran.Decision, Is.TypeOf<Decision.Accepted>(), () => $"{c} was {ran.Decision}");
            events.AddRange(((Decision.Accepted)ran.Decision).Events.Select(e => e.Event));
            state = ran.State;
        }
        return (state, events);
    }

    private static void AssertEveryEventReadsBack(IEnumerable<ILedgerEvent> events)
    {
        foreach (var e in events)
        {
            var (type, data) = EventTypeRegistry.Serialize(e);
            Assert.That(
                EventTypeRegistry.Serialize(EventTypeRegistry.Deserialize(type, data)).Data,
                Is.EqualTo(data),
                type
            );
        }
    }

    [Test]
    public void A_whale_with_an_averaged_entry_and_a_dust_close_keeps_a_readable_log_and_whole_satoshis()
    {
        // 20 M USDT; buys of 0.001 at 60 000 and 0.002 at 60 000.1 average to 60 000.0666…, kept as 60
        // 000.066666666666666667;
        // closing 0.001 at 60 100 realises 0.099933333333333333333, which once went to the balance with 21 places: a
        // 29-digit balance the event reader refused, so every verb died from that event on. Now 0.09993333 (toward −∞).
        var (state, events) = Run(
            BtcListing,
            new UpdatePrice(BtcUsdt, 60_000m),
            new Deposit(Alice, Usdt, 20_000_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.001m, 60_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.002m, 60_000.1m),
            new UpdatePrice(BtcUsdt, 60_100m),
            new ClosePosition(Alice, BtcUsdt, 60_100m, 0.001m),
            new Deposit(Alice, Usdt, 1m)
        );
        AssertEveryEventReadsBack(events);
        var close = events.OfType<TradeFilled>().Last();
        Assert.That((close.RealizedPnl, close.Fee), Is.EqualTo((0.09993333m, 0.02404m))); // fee 0.001 × 60 100 × 0.0004
        // 20 000 000 − fees 0.024 − 0.04800008 + 0.09993333 − 0.02404 + 1 (Python decimal, from the rules)
        Assert.That(state.Account(Alice).Balance(Usdt), Is.EqualTo(20_000_001.00389325m));
        Assert.That(Invariants.Violations(state), Is.Empty);
    }

    [Test]
    public void A_realised_pnl_with_more_places_than_a_satoshi_rounds_against_the_account_and_conservation_holds()
    {
        // entry (0.001·60 000 + 0.002·60 000.1) / 0.003 = 60 000.0666… (18 places); closing 0.001 at 60 000.1 realises
        // 0.001 × (60 000.1 − 60 000.066666666666666667) = 0.0000333333… → 0.00003333 (toward −∞)
        var (state, events) = Run(
            ListBtcUsdt(takerFee: 0m),
            new UpdatePrice(BtcUsdt, 60_000m),
            new Deposit(Alice, Usdt, 100_000_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.001m, 60_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.002m, 60_000.1m),
            new ClosePosition(Alice, BtcUsdt, 60_000.1m, 0.001m),
            new ClosePosition(Alice, BtcUsdt, 59_999.9m, 0.001m)
        );
        var closes = events
            .OfType<TradeFilled>()
            .Where(f => f.Effect == FillEffect.Reduce)
            .Select(f => f.RealizedPnl)
            .ToArray();
        // second: 0.001 × (59 999.9 − 60 000.066666666666666667) = −0.000166666… → −0.00016667 (toward −∞)
        Assert.That(closes, Is.EqualTo(new[] { 0.00003333m, -0.00016667m }));
        Assert.That(Invariants.Violations(state), Is.Empty);
        Assert.That(state.Account(Alice).Balance(Usdt), Is.EqualTo(100_000_000m + 0.00003333m - 0.00016667m));
    }

    [Test]
    public void The_insurance_fund_never_pays_more_than_it_holds()
    {
        // the fund holds 2.99999999; alice's slice needs exactly 3 (E = 1 000 − 0.5 × 2 006 = −3 at the mark 57 994)
        var (state, events) = Run(
            ListBtcUsdt(takerFee: 0m),
            new UpdatePrice(BtcUsdt, 60_000m),
            new FundInsurance(Usdt, 2.99999999m),
            new Deposit(Alice, Usdt, 1_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.5m, 60_000m),
            new UpdatePrice(BtcUsdt, 57_994m)
        );
        Assert.That(state.InsuranceFundBalance, Is.GreaterThanOrEqualTo(0m));
        Assert.That(events.OfType<InsuranceFundChanged>().All(c => c.BalanceAfter >= 0m), Is.True);
        Assert.That(Invariants.Violations(state), Is.Empty);
        // 0.499 of the 0.5 is covered by the slice (2.994); the last 0.001 goes to ADL with no counterparty and its
        // 0.006 stays
        // on the flat account, whose debt the fund then pays with all it has left: 0.00599999, never more
        var bankrupt = events.OfType<AccountBankrupt>().Single();
        Assert.That(
            (bankrupt.CoveredByInsuranceFund, bankrupt.Uncovered, state.InsuranceFundBalance),
            Is.EqualTo((2.99999999m, 0.00000001m, 0m))
        );
    }

    [TestCase("1.000000001")]
    [TestCase("0.000000001")]
    public void An_amount_finer_than_the_asset_precision_is_refused_not_rounded(string amount) =>
        Spec.Given(ListBtcUsdt())
            .When(new Deposit(Alice, Usdt, decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)))
            .ThenRejected(AmountNotOnPrecision);

    [Test]
    public void A_mark_with_more_places_than_the_price_precision_is_refused()
    {
        var rejection = Spec.Given(ListBtcUsdt())
            .When(new UpdatePrice(BtcUsdt, 58_232.123456789012345678m))
            .ThenRejected(PriceNotOnPrecision);
        Assert.That(rejection.Message, Does.Contain("more than 8 decimal places"));
        Spec.Given(ListBtcUsdt())
            .When(new UpdatePrice(BtcUsdt, 58_232.12345678m))
            .Then(new MarkPriceUpdated(BtcUsdt, 58_232.12345678m));
    }

    [Test]
    public void The_insurance_fund_takes_only_the_settlement_asset_it_pays_out()
    {
        var rejection = Spec.Given(ListBtcCollateral())
            .When(new FundInsurance(Btc, 1m))
            .ThenRejected(InsuranceFundSettlementOnly);
        Assert.That(rejection.Message, Does.Contain("USDT only"));
    }

    [Test]
    public void A_dust_position_without_collateral_still_needs_a_satoshi_of_margin()
    {
        // N = 0.001 × 0.1 = 0.0001; IM = 0.0001 / 125 = 0.0000008 → rounds up to 0.0000008; with no deposit F < 0
        var listing = ListBtcUsdt(takerFee: 0m) with
        {
            QuantityStep = 0.00000001m,
        };
        Spec.Given(listing, new UpdatePrice(BtcUsdt, 0.1m))
            .When(new OpenPosition(Alice, BtcUsdt, Side.Long, 0.00000001m, 0.1m))
            .ThenRejected(InsufficientFreeCollateral);
    }

    [Test]
    public void A_position_beyond_the_listed_limits_is_refused_at_the_order()
    {
        // a 10¹⁴ notional position marked 8× once overflowed a display-only bankruptcy price and crashed the feed;
        // the listing's limits now refuse the order that would build it
        var listing = ListBtcUsdt(takerFee: 0m) with
        {
            Tiers = [new(0m, 0.004m, 125m)],
        };
        var given = Spec.Given(
            listing,
            new UpdatePrice(BtcUsdt, 100_000m),
            new Deposit(Alice, Usdt, 1_000_000_000_000m)
        );
        Assert.That(
            given
                .When(new OpenPosition(Alice, BtcUsdt, Side.Long, 1_000_000_000m, 100_000m))
                .ThenRejected(PositionAboveLimit)
                .Message,
            Does.Contain("above the listed maximum 10000")
        );
        var capped = listing with { Limits = new InstrumentLimits(8, 1_000_000m, 1_000_000m, 1_000_000_000m, 0.1m) };
        Assert.That(
            Spec.Given(capped, new UpdatePrice(BtcUsdt, 100_000m), new Deposit(Alice, Usdt, 1_000_000_000m))
                .When(new OpenPosition(Alice, BtcUsdt, Side.Long, 10_000.001m, 100_000m))
                .ThenRejected(PositionAboveLimit)
                .Message,
            Does.Contain("notional would be 1000000100.000, above the listed maximum 1000000000")
        );
        Assert.That(
            Spec.Given(listing).When(new UpdatePrice(BtcUsdt, 100_000_000.1m)).ThenRejected(PriceAboveLimit).Message,
            Does.Contain("above its listed maximum price 100000000")
        );
        Assert.That(
            Spec.Given(listing)
                .When(new Deposit(Alice, Usdt, 1_000_000_000_000.00000001m))
                .ThenRejected(BalanceAboveLimit)
                .Message,
            Does.Contain("above the listed maximum balance 1000000000000")
        );
    }

    [Test]
    public void A_figure_beyond_decimal_in_an_old_log_is_a_rejection_never_a_crash()
    {
        // an old log (v1 listing, no limits when it was written) holds a 10⁹ BTC position; marks against it must not
        // crash
        var tiers = RiskTierSchedule.Create([new RiskTierInput(0m, 0.004m, 125m)]).Value.Tiers;
        var state = LedgerEvolution.Replay([
            new InstrumentListedV1(BtcUsdt, "BTC", Usdt, tiers, 0m, 0.005m, 0.001m, 0.1m).Upcast(),
            new MarkPriceUpdatedV1(BtcUsdt, 100_000m).Upcast(),
            new FundsDeposited(Alice, Usdt, 1_000_000_000_000m, 1_000_000_000_000m),
            new TradeFilled(
                Account: Alice,
                Symbol: BtcUsdt,
                Side: Side.Long,
                Quantity: 1_000_000_000m,
                Price: 100_000m,
                Effect: FillEffect.Open,
                SizeBefore: 0m,
                EntryPriceBefore: 0m,
                SizeAfter: 1_000_000_000m,
                EntryPriceAfter: 100_000m,
                RealizedPnl: 0m,
                Fee: 0m,
                FeeAsset: Usdt
            ),
        ]);
        foreach (var mark in new[] { 800_000m, 79_228_162.514264m, 0.1m })
        {
            var decision = LedgerRuntime.Run(state, new UpdatePrice(BtcUsdt, mark)).Decision;
            Assert.That(
                decision,
                Is.TypeOf<Decision.Accepted>().Or.Property("Rejection").Property("Code").EqualTo(ArithmeticLimit),
                $"{mark}: {decision}"
            );
        }
    }

    [Test]
    public void The_append_guard_names_a_broken_invariant()
    {
        // a deposit event whose balance does not follow from its amount: conservation would break
        var state = Samples.Apply(LedgerState.Initial, ListBtcUsdt());
        var forged = new Emitted(Streams.Account(Alice), new FundsDeposited(Alice, Usdt, 10m, 11m));
        var problems = Invariants.Guard(LedgerEvolution.Evolve(state, forged.Event), [forged]);
        Assert.That(
            problems,
            Has.Some.Contains(
                "conservation of USDT: balances would hold 11, deposits − withdrawals + realised PnL = 10"
            )
        );
        var fund = new Emitted(Streams.InsuranceFund, new InsuranceFundDeposited(Usdt, -1m));
        Assert.That(
            Invariants.Guard(LedgerEvolution.Evolve(state, fund.Event), [fund]),
            Has.Some.Contains("the insurance fund would hold -1 USDT")
        );
    }
}
