using System.Collections.Immutable;
using System.Globalization;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.Stress.Simulation;

/// <summary>
/// A generated venue for benchmarks and studies (<c>ledger stress --synthetic N --seed S</c>), built by deciding
/// commands with the runtime loop, so it is a state a log could fold to. BTCUSDT (marked 60 000, Binance-like
/// brackets) and ETHUSDT (3 000), BTC as collateral (index 60 000, 95 % haircut band). Each account deposits a
/// log-normal amount of USDT (median 2 000, σ 1.5 in logs, 50 to 50 000 000), one in seven also BTC worth 20–100 %
/// of it; it holds BTCUSDT, ETHUSDT or both (60 / 40), long 55 % of the time, at an effective leverage drawn from
/// 1–50× (most between 3 and 20); an order a bracket refuses is halved until it fits. The insurance fund holds 2 % of
/// the open notional (both sides), of the order of the funds large venues publish against their open interest (a few
/// per cent). The same count and seed give the same venue.
/// </summary>
public static class SyntheticVenue
{
    /// <summary>The instruments and their marks.</summary>
    public static readonly ImmutableArray<(string Symbol, decimal Mark)> Instruments =
    [
        ("BTCUSDT", 60_000m),
        ("ETHUSDT", 3_000m),
    ];

    /// <summary>Mixed into the seed so that a venue's draws and a study's shocks from the same seed are different
    /// streams.</summary>
    private const ulong VenueStream = 0x5EED_0F_5EA_7E5UL;

    private static readonly decimal[] Leverages = [1m, 2m, 3m, 3m, 5m, 5m, 5m, 10m, 10m, 10m, 15m, 20m, 20m, 25m, 50m];

    /// <summary>The venue of <paramref name="accounts"/> accounts for <paramref name="seed"/>.</summary>
    public static LedgerState Build(int accounts, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(accounts);
        var state = LedgerState.Initial;
        void Do(LedgerCommand c)
        {
            var ran = LedgerRuntime.Run(state, c);
            if (ran.Decision is not Decision.Accepted)
                throw new InvalidOperationException($"the synthetic venue's set-up command {c} was {ran.Decision}");
            state = ran.State;
        }
        Do(
            new ListInstrument(
                "BTCUSDT",
                "BTC",
                "USDT",
                [
                    new(0m, 0.004m, 125m),
                    new(50_000m, 0.005m, 100m),
                    new(250_000m, 0.01m, 50m),
                    new(1_000_000m, 0.025m, 20m),
                    new(10_000_000m, 0.05m, 10m),
                    new(20_000_000m, 0.1m, 5m),
                ],
                0.0004m,
                0.005m,
                0.001m,
                0.1m
            )
        );
        Do(
            new ListInstrument(
                "ETHUSDT",
                "ETH",
                "USDT",
                [
                    new(0m, 0.005m, 100m),
                    new(100_000m, 0.0065m, 75m),
                    new(1_000_000m, 0.01m, 50m),
                    new(5_000_000m, 0.02m, 25m),
                    new(10_000_000m, 0.05m, 10m),
                ],
                0.0005m,
                0.005m,
                0.01m,
                0.01m
            )
        );
        Do(new ListCollateral("BTC", [new CollateralRatioTier(0m, 0.95m), new CollateralRatioTier(1_000_000m, 0.9m)]));
        foreach (var (symbol, mark) in Instruments)
            Do(new UpdatePrice(symbol, mark));
        Do(new UpdatePrice("BTC", 60_000m));

        // a stream of its own: a Monte Carlo study given the same seed draws its shocks from SeededRandom(seed)
        var random = new SeededRandom(seed ^ VenueStream);
        for (var i = 0; i < accounts; i++)
        {
            var id = "syn-" + i.ToString("D7", CultureInfo.InvariantCulture);
            var usdt = decimal.Round(
                (decimal)Math.Clamp(Math.Exp(Math.Log(2_000.0) + 1.5 * random.NextNormal()), 50.0, 50_000_000.0),
                2
            );
            Do(new Deposit(id, "USDT", usdt));
            var equity = usdt;
            if (random.NextInt(7) == 0)
            {
                var btc = decimal.Round(usdt * (0.2m + 0.8m * (decimal)random.NextDouble()) / 60_000m, 8);
                if (btc > 0m)
                {
                    Do(new Deposit(id, "BTC", btc));
                    equity += btc * 60_000m * 0.95m;
                }
            }
            var both = random.NextInt(5) < 2;
            var first = random.NextInt(5) < 3 ? 0 : 1;
            var leverage = Leverages[random.NextInt(Leverages.Length)];
            foreach (var k in both ? [0, 1] : new[] { first })
            {
                var (symbol, mark) = Instruments[k];
                var step = k == 0 ? 0.001m : 0.01m;
                var side = random.NextInt(100) < 55 ? Side.Long : Side.Short;
                var quantity = decimal.Floor(equity * leverage / (both ? 2m : 1m) / mark / step) * step;
                // an order a bracket (or the margin it needs) refuses is halved until it fits
                for (var tries = 0; tries < 12 && quantity > 0m; tries++)
                {
                    var ran = LedgerRuntime.Run(state, new OpenPosition(id, symbol, side, quantity, mark));
                    if (ran.Decision is Decision.Accepted)
                    {
                        state = ran.State;
                        break;
                    }
                    quantity = decimal.Floor(quantity / 2m / step) * step;
                }
            }
        }
        var open = state.Accounts.Values.Sum(a =>
            a.Positions.Sum(p => Math.Abs(p.Value.Size) * state.Market.Instruments[p.Key].Mark!.Value)
        );
        var fund = decimal.Round(open * 0.02m, 2);
        if (fund > 0m)
            Do(new FundInsurance("USDT", fund));
        return state;
    }

    /// <summary>The markets a Monte Carlo study of a synthetic venue shocks by default: BTCUSDT and BTC at 3.5 % a day,
    /// ETHUSDT at 4.5 %.</summary>
    public static readonly ImmutableArray<ShockedMarket> Shocked =
    [
        new("BTCUSDT", 0.035m),
        new("ETHUSDT", 0.045m),
        new("BTC", 0.035m),
    ];

    /// <summary>Their correlation by default: the BTCUSDT mark and the BTC index move almost as one (0.99), ether with
    /// bitcoin at 0.8.</summary>
    public static readonly ImmutableArray<ImmutableArray<decimal>> Correlation =
    [
        [1m, 0.8m, 0.99m],
        [0.8m, 1m, 0.8m],
        [0.99m, 0.8m, 1m],
    ];

    /// <summary>
    /// Liquidity for the impact model on a synthetic venue: daily volatility 3.5 % for BTCUSDT and BTC and 4.5 % for
    /// ETHUSDT (near their long-run daily figures), and a daily volume three times the venue's open interest on one
    /// side (base units), about the ratio of BTC perpetual volume to open interest on large venues.
    /// </summary>
    public static ImpactModel Liquidity(LedgerState state)
    {
        decimal Interest(string symbol) =>
            state
                .Accounts.Values.Select(a => a.Positions.FirstOrDefault(p => p.Key.Value == symbol).Value)
                .Where(p => p is not null && p.Size > 0m)
                .Sum(p => p!.Size);
        var btc = Math.Max(Interest("BTCUSDT"), 1m) * 3m;
        var eth = Math.Max(Interest("ETHUSDT"), 1m) * 3m;
        return new ImpactModel(
            ImpactModel.DefaultY,
            new Dictionary<string, MarketLiquidity>(StringComparer.Ordinal)
            {
                ["BTCUSDT"] = new(0.035m, btc),
                ["ETHUSDT"] = new(0.045m, eth),
                ["BTC"] = new(0.035m, btc),
            }
        );
    }
}
