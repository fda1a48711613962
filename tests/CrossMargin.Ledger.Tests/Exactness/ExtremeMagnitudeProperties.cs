using System.Numerics;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Margin;
using CrossMargin.Ledger.Parameters;

namespace CrossMargin.Ledger.Tests.Exactness;

/// <summary>
/// Venues at the listing limits: instruments whose <c>maxQuantity × maxPrice</c> is the whole envelope (10¹²),
/// prices from one tick to the maximum, positions up to the maximum quantity, balances up to 10¹², crashes and
/// squeezes to either end. No command may crash or hit <c>ArithmeticLimit</c>, the invariants hold after
/// every command, and every account's unrealised PnL and maintenance margin equal an exact rational computation
/// of the documented rules (uPnL = ⌊q × (mark − entry)⌋, MM = ⌈N × mmr − cum⌉ to 10⁻⁸), so no intermediate
/// product lost a digit that mattered.
/// </summary>
public sealed class ExtremeMagnitudeProperties
{
    private static readonly string[] Accounts = ["a", "b", "c", "d"];

    private static IEnumerable<LedgerCommand> Venue(int seed, int length)
    {
        var random = new Random(seed);
        // max price 10^j, j in 0..9: the tick is 10⁻⁹ of it (never below 10⁻⁸), the step 10⁻⁹ of the max quantity
        var j = random.Next(0, 10);
        var maxPrice = Pow10(j);
        var maxQuantity = InstrumentLimits.Envelope / maxPrice;
        var tick = Math.Max(maxPrice / 1_000_000_000m, 0.00000001m);
        var step = Math.Max(maxQuantity / 1_000_000_000m, 0.00000001m);
        var limits = new InstrumentLimits(8, maxPrice, maxQuantity, InstrumentLimits.Envelope, 0.5m);
        yield return new ListInstrument(
            "XXUSDT",
            "XX",
            "USDT",
            [
                new RiskTierInput(0m, 0.004m, 125m),
                new RiskTierInput(1_000_000m, 0.01m, 50m),
                new RiskTierInput(100_000_000_000m, 0.1m, 5m),
            ],
            0.0004m,
            0.005m,
            step,
            tick,
            limits
        );
        var mark = Tick(maxPrice * random.Next(1, 100) / 1_000m);
        yield return new UpdatePrice("XXUSDT", mark);
        yield return new FundInsurance("USDT", random.Next(2) == 0 ? 0.00000001m : 1_000_000_000m);
        for (var i = 0; i < length; i++)
        {
            var account = Accounts[random.Next(Accounts.Length)];
            var price = Tick(mark * (1m + random.Next(-4_000, 4_001) / 10_000m));
            // a fraction of the maximum on a log scale: from the whole of it down to a millionth
            var quantity = Math.Max(
                step,
                decimal.Round(maxQuantity * random.Next(1, 10) / 10m / Pow10(random.Next(0, 7)) / step) * step
            );
            yield return random.Next(12) switch
            {
                0 or 1 => new Deposit(
                    account,
                    "USDT",
                    decimal.Round(1_000_000_000_000m * random.Next(1, 1_000) / 1_000_000m, 8)
                ),
                2 or 3 or 4 => new OpenPosition(
                    account,
                    "XXUSDT",
                    random.Next(2) == 0 ? Side.Long : Side.Short,
                    quantity,
                    price
                ),
                5 => new ClosePosition(
                    account,
                    "XXUSDT",
                    price,
                    random.Next(2) == 0 ? null : step * random.Next(1, 1_000)
                ),
                6 => new SetLeverage(account, "XXUSDT", new[] { 1m, 2m, 5m, 10m, 20m, 50m, 125m }[random.Next(7)]),
                7 => Mark(Tick(maxPrice * random.Next(1, 1_001) / 1_000m)),
                8 => Mark(tick * random.Next(1, 10)),
                9 => Mark(maxPrice),
                10 => new SetLiquidationPolicy(
                    random.Next(0, 3) / 10m,
                    random.Next(2) == 0 ? DeficitPolicy.Adl : DeficitPolicy.Socialize
                ),
                _ => Mark(Tick(mark * (1m + random.Next(-3_000, 3_001) / 10_000m))),
            };
        }

        decimal Tick(decimal p) => Math.Clamp(decimal.Round(p / tick) * tick, tick, maxPrice);

        UpdatePrice Mark(decimal p)
        {
            mark = p;
            return new UpdatePrice("XXUSDT", p);
        }
    }

    private static decimal Pow10(int k)
    {
        var v = 1m;
        for (var i = 0; i < k; i++)
            v *= 10m;
        return v;
    }

    [
        TestCase(1),
        TestCase(2),
        TestCase(3),
        TestCase(4),
        TestCase(5),
        TestCase(6),
        TestCase(7),
        TestCase(8),
        TestCase(9),
        TestCase(10)
    ]
    public void A_venue_at_the_listing_limits_stays_exact(int seed)
    {
        var state = LedgerState.Initial;
        var problems = new List<string>();
        int n = 0,
            accepted = 0,
            positions = 0,
            liquidations = 0;
        var rejected = new SortedDictionary<RejectionCode, int>();
        foreach (var c in Venue(seed, 600))
        {
            n++;
            var ran = LedgerRuntime.Run(state, c);
            var decision = ran.Decision;
            if (
                decision is Decision.Rejected
                {
                    Rejection.Code: RejectionCode.ArithmeticLimit or RejectionCode.InvariantViolated
                } r
            )
                problems.Add($"{n} ({c}): {r.Rejection.Message}");
            if (decision is Decision.Rejected no)
                rejected[no.Rejection.Code] = rejected.GetValueOrDefault(no.Rejection.Code) + 1;
            if (n <= 3 && decision is Decision.Rejected first)
                problems.Add($"set-up {n} ({c}) rejected: {first.Rejection.Message}");
            if (decision is not Decision.Accepted ok)
                continue;
            accepted++;
            liquidations += ok.Events.Count(e => e.Event is LiquidationTriggered);
            state = ran.State;
            problems.AddRange(Invariants.Violations(state).Select(p => $"{n}: {p}"));
            foreach (var account in state.Accounts.Values)
            {
                var m = MarginCalculator.Compute(account, state.Market);
                foreach (var p in m.Positions)
                {
                    positions++;
                    var exactPnl = Exact.Floor(Exact.Mul(p.Size, p.MarkPrice - p.EntryPrice));
                    if (exactPnl != p.UnrealizedPnl)
                        problems.Add($"{n}: {account.Id} uPnL {p.UnrealizedPnl}, exactly {exactPnl}");
                    var notional = Math.Abs(p.Size) * p.MarkPrice;
                    if (Exact.Of(notional) != Exact.Mul(Math.Abs(p.Size), p.MarkPrice))
                        problems.Add($"{n}: notional {notional} is not exact");
                    var exactMm = Exact.Ceiling(Exact.Mul(notional, p.Mmr) - Exact.Of(p.MaintenanceAmount));
                    if (exactMm != p.MaintenanceMargin)
                        problems.Add($"{n}: {account.Id} MM {p.MaintenanceMargin}, exactly {exactMm}");
                }
            }
            if (problems.Count > 0)
                break;
        }
        Assert.That(problems, Is.Empty, $"seed {seed}");
        Assert.That(
            positions,
            Is.GreaterThan(200),
            $"seed {seed}: the venue must trade ({accepted} accepted; rejected {string.Join(", ", rejected)})"
        );
        TestContext.Out.WriteLine(
            $"seed {seed}: {accepted} of {n} accepted, {liquidations} liquidations, {positions} position "
                + $"evaluations; rejected {string.Join(", ", rejected)}"
        );
    }

    /// <summary>Exact rationals over powers of ten, from the decimal's own mantissa and scale: an independent
    /// check.</summary>
    private static class Exact
    {
        public readonly record struct Value(BigInteger Mantissa, int Scale)
        {
            public static Value operator -(Value a, Value b)
            {
                var scale = Math.Max(a.Scale, b.Scale);
                return new(
                    a.Mantissa * BigInteger.Pow(10, scale - a.Scale) - b.Mantissa * BigInteger.Pow(10, scale - b.Scale),
                    scale
                );
            }
        }

        public static Value Of(decimal d)
        {
            var bits = decimal.GetBits(d);
            var mantissa =
                (new BigInteger(unchecked((uint)bits[2])) << 64)
                | (new BigInteger(unchecked((uint)bits[1])) << 32)
                | new BigInteger(unchecked((uint)bits[0]));
            var scale = (bits[3] >> 16) & 0xFF;
            return new(bits[3] < 0 ? -mantissa : mantissa, scale);
        }

        public static Value Mul(decimal a, decimal b)
        {
            var (x, y) = (Of(a), Of(b));
            return new(x.Mantissa * y.Mantissa, x.Scale + y.Scale);
        }

        public static decimal Floor(Value v) => Round(v, up: false);

        public static decimal Ceiling(Value v) => Round(v, up: true);

        /// <summary>To 8 places toward −∞ or +∞, exactly.</summary>
        private static decimal Round(Value v, bool up)
        {
            var mantissa = v.Mantissa;
            if (v.Scale > 8)
            {
                var divisor = BigInteger.Pow(10, v.Scale - 8);
                var quotient = BigInteger.DivRem(mantissa, divisor, out var remainder);
                if (remainder != 0 && (remainder > 0) == up)
                    quotient += up ? 1 : -1;
                mantissa = quotient;
            }
            else
                mantissa *= BigInteger.Pow(10, 8 - v.Scale);
            return decimal.Parse(
                    mantissa.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    System.Globalization.CultureInfo.InvariantCulture
                ) / 100_000_000m;
        }
    }
}
