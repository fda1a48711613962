using System.Collections.Immutable;

namespace CrossMargin.Ledger.Stress.Simulation;

/// <summary>One market a Monte Carlo run shocks, with its daily volatility.</summary>
/// <param name="Market">an instrument (its mark) or a collateral asset (its index price).</param>
/// <param name="DailyVolatility">σ, the standard deviation of its daily log return (0.04 = 4 %).</param>
public sealed record ShockedMarket(string Market, decimal DailyVolatility);

/// <summary>
/// A Monte Carlo cascade study (design §8): <see cref="Paths"/> joint shocks of <see cref="Markets"/> over
/// <see cref="HorizonDays"/>, each run as a stress scenario (with <see cref="Impact"/> rounds and the
/// <see cref="Policy"/>, when given). Shocks are log returns <c>r = σ·√h·√((ν−2)/ν)·t</c> with <c>t</c> a multivariate
/// Student-t of <see cref="DegreesOfFreedom"/> ν (unit scale, correlation <see cref="Correlation"/>; one χ² draw per
/// path scales every market, so large moves come together), applied as moves <c>e^r − 1</c> rounded to 10⁻⁶. Without
/// ν the shocks are Gaussian.
/// </summary>
/// <param name="Correlation">the correlation of the markets' shocks, one row per market in the order of
/// <see cref="Markets"/> (null: independent).</param>
/// <param name="DegreesOfFreedom">ν &gt; 2 for Student-t tails (4 by default, near what daily crypto returns show:
/// e.g. Osterrieder and Lorenz, "A statistical risk assessment of Bitcoin", 2017); null for Gaussian shocks.</param>
/// <param name="Seed">the seed of the draws: the same seed gives the same report, byte for byte.</param>
/// <param name="Workers">how many paths run at once (default: one per core); the report does not depend on it.</param>
public sealed record MonteCarloSpec(
    ImmutableArray<ShockedMarket> Markets,
    int Paths = MonteCarloSpec.DefaultPaths,
    ulong Seed = MonteCarloSpec.DefaultSeed,
    ImmutableArray<ImmutableArray<decimal>>? Correlation = null,
    decimal? DegreesOfFreedom = MonteCarloSpec.DefaultDegreesOfFreedom,
    decimal HorizonDays = 1m,
    ImpactModel? Impact = null,
    int MaxRounds = StressScenario.DefaultMaxRounds,
    StressPolicy? Policy = null,
    int Workers = 0
)
{
    /// <summary>The number of paths by default.</summary>
    public const int DefaultPaths = 1_000;

    /// <summary>The seed by default.</summary>
    public const ulong DefaultSeed = 1;

    /// <summary>ν by default.</summary>
    public const decimal DefaultDegreesOfFreedom = 4m;

    /// <summary>The most paths a run takes.</summary>
    public const int MaxPaths = 1_000_000;
}
