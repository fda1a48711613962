using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CrossMargin.Ledger.Stress;
using CrossMargin.Ledger.Stress.Simulation;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary>
/// <c>ledger bench --scenario stress</c>: the stress lab on a synthetic venue of N accounts (seed 1). Measured: the
/// venue's set-up and its trigger index; a 20-round cascade (a price path of 20 steps of −1 % on BTCUSDT and ETHUSDT
/// with square-root impact and thinning liquidity, so every round has a price event, best of 3); and a Monte Carlo
/// study of 1 000 paths by default (the synthetic venue's default shocks, with impact) on every core, with the
/// collector's pauses during it (they stop every worker) and what it allocated.
/// </summary>
public static class StressBench
{
    /// <summary>Runs the benchmark and prints its figures.</summary>
    public static int Run(int accounts, int paths)
    {
        // as the stress verb runs a study
        using var batch = ThroughputGc.Begin();
        Console.WriteLine(
            $"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, "
                + $"{RuntimeInformation.FrameworkDescription}; a synthetic venue of {accounts:N0} accounts"
        );
        var watch = Stopwatch.StartNew();
        var venue = SyntheticVenue.Build(accounts, 1);
        Console.WriteLine(Line("synthetic venue decided", watch.Elapsed, $"{venue.Accounts.Count:N0} accounts"));
        watch.Restart();
        var state = StressEngine.Prepare(venue);
        Console.WriteLine(Line("trigger index built", watch.Elapsed, ""));
        var impact = SyntheticVenue.Liquidity(state) with { Thinning = 1m };

        var steps = Enumerable
            .Range(1, 20)
            .Select(k => (IReadOnlyList<Shock>)[Shock.By("BTCUSDT", -0.01m * k), Shock.By("ETHUSDT", -0.01m * k)])
            .ToList();
        var cascade = new StressScenario(steps[0], impact, 20) { Then = steps.Skip(1).ToList() };
        StressReport? report = null;
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            watch.Restart();
            report = StressEngine.Run(state, cascade).Value;
            best = watch.Elapsed < best ? watch.Elapsed : best;
        }
        Console.WriteLine(
            Line(
                "20-round cascade (best of 3)",
                best,
                $"{report!.Rounds.Length} rounds, {report.AccountsLiquidated:N0} accounts liquidated, "
                    + $"{report.Rounds.Sum(r => r.Events.Length):N0} events; target ≤ 2 s"
            )
        );

        var spec = new MonteCarloSpec(
            SyntheticVenue.Shocked,
            paths,
            1,
            SyntheticVenue.Correlation,
            Impact: SyntheticVenue.Liquidity(state)
        );
        // what the collector cost the study: its pauses stop every worker
        var (paused, allocated) = (GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());
        watch.Restart();
        var study = MonteCarlo.Run(state, spec).Value;
        var elapsed = watch.Elapsed;
        (paused, allocated) = (GC.GetTotalPauseDuration() - paused, GC.GetTotalAllocatedBytes() - allocated);
        Console.WriteLine(
            Line(
                $"Monte Carlo, {paths:N0} paths on {Environment.ProcessorCount} core(s)",
                elapsed,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{paths / elapsed.TotalSeconds:F1} paths/s, P(fund exhausted) {study.ProbabilityExhausted:0.###}, "
                        + $"{study.Paths.Sum(p => p.AccountsLiquidated):N0} liquidations; target ≤ 60 s for 1 000; "
                        + $"collector paused {paused.TotalSeconds:F2} s ({paused / elapsed:P0}), "
                        + $"{allocated / (double)(1 << 30):F2} GiB allocated"
                )
            )
        );
        Console.WriteLine(BenchVerb.Footer());
        return ExitCodes.Ok;
    }

    private static string Line(string what, TimeSpan elapsed, string detail) =>
        string.Create(CultureInfo.InvariantCulture, $"{what,-42} {elapsed.TotalMilliseconds,10:F0} ms  {detail}");
}
