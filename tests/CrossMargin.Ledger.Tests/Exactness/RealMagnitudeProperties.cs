using System.Globalization;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Margin;
using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.Tests.Exactness;

/// <summary>
/// Seeded random venues at real magnitudes: accounts from 10 to 10⁹ USDT, quantity steps from 10⁻⁸ to 10³,
/// prices from 10⁻⁷ to 10⁷, averaged entries, partial closes, haircut collateral, crashes, both deficit
/// policies. After every command: no exception, every event reads back as written (the store stays readable),
/// conservation and the fund hold, no liquidation or ADL price ≤ 0, no ADL counterparty pushed below zero.
/// </summary>
public sealed class RealMagnitudeProperties
{
    private static readonly string[] Accounts = ["whale", "fund", "retail", "dust", "mm"];
    private static readonly decimal[] Deposits = [10m, 1_000m, 250_000m, 50_000_000m, 1_000_000_000m];

    private sealed record Listing(string Symbol, decimal Price, decimal Tick, decimal Step);

    /// <summary>Price 10^k (k in −7..7) on a tick of 10^(k−4) but no finer than 10⁻⁸; a step that makes one step worth
    /// 10⁻⁴..10².</summary>
    private static Listing Draw(Random random, string symbol)
    {
        var k = random.Next(-7, 8);
        var price = Pow10(k) * random.Next(1, 10);
        var tick = Math.Max(Pow10(k - 4), 0.00000001m);
        var step = Math.Clamp(Pow10(random.Next(-4, 3) - k), 0.00000001m, 1_000m);
        return new Listing(symbol, decimal.Round(price / tick) * tick, tick, step);
    }

    private static decimal Pow10(int k)
    {
        var v = 1m;
        for (var i = 0; i < Math.Abs(k); i++)
            v = k > 0 ? v * 10m : v / 10m;
        return v;
    }

    private static IEnumerable<LedgerCommand> Venue(int seed, int length)
    {
        var random = new Random(seed);
        var listings = new[] { Draw(random, "AAAUSDT"), Draw(random, "BBBUSDT"), Draw(random, "CCCUSDT") };
        var marks = listings.ToDictionary(l => l.Symbol, l => l.Price);
        var btc = 60_000m;
        foreach (var l in listings)
        {
            yield return new ListInstrument(
                l.Symbol,
                l.Symbol[..3],
                "USDT",
                [
                    new RiskTierInput(0m, 0.004m, 125m),
                    new RiskTierInput(50_000m, 0.005m, 100m),
                    new RiskTierInput(10_000_000m, 0.025m, 20m),
                ],
                0.0004m,
                0.005m,
                l.Step,
                l.Tick
            );
            yield return new UpdatePrice(l.Symbol, l.Price);
        }
        yield return Samples.ListBtcCollateral();
        yield return new UpdatePrice(Samples.Btc, btc);
        yield return new FundInsurance("USDT", random.Next(0, 3) == 0 ? 0.00000001m : random.Next(1, 100_000));
        for (var i = 0; i < length; i++)
        {
            var a = random.Next(Accounts.Length);
            var account = Accounts[a];
            var l = listings[random.Next(listings.Length)];
            var mark = marks[l.Symbol];
            var price = Math.Max(l.Tick, decimal.Round(mark * (1m + random.Next(-50, 51) / 10_000m) / l.Tick) * l.Tick);
            // a notional up to the account's size times a leverage, as whole steps
            var notional = Deposits[a] * random.Next(1, 60) / 10m;
            var steps = Math.Max(1m, Math.Floor(notional / (price * l.Step) * random.Next(1, 100) / 100m));
            steps = Math.Min(steps, 1_000_000_000_000m);
            LedgerCommand command = random.Next(20) switch
            {
                0 or 1 or 2 => new Deposit(
                    account,
                    "USDT",
                    decimal.Round(Deposits[a] * random.Next(1, 1000) / 997m, 8)
                ),
                3 => new Deposit(
                    account,
                    Samples.Btc,
                    decimal.Round(Deposits[a] / btc * random.Next(1, 100) / 100m, 8)
                ),
                4 => new Withdraw(account, "USDT", decimal.Round(Deposits[a] * random.Next(1, 100) / 1000m, 8)),
                5 => new SetLeverage(account, l.Symbol, random.Next(1, 126)),
                6 or 7 or 8 or 9 => new OpenPosition(
                    account,
                    l.Symbol,
                    random.Next(2) == 0 ? Side.Long : Side.Short,
                    steps * l.Step,
                    price
                ),
                10 or 11 => new ClosePosition(
                    account,
                    l.Symbol,
                    price,
                    random.Next(3) == 0 ? null : Math.Max(1m, Math.Floor(steps / 7m)) * l.Step
                ),
                12 or 13 or 14 => Move(l, random.Next(-300, 301)),
                15 => Move(l, random.Next(2) == 0 ? -random.Next(1_000, 6_000) : random.Next(1_000, 20_000)),
                16 => MoveBtc(random.Next(-4_000, 2_000)),
                17 => new SetLiquidationPolicy(
                    random.Next(0, 3) / 10m,
                    random.Next(2) == 0 ? DeficitPolicy.Adl : DeficitPolicy.Socialize
                ),
                _ => new FundInsurance("USDT", decimal.Round(random.Next(1, 1_000_000) / 7m, 8)),
            };
            yield return command;
        }

        UpdatePrice Move(Listing l, int basisPoints)
        {
            marks[l.Symbol] = Math.Max(
                l.Tick,
                decimal.Round(marks[l.Symbol] * (1m + basisPoints / 10_000m) / l.Tick) * l.Tick
            );
            return new UpdatePrice(l.Symbol, marks[l.Symbol]);
        }

        UpdatePrice MoveBtc(int basisPoints)
        {
            btc = Math.Max(0.01m, decimal.Round(btc * (1m + basisPoints / 10_000m), 2));
            return new UpdatePrice(Samples.Btc, btc);
        }
    }

    [TestCase(1), TestCase(2), TestCase(3), TestCase(4), TestCase(5), TestCase(6), TestCase(7), TestCase(8)]
    public void A_random_venue_at_real_magnitudes_keeps_every_promise(int seed)
    {
        var state = LedgerState.Initial;
        var problems = new List<string>();
        int accepted = 0,
            liquidations = 0,
            n = 0;
        foreach (var c in Venue(seed, 2_000))
        {
            n++;
            Transition ran;
            try
            {
                ran = LedgerRuntime.Run(state, c);
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed}, command {n} ({c}) threw {e}");
                return;
            }
            if (ran.Decision is not Decision.Accepted ok)
                continue;
            accepted++;
            foreach (var (e, after) in LedgerRuntime.Trace(state, ok.Events))
            {
                var before = state;
                state = after;
                var (type, data) = EventTypeRegistry.Serialize(e.Event);
                if (EventTypeRegistry.Serialize(EventTypeRegistry.Deserialize(type, data)).Data != data)
                    problems.Add($"{n}: {type} does not read back");
                switch (e.Event)
                {
                    case LiquidationTriggered:
                        liquidations++;
                        break;
                    case PositionLiquidated p when p.FillPrice <= 0m || p.BankruptcyPrice <= 0m:
                        problems.Add(
                            $"{n}: {p.LiquidationId} step {p.Step} at fill {p.FillPrice}, bankruptcy "
                                + $"{p.BankruptcyPrice}"
                        );
                        break;
                    case PositionAutoDeleveraged d:
                        if (d.Price <= 0m)
                            problems.Add($"{n}: ADL of {d.Account} at {d.Price}");
                        var equity = MarginCalculator.Compute(state.Account(d.Account), state.Market).Equity;
                        if (
                            equity < 0m
                            && MarginCalculator.Compute(before.Account(d.Account), before.Market).Equity >= 0m
                        )
                            problems.Add($"{n}: ADL left {d.Account} at equity {equity}");
                        break;
                }
            }
            problems.AddRange(Invariants.Violations(state).Select(p => $"{n} ({c.GetType().Name}): {p}"));
            // the kernel the engine decides by gives the full report's figures, digit for digit, at these magnitudes
            foreach (var account in state.Accounts.Values)
                if (
                    account.Positions.Keys.All(p => state.Market.Instruments[p].Mark is not null)
                    && MarginKernel.Evaluate(account, state.Market) is var kernel
                    && MarginCalculator.Compute(account, state.Market) is var full
                    && (
                        kernel.Equity.ToString(CultureInfo.InvariantCulture)
                            != full.Equity.ToString(CultureInfo.InvariantCulture)
                        || kernel.MaintenanceMargin.ToString(CultureInfo.InvariantCulture)
                            != full.MaintenanceMargin.ToString(CultureInfo.InvariantCulture)
                        || kernel.Liquidatable != full.Liquidatable
                    )
                )
                    problems.Add($"{n}: the kernel gives {kernel} for {account.Id}, the report E {full.Equity}");
            if (problems.Count > 0)
                break;
        }
        Assert.That(problems, Is.Empty, $"seed {seed}");
        Assert.That(accepted, Is.GreaterThan(500), $"seed {seed}: the venue must do something");
        TestContext.Out.WriteLine($"seed {seed}: {accepted} of {n} commands accepted, {liquidations} liquidations");
    }
}
