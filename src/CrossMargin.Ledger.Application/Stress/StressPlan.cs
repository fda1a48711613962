using System.Collections.Immutable;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Stress;
using CrossMargin.Ledger.Stress.Simulation;

namespace CrossMargin.Ledger.Application.Stress;

/// <summary>
/// The Monte Carlo part of a plan: the markets shocked with their daily volatility (null: each market of the impact
/// model, with its σ), correlations by pair (the rest 0), ν (null: Gaussian) and the horizon.
/// </summary>
public sealed record MonteCarloPlan(
    ImmutableArray<ShockedMarket>? Markets,
    ImmutableSortedDictionary<(string A, string B), decimal> Correlations,
    decimal? DegreesOfFreedom,
    decimal HorizonDays
)
{
    /// <summary>No markets named, no correlations, ν = 4, one day.</summary>
    public static readonly MonteCarloPlan Default = new(
        null,
        ImmutableSortedDictionary<(string, string), decimal>.Empty,
        MonteCarloSpec.DefaultDegreesOfFreedom,
        1m
    );

    /// <summary>The spec this plan gives for <paramref name="paths"/> paths from <paramref name="seed"/>, or what is
    /// missing.</summary>
    public Checked<MonteCarloSpec> Spec(StressPlan plan, int paths, ulong seed)
    {
        var markets =
            Markets
            ?? plan.Impact?.Markets.OrderBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => new ShockedMarket(m.Key, m.Value.DailyVolatility))
                .ToImmutableArray();
        if (markets is not { IsEmpty: false } shocked)
            return Checked.Invalid<MonteCarloSpec>(
                "a Monte Carlo study needs each market's daily volatility: --volatility MARKET=σ (or the impact "
                    + "model's --liquidity, whose σ it then uses)"
            );
        if (shocked.GroupBy(m => m.Market, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return Checked.Invalid<MonteCarloSpec>($"{twice.Key} is given a volatility twice");
        var index = shocked
            .Select((m, i) => (m.Market, i))
            .ToDictionary(p => p.Market, p => p.i, StringComparer.Ordinal);
        foreach (var ((a, b), _) in Correlations)
            if (!index.ContainsKey(a) || !index.ContainsKey(b))
                return Checked.Invalid<MonteCarloSpec>(
                    $"the correlation {a}/{b} names a market the study does not shock (it shocks "
                        + $"{string.Join(", ", index.Keys)})"
                );
        var rows = shocked
            .Select(
                (m, i) =>
                    shocked
                        .Select(
                            (o, j) =>
                                i == j ? 1m
                                : Correlations.TryGetValue((m.Market, o.Market), out var r) ? r
                                : Correlations.GetValueOrDefault((o.Market, m.Market))
                        )
                        .ToImmutableArray()
            )
            .ToImmutableArray();
        return Checked.Valid(
            new MonteCarloSpec(
                shocked,
                paths,
                seed,
                Correlations.IsEmpty ? null : rows,
                DegreesOfFreedom,
                HorizonDays,
                plan.Impact,
                plan.MaxRounds,
                plan.Policy
            )
        );
    }
}

/// <summary>
/// Everything a stress study is given, from options or a scenario file (<see cref="StressPlanFile"/>): the price path
/// (its first step the shocks of round 1; empty for searches, maps and Monte Carlo), the impact model, the round
/// limit, the policy tried, the policies a comparison tries (null: <see cref="PolicyComparison.Standard"/>) and the
/// Monte Carlo parameters.
/// </summary>
public sealed record StressPlan(
    ImmutableArray<ImmutableArray<Shock>> Path,
    ImpactModel? Impact,
    int MaxRounds,
    StressPolicy? Policy,
    ImmutableArray<PolicyCase>? Policies,
    MonteCarloPlan MonteCarlo
)
{
    /// <summary>The scenario of a shock run or a comparison, or what is missing.</summary>
    public Checked<StressScenario> Scenario() =>
        Path.IsDefaultOrEmpty || Path[0].IsEmpty
            ? Checked.Invalid<StressScenario>("give the shocks: --shock MARKET=MOVE% (or a path in a scenario file)")
            : Checked.Valid(
                new StressScenario(Path[0], Impact, MaxRounds)
                {
                    Then = [.. Path.Skip(1).Select(s => (IReadOnlyList<Shock>)s)],
                    Policy = Policy,
                }
            );
}
