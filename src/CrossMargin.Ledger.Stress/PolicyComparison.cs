using System.Collections.Immutable;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Stress;

/// <summary>A named cascade-prevention policy for a comparison; a null policy is the venue's own.</summary>
public sealed record PolicyCase(string Name, StressPolicy? Policy);

/// <summary>One policy's run of the compared scenario.</summary>
public sealed record PolicyOutcome(PolicyCase Case, StressReport Report);

/// <summary>
/// Runs one scenario under several policies on the same state (design §8), so their effect on a cascade compares:
/// every run starts from the same prices, and its figures are valued at them.
/// </summary>
public static class PolicyComparison
{
    /// <summary>The buffer tried by <see cref="Standard"/>: 10 % above maintenance.</summary>
    public const decimal StandardBuffer = 0.1m;

    /// <summary>The circuit breaker tried by <see cref="Standard"/>: 5 % a round.</summary>
    public const decimal StandardBreaker = 0.05m;

    /// <summary>The per-round cap tried by <see cref="Standard"/>, as a share of the largest instrument's open interest
    /// (one side, at its mark).</summary>
    public const decimal StandardCapShare = 0.05m;

    /// <summary>
    /// The policies a comparison tries when none are named: the venue's own; closing liquidated accounts in full
    /// instead of tier by tier; a 10 % buffer; a per-round notional cap of 5 % of the largest instrument's open
    /// interest (one side, at its mark, rounded to a whole unit, and at least one quantity step's notional of every
    /// instrument; left out when nothing is open); a 5 % circuit breaker; and the insurance fund doubled (left out
    /// when it is empty).
    /// </summary>
    public static ImmutableArray<PolicyCase> Standard(LedgerState state)
    {
        var cases = ImmutableArray.CreateBuilder<PolicyCase>();
        cases.Add(new PolicyCase("venue's own", null));
        cases.Add(new PolicyCase("full close", new StressPolicy(CloseInFull: true)));
        cases.Add(new PolicyCase("buffer 10 %", new StressPolicy(Buffer: StandardBuffer)));
        var interest = state
            .Market.Instruments.Where(i => i.Value.Mark is not null)
            .Select(i =>
                state.HoldersOf(i.Key).Sum(a => Math.Max(0m, state.Account(a).Size(i.Key)) * i.Value.Mark!.Value)
            )
            .DefaultIfEmpty(0m)
            .Max();
        // never below one quantity step's notional of any instrument (a cap no slice can pass is refused)
        var floor = state
            .Market.Instruments.Values.Where(i => i.Mark is not null)
            .Select(i => decimal.Ceiling(i.Spec.QuantityStep * i.Mark!.Value))
            .DefaultIfEmpty(0m)
            .Max();
        var cap =
            interest == 0m
                ? 0m
                : Math.Max(decimal.Round(interest * StandardCapShare, 0, MidpointRounding.AwayFromZero), floor);
        if (cap > 0m)
            cases.Add(new PolicyCase("per-round cap", new StressPolicy(RoundCap: cap)));
        cases.Add(new PolicyCase("circuit breaker 5 %", new StressPolicy(CircuitBreaker: StandardBreaker)));
        if (state.InsuranceFundBalance > 0m)
            cases.Add(new PolicyCase("fund doubled", new StressPolicy(ExtraFund: state.InsuranceFundBalance)));
        return cases.ToImmutable();
    }

    /// <summary>Each case's run of <paramref name="scenario"/> (its own policy replaced by the case's), or the first
    /// problem, named with its case.</summary>
    public static Checked<ImmutableArray<PolicyOutcome>> Run(
        LedgerState state,
        StressScenario scenario,
        IReadOnlyList<PolicyCase> cases
    )
    {
        if (cases.Count == 0)
            return Checked.Invalid<ImmutableArray<PolicyOutcome>>("name at least one policy to compare");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in cases)
            if (!names.Add(c.Name))
                return Checked.Invalid<ImmutableArray<PolicyOutcome>>($"the policy '{c.Name}' is named twice");
        state = StressEngine.Prepare(state);
        StressEngine.Recount(state);
        var outcomes = ImmutableArray.CreateBuilder<PolicyOutcome>(cases.Count);
        foreach (var c in cases)
        {
            // the first case also recounts its end in full, an independent check of the per-round checks the others
            // rely on
            var ran = StressEngine.Run(state, scenario with { Policy = c.Policy }, recounted: outcomes.Count > 0);
            if (!ran.Is(out var report, out var problem))
                return Checked.Invalid<ImmutableArray<PolicyOutcome>>($"{c.Name}: {problem}");
            outcomes.Add(new PolicyOutcome(c, report));
        }
        return Checked.Valid(outcomes.ToImmutable());
    }
}
