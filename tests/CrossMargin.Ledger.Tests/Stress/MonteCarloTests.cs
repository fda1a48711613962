using System.Collections.Immutable;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Stress;
using CrossMargin.Ledger.Stress.Simulation;
using CrossMargin.Ledger.TestSupport;

namespace CrossMargin.Ledger.Tests.Stress;

public sealed class MonteCarloTests
{
    private static readonly Lazy<LedgerState> Venue = new(() => SyntheticVenue.Build(400, 7));

    [Test]
    public void The_generator_is_xoshiro256_starstar_seeded_by_splitmix64()
    {
        // the first outputs for seeds 42 and 0, from a Python transcription of the reference C code
        var random = new SeededRandom(42);
        Assert.That(
            Enumerable.Range(0, 4).Select(_ => random.NextUInt64()),
            Is.EqualTo(
                new[] { 1546998764402558742UL, 6990951692964543102UL, 12544586762248559009UL, 17057574109182124193UL }
            )
        );
        var zero = new SeededRandom(0);
        Assert.That(
            new[] { zero.NextUInt64(), zero.NextUInt64() },
            Is.EqualTo(new[] { 11091344671253066420UL, 13793997310169335082UL })
        );
    }

    [Test]
    public void Draws_have_the_volatility_correlation_and_fat_tails_asked_for()
    {
        var spec = new MonteCarloSpec(
            [new ShockedMarket("A", 0.04m), new ShockedMarket("B", 0.02m)],
            Paths: 40_000,
            Seed: 3,
            Correlation:
            [
                [1m, 0.7m],
                [0.7m, 1m],
            ]
        );
        var draws = ShockSampler.Draw(spec).Value;
        double[] Logs(int market) => [.. draws.Select(d => Math.Log(1.0 + (double)d[market]))];
        var (a, b) = (Logs(0), Logs(1));
        Assert.That(StandardDeviation(a), Is.EqualTo(0.04).Within(0.002));
        Assert.That(StandardDeviation(b), Is.EqualTo(0.02).Within(0.001));
        Assert.That(Correlation(a, b), Is.EqualTo(0.7).Within(0.03));
        Assert.That(Kurtosis(a), Is.GreaterThan(5.0), "Student-t with ν = 4 has heavy tails (Gaussian: 3)");
        var gaussian = ShockSampler.Draw(spec with { DegreesOfFreedom = null }).Value;
        Assert.That(Kurtosis([.. gaussian.Select(d => Math.Log(1.0 + (double)d[0]))]), Is.EqualTo(3.0).Within(0.15));
        Assert.That(draws.SelectMany(d => d).All(m => decimal.Round(m, 6) == m && m > -1m), Is.True);
    }

    [Test]
    public void The_same_seed_gives_the_same_report_whatever_the_number_of_workers()
    {
        var spec = Spec(paths: 120, seed: 11);
        var one = MonteCarlo.Run(Venue.Value, spec with { Workers = 1 });
        var two = MonteCarlo.Run(Venue.Value, spec with { Workers = 2 });
        Assert.That(one.IsValid, Is.True, one.Problem);
        Assert.That(StateDump.Of(two.Value.Paths), Is.EqualTo(StateDump.Of(one.Value.Paths)));
        Assert.That(two.Value.FundDrawdown, Is.EqualTo(one.Value.FundDrawdown));
        var other = MonteCarlo.Run(Venue.Value, spec with { Seed = 12 }).Value;
        Assert.That(other.Paths.Select(p => p.Moves[0]), Is.Not.EqualTo(one.Value.Paths.Select(p => p.Moves[0])));
    }

    [Test]
    public void Every_path_is_the_stress_run_of_its_own_shocks()
    {
        var spec = Spec(paths: 40, seed: 5);
        var report = MonteCarlo.Run(Venue.Value, spec).Value;
        Assert.That(report.Paths.Select(p => p.Index), Is.EqualTo(Enumerable.Range(1, 40)));
        Assert.That(report.Paths.Count(p => p.AccountsLiquidated > 0), Is.GreaterThan(5), "the shocks reach someone");
        foreach (var path in report.Paths.Take(10))
        {
            var direct = StressEngine
                .Run(
                    Venue.Value,
                    new StressScenario(
                        [Shock.By("BTCUSDT", path.Moves[0]), Shock.By("ETHUSDT", path.Moves[1])],
                        spec.Impact
                    )
                )
                .Value;
            Assert.That(
                (path.LiquidatedNotional, path.FundDrawdown, path.BadDebt, path.AccountsLiquidated),
                Is.EqualTo(
                    (direct.LiquidatedNotional, direct.FundDrawdown, direct.Uncovered, direct.AccountsLiquidated)
                )
            );
            Assert.That(path.Exhausted, Is.EqualTo(ContagionSearch.Exhausts(direct)));
        }
        Assert.That(report.ExhaustedPaths, Is.EqualTo(report.Paths.Count(p => p.Exhausted)));
        Assert.That(report.LaR95, Is.EqualTo(Tail.Of(report.Paths.Select(p => p.LiquidatedNotional)).Percentile95));
    }

    [Test]
    public void The_tail_is_the_nearest_rank_percentile_and_the_mean_beyond_it()
    {
        // 1 … 20: the 95th percentile is the ⌈0.95 × 20⌉ = 19th smallest, 19; the mean from it on (19, 20) is 19.5
        var tail = Tail.Of(Enumerable.Range(1, 20).Select(i => (decimal)i));
        Assert.That(tail, Is.EqualTo(new Tail(10.5m, 19m, 19.5m, 20m)));
        // 1 … 100: the 95th smallest is 95, the mean of 95 … 100 is 97.5
        Assert.That(Tail.Of(Enumerable.Range(1, 100).Select(i => (decimal)i)).Expected95, Is.EqualTo(97.5m));
    }

    [TestCase(5, 100, 0.02154367915436796, 0.11175046923191913)]
    [TestCase(0, 1000, 0.0, 0.0038267584855551234)]
    [TestCase(1000, 1000, 0.996173241514445, 1.0)]
    public void The_probability_of_exhaustion_carries_its_wilson_interval(int exhausted, int n, double low, double high)
    {
        // expected values from the Wilson score formula evaluated independently (Python, z = 1.959963984540054)
        var paths = Enumerable
            .Range(1, n)
            .Select(i => new MonteCarloPath(i, [], 0m, 0m, 0, 0m, 0m, 0m, i <= exhausted, 1))
            .ToImmutableArray();
        var report = new MonteCarloReport(
            Spec(n, 1),
            0m,
            paths,
            Tail.Of([0m]),
            Tail.Of([0m]),
            Tail.Of([0m]),
            exhausted
        );
        var (l, h) = report.ProbabilityExhaustedInterval;
        Assert.That(l, Is.EqualTo(low).Within(1e-12));
        Assert.That(h, Is.EqualTo(high).Within(1e-12));
    }

    [TestCase("paths", "the number of paths must be between 1 and 1,000,000, not 0")]
    [TestCase("nu", "the degrees of freedom must be above 2 (a finite variance) and at most 1 000 000, not 2")]
    [TestCase("sigma", "the daily volatility of BTCUSDT must be above 0 and at most 10, not 0")]
    [TestCase("shape", "the correlation matrix must be 2 × 2, one row and column per market")]
    [TestCase(
        "asymmetric",
        "the correlation matrix must be symmetric: BTCUSDT/ETHUSDT is 0.5 one way and 0.4 the other"
    )]
    [TestCase("not definite", "the correlation matrix is not positive definite")]
    [TestCase("unknown", "shock of XRPUSDT: not a listed instrument or collateral asset")]
    public void A_study_that_cannot_run_says_why(string what, string problem)
    {
        var spec = Spec(10, 1);
        spec = what switch
        {
            "paths" => spec with { Paths = 0 },
            "nu" => spec with { DegreesOfFreedom = 2m },
            "sigma" => spec with { Markets = [new ShockedMarket("BTCUSDT", 0m), spec.Markets[1]] },
            "shape" => spec with
            {
                Correlation =
                [
                    [1m],
                ],
            },
            "asymmetric" => spec with
            {
                Correlation =
                [
                    [1m, 0.5m],
                    [0.4m, 1m],
                ],
            },
            "not definite" => spec with
            {
                Markets = [.. spec.Markets, new ShockedMarket("BTC", 0.03m)],
                Correlation =
                [
                    [1m, 0.9m, -0.9m],
                    [0.9m, 1m, 0.9m],
                    [-0.9m, 0.9m, 1m],
                ],
            },
            "unknown" => spec with { Markets = [new ShockedMarket("XRPUSDT", 0.05m)], Correlation = null },
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };
        var ran = MonteCarlo.Run(Venue.Value, spec);
        Assert.That(ran.IsValid, Is.False);
        Assert.That(ran.Problem, Does.StartWith(problem));
    }

    [Test]
    public void A_synthetic_venue_is_the_same_for_the_same_seed_and_starts_sound()
    {
        var again = SyntheticVenue.Build(400, 7);
        Assert.That(StateDump.Of(again.Accounts), Is.EqualTo(StateDump.Of(Venue.Value.Accounts)));
        Assert.That(Venue.Value.Accounts, Has.Count.EqualTo(400));
        Assert.That(Invariants.Violations(Venue.Value), Is.Empty);
        Assert.That(
            Venue.Value.Accounts.Values.Count(a =>
                CrossMargin.Ledger.Margin.MarginCalculator.Compute(a, Venue.Value.Market).Liquidatable
            ),
            Is.Zero
        );
        Assert.That(Venue.Value.Accounts.Values.Count(a => a.Positions.Count == 2), Is.InRange(100, 220));
        Assert.That(Venue.Value.InsuranceFundBalance, Is.GreaterThan(0m));
        Assert.That(
            StateDump.Of(SyntheticVenue.Build(400, 8).Accounts),
            Is.Not.EqualTo(StateDump.Of(Venue.Value.Accounts))
        );
    }

    // studies of many runs recount the state once, before them, not at the end of each run; a state that breaks an
    // invariant runs nothing (a single run still recounts at its end)
    [Test]
    public void A_study_on_a_state_that_breaks_an_invariant_runs_nothing()
    {
        var venue = Venue.Value;
        var account = venue.Accounts.Values.First();
        var broken = venue with
        {
            Accounts = venue.Accounts.SetItem(
                account.Id,
                account with
                {
                    Balances = account.Balances.SetItem(
                        Ledger.Venue.SettlementAsset,
                        account.Balance(Ledger.Venue.SettlementAsset) + 0.00000001m
                    ),
                }
            ),
        };
        var scenario = new StressScenario([Shock.By("BTCUSDT", -0.1m)]);
        foreach (
            var study in new (string Name, TestDelegate Run)[]
            {
                ("Monte Carlo", () => MonteCarlo.Run(broken, Spec(paths: 5, seed: 1))),
                ("contagion", () => ContagionSearch.Find(broken, new ThresholdSearch(["BTCUSDT"]))),
                ("policies", () => PolicyComparison.Run(broken, scenario, [new PolicyCase("as is", null)])),
            }
        )
            Assert.That(
                Assert.Throws<InvalidOperationException>(study.Run)!.Message,
                Does.StartWith("the state the stress runs start from breaks the ledger's invariants")
                    .And.Contain("conservation of USDT"),
                study.Name
            );
        Assert.That(
            Assert.Throws<InvalidOperationException>(() => StressEngine.Run(broken, scenario))!.Message,
            Does.StartWith("a stress run broke the ledger's invariants").And.Contain("conservation of USDT")
        );
    }

    private static MonteCarloSpec Spec(int paths, ulong seed) =>
        new(
            [new ShockedMarket("BTCUSDT", 0.05m), new ShockedMarket("ETHUSDT", 0.06m)],
            Paths: paths,
            Seed: seed,
            Correlation:
            [
                [1m, 0.8m],
                [0.8m, 1m],
            ],
            Impact: SyntheticVenue.Liquidity(Venue.Value)
        );

    private static double StandardDeviation(double[] x)
    {
        var mean = x.Average();
        return Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1));
    }

    private static double Correlation(double[] x, double[] y)
    {
        var (mx, my) = (x.Average(), y.Average());
        var cov = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my));
        return cov / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
    }

    private static double Kurtosis(double[] x)
    {
        var mean = x.Average();
        var m2 = x.Average(v => Math.Pow(v - mean, 2));
        return x.Average(v => Math.Pow(v - mean, 4)) / (m2 * m2);
    }
}
