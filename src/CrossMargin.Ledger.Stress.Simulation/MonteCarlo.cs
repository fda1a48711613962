using System.Collections.Immutable;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Stress.Simulation;

/// <summary>What one Monte Carlo path did (the figures of its <see cref="StressReport"/>; the events are not
/// kept).</summary>
/// <param name="Moves">the shock of each market, in the order of the spec.</param>
/// <param name="BadDebt">what nothing covered (<see cref="StressReport.Uncovered"/>).</param>
/// <param name="Exhausted">the losses went past the fund (<see cref="ContagionSearch.Exhausts"/>).</param>
public sealed record MonteCarloPath(
    int Index,
    ImmutableArray<decimal> Moves,
    decimal FundDrawdown,
    decimal LiquidatedNotional,
    int AccountsLiquidated,
    decimal AdlNotional,
    decimal Socialized,
    decimal BadDebt,
    bool Exhausted,
    int Rounds
);

/// <summary>The tail of one figure over the paths: its mean, its 95th percentile (nearest rank: the
/// ⌈0.95·n⌉-th smallest) and the mean of the paths at or beyond it, and its largest value.</summary>
public sealed record Tail(decimal Mean, decimal Percentile95, decimal Expected95, decimal Max)
{
    /// <summary>The tail of <paramref name="values"/>.</summary>
    public static Tail Of(IEnumerable<decimal> values)
    {
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(sorted.Length * 0.95m);
        var beyond = sorted[(rank - 1)..];
        return new Tail(sorted.Sum() / sorted.Length, sorted[rank - 1], beyond.Sum() / beyond.Length, sorted[^1]);
    }
}

/// <summary>
/// A Monte Carlo study's result: every path, and the figures risk teams quote. VaR95 and ES95 of the fund's drawdown
/// (<see cref="FundDrawdown"/>'s 95th percentile and the mean beyond it), LaR95 (liquidations at risk: the 95th
/// percentile of liquidated notional), the distribution of bad debt, and the probability that losses pass the fund
/// with its 95 % Wilson score interval.
/// </summary>
public sealed record MonteCarloReport(
    MonteCarloSpec Spec,
    decimal InsuranceFundBefore,
    ImmutableArray<MonteCarloPath> Paths,
    Tail FundDrawdown,
    Tail LiquidatedNotional,
    Tail BadDebt,
    int ExhaustedPaths
)
{
    /// <summary>VaR95 of the fund's drawdown.</summary>
    public decimal FundVaR95 => FundDrawdown.Percentile95;

    /// <summary>ES95 of the fund's drawdown.</summary>
    public decimal FundES95 => FundDrawdown.Expected95;

    /// <summary>LaR95: the 95th percentile of liquidated notional.</summary>
    public decimal LaR95 => LiquidatedNotional.Percentile95;

    /// <summary>The share of paths whose losses passed the fund.</summary>
    public double ProbabilityExhausted => (double)ExhaustedPaths / Paths.Length;

    /// <summary>The 95 % Wilson score interval of <see cref="ProbabilityExhausted"/> (Wilson 1927; it stays inside
    /// [0, 1] and is not degenerate at 0 or n paths, unlike the normal approximation).</summary>
    public (double Low, double High) ProbabilityExhaustedInterval
    {
        get
        {
            const double z = 1.959963984540054;
            double n = Paths.Length,
                p = ProbabilityExhausted;
            var denominator = 1.0 + z * z / n;
            var center = (p + z * z / (2.0 * n)) / denominator;
            var half = z * Math.Sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n)) / denominator;
            return (Math.Max(0.0, center - half), Math.Min(1.0, center + half));
        }
    }
}

/// <summary>
/// Runs a <see cref="MonteCarloSpec"/> on a venue's state: the shocks are drawn first (<see cref="ShockSampler"/>),
/// then every path is a <see cref="StressEngine.Run(LedgerState, StressScenario)"/> on the same prepared state
/// (recounted once, before them), several at once. Paths are put
/// back in their order, so the report is the same for any number of workers.
/// </summary>
public static class MonteCarlo
{
    /// <summary>The study, or what is wrong with it (nothing runs then). <paramref name="progress"/> hears the number
    /// of paths done, now and then.</summary>
    public static Checked<MonteCarloReport> Run(
        LedgerState state,
        MonteCarloSpec spec,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        if (!ShockSampler.Draw(spec).Is(out var draws, out var problem))
            return Checked.Invalid<MonteCarloReport>(problem);
        state = StressEngine.Prepare(state);
        StressEngine.Recount(state);
        // the first path answers for the scenario's shape (markets, impact, policy); a later path can only fail on
        // its own figures, and is named
        var results = new MonteCarloPath?[spec.Paths];
        var failures = new string?[spec.Paths];
        var done = 0;
        var workers = spec.Workers > 0 ? spec.Workers : Environment.ProcessorCount;
        // the first path also recounts its end in full: an independent check of the per-round checks the others rely on
        var first = Path(state, spec, draws, 0, recounted: false);
        if (!first.Is(out var head, out problem))
            return Checked.Invalid<MonteCarloReport>(problem);
        results[0] = head;
        Parallel.For(
            1,
            spec.Paths,
            new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
            i =>
            {
                var ran = Path(state, spec, draws, i, recounted: true);
                if (ran.Is(out var path, out var refused))
                    results[i] = path;
                else
                    failures[i] = refused;
                var count = Interlocked.Increment(ref done);
                if (count % 10 == 0)
                    progress?.Report(count + 1);
            }
        );
        progress?.Report(spec.Paths);
        if (failures.Select((f, i) => (f, i)).FirstOrDefault(x => x.f is not null) is ({ } failure, var at))
            return Checked.Invalid<MonteCarloReport>($"path {at + 1}: {failure}");
        var paths = results.Select(p => p!).ToImmutableArray();
        return Checked.Valid(
            new MonteCarloReport(
                spec,
                state.InsuranceFundBalance + (spec.Policy?.ExtraFund ?? 0m),
                paths,
                Tail.Of(paths.Select(p => p.FundDrawdown)),
                Tail.Of(paths.Select(p => p.LiquidatedNotional)),
                Tail.Of(paths.Select(p => p.BadDebt)),
                paths.Count(p => p.Exhausted)
            )
        );
    }

    private static Checked<MonteCarloPath> Path(
        LedgerState state,
        MonteCarloSpec spec,
        ImmutableArray<ImmutableArray<decimal>> draws,
        int index,
        bool recounted
    )
    {
        var moves = draws[index];
        var scenario = new StressScenario(
            [.. spec.Markets.Select((m, i) => Shock.By(m.Market, moves[i]))],
            spec.Impact,
            spec.MaxRounds
        )
        {
            Policy = spec.Policy,
        };
        var ran = StressEngine.Run(state, scenario, recounted);
        if (!ran.Is(out var report, out var problem))
            return Checked.Invalid<MonteCarloPath>(problem);
        return Checked.Valid(
            new MonteCarloPath(
                index + 1,
                moves,
                report.FundDrawdown,
                report.LiquidatedNotional,
                report.AccountsLiquidated,
                report.AdlNotional,
                report.Socialized,
                report.Uncovered,
                ContagionSearch.Exhausts(report),
                report.Rounds.Length
            )
        );
    }
}
