using System.CommandLine;
using System.Globalization;
using CrossMargin.Ledger.Application.Requests;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Stress;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary>
/// <c>ledger stress --shock MARKET=MOVE%|PRICE … [--impact --liquidity MARKET=σ,V …] [--rounds N] [--at N]
/// [--json]</c>: a what-if on a copy of the venue's state (design §8). The store is opened read-only.
/// </summary>
public static class StressVerb
{
    /// <summary>The verb.</summary>
    public static Command Create(Option<string?> store)
    {
        var shocks = new Option<string[]>("--shock")
        {
            Description =
                "a market (instrument or collateral asset) and its shock: BTCUSDT=-20% moves the mark by −20 %, "
                + "BTCUSDT=48000 sets it; repeat for several markets (all in round 1)",
            AllowMultipleArgumentsPerToken = false,
        };
        var threshold = new Option<string[]>("--threshold")
        {
            Description =
                "instead of a shock, find the smallest uniform fall of these markets together (repeat for several) "
                + "at which losses pass the insurance fund (reach ADL, socialisation or stay uncovered)",
        };
        var rise = new Option<bool>("--rise") { Description = "--threshold: search rises instead of falls" };
        var tolerance = new Option<decimal>("--tolerance")
        {
            Description = "--threshold: the width of the bracket found, as a fraction (0.001 = 0.1 percentage point)",
            DefaultValueFactory = _ => ThresholdSearch.DefaultTolerance,
        };
        var impact = new Option<bool>("--impact")
        {
            Description = "run rounds of forced-sale impact after the shock (square-root law; needs --liquidity)",
        };
        var liquidity = new Option<string[]>("--liquidity")
        {
            Description =
                "a market's daily volatility σ (a fraction) and daily volume V (base units) for the impact model: "
                + "BTCUSDT=0.04,50000; every market liquidations can sell into needs one",
        };
        var y = new Option<decimal>("--y")
        {
            Description = "the impact prefactor Y of Δp/p = Y·σ·√(Q/V)",
            DefaultValueFactory = _ => ImpactModel.DefaultY,
        };
        var rounds = new Option<int>("--rounds")
        {
            Description = "the most rounds a run takes",
            DefaultValueFactory = _ => StressScenario.DefaultMaxRounds,
        };
        var at = new Option<long?>("--at")
        {
            Description = "run on the state as of this global position (default: the head)",
        };
        var json = new Option<bool>("--json") { Description = "print the report as JSON" };
        var command = new Command(
            "stress",
            "What would a price shock do? Runs it on a copy of the venue's state (nothing is appended): liquidations, "
                + "forced-sale impact round by round, the insurance fund, ADL and losses"
        )
        {
            shocks,
            threshold,
            rise,
            tolerance,
            impact,
            liquidity,
            y,
            rounds,
            at,
            json,
        };
        command.SetAction(
            async (parse, ct) =>
            {
                var markets = parse.GetValue(threshold) ?? [];
                var shocked = parse.GetValue(shocks) ?? [];
                if (markets.Length > 0 == shocked.Length > 0)
                    return Cli.Fail("give either --shock MARKET=MOVE% (a what-if) or --threshold MARKET (a search)");
                if (
                    markets.Length == 0
                    && (
                        parse.GetResult(rise) is { Implicit: false }
                        || parse.GetResult(tolerance) is { Implicit: false }
                    )
                )
                    return Cli.Fail("--rise and --tolerance are for --threshold");
                var impactModel = Impact(
                    parse.GetValue(impact),
                    parse.GetValue(liquidity) ?? [],
                    parse.GetValue(y),
                    parse.GetResult(y) is { Implicit: false } || parse.GetResult(rounds) is { Implicit: false }
                );
                if (!impactModel.Is(out var model, out var problem))
                    return Cli.Fail(problem);
                Checked<StressScenario> scenario = default;
                if (shocked.Length > 0 && !(scenario = Scenario(shocked, model, parse.GetValue(rounds))).IsValid)
                    return Cli.Fail(scenario.Problem!);
                await using var host = await Cli.OpenAsync(parse, store, ct, readOnly: true).ConfigureAwait(false);
                if (host is null)
                    return ExitCodes.Invalid;
                if (markets.Length > 0)
                {
                    var search = new ThresholdSearch(
                        markets,
                        parse.GetValue(rise),
                        model,
                        parse.GetValue(rounds),
                        parse.GetValue(tolerance),
                        parse.GetValue(rise) ? 1m : ThresholdSearch.DefaultLimit
                    );
                    var found = await host
                        .Mediator.Send(new FindContagionThreshold(search, parse.GetValue(at)), ct)
                        .ConfigureAwait(false);
                    if (found is null)
                        return await NotAPositionAsync(host, parse.GetValue(at), ct).ConfigureAwait(false);
                    if (!found.Threshold.Is(out var bracket, out var refusedSearch))
                        return Cli.Fail(refusedSearch);
                    Console.WriteLine(
                        parse.GetValue(json)
                            ? ThresholdJson(bracket, found.GlobalPosition)
                            : ThresholdText(bracket, found.GlobalPosition)
                    );
                    return ExitCodes.Ok;
                }
                var answer = await host
                    .Mediator.Send(new RunStress(scenario.Value, parse.GetValue(at)), ct)
                    .ConfigureAwait(false);
                if (answer is null)
                    return await NotAPositionAsync(host, parse.GetValue(at), ct).ConfigureAwait(false);
                if (!answer.Report.Is(out var report, out var refused))
                    return Cli.Fail(refused);
                if (parse.GetValue(json))
                    Console.WriteLine(Json(report, answer.GlobalPosition));
                else
                    Print(report, answer.GlobalPosition);
                return ExitCodes.Ok;
            }
        );
        return command;
    }

    private static async Task<int> NotAPositionAsync(Hosting.LedgerHost host, long? at, CancellationToken ct) =>
        Cli.Fail(
            $"--at {at} is not a global position of this log (0 to "
                + $"{await host.Store.HeadAsync(ct).ConfigureAwait(false)})"
        );

    /// <summary>The shocks the options describe, or what is wrong with them.</summary>
    internal static Checked<StressScenario> Scenario(IReadOnlyList<string> shocks, ImpactModel? impact, int rounds)
    {
        var parsed = new List<Shock>();
        foreach (var text in shocks)
        {
            if (Split(text) is not var (market, value) || value.Length == 0)
                return Checked.Invalid<StressScenario>(
                    $"--shock '{text}': expected MARKET=MOVE% (BTCUSDT=-20%) or MARKET=PRICE (BTCUSDT=48000)"
                );
            var percent = value.EndsWith('%');
            if (!Number(percent ? value[..^1].TrimEnd() : value, out var number))
                return Checked.Invalid<StressScenario>($"--shock '{text}': '{value}' is not a number");
            parsed.Add(percent ? Shock.By(market, number / 100m) : Shock.To(market, number));
        }
        return Checked.Valid(new StressScenario(parsed, impact, rounds));
    }

    /// <summary>The impact model the options describe (null without <c>--impact</c>), or what is wrong with
    /// them.</summary>
    internal static Checked<ImpactModel?> Impact(
        bool impact,
        IReadOnlyList<string> liquidity,
        decimal y,
        bool impactOptionsGiven
    )
    {
        if (!impact)
            return liquidity.Count > 0 || impactOptionsGiven
                ? Checked.Invalid<ImpactModel?>("--liquidity, --y and --rounds are for the impact model: add --impact")
                : Checked.Valid<ImpactModel?>(null);
        var markets = new Dictionary<string, MarketLiquidity>(StringComparer.Ordinal);
        foreach (var text in liquidity)
        {
            var split = Split(text);
            var parts = split?.Value.Split(',') ?? [];
            if (
                split is not { } named
                || parts.Length != 2
                || !Number(parts[0], out var sigma)
                || !Number(parts[1], out var volume)
            )
                return Checked.Invalid<ImpactModel?>(
                    $"--liquidity '{text}': expected MARKET=VOLATILITY,VOLUME "
                        + "(BTCUSDT=0.04,50000: 4 % a day, 50 000 BTC a day)"
                );
            if (!markets.TryAdd(named.Market, new MarketLiquidity(sigma, volume)))
                return Checked.Invalid<ImpactModel?>($"--liquidity gives {named.Market} twice");
        }
        return Checked.Valid<ImpactModel?>(new ImpactModel(y, markets));
    }

    private static (string Market, string Value)? Split(string text) =>
        text.IndexOf('=', StringComparison.Ordinal) is > 0 and var at
            ? (text[..at].Trim(), text[(at + 1)..].Trim())
            : null;

    // a typographic minus is read as a minus
    private static bool Number(string text, out decimal value) =>
        decimal.TryParse(
            text.Replace('\u2212', '-'),
            NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
            CultureInfo.InvariantCulture,
            out value
        );

    /// <summary>The text form of a threshold search.</summary>
    internal static string ThresholdText(ContagionThreshold found, long position)
    {
        var markets = string.Join(" and ", found.Search.Markets);
        var way = found.Search.Rise ? "rise" : "fall";
        if (found.AtOrAbove is not { } at)
            return $"on the state at global position {position}: no {way} of {markets} up to "
                + $"{Percent(found.Search.Limit)} takes losses past the insurance fund ({found.Tried.Length} run(s))";
        var report = found.Report!;
        return $"on the state at global position {position}: the smallest uniform {way} of {markets} that takes losses "
            + $"past the insurance fund lies above {Percent(Math.Abs(found.Below!.Value))} and at most "
            + $"{Percent(Math.Abs(at))} (tolerance {Percent(found.Search.Tolerance)}, {found.Tried.Length} runs)\n"
            + $"at {Percent(Math.Abs(at))}: insurance fund {Figure(report.InsuranceFundBefore)} → "
            + $"{Figure(report.InsuranceFundAfter)}; {report.AccountsLiquidated} account(s) liquidated; ADL "
            + $"{Figure(report.AdlNotional)}; socialised {Figure(report.Socialized)}; uncovered "
            + Figure(report.Uncovered);
    }

    /// <summary>The JSON form of a threshold search.</summary>
    internal static string ThresholdJson(ContagionThreshold found, long position) =>
        Newtonsoft.Json.JsonConvert.SerializeObject(
            new
            {
                globalPosition = position,
                markets = found.Search.Markets,
                rise = found.Search.Rise,
                tolerance = found.Search.Tolerance,
                limit = found.Search.Limit,
                below = found.Below,
                atOrAbove = found.AtOrAbove,
                tried = found.Tried,
                atThreshold = found.Report is { } r
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
            },
            JsonSettings
        );

    private static string Percent(decimal fraction) =>
        Arithmetic.Rounding.Normalize(fraction * 100m).ToString("0.######", CultureInfo.InvariantCulture) + " %";

    /// <summary>The JSON form of a report: every figure a decimal string, rounds in order.</summary>
    internal static string Json(StressReport report, long position) =>
        Newtonsoft.Json.JsonConvert.SerializeObject(
            new
            {
                globalPosition = position,
                stop = Stop(report.Stop),
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
                rounds = report.Rounds.Select(r => new
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
            },
            JsonSettings
        );

    /// <summary>The ledger's JSON dialect, with market names kept as they are where they are keys.</summary>
    private static readonly Newtonsoft.Json.JsonSerializerSettings JsonSettings = new(LedgerJson.Settings)
    {
        ContractResolver = new Newtonsoft.Json.Serialization.DefaultContractResolver
        {
            NamingStrategy = new Newtonsoft.Json.Serialization.CamelCaseNamingStrategy
            {
                ProcessDictionaryKeys = false,
            },
        },
    };

    private static void Print(StressReport report, long position)
    {
        var shocked = report.Rounds[0].Prices;
        Console.WriteLine(
            $"stress on the state at global position {position}: "
                + string.Join(
                    ", ",
                    shocked.Select(p => $"{p.Key} {Figure(report.PricesBefore[p.Key])} → {Figure(p.Value)}")
                )
        );
        // one line per round: readable at any width, and in a log
        foreach (var r in report.Rounds)
            Console.WriteLine(
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
            );
        Console.WriteLine($"stopped: {Stop(report.Stop)} after {report.Rounds.Length} round(s)");
        Console.WriteLine(
            $"insurance fund {Figure(report.InsuranceFundBefore)} → {Figure(report.InsuranceFundAfter)} "
                + $"(drawdown {Figure(report.FundDrawdown)}); {report.AccountsLiquidated} liquidation(s) reaching "
                + $"{Figure(report.ExposureHit)} of exposure; notional liquidated: long "
                + $"{Figure(report.LiquidatedLongNotional)}, short {Figure(report.LiquidatedShortNotional)}; "
                + $"ADL {Figure(report.AdlNotional)}{Overshoot(report.AdlTaken, report.AdlNeeded)}; "
                + $"socialised {Figure(report.Socialized)}; "
                + $"uncovered {Figure(report.Uncovered)}"
        );
        if (report.Amplification.Count > 0)
            Console.WriteLine(
                "amplification (final move ÷ shock): "
                    + string.Join(
                        ", ",
                        report.Amplification.Select(p => $"{p.Key} {Figure(decimal.Round(p.Value, 4))}")
                    )
            );
        Console.WriteLine("(prices before the run value the notional; nothing was appended to the log)");
    }

    /// <summary>An ADL figure's haircut, when it took any: taken against the least that covered the deficit.</summary>
    private static string Overshoot(decimal taken, decimal needed) =>
        taken == 0m
            ? ""
            : $" (haircut {Figure(taken)} against the least {Figure(needed)} that covered the deficit: overshoot "
                + $"{Figure(taken - needed)})";

    private static string Stop(StressStop stop) =>
        stop switch
        {
            StressStop.NothingSold => "nothing was sold on balance",
            StressStop.NoPriceMove => "the sales move no price by a step",
            StressStop.ImpactOff => "no impact model",
            StressStop.RoundLimit => "the round limit",
            _ => throw new ArgumentOutOfRangeException(nameof(stop), stop, null),
        };

    private static string Figure(decimal value) =>
        Arithmetic.Rounding.Normalize(value).ToString("#,0.########", CultureInfo.InvariantCulture);
}
