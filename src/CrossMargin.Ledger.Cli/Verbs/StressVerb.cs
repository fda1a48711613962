using System.Collections.Immutable;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CrossMargin.Ledger.Application.Requests;
using CrossMargin.Ledger.Application.Stress;
using CrossMargin.Ledger.Cli.Output;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Stress;
using CrossMargin.Ledger.Stress.Simulation;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary>
/// <c>ledger stress</c>: the stress lab (design §8) on a copy of the venue's state (read-only) or on a generated
/// venue. One study per call: a shock (or price path) run, a policy comparison, a contagion-threshold search, a
/// liquidation map or a Monte Carlo study; every parameter from options or a scenario file; text, JSON, CSV, or an
/// HTML report with charts.
/// </summary>
public static class StressVerb
{
    /// <summary>The verb.</summary>
    public static Command Create(Option<string?> store)
    {
        var o = new StressOptions();
        var command = new Command(
            "stress",
            "What would a price shock do? Runs it on a copy of the venue's state (nothing is appended): liquidations, "
                + "forced-sale impact round by round, the insurance fund, ADL and losses; or searches the contagion "
                + "threshold, draws a liquidation map, compares cascade-prevention policies, or runs a Monte Carlo "
                + "study"
        );
        foreach (var option in o.All)
            command.Options.Add(option);
        command.SetAction((parse, ct) => RunAsync(parse, o, store, ct));
        return command;
    }

    private static async Task<int> RunAsync(
        ParseResult parse,
        StressOptions o,
        Option<string?> store,
        CancellationToken ct
    )
    {
        var request = o.Request(parse);
        if (!request.Is(out var study, out var problem))
            return Cli.Fail(problem);
        // the report directory is made before the study, so a long run is never lost to a place it cannot write
        if (study.Out is { } made)
        {
            try
            {
                Directory.CreateDirectory(made);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                return Cli.Fail($"--out {made}: {e.Message}");
            }
        }
        // the study is one long computation that answers nobody until it ends: the collector runs in batch mode until
        // its report is written
        using var batch = ThroughputGc.Begin();
        var watch = Stopwatch.StartNew();
        LedgerState state;
        string source;
        if (study.Synthetic is { } accounts)
        {
            Progress.Line($"building a synthetic venue of {accounts:N0} accounts (seed {study.Seed})");
            state = SyntheticVenue.Build(accounts, study.Seed);
            source =
                $"a synthetic venue of {accounts.ToString("N0", CultureInfo.InvariantCulture)} accounts "
                + $"(seed {study.Seed})";
            Progress.Line($"built in {watch.Elapsed.TotalSeconds:F1} s");
        }
        else
        {
            await using var host = await Cli.OpenAsync(parse, store, ct, readOnly: true).ConfigureAwait(false);
            if (host is null)
                return ExitCodes.Invalid;
            var at = await host.Mediator.Send(new GetVenueState(study.At), ct).ConfigureAwait(false);
            if (at is null)
                return Cli.Fail(
                    $"--at {study.At} is not a global position of this log (0 to "
                        + $"{await host.Store.HeadAsync(ct).ConfigureAwait(false)})"
                );
            state = at.State;
            source = $"the state at global position {at.GlobalPosition}";
        }
        if (!study.Complete(state).Is(out var plan, out problem))
            return Cli.Fail(problem);
        var prepared = StressEngine.Prepare(state);
        watch.Restart();
        StressResult result;
        switch (study.Mode)
        {
            case StressMode.Threshold:
                var search = new ThresholdSearch(
                    study.Markets,
                    study.Rise,
                    plan.Impact,
                    plan.MaxRounds,
                    study.Tolerance,
                    study.Rise ? 1m : ThresholdSearch.DefaultLimit
                )
                {
                    Policy = plan.Policy,
                };
                if (!ContagionSearch.Find(prepared, search).Is(out var bracket, out problem))
                    return Cli.Fail(problem);
                result = new ThresholdResult(source, bracket);
                break;
            case StressMode.Map:
                if (
                    !LiquidationMap
                        .Build(prepared, new LiquidationMapSpec(study.Markets[0], study.Step, study.Depth))
                        .Is(out var map, out problem)
                )
                    return Cli.Fail(problem);
                result = new MapResult(source, map);
                break;
            case StressMode.MonteCarlo:
                if (!plan.MonteCarlo.Spec(plan, study.Paths, study.Seed).Is(out var spec, out problem))
                    return Cli.Fail(problem);
                using (var bar = new Progress("monte carlo", study.Paths, "paths"))
                {
                    var ran = MonteCarlo.Run(prepared, spec, bar, ct);
                    if (!ran.Is(out var report, out problem))
                        return Cli.Fail(problem);
                    result = new MonteCarloResult(source, report);
                }
                Progress.Line(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"{study.Paths:N0} paths in {watch.Elapsed.TotalSeconds:F1} s on {spec.Workers switch
                        {
                            > 0 => spec.Workers,
                            _ => Environment.ProcessorCount,
                        }} worker(s)"
                    )
                );
                break;
            case StressMode.Compare:
                if (!plan.Scenario().Is(out var compared, out problem))
                    return Cli.Fail(problem);
                // the policy given (options or the file's "policy") joins the cases it is compared with
                var cases = plan.Policies ?? PolicyComparison.Standard(prepared);
                if (plan.Policy is { } given)
                    cases = cases.Add(new PolicyCase("the policy given", given));
                if (!PolicyComparison.Run(prepared, compared, cases).Is(out var outcomes, out problem))
                    return Cli.Fail(problem);
                result = new CompareResult(source, compared, outcomes);
                break;
            default:
                if (!plan.Scenario().Is(out var scenario, out problem))
                    return Cli.Fail(problem);
                if (!StressEngine.Run(prepared, scenario).Is(out var shocked, out problem))
                    return Cli.Fail(problem);
                result = new ShockResult(source, shocked);
                break;
        }
        if (study.Out is { } directory)
        {
            IReadOnlyList<string> written;
            try
            {
                written = StressReportFiles.Write(directory, result);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Cli.Fail($"--out {directory}: {e.Message}");
            }
            foreach (var file in written)
                Progress.Line("wrote " + file);
        }
        if (study.Json)
            Console.WriteLine(result.Json());
        else if (study.Csv)
            Console.Write(StressTables.Csv(result.Tables()[0]));
        else
            Console.WriteLine(result.Text());
        return ExitCodes.Ok;
    }
}

/// <summary>Which study a call runs.</summary>
internal enum StressMode
{
    Shock,
    Compare,
    Threshold,
    Map,
    MonteCarlo,
}

/// <summary>A call's study: the mode, where its state comes from, and its plan (from options or a file).</summary>
internal sealed record StressStudy(
    StressMode Mode,
    StressPlan Plan,
    bool ImpactFromVenue,
    IReadOnlyList<string> Markets,
    bool Rise,
    decimal Tolerance,
    decimal Step,
    decimal Depth,
    int Paths,
    ulong Seed,
    int? Synthetic,
    long? At,
    bool Json,
    bool Csv,
    string? Out
)
{
    /// <summary>The plan with what only the venue can give: the synthetic venue's liquidity under <c>--impact</c>
    /// without <c>--liquidity</c>, and its Monte Carlo markets when none are named.</summary>
    public Checked<StressPlan> Complete(LedgerState state)
    {
        var plan = Plan;
        // on a store, an impact model without liquidity stays empty: the engine names the markets it lacks
        if (ImpactFromVenue && Synthetic is not null)
        {
            var venue = SyntheticVenue.Liquidity(state);
            plan = plan with
            {
                Impact = venue with { Y = plan.Impact?.Y ?? venue.Y, Thinning = plan.Impact?.Thinning ?? 0m },
            };
        }
        // a synthetic venue's own markets stand in only where nothing else names them: no --volatility, and no
        // impact model given (its markets and σ are the default otherwise)
        if (
            Mode == StressMode.MonteCarlo
            && Synthetic is not null
            && plan.MonteCarlo.Markets is null
            && (Plan.Impact is null || ImpactFromVenue)
        )
            plan = plan with
            {
                MonteCarlo = plan.MonteCarlo with
                {
                    Markets = SyntheticVenue.Shocked,
                    Correlations = plan.MonteCarlo.Correlations.IsEmpty
                        ? Pairs(SyntheticVenue.Shocked, SyntheticVenue.Correlation)
                        : plan.MonteCarlo.Correlations,
                },
            };
        return Checked.Valid(plan);
    }

    private static ImmutableSortedDictionary<(string, string), decimal> Pairs(
        ImmutableArray<ShockedMarket> markets,
        ImmutableArray<ImmutableArray<decimal>> matrix
    )
    {
        var pairs = ImmutableSortedDictionary.CreateBuilder<(string, string), decimal>();
        for (var i = 0; i < markets.Length; i++)
            for (var j = i + 1; j < markets.Length; j++)
                pairs[(markets[i].Market, markets[j].Market)] = matrix[i][j];
        return pairs.ToImmutable();
    }
}
