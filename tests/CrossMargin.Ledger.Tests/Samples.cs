using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.Tests;

/// <summary>Named sample data: Alice, Bob, BTCUSDT with Binance-like brackets, BTC collateral.</summary>
public static class Samples
{
    public const string Alice = "alice";
    public const string Bob = "bob";
    public const string BtcUsdt = "BTCUSDT";
    public const string EthUsdt = "ETHUSDT";
    public const string Usdt = "USDT";
    public const string Btc = "BTC";

    // brackets: [0,50k) 0.4 % 125×; [50k,250k) 0.5 % 100×; [250k,1M) 1 % 50×; [1M,∞) 2.5 % 20×
    // cum: 0; 50 000 × 0.001 = 50; 250 000 × 0.005 + 50 = 1 300; 1 000 000 × 0.015 + 1 300 = 16 300
    public static readonly RiskTierInput[] BtcTierInputs =
    [
        new(0m, 0.004m, 125m),
        new(50_000m, 0.005m, 100m),
        new(250_000m, 0.01m, 50m),
        new(1_000_000m, 0.025m, 20m),
    ];

    public static readonly RiskTierSchedule BtcTiers = RiskTierSchedule.Create(BtcTierInputs).Value;

    public static ListInstrument ListBtcUsdt(decimal takerFee = 0.0004m) =>
        new(BtcUsdt, "BTC", Usdt, BtcTierInputs, takerFee, 0.005m, 0.001m, 0.1m);

    public static ListInstrument ListEthUsdt() =>
        new(EthUsdt, "ETH", Usdt, [new(0m, 0.005m, 100m), new(100_000m, 0.0065m, 75m)], 0.0005m, 0.005m, 0.01m, 0.01m);

    public static ListCollateral ListBtcCollateral() =>
        new(Btc, [new CollateralRatioTier(0m, 0.95m), new CollateralRatioTier(1_000_000m, 0.9m)]);

    /// <summary>BTCUSDT listed (no fee unless asked) and marked at <paramref name="mark"/>.</summary>
    public static LedgerState BtcMarket(decimal mark = 60_000m, decimal takerFee = 0m) =>
        Apply(LedgerState.Initial, ListBtcUsdt(takerFee), new UpdatePrice(BtcUsdt, mark));

    /// <summary>Decides and folds each command; a rejection fails the set-up.</summary>
    public static LedgerState Apply(LedgerState state, params LedgerCommand[] commands)
    {
        foreach (var command in commands)
        {
            var decision = LedgerDecider.Decide(command, state);
            if (decision is not Decision.Accepted accepted)
                throw new InvalidOperationException($"set-up command {command} was {decision}");
            state = LedgerRuntime.Fold(state, accepted.Events);
        }
        return state;
    }

    /// <summary>
    /// Decides every command with the liquidation engine's reactions, as the application does; a rejection fails
    /// the test. Returns the state and the events of the last command.
    /// </summary>
    public static (LedgerState State, IReadOnlyList<ILedgerEvent> Last) React(params LedgerCommand[] commands)
    {
        var state = LedgerState.Initial;
        IReadOnlyList<ILedgerEvent> last = [];
        foreach (var c in commands)
        {
            var ran = LedgerRuntime.Run(state, c);
            Assert.That(ran.Decision, Is.TypeOf<Decision.Accepted>(), () => $"{c} was {ran.Decision}");
            last = [.. ((Decision.Accepted)ran.Decision).Events.Select(e => e.Event)];
            state = ran.State;
        }
        return (state, last);
    }

    /// <summary>
    /// One instance of every command type, in an order in which each is accepted from the initial state: the
    /// consistency test runs them through the runtime loop, so every command has a decide arm.
    /// </summary>
    public static IReadOnlyList<LedgerCommand> OneOfEachCommand() =>
        [
            ListBtcUsdt(),
            new ListCollateral(Btc, [new CollateralRatioTier(0m, 0.95m)]),
            new UpdatePrice(BtcUsdt, 60_000m),
            new UpdatePrice(Btc, 60_000m),
            new FundInsurance(Usdt, 1_000m),
            new SetLiquidationPolicy(0.05m, DeficitPolicy.Socialize),
            new SetInstrumentLiquidation(BtcUsdt, 0.001m, 1_000_000m),
            new Deposit(Alice, Usdt, 2_000m),
            new Withdraw(Alice, Usdt, 500m),
            new SetLeverage(Alice, BtcUsdt, 50m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 1m, 60_000m),
            new ClosePosition(Alice, BtcUsdt, 60_000m, 0.5m),
            new LiquidateAccount(
                Alice,
                new LiquidationTrigger("mark-price-updated.v2", BtcUsdt, 60_000m),
                LiquidationCaps.None
            ),
        ];

    /// <summary>One instance of every retired (stored, never appended) shape, for schema, upcast and snapshot
    /// tests.</summary>
    public static IReadOnlyList<IRetiredEvent> OneOfEachRetired() =>
        [
            new InstrumentListedV1(BtcUsdt, "BTC", Usdt, BtcTiers.Tiers, 0.0004m, 0.005m, 0.001m, 0.1m),
            new InstrumentParametersChangedV1(BtcUsdt, BtcTiers.Tiers, 0.0005m, 0.006m, 0.001m, 0.1m),
            new MarkPriceUpdatedV1(BtcUsdt, 60_000.5m),
            new CollateralListedV1(Btc, [new CollateralRatioTier(0m, 0.95m)]),
            new CollateralRatiosChangedV1(Btc, [new CollateralRatioTier(0m, 0.9m)]),
            new IndexPriceUpdatedV1(Btc, 59_990m),
            new AccountBankruptV1("alice#1", Alice, 1, 0m, 500m, 0.5m, 0m, 0m, 500m, []),
        ];

    /// <summary>One instance of every event type, for round-trip, schema and snapshot tests.</summary>
    public static IReadOnlyList<ILedgerEvent> OneOfEach() =>
        [
            new InstrumentListed(
                BtcUsdt,
                "BTC",
                Usdt,
                BtcTiers.Tiers,
                0.0004m,
                0.005m,
                0.001m,
                0.1m,
                InstrumentLimits.Default(0.1m, 0.001m)
            ),
            new InstrumentParametersChanged(
                BtcUsdt,
                BtcTiers.Tiers,
                0.0005m,
                0.006m,
                0.001m,
                0.1m,
                new InstrumentLimits(2, 10_000_000m, 100_000m, 1_000_000_000m, 0.05m)
            ),
            new MarkPriceUpdated(BtcUsdt, 60_000.5m),
            new CollateralListed(Btc, [new CollateralRatioTier(0m, 0.95m)], AssetLimits.DefaultCollateral),
            new CollateralRatiosChanged(
                Btc,
                [new CollateralRatioTier(0m, 0.9m), new CollateralRatioTier(1_000_000m, 0.8m)]
            ),
            new IndexPriceUpdated(Btc, 59_990m),
            new FundsDeposited(Alice, Usdt, 1_000.50m, 1_000.50m),
            new FundsWithdrawn(Alice, Usdt, 0.50m, 1_000m),
            new LeverageSet(Alice, BtcUsdt, 20m),
            new TradeFilled(
                Account: Alice,
                Symbol: BtcUsdt,
                Side: Side.Long,
                Quantity: 0.5m,
                Price: 60_000m,
                Effect: FillEffect.Open,
                SizeBefore: 0m,
                EntryPriceBefore: 0m,
                SizeAfter: 0.5m,
                EntryPriceAfter: 60_000m,
                RealizedPnl: 0m,
                Fee: 12m,
                FeeAsset: Usdt
            ),
            new TradingFeeCollected(Alice, BtcUsdt, Usdt, 12m),
            new InsuranceFundDeposited(Usdt, 100_000m),
            new LiquidationPolicySet(0.1m, DeficitPolicy.Adl),
            new InstrumentLiquidationSet(BtcUsdt, 0.001m, 1_000_000m),
            new LiquidationTriggered(
                LiquidationId: "alice#1",
                Account: Alice,
                TriggerType: "mark-price-updated.v2",
                TriggerSymbol: BtcUsdt,
                TriggerPrice: 57_000m,
                CollateralValue: 1_000m,
                UnrealizedPnl: -1_500m,
                Equity: -500m,
                MaintenanceMargin: 114m,
                MarginRatio: null,
                Buffer: 0m,
                DeficitPolicy: DeficitPolicy.Adl,
                InsuranceFund: 1_000m,
                Positions:
                [
                    new PositionSnapshot(BtcUsdt, 0.5m, 60_000m, 57_000m, 28_500m, 1, 0.004m, 0m, 114m, -1_500m),
                ],
                Prices: [new PriceUsed(BtcUsdt, PriceKind.Mark, 57_000m)]
            ),
            new PositionLiquidated(
                LiquidationId: "alice#1",
                Account: Alice,
                Step: 1,
                Symbol: BtcUsdt,
                Side: Side.Short,
                Quantity: 0.5m,
                MarkPrice: 57_000m,
                FillPrice: 57_000m,
                BankruptcyPrice: 58_000m,
                NotionalAtMark: 28_500m,
                SizeBefore: 0.5m,
                EntryPrice: 60_000m,
                SizeAfter: 0m,
                TierBefore: 1,
                TierAfter: null,
                RealizedPnl: -1_500m,
                Fee: 0m,
                InsuranceFundDelta: -500m,
                Rule: StepRule.CloseInTier1,
                Execution: Execution.Market,
                Asset: Usdt
            ),
            new PositionAutoDeleveraged(
                LiquidationId: "alice#2",
                Account: Bob,
                LiquidatedAccount: Alice,
                Symbol: BtcUsdt,
                Quantity: 0.1m,
                Price: 58_000m,
                SizeBefore: -0.3m,
                EntryPrice: 60_000m,
                SizeAfter: -0.2m,
                RealizedPnl: 200m,
                Rank: 2,
                Score: 0.0784403669724770642m,
                Asset: Usdt
            ),
            new LossSocialized("alice#3", Bob, Alice, BtcUsdt, 214.285714285714285714m, 900m, Usdt),
            new CollateralSold("alice#4", Alice, 3, Btc, 0.01843751m, 60_000m, 57_000m, 1_050.93807m, Usdt),
            new DebtCovered("alice#5", Alice, 2, Usdt, 12.5m),
            new InsuranceFundChanged("alice#1", Alice, 1, Usdt, -500m, 500m),
            new LiquidationCompleted(
                "bob#1",
                Bob,
                1,
                LiquidationOutcome.Healthy,
                1_455.4716m,
                1_199.858m,
                0.824375286968218337m,
                544.5284m,
                [
                    new PositionSnapshot(
                        BtcUsdt,
                        4.244m,
                        60_000m,
                        58_900m,
                        249_971.6m,
                        2,
                        0.005m,
                        50m,
                        1_199.858m,
                        -4_668.4m
                    ),
                ]
            ),
            new AccountBankrupt(
                "alice#1",
                Alice,
                3,
                0m,
                500m,
                0m,
                0m,
                0m,
                0m,
                [new InstrumentDeficit(BtcUsdt, 1_700m, 500m, 0.5m, 1_000m, 0m, 200m)],
                []
            ),
        ];
}
