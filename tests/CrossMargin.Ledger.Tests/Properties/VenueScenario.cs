using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.Tests.Properties;

/// <summary>
/// Random venues for the trigger-index differential test, drawn from a seed: three instruments with brackets, two
/// collateral assets with haircut bands, ten accounts from dust (10⁻⁸ steps) to a whale (10⁹ USDT), and every kind of
/// event that moves an account's margin: fills, transfers, marks moving a little (0.1 %), a lot or crashing, index
/// prices moving with or apart from the marks, brackets and haircuts re-listed, per-event notional caps, buffer and
/// deficit policy, an insurance fund that is often too small (so ADL and socialised loss run).
/// </summary>
public static class VenueScenario
{
    public const string Sol = "SOLUSDT";
    public const string Eth = "ETH";

    private static readonly string[] Accounts =
    [
        "alice",
        "bob",
        "carol",
        "dave",
        "erin",
        "frank",
        "grace",
        "heidi",
        "whale",
        "dust",
    ];

    private static readonly Listing[] Instruments =
    [
        new(Samples.BtcUsdt, "BTC", Samples.BtcTierInputs, 0.0004m, 0.001m, 0.1m, 60_000m),
        new(
            Samples.EthUsdt,
            "ETH",
            [new(0m, 0.005m, 100m), new(100_000m, 0.0065m, 75m), new(1_000_000m, 0.02m, 25m)],
            0.0005m,
            0.01m,
            0.01m,
            3_000m
        ),
        new(
            Sol,
            "SOL",
            [new(0m, 0.01m, 50m), new(10_000m, 0.02m, 25m), new(100_000m, 0.05m, 10m)],
            0m,
            0.1m,
            0.001m,
            150m
        ),
    ];

    private static readonly (string Asset, decimal Price)[] Collateral = [(Samples.Btc, 60_000m), (Eth, 3_000m)];

    private sealed record Listing(
        string Symbol,
        string Base,
        RiskTierInput[] Tiers,
        decimal TakerFee,
        decimal Step,
        decimal Tick,
        decimal Mark
    )
    {
        public ListInstrument Command(RiskTierInput[] tiers) =>
            new(Symbol, Base, Samples.Usdt, tiers, TakerFee, 0.005m, Step, Tick);
    }

    public static IReadOnlyList<LedgerCommand> Generate(int seed, int length)
    {
        var random = new Random(seed);
        var prices = Instruments.ToDictionary(i => i.Symbol, i => i.Mark);
        foreach (var (asset, price) in Collateral)
            prices[asset] = price;

        var commands = new List<LedgerCommand>();
        commands.AddRange(Instruments.Select(i => i.Command(i.Tiers)));
        commands.AddRange(Collateral.Select(c => new ListCollateral(c.Asset, Haircuts(random))));
        commands.AddRange(prices.Select(p => new UpdatePrice(p.Key, p.Value)));
        // an empty, small or ample fund: the deficit policy decides what a bankruptcy costs the others
        if (random.Next(3) > 0)
            commands.Add(new FundInsurance(Samples.Usdt, random.Next(1, 3) == 1 ? random.Next(1, 500) : 1_000_000m));
        commands.Add(Policy(random));
        foreach (var listing in Instruments.Where(_ => random.Next(2) == 0))
            commands.Add(new SetInstrumentLiquidation(listing.Symbol, 0.001m, random.Next(5, 200) * 1_000m));
        foreach (var account in Accounts)
        {
            commands.Add(new Deposit(account, Samples.Usdt, Amount(random, account)));
            // half the accounts post collateral, whose haircut value then moves their margin
            if (random.Next(2) == 0)
            {
                var (asset, price) = Collateral[random.Next(Collateral.Length)];
                commands.Add(new Deposit(account, asset, decimal.Round(Amount(random, account) / price, 8)));
            }
            foreach (var listing in Instruments)
                commands.Add(new SetLeverage(account, listing.Symbol, random.Next(10, 126)));
        }

        for (var i = 0; i < length; i++)
        {
            var account = Accounts[random.Next(Accounts.Length)];
            var listing = Instruments[random.Next(Instruments.Length)];
            var collateral = Collateral[random.Next(Collateral.Length)].Asset;
            commands.Add(
                random.Next(24) switch
                {
                    0 or 1 => new Deposit(
                        account,
                        random.Next(3) == 0 ? collateral : Samples.Usdt,
                        random.Next(3) == 0
                            ? decimal.Round(Amount(random, account) / prices[collateral], 8)
                            : Amount(random, account)
                    ),
                    2 => new Withdraw(
                        account,
                        random.Next(3) == 0 ? collateral : Samples.Usdt,
                        Amount(random, account) / 4m
                    ),
                    3 => new SetLeverage(account, listing.Symbol, random.Next(1, 126)),
                    >= 4 and <= 8 => new OpenPosition(
                        account,
                        listing.Symbol,
                        random.Next(2) == 0 ? Side.Long : Side.Short,
                        Size(random, account, listing),
                        OnTick(prices[listing.Symbol] * (1m + random.Next(-50, 51) / 10_000m), listing.Tick)
                    ),
                    9 => new ClosePosition(
                        account,
                        listing.Symbol,
                        prices[listing.Symbol],
                        random.Next(2) == 0 ? null : Size(random, account, listing)
                    ),
                    // a 0.1 % tick, the usual case a venue marks every second
                    10 or 11 => Move(listing.Symbol, listing.Tick, random.Next(-10, 11)),
                    12 or 13 => Move(listing.Symbol, listing.Tick, random.Next(-400, 401)),
                    // a crash or a squeeze
                    14 => Move(listing.Symbol, listing.Tick, (random.Next(2) == 0 ? -1 : 1) * random.Next(800, 3_000)),
                    // collateral moving on its own (dislocated from the marks) or with them
                    15 => Move(collateral, 0.01m, random.Next(-2_500, 801)),
                    16 => Move(collateral, 0.01m, random.Next(-20, 21)),
                    17 => listing.Command(Rebracketed(random, listing.Tiers)),
                    18 => new ListCollateral(collateral, Haircuts(random)),
                    19 => new SetInstrumentLiquidation(
                        listing.Symbol,
                        random.Next(0, 11) / 1_000m,
                        random.Next(2) == 0 ? null : random.Next(1, 400) * 1_000m
                    ),
                    20 => Policy(random),
                    21 => new FundInsurance(Samples.Usdt, random.Next(1, 2_000)),
                    _ => new OpenPosition(
                        account,
                        listing.Symbol,
                        random.Next(2) == 0 ? Side.Long : Side.Short,
                        Size(random, account, listing) * 5m,
                        prices[listing.Symbol]
                    ),
                }
            );
        }
        return commands;

        UpdatePrice Move(string subject, decimal tick, int basisPoints)
        {
            prices[subject] = Math.Max(tick, OnTick(prices[subject] * (1m + basisPoints / 10_000m), tick));
            return new UpdatePrice(subject, prices[subject]);
        }
    }

    private static SetLiquidationPolicy Policy(Random random) =>
        new(random.Next(0, 4) / 20m, random.Next(2) == 0 ? DeficitPolicy.Adl : DeficitPolicy.Socialize);

    private static decimal OnTick(decimal price, decimal tick) => decimal.Round(price / tick) * tick;

    /// <summary>A transfer sized to the account: the whale's are up to 10⁹, dust's a few hundred-millionths.</summary>
    private static decimal Amount(Random random, string account) =>
        account switch
        {
            "whale" => random.Next(1, 1_000) * 1_000_000m,
            "dust" => random.Next(1, 100_000) / 100_000_000m,
            _ => random.Next(1, 20_000),
        };

    /// <summary>An order size on the step: one to a few thousand steps, the whale's a thousand times more.</summary>
    private static decimal Size(Random random, string account, Listing listing) =>
        account switch
        {
            "whale" => random.Next(1, 3_000) * 1_000m * listing.Step,
            "dust" => random.Next(1, 3) * listing.Step,
            _ => random.Next(1, 3_000) * listing.Step,
        };

    /// <summary>The brackets with every rate scaled (and leverage kept valid), floors sometimes lowered
    /// tenfold.</summary>
    private static RiskTierInput[] Rebracketed(Random random, RiskTierInput[] tiers)
    {
        var scale = random.Next(5, 21) / 10m;
        var floors = random.Next(3) == 0 ? 0.1m : 1m;
        return
        [
            .. tiers.Select(t =>
            {
                var mmr = Math.Min(t.Mmr * scale, 0.2m);
                return new RiskTierInput(
                    t.Floor * floors,
                    mmr,
                    Math.Max(1m, Math.Min(t.MaxLeverage, Math.Floor(0.99m / mmr)))
                );
            }),
        ];
    }

    /// <summary>One to three marginal haircut bands, ratios falling.</summary>
    private static CollateralRatioTier[] Haircuts(Random random)
    {
        var first = random.Next(80, 101) / 100m;
        return random.Next(3) switch
        {
            0 => [new(0m, first)],
            1 => [new(0m, first), new(random.Next(1, 100) * 10_000m, first * 0.9m)],
            _ => [new(0m, first), new(50_000m, first * 0.95m), new(5_000_000m, first * 0.8m)],
        };
    }

    /// <summary>One of each event type, and every event of <paramref name="seeds"/> random venues' logs, as the
    /// store keeps them (wire type and data).</summary>
    public static List<(string Type, string Data)> StoredEvents(int seeds)
    {
        var events = Samples.OneOfEach().Select(EventTypeRegistry.Serialize).ToList();
        for (var seed = 0; seed < seeds; seed++)
        {
            var state = LedgerState.Initial;
            foreach (var command in Generate(seed, 60))
            {
                var ran = LedgerRuntime.Run(state, command);
                if (ran.Decision is Decision.Accepted accepted)
                    events.AddRange(accepted.Events.Select(e => EventTypeRegistry.Serialize(e.Event)));
                state = ran.State;
            }
        }
        return events;
    }
}
