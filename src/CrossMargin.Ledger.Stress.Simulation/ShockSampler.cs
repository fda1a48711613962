using System.Collections.Immutable;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Stress.Simulation;

/// <summary>
/// Draws the shocks of a <see cref="MonteCarloSpec"/>, one path after another from its seed, so the draws do not
/// depend on how many paths run at once. <c>double</c> is allowed here: the draws become decimal moves (rounded to
/// 10⁻⁶) before the pure engine sees them.
/// </summary>
public static class ShockSampler
{
    /// <summary>The smallest move a draw becomes: a fall of 99.9999 %, short of a price of zero.</summary>
    public const decimal FloorMove = -0.999999m;

    /// <summary>The largest move a draw becomes: +10 000 % (prices also stop at each market's maximum).</summary>
    public const decimal CeilingMove = 100m;

    /// <summary>Each path's moves, market by market in the order of the spec, or what is wrong with the spec.</summary>
    public static Checked<ImmutableArray<ImmutableArray<decimal>>> Draw(MonteCarloSpec spec)
    {
        if (Problem(spec) is { } problem)
            return Checked.Invalid<ImmutableArray<ImmutableArray<decimal>>>(problem);
        var n = spec.Markets.Length;
        var cholesky = Cholesky(spec, n);
        if (cholesky is null)
            return Checked.Invalid<ImmutableArray<ImmutableArray<decimal>>>(
                "the correlation matrix is not positive definite (no joint distribution has it)"
            );
        var random = new SeededRandom(spec.Seed);
        var horizon = Math.Sqrt((double)spec.HorizonDays);
        var nu = spec.DegreesOfFreedom is { } dof ? (double)dof : (double?)null;
        var scale = nu is { } v ? Math.Sqrt((v - 2.0) / v) : 1.0;
        var paths = ImmutableArray.CreateBuilder<ImmutableArray<decimal>>(spec.Paths);
        var z = new double[n];
        for (var path = 0; path < spec.Paths; path++)
        {
            for (var i = 0; i < n; i++)
                z[i] = random.NextNormal();
            var mix = nu is { } degrees ? Math.Sqrt(degrees / random.NextChiSquare(degrees)) : 1.0;
            var moves = ImmutableArray.CreateBuilder<decimal>(n);
            for (var i = 0; i < n; i++)
            {
                var correlated = 0.0;
                for (var j = 0; j <= i; j++)
                    correlated += cholesky[i, j] * z[j];
                var r = (double)spec.Markets[i].DailyVolatility * horizon * scale * mix * correlated;
                moves.Add(Move(r));
            }
            paths.Add(moves.MoveToImmutable());
        }
        return Checked.Valid(paths.MoveToImmutable());
    }

    /// <summary><c>e^r − 1</c> rounded half away from zero to 10⁻⁶, within [<see cref="FloorMove"/>,
    /// <see cref="CeilingMove"/>].</summary>
    internal static decimal Move(double r)
    {
        var move = Math.Exp(Math.Clamp(r, -50.0, 50.0)) - 1.0;
        if (move >= (double)CeilingMove)
            return CeilingMove;
        return Math.Max(FloorMove, decimal.Round((decimal)move, 6, MidpointRounding.AwayFromZero));
    }

    private static string? Problem(MonteCarloSpec spec)
    {
        if (spec.Markets.IsDefaultOrEmpty)
            return "a Monte Carlo run needs at least one market to shock";
        if (spec.Paths is < 1 or > MonteCarloSpec.MaxPaths)
            return $"the number of paths must be between 1 and {MonteCarloSpec.MaxPaths:N0}, not {spec.Paths}";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in spec.Markets)
        {
            if (!seen.Add(m.Market))
                return $"{m.Market} is named twice";
            if (m.DailyVolatility is <= 0m or > 10m)
                return $"the daily volatility of {m.Market} must be above 0 and at most 10, not {m.DailyVolatility}";
        }
        if (spec.DegreesOfFreedom is { } nu && nu is <= 2m or > 1_000_000m)
            return $"the degrees of freedom must be above 2 (a finite variance) and at most 1 000 000, not {nu}";
        if (spec.HorizonDays is <= 0m or > 3_650m)
            return $"the horizon must be above 0 and at most 3 650 days, not {spec.HorizonDays}";
        if (spec.Workers < 0)
            return $"the number of workers must not be negative, not {spec.Workers}";
        if (spec.Correlation is not { } rows)
            return null;
        var n = spec.Markets.Length;
        if (rows.Length != n || rows.Any(r => r.Length != n))
            return $"the correlation matrix must be {n} × {n}, one row and column per market";
        for (var i = 0; i < n; i++)
        {
            if (rows[i][i] != 1m)
                return $"the correlation of {spec.Markets[i].Market} with itself must be 1, not {rows[i][i]}";
            for (var j = 0; j < n; j++)
            {
                if (rows[i][j] is < -1m or > 1m)
                    return $"correlations lie in [−1, 1]: {spec.Markets[i].Market}/{spec.Markets[j].Market} is "
                        + rows[i][j];
                if (rows[i][j] != rows[j][i])
                    return $"the correlation matrix must be symmetric: {spec.Markets[i].Market}/"
                        + $"{spec.Markets[j].Market} is {rows[i][j]} one way and {rows[j][i]} the other";
            }
        }
        return null;
    }

    /// <summary>The lower Cholesky factor of the correlation (identity without one), or null when it is not
    /// positive definite.</summary>
    private static double[,]? Cholesky(MonteCarloSpec spec, int n)
    {
        var l = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j <= i; j++)
            {
                var a = spec.Correlation is { } rows ? (double)rows[i][j] : (i == j ? 1.0 : 0.0);
                var sum = a;
                for (var k = 0; k < j; k++)
                    sum -= l[i, k] * l[j, k];
                if (i == j)
                {
                    if (sum <= 1e-12)
                        return null;
                    l[i, i] = Math.Sqrt(sum);
                }
                else
                    l[i, j] = sum / l[j, j];
            }
        return l;
    }
}
