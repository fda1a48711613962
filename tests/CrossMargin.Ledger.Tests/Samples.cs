using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.Ledger;
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
        new(0m, 0.004m, 125m), new(50_000m, 0.005m, 100m), new(250_000m, 0.01m, 50m), new(1_000_000m, 0.025m, 20m),
    ];

    public static readonly RiskTierSchedule BtcTiers = RiskTierSchedule.Create(BtcTierInputs, out _)!;

    public static ListInstrument ListBtcUsdt(decimal takerFee = 0.0004m) =>
        new(BtcUsdt, "BTC", Usdt, BtcTierInputs, takerFee, 0.005m, 0.001m, 0.1m);

    public static ListInstrument ListEthUsdt() =>
        new(EthUsdt, "ETH", Usdt, [new(0m, 0.005m, 100m), new(100_000m, 0.0065m, 75m)], 0.0005m, 0.005m, 0.01m, 0.01m);

    public static ListCollateral ListBtcCollateral() => new(Btc, [new CollateralRatioTier(0m, 0.95m), new CollateralRatioTier(1_000_000m, 0.9m)]);

    /// <summary>BTCUSDT listed (no fee unless asked) and marked at <paramref name="mark"/>.</summary>
    public static LedgerState BtcMarket(decimal mark = 60_000m, decimal takerFee = 0m) =>
        Apply(LedgerState.Initial, ListBtcUsdt(takerFee), new UpdatePrice(BtcUsdt, mark));

    /// <summary>Decides and folds each command; a rejection fails the set-up.</summary>
    public static LedgerState Apply(LedgerState state, params LedgerCommand[] commands)
    {
        foreach (var command in commands)
        {
            var decision = LedgerDecider.Decide(command, state);
            if (decision is not Decision.Accepted accepted) throw new InvalidOperationException($"set-up command {command} was {decision}");
            state = accepted.Events.Aggregate(state, (s, e) => LedgerEvolution.Evolve(s, e.Event));
        }
        return state;
    }

    /// <summary>One instance of every event type, for round-trip, schema and snapshot tests.</summary>
    public static IReadOnlyList<ILedgerEvent> OneOfEach() =>
    [
        new InstrumentListed(BtcUsdt, "BTC", Usdt, BtcTiers.Tiers, 0.0004m, 0.005m, 0.001m, 0.1m),
        new InstrumentParametersChanged(BtcUsdt, BtcTiers.Tiers, 0.0005m, 0.006m, 0.001m, 0.1m),
        new MarkPriceUpdated(BtcUsdt, 60_000.5m),
        new CollateralListed(Btc, [new CollateralRatioTier(0m, 0.95m)]),
        new CollateralRatiosChanged(Btc, [new CollateralRatioTier(0m, 0.9m), new CollateralRatioTier(1_000_000m, 0.8m)]),
        new IndexPriceUpdated(Btc, 59_990m),
        new FundsDeposited(Alice, Usdt, 1_000.50m, 1_000.50m),
        new FundsWithdrawn(Alice, Usdt, 0.50m, 1_000m),
        new LeverageSet(Alice, BtcUsdt, 20m),
        new TradeFilled(Alice, BtcUsdt, "long", 0.5m, 60_000m, "open", 0m, 0m, 0.5m, 60_000m, 0m, 12m, Usdt),
        new TradingFeeCollected(Alice, BtcUsdt, Usdt, 12m),
        new InsuranceFundDeposited(Usdt, 100_000m),
    ];
}
