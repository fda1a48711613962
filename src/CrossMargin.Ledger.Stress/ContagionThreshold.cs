using System.Collections.Immutable;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Stress;

/// <summary>
/// A search for the contagion threshold: the smallest uniform move of <see cref="Markets"/> (all together) at which
/// the insurance fund no longer covers the losses, so they reach auto-deleveraging, socialisation or stay uncovered.
/// </summary>
/// <param name="Markets">the markets moved together (instruments or collateral assets).</param>
/// <param name="Rise">search rises instead of falls.</param>
/// <param name="Impact">the impact model of every run (null: each run is the shock alone).</param>
/// <param name="MaxRounds">the round limit of every run.</param>
/// <param name="Tolerance">the width of the bracket the search stops at, as a fraction (0.001 = 0.1 percentage
/// point).</param>
/// <param name="Limit">the largest move tried, as a fraction (0.99 for falls by default).</param>
public sealed record ThresholdSearch(
    IReadOnlyList<string> Markets,
    bool Rise = false,
    ImpactModel? Impact = null,
    int MaxRounds = StressScenario.DefaultMaxRounds,
    decimal Tolerance = ThresholdSearch.DefaultTolerance,
    decimal Limit = ThresholdSearch.DefaultLimit
)
{
    /// <summary>The bracket width's default: 0.1 percentage point.</summary>
    public const decimal DefaultTolerance = 0.001m;

    /// <summary>The largest move's default: 99 %.</summary>
    public const decimal DefaultLimit = 0.99m;

    /// <summary>The cascade-prevention policy every run of the search tries (null: the venue's own).</summary>
    public StressPolicy? Policy { get; init; }
}

/// <summary>
/// What the search found: the threshold lies above <see cref="Below"/> (a move that left the fund enough, 0 when
/// none was tried) and at most <see cref="AtOrAbove"/> (the smallest move tried that did not), whose run is
/// <see cref="Report"/>; both null when not even <see cref="ThresholdSearch.Limit"/> exhausts the fund. Moves are
/// fractions with their sign (−0.125 = −12.5 %).
/// </summary>
public sealed record ContagionThreshold(
    ThresholdSearch Search,
    decimal? Below,
    decimal? AtOrAbove,
    StressReport? Report,
    ImmutableArray<decimal> Tried
);

/// <summary>
/// Finds the contagion threshold by bisection. Each step is a full
/// <see cref="StressEngine.Run(LedgerState, StressScenario)"/> of the move (the state recounted once, before them); the
/// search assumes a larger move never leaves the fund better off, which holds for the fund's balance in practice but
/// is not a theorem of the rules (a larger move can sell less, design §8), so the answer is a bracket that the runs
/// at its two ends prove: one covered, one not.
/// </summary>
public static class ContagionSearch
{
    /// <summary>The narrowest bracket a search can reach: two steps of the 8 places moves are tried at.</summary>
    public const decimal MinimumTolerance = 0.00000002m;

    /// <summary>The bracket, or why the search cannot run.</summary>
    public static Checked<ContagionThreshold> Find(LedgerState state, ThresholdSearch search)
    {
        if (search.Markets.Count == 0)
            return Checked.Invalid<ContagionThreshold>("name at least one market to move");
        // moves are tried at 8 places, so a bracket narrower than two of their steps could not be halved
        if (search.Tolerance is < MinimumTolerance or >= 1m)
            return Checked.Invalid<ContagionThreshold>(
                $"the tolerance must be at least 0.00000002 (moves are tried at 8 places) and below 1, not "
                    + search.Tolerance
            );
        if (search.Limit <= search.Tolerance || (!search.Rise && search.Limit >= 1m))
            return Checked.Invalid<ContagionThreshold>(
                $"the largest move must be above the tolerance{(search.Rise ? "" : " and below 1 for a fall")}, "
                    + $"not {search.Limit}"
            );
        state = StressEngine.Prepare(state);
        StressEngine.Recount(state);
        var tried = ImmutableArray.CreateBuilder<decimal>();
        Checked<StressReport> Run(decimal size)
        {
            var move = search.Rise ? size : -size;
            tried.Add(move);
            // the first run (the largest move) also recounts its end in full, an independent check of the per-round
            // checks the others rely on
            var recounted = tried.Count > 1;
            return StressEngine.Run(
                state,
                new StressScenario([.. search.Markets.Select(m => Shock.By(m, move))], search.Impact, search.MaxRounds)
                {
                    Policy = search.Policy,
                },
                recounted
            );
        }

        var top = Run(search.Limit);
        if (!top.Is(out var topReport, out var problem))
            return Checked.Invalid<ContagionThreshold>(problem);
        if (!Exhausts(topReport))
            return Checked.Valid(new ContagionThreshold(search, null, null, null, tried.ToImmutable()));
        decimal low = 0m,
            high = search.Limit;
        var atHigh = topReport;
        while (high - low > search.Tolerance)
        {
            // midpoints at 8 places, so every move tried is a plain decimal a person can re-run
            var middle = decimal.Round((low + high) / 2m, 8);
            if (middle <= low || middle >= high)
                break;
            if (!Run(middle).Is(out var report, out problem))
                return Checked.Invalid<ContagionThreshold>(problem);
            if (Exhausts(report))
                (high, atHigh) = (middle, report);
            else
                low = middle;
        }
        var sign = search.Rise ? 1m : -1m;
        return Checked.Valid(new ContagionThreshold(search, sign * low, sign * high, atHigh, tried.ToImmutable()));
    }

    /// <summary>Whether the run's losses went beyond what the fund covered.</summary>
    public static bool Exhausts(StressReport report) =>
        report.AdlNotional > 0m || report.Socialized > 0m || report.Uncovered > 0m;
}
