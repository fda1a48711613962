using System.Globalization;
using System.Text;
using CrossMargin.Ledger.Arithmetic;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.Stress;
using CrossMargin.Ledger.Stress.Simulation;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace CrossMargin.Ledger.Cli.Output;

/// <summary>A table of a stress report: the CSV files and the HTML report's tables.</summary>
internal sealed record StressTable(
    string Name,
    IReadOnlyList<string> Columns,
    IReadOnlyList<IReadOnlyList<string>> Rows
);

/// <summary>The tables as CSV, and as aligned text.</summary>
internal static class StressTables
{
    /// <summary>The CSV form (<see cref="CsvText"/>).</summary>
    public static string Csv(StressTable table) => CsvText.Of(table.Columns, table.Rows);

    /// <summary>The columns and rows as text: padded to the widest cell, the first column left-aligned, the rest
    /// right-aligned; a line each.</summary>
    public static void Align(StringBuilder sb, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = columns
            .Select((c, i) => Math.Max(c.Length, rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max()))
            .ToList();
        string Pad(string v, int i) => i == 0 ? v.PadRight(widths[i]) : v.PadLeft(widths[i]);
        sb.AppendJoin("  ", columns.Select(Pad)).Append('\n');
        foreach (var row in rows)
            sb.AppendJoin("  ", row.Select(Pad)).Append('\n');
    }
}

/// <summary>
/// What a <c>ledger stress</c> study found, in each form it is printed or written: text for people, JSON (every figure
/// a decimal string), tables (CSV) and the charts of <see cref="StressCharts"/>.
/// </summary>
/// <param name="Source">where the state came from: "the state at global position N" or a synthetic venue.</param>
internal abstract record StressResult(string Source)
{
    /// <summary>The text form.</summary>
    public abstract string Text();

    /// <summary>The JSON form.</summary>
    public abstract string Json();

    /// <summary>The tables; the first is what <c>--csv</c> prints.</summary>
    public abstract IReadOnlyList<StressTable> Tables();

    /// <summary>A decimal as people read it: thousands separated, at most 8 places.</summary>
    public static string Figure(decimal value) =>
        Rounding.Normalize(value).ToString("#,0.########", CultureInfo.InvariantCulture);

    /// <summary>A decimal as machines read it: exact, no separators.</summary>
    public static string Plain(decimal value) => Rounding.Normalize(value).ToString(CultureInfo.InvariantCulture);

    /// <summary>A fraction as a percentage, up to 6 places.</summary>
    public static string Percent(decimal fraction) =>
        Rounding.Normalize(fraction * 100m).ToString("0.######", CultureInfo.InvariantCulture) + " %";

    /// <summary>The ledger's JSON dialect, with market names kept as they are where they are keys.</summary>
    protected static string Serialize(object value) => JsonConvert.SerializeObject(value, Settings);

    private static readonly JsonSerializerSettings Settings = new(LedgerJson.Settings)
    {
        ContractResolver = new DefaultContractResolver
        {
            NamingStrategy = new CamelCaseNamingStrategy { ProcessDictionaryKeys = false },
        },
    };

    /// <summary>Why a run stopped, in words.</summary>
    public static string Stop(StressStop stop) =>
        stop switch
        {
            StressStop.NothingSold => "nothing was sold on balance",
            StressStop.NoPriceMove => "the sales move no price by a step",
            StressStop.ImpactOff => "no impact model",
            StressStop.RoundLimit => "the round limit",
            _ => throw new ArgumentOutOfRangeException(nameof(stop), stop, null),
        };

    /// <summary>A policy in words ("the venue's own" when null).</summary>
    public static string Describe(StressPolicy? policy)
    {
        if (policy is null)
            return "the venue's own";
        var parts = new List<string>();
        if (policy.CloseInFull)
            parts.Add("full close");
        if (policy.Buffer is { } buffer)
            parts.Add($"buffer {Percent(buffer)}");
        if (policy.RoundCap is { } cap)
            parts.Add($"cap {Figure(cap)} a round per instrument");
        if (policy.CircuitBreaker is { } breaker)
            parts.Add($"circuit breaker {Percent(breaker)} a round");
        if (policy.ExtraFund is { } extra)
            parts.Add($"fund + {Figure(extra)}");
        return parts.Count == 0 ? "the venue's own" : string.Join(", ", parts);
    }

    /// <summary>A policy's figures for JSON.</summary>
    protected static object? PolicyJson(StressPolicy? policy) =>
        policy is null
            ? null
            : new
            {
                buffer = policy.Buffer,
                roundCap = policy.RoundCap,
                extraFund = policy.ExtraFund,
                circuitBreaker = policy.CircuitBreaker,
                fullClose = policy.CloseInFull,
            };

    /// <summary>A run's totals for JSON.</summary>
    protected static object Totals(StressReport report) =>
        new
        {
            stop = Stop(report.Stop),
            rounds = report.Rounds.Length,
            pricesBefore = report.PricesBefore,
            pricesAfter = report.PricesAfter,
            insuranceFundBefore = report.InsuranceFundBefore,
            insuranceFundAfter = report.InsuranceFundAfter,
            fundDrawdown = report.FundDrawdown,
            accountsLiquidated = report.AccountsLiquidated,
            exposureHit = report.ExposureHit,
            liquidatedNotional = report.LiquidatedNotional,
            liquidatedLongNotional = report.LiquidatedLongNotional,
            liquidatedShortNotional = report.LiquidatedShortNotional,
            adlNotional = report.AdlNotional,
            adlHaircutTaken = report.AdlTaken,
            adlHaircutNeeded = report.AdlNeeded,
            adlOvershoot = report.AdlTaken - report.AdlNeeded,
            socialized = report.Socialized,
            uncovered = report.Uncovered,
            amplification = report.Amplification.ToDictionary(p => p.Key, p => decimal.Round(p.Value, 6)),
        };

    /// <summary>An ADL figure's haircut, when it took any: taken against the least that covered the deficit.</summary>
    protected static string Overshoot(decimal taken, decimal needed) =>
        taken == 0m
            ? ""
            : $" (haircut {Figure(taken)} against the least {Figure(needed)} that covered the deficit: overshoot "
                + $"{Figure(taken - needed)})";
}

/// <summary>A shock or price-path run.</summary>
internal sealed record ShockResult(string Source, StressReport Report) : StressResult(Source)
{
    public override string Text()
    {
        var report = Report;
        var sb = new StringBuilder();
        var shocked = report.Rounds[0].Prices;
        sb.Append($"stress on {Source}: ")
            .AppendJoin(", ", shocked.Select(p => $"{p.Key} {Figure(report.PricesBefore[p.Key])} → {Figure(p.Value)}"))
            .Append('\n');
        if (report.Scenario.Then.Count > 0)
            sb.Append($"price path of {report.Scenario.Then.Count + 1} steps, to ")
                .AppendJoin(", ", report.PathEnd.Select(p => $"{p.Key} {Figure(p.Value)}"))
                .Append('\n');
        if (report.Scenario.Policy is { } policy)
            sb.Append($"policy: {Describe(policy)}\n");
        // one line per round: readable at any width, and in a log
        foreach (var r in report.Rounds)
            sb.Append(
                    $"round {r.Number}: {string.Join(", ", r.Prices.Select(p => $"{p.Key} {Figure(p.Value)}"))}; "
                        + $"{r.AccountsLiquidated} liquidated (exposure {Figure(r.ExposureHit)}); "
                        + "notional liquidated: long "
                        + $"{Figure(r.LiquidatedLongNotional)}, short {Figure(r.LiquidatedShortNotional)}; net sold "
                        + (
                            r.NetSold.Count == 0
                                ? "nothing"
                                : string.Join(", ", r.NetSold.Select(p => $"{p.Key} {Figure(p.Value)}"))
                        )
                        + $"; fund {Figure(r.InsuranceFund)}; ADL {Figure(r.AdlNotional)}"
                        + $"{Overshoot(r.AdlTaken, r.AdlNeeded)}; "
                        + $"socialised {Figure(r.Socialized)}; uncovered {Figure(r.Uncovered)}"
                )
                .Append('\n');
        sb.Append($"stopped: {Stop(report.Stop)} after {report.Rounds.Length} round(s)\n");
        sb.Append(
            $"insurance fund {Figure(report.InsuranceFundBefore)} → {Figure(report.InsuranceFundAfter)} "
                + $"(drawdown {Figure(report.FundDrawdown)}); {report.AccountsLiquidated} liquidation(s) reaching "
                + $"{Figure(report.ExposureHit)} of exposure; notional liquidated: long "
                + $"{Figure(report.LiquidatedLongNotional)}, short {Figure(report.LiquidatedShortNotional)}; "
                + $"ADL {Figure(report.AdlNotional)}{Overshoot(report.AdlTaken, report.AdlNeeded)}; "
                + $"socialised {Figure(report.Socialized)}; "
                + $"uncovered {Figure(report.Uncovered)}\n"
        );
        if (report.Amplification.Count > 0)
            sb.Append("amplification (final move ÷ shock): ")
                .AppendJoin(", ", report.Amplification.Select(p => $"{p.Key} {Figure(decimal.Round(p.Value, 4))}"))
                .Append('\n');
        sb.Append("(prices before the run value the notional; nothing was appended to the log)");
        return sb.ToString();
    }

    public override string Json() =>
        Serialize(
            new
            {
                venue = Source,
                globalPosition = Position(Source),
                policy = PolicyJson(Report.Scenario.Policy),
                pathEnd = Report.PathEnd,
                stop = Stop(Report.Stop),
                pricesBefore = Report.PricesBefore,
                pricesAfter = Report.PricesAfter,
                insuranceFundBefore = Report.InsuranceFundBefore,
                insuranceFundAfter = Report.InsuranceFundAfter,
                fundDrawdown = Report.FundDrawdown,
                accountsLiquidated = Report.AccountsLiquidated,
                exposureHit = Report.ExposureHit,
                liquidatedNotional = Report.LiquidatedNotional,
                liquidatedLongNotional = Report.LiquidatedLongNotional,
                liquidatedShortNotional = Report.LiquidatedShortNotional,
                adlNotional = Report.AdlNotional,
                adlHaircutTaken = Report.AdlTaken,
                adlHaircutNeeded = Report.AdlNeeded,
                adlOvershoot = Report.AdlTaken - Report.AdlNeeded,
                socialized = Report.Socialized,
                uncovered = Report.Uncovered,
                amplification = Report.Amplification.ToDictionary(p => p.Key, p => decimal.Round(p.Value, 6)),
                rounds = Report.Rounds.Select(r => new
                {
                    round = r.Number,
                    prices = r.Prices,
                    accountsLiquidated = r.AccountsLiquidated,
                    liquidated = r.Liquidated,
                    exposureHit = r.ExposureHit,
                    liquidatedLongNotional = r.LiquidatedLongNotional,
                    liquidatedShortNotional = r.LiquidatedShortNotional,
                    netSold = r.NetSold,
                    insuranceFund = r.InsuranceFund,
                    adlNotional = r.AdlNotional,
                    adlHaircutTaken = r.AdlTaken,
                    adlHaircutNeeded = r.AdlNeeded,
                    adlOvershoot = r.AdlTaken - r.AdlNeeded,
                    socialized = r.Socialized,
                    uncovered = r.Uncovered,
                    events = r.Events.Length,
                }),
            }
        );

    public override IReadOnlyList<StressTable> Tables()
    {
        var markets = Report
            .Rounds.SelectMany(r => r.Prices.Keys.Concat(r.NetSold.Keys))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        var columns = new List<string> { "round" };
        columns.AddRange(markets.Select(m => "price " + m));
        columns.AddRange(markets.Select(m => "net sold " + m));
        columns.AddRange([
            "accounts liquidated",
            "exposure hit",
            "long notional",
            "short notional",
            "insurance fund",
            "adl notional",
            "adl haircut taken",
            "adl haircut needed",
            "socialized",
            "uncovered",
        ]);
        var rows = new List<IReadOnlyList<string>>();
        var prices = new Dictionary<string, decimal>(Report.PricesBefore, StringComparer.Ordinal);
        foreach (var r in Report.Rounds)
        {
            foreach (var (m, p) in r.Prices)
                prices[m] = p;
            var row = new List<string> { r.Number.ToString(CultureInfo.InvariantCulture) };
            row.AddRange(markets.Select(m => Plain(prices[m])));
            row.AddRange(markets.Select(m => Plain(r.NetSold.GetValueOrDefault(m))));
            row.AddRange([
                r.AccountsLiquidated.ToString(CultureInfo.InvariantCulture),
                Plain(r.ExposureHit),
                Plain(r.LiquidatedLongNotional),
                Plain(r.LiquidatedShortNotional),
                Plain(r.InsuranceFund),
                Plain(r.AdlNotional),
                Plain(r.AdlTaken),
                Plain(r.AdlNeeded),
                Plain(r.Socialized),
                Plain(r.Uncovered),
            ]);
            rows.Add(row);
        }
        return [new StressTable("rounds", columns, rows)];
    }

    /// <summary>The global position in "the state at global position N", or null for a synthetic venue.</summary>
    internal static long? Position(string source) =>
        source.StartsWith("the state at global position ", StringComparison.Ordinal)
            ? long.Parse(source["the state at global position ".Length..], CultureInfo.InvariantCulture)
            : null;
}

/// <summary>A policy comparison.</summary>
internal sealed record CompareResult(string Source, StressScenario Scenario, IReadOnlyList<PolicyOutcome> Outcomes)
    : StressResult(Source)
{
    public override string Text()
    {
        var sb = new StringBuilder();
        var shock = string.Join(", ", Scenario.Shocks.Select(Describe));
        sb.Append($"policies compared on {Source}, shock {shock}")
            .Append(Scenario.Then.Count > 0 ? $" and {Scenario.Then.Count} more path step(s)" : "")
            .Append(Scenario.Impact is null ? ", impact off" : ", with impact")
            .Append('\n');
        // the table people read: figures with separators, at most 8 places
        string[] columns =
        [
            "policy",
            "rounds",
            "accounts",
            "liquidated notional",
            "fund drawdown",
            "ADL notional",
            "socialised",
            "uncovered",
            "amplification",
        ];
        var rows = Outcomes
            .Select(o =>
                new[]
                {
                    o.Case.Name,
                    o.Report.Rounds.Length.ToString(CultureInfo.InvariantCulture),
                    o.Report.AccountsLiquidated.ToString(CultureInfo.InvariantCulture),
                    Figure(o.Report.LiquidatedNotional),
                    Figure(o.Report.FundDrawdown),
                    Figure(o.Report.AdlNotional),
                    Figure(o.Report.Socialized),
                    Figure(o.Report.Uncovered),
                    o.Report.Amplification.Count == 0
                        ? ""
                        : Figure(decimal.Round(o.Report.Amplification.First().Value, 4)),
                }
            )
            .ToList();
        StressTables.Align(sb, columns, rows);
        foreach (var o in Outcomes)
            sb.Append($"{o.Case.Name}: {StressResult.Describe(o.Case.Policy)}\n");
        sb.Append("(notional at the prices before the run; nothing was appended to the log)");
        return sb.ToString();
    }

    private static string Describe(Shock s) =>
        s.Move is { } move
            ? $"{s.Market} {(move > 0m ? "+" : "")}{Percent(move)}"
            : $"{s.Market} to {Figure(s.Price!.Value)}";

    public override string Json() =>
        Serialize(
            new
            {
                venue = Source,
                globalPosition = ShockResult.Position(Source),
                policies = Outcomes.Select(o => new
                {
                    name = o.Case.Name,
                    policy = PolicyJson(o.Case.Policy),
                    report = Totals(o.Report),
                }),
            }
        );

    public override IReadOnlyList<StressTable> Tables() =>
        [
            new StressTable(
                "policies",
                [
                    "policy",
                    "rounds",
                    "accounts liquidated",
                    "liquidated notional",
                    "fund drawdown",
                    "adl notional",
                    "socialized",
                    "uncovered",
                    "amplification",
                ],
                [
                    .. Outcomes.Select(o =>
                        (IReadOnlyList<string>)
                            [
                                o.Case.Name,
                                o.Report.Rounds.Length.ToString(CultureInfo.InvariantCulture),
                                o.Report.AccountsLiquidated.ToString(CultureInfo.InvariantCulture),
                                Plain(o.Report.LiquidatedNotional),
                                Plain(o.Report.FundDrawdown),
                                Plain(o.Report.AdlNotional),
                                Plain(o.Report.Socialized),
                                Plain(o.Report.Uncovered),
                                o.Report.Amplification.Count == 0
                                    ? ""
                                    : Plain(decimal.Round(o.Report.Amplification.First().Value, 4)),
                            ]
                    ),
                ]
            ),
        ];
}

/// <summary>A contagion-threshold search.</summary>
internal sealed record ThresholdResult(string Source, ContagionThreshold Found) : StressResult(Source)
{
    public override string Text()
    {
        var markets = string.Join(" and ", Found.Search.Markets);
        var way = Found.Search.Rise ? "rise" : "fall";
        if (Found.AtOrAbove is not { } at)
            return $"on {Source}: no {way} of {markets} up to "
                + $"{Percent(Found.Search.Limit)} takes losses past the insurance fund ({Found.Tried.Length} run(s))";
        var report = Found.Report!;
        return $"on {Source}: the smallest uniform {way} of {markets} that takes losses "
            + $"past the insurance fund lies above {Percent(Math.Abs(Found.Below!.Value))} and at most "
            + $"{Percent(Math.Abs(at))} (tolerance {Percent(Found.Search.Tolerance)}, {Found.Tried.Length} runs)\n"
            + $"at {Percent(Math.Abs(at))}: insurance fund {Figure(report.InsuranceFundBefore)} → "
            + $"{Figure(report.InsuranceFundAfter)}; {report.AccountsLiquidated} account(s) liquidated; ADL "
            + $"{Figure(report.AdlNotional)}; socialised {Figure(report.Socialized)}; uncovered "
            + Figure(report.Uncovered);
    }

    public override string Json() =>
        Serialize(
            new
            {
                venue = Source,
                globalPosition = ShockResult.Position(Source),
                markets = Found.Search.Markets,
                rise = Found.Search.Rise,
                tolerance = Found.Search.Tolerance,
                limit = Found.Search.Limit,
                policy = PolicyJson(Found.Search.Policy),
                below = Found.Below,
                atOrAbove = Found.AtOrAbove,
                tried = Found.Tried,
                atThreshold = Found.Report is { } r
                    ? new
                    {
                        insuranceFundBefore = r.InsuranceFundBefore,
                        insuranceFundAfter = r.InsuranceFundAfter,
                        accountsLiquidated = r.AccountsLiquidated,
                        adlNotional = r.AdlNotional,
                        socialized = r.Socialized,
                        uncovered = r.Uncovered,
                    }
                    : null,
            }
        );

    public override IReadOnlyList<StressTable> Tables() =>
        [
            new StressTable(
                "tried",
                ["run", "move", "bracket"],
                [
                    .. Found.Tried.Select(
                        (move, i) =>
                            (IReadOnlyList<string>)
                                [
                                    (i + 1).ToString(CultureInfo.InvariantCulture),
                                    Plain(move),
                                    move == Found.AtOrAbove ? "at or above"
                                    : move == Found.Below ? "below"
                                    : "",
                                ]
                    ),
                ]
            ),
        ];
}

/// <summary>A liquidation map.</summary>
internal sealed record MapResult(string Source, LiquidationMapReport Map) : StressResult(Source)
{
    public override string Text()
    {
        var sb = new StringBuilder();
        sb.Append(
            $"liquidation map of {Map.Spec.Market} on {Source}, from {Figure(Map.PriceBefore)} in steps of "
                + $"{Percent(Map.Spec.Step)} to ±{Percent(Map.Spec.Depth)} (cumulative on the way to each level)\n"
        );
        var table = Levels(Figure, Percent);
        StressTables.Align(sb, table.Columns, table.Rows);
        sb.Append("(notional at the prices before; each level is one price event; nothing was appended to the log)");
        return sb.ToString();
    }

    public override string Json() =>
        Serialize(
            new
            {
                venue = Source,
                globalPosition = ShockResult.Position(Source),
                market = Map.Spec.Market,
                step = Map.Spec.Step,
                depth = Map.Spec.Depth,
                priceBefore = Map.PriceBefore,
                below = Map.Below,
                above = Map.Above,
            }
        );

    // the CSV holds plain numbers (a move as a fraction); the text, figures people read
    public override IReadOnlyList<StressTable> Tables() => [Levels(Plain, Plain)];

    private StressTable Levels(Func<decimal, string> figure, Func<decimal, string> move) =>
        new(
            "map",
            ["move", "price", "long notional", "short notional", "accounts", "insurance fund", "uncovered"],
            [
                .. Map
                    .Below.Reverse()
                    .Concat(Map.Above)
                    .Select(l =>
                        (IReadOnlyList<string>)
                            [
                                move(l.Move),
                                figure(l.Price),
                                figure(l.LongNotional),
                                figure(l.ShortNotional),
                                l.Accounts.ToString(CultureInfo.InvariantCulture),
                                figure(l.InsuranceFund),
                                figure(l.Uncovered),
                            ]
                    ),
            ]
        );
}

/// <summary>A Monte Carlo study.</summary>
internal sealed record MonteCarloResult(string Source, MonteCarloReport Report) : StressResult(Source)
{
    public override string Text()
    {
        var r = Report;
        var spec = r.Spec;
        var (low, high) = r.ProbabilityExhaustedInterval;
        var tails = spec.DegreesOfFreedom is { } nu ? $"Student-t, ν = {Plain(nu)}" : "Gaussian";
        var sb = new StringBuilder();
        sb.Append(
            $"Monte Carlo on {Source}: {spec.Paths:N0} paths, seed {spec.Seed}, {tails}, horizon "
                + $"{Plain(spec.HorizonDays)} day(s); shocks of "
        );
        sb.AppendJoin(", ", spec.Markets.Select(m => $"{m.Market} (σ {Percent(m.DailyVolatility)} a day)"));
        if (spec.Correlation is { } rows)
            sb.Append("; correlations ")
                .AppendJoin(
                    ", ",
                    spec.Markets.SelectMany(
                        (a, i) =>
                            spec
                                .Markets.Skip(i + 1)
                                .Select((b, j) => $"{a.Market}/{b.Market} {Plain(rows[i][i + 1 + j])}")
                    )
                );
        sb.Append(spec.Impact is null ? "; impact off" : "; with impact");
        if (spec.Policy is { } policy)
            sb.Append($"; policy: {Describe(policy)}");
        sb.Append('\n');
        sb.Append(
            string.Create(
                CultureInfo.InvariantCulture,
                $"P(losses pass the insurance fund) = {r.ProbabilityExhausted:0.####} ({r.ExhaustedPaths} of "
                    + $"{r.Paths.Length}; 95 % Wilson interval {low:0.####} to {high:0.####})\n"
            )
        );
        sb.Append(
            $"insurance fund {Figure(r.InsuranceFundBefore)}: drawdown VaR95 {Figure(r.FundVaR95)}, ES95 "
                + $"{Figure(r.FundES95)}, mean {Figure(r.FundDrawdown.Mean)}, worst {Figure(r.FundDrawdown.Max)}\n"
        );
        sb.Append(
            $"liquidated notional: LaR95 {Figure(r.LaR95)}, mean {Figure(r.LiquidatedNotional.Mean)}, worst "
                + $"{Figure(r.LiquidatedNotional.Max)}\n"
        );
        sb.Append(
            $"bad debt (nothing covered it): mean {Figure(r.BadDebt.Mean)}, 95th percentile "
                + $"{Figure(r.BadDebt.Percentile95)}, ES95 {Figure(r.BadDebt.Expected95)}, worst "
                + $"{Figure(r.BadDebt.Max)}; "
                + $"{r.Paths.Count(p => p.BadDebt > 0m)} path(s) with any\n"
        );
        sb.Append(
            "(notional at the prices before each run; percentiles by nearest rank; nothing was appended to the log)"
        );
        return sb.ToString();
    }

    public override string Json() =>
        Serialize(
            new
            {
                venue = Source,
                globalPosition = ShockResult.Position(Source),
                paths = Report.Paths.Length,
                seed = Report.Spec.Seed,
                degreesOfFreedom = Report.Spec.DegreesOfFreedom,
                horizonDays = Report.Spec.HorizonDays,
                markets = Report.Spec.Markets.Select(m => new
                {
                    market = m.Market,
                    dailyVolatility = m.DailyVolatility,
                }),
                correlation = Report.Spec.Correlation,
                impact = Report.Spec.Impact is not null,
                policy = PolicyJson(Report.Spec.Policy),
                insuranceFundBefore = Report.InsuranceFundBefore,
                exhaustedPaths = Report.ExhaustedPaths,
                probabilityExhausted = Math.Round(Report.ProbabilityExhausted, 6),
                probabilityExhaustedInterval = new[]
                {
                    Math.Round(Report.ProbabilityExhaustedInterval.Low, 6),
                    Math.Round(Report.ProbabilityExhaustedInterval.High, 6),
                },
                fundDrawdown = Report.FundDrawdown,
                fundVaR95 = Report.FundVaR95,
                fundES95 = Report.FundES95,
                liquidatedNotional = Report.LiquidatedNotional,
                laR95 = Report.LaR95,
                badDebt = Report.BadDebt,
                pathResults = Report.Paths,
            }
        );

    public override IReadOnlyList<StressTable> Tables()
    {
        var markets = Report.Spec.Markets.Select(m => m.Market).ToList();
        return
        [
            new StressTable(
                "paths",
                [
                    "path",
                    .. markets.Select(m => "move " + m),
                    "fund drawdown",
                    "liquidated notional",
                    "accounts liquidated",
                    "adl notional",
                    "socialized",
                    "bad debt",
                    "fund exhausted",
                    "rounds",
                ],
                [
                    .. Report.Paths.Select(p =>
                        (IReadOnlyList<string>)
                            [
                                p.Index.ToString(CultureInfo.InvariantCulture),
                                .. p.Moves.Select(Plain),
                                Plain(p.FundDrawdown),
                                Plain(p.LiquidatedNotional),
                                p.AccountsLiquidated.ToString(CultureInfo.InvariantCulture),
                                Plain(p.AdlNotional),
                                Plain(p.Socialized),
                                Plain(p.BadDebt),
                                p.Exhausted ? "yes" : "no",
                                p.Rounds.ToString(CultureInfo.InvariantCulture),
                            ]
                    ),
                ]
            ),
            new StressTable(
                "summary",
                ["figure", "mean", "95th percentile", "mean beyond it", "worst"],
                [
                    Row("fund drawdown (VaR95, ES95)", Report.FundDrawdown),
                    Row("liquidated notional (LaR95)", Report.LiquidatedNotional),
                    Row("bad debt", Report.BadDebt),
                ]
            ),
        ];

        static IReadOnlyList<string> Row(string name, Tail t) =>
            [name, Plain(t.Mean), Plain(t.Percentile95), Plain(t.Expected95), Plain(t.Max)];
    }
}
