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
            Required = true,
            AllowMultipleArgumentsPerToken = false,
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
                var scenario = Scenario(
                    parse.GetValue(shocks) ?? [],
                    parse.GetValue(impact),
                    parse.GetValue(liquidity) ?? [],
                    parse.GetValue(y),
                    parse.GetValue(rounds)
                );
                if (!scenario.Is(out var parsed, out var problem))
                    return Cli.Fail(problem);
                await using var host = await Cli.OpenAsync(parse, store, ct, readOnly: true).ConfigureAwait(false);
                if (host is null)
                    return ExitCodes.Invalid;
                var answer = await host
                    .Mediator.Send(new RunStress(parsed, parse.GetValue(at)), ct)
                    .ConfigureAwait(false);
                if (answer is null)
                    return Cli.Fail(
                        $"--at {parse.GetValue(at)} is not a global position of this log (0 to "
                            + $"{await host.Store.HeadAsync(ct).ConfigureAwait(false)})"
                    );
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

    /// <summary>The scenario the options describe, or what is wrong with them.</summary>
    internal static Checked<StressScenario> Scenario(
        IReadOnlyList<string> shocks,
        bool impact,
        IReadOnlyList<string> liquidity,
        decimal y,
        int rounds
    )
    {
        var parsed = new List<Shock>();
        foreach (var text in shocks)
        {
            if (Split(text) is not var (market, value) || value.Length == 0)
                return Checked.Invalid<StressScenario>(
                    $"--shock '{text}': expected MARKET=MOVE% (BTCUSDT=-20%) or MARKET=PRICE (BTCUSDT=48000)"
                );
            var percent = value.EndsWith('%');
            if (!Number(percent ? value[..^1] : value, out var number))
                return Checked.Invalid<StressScenario>($"--shock '{text}': '{value}' is not a number");
            parsed.Add(percent ? Shock.By(market, number / 100m) : Shock.To(market, number));
        }
        if (!impact && liquidity.Count > 0)
            return Checked.Invalid<StressScenario>("--liquidity is for the impact model: add --impact");
        if (!impact)
            return Checked.Valid(new StressScenario(parsed, null, rounds));
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
                || !markets.TryAdd(named.Market, new MarketLiquidity(sigma, volume))
            )
                return Checked.Invalid<StressScenario>(
                    $"--liquidity '{text}': expected MARKET=VOLATILITY,VOLUME once per market "
                        + "(BTCUSDT=0.04,50000: 4 % a day, 50 000 BTC a day)"
                );
        }
        return Checked.Valid(new StressScenario(parsed, new ImpactModel(y, markets), rounds));

        static (string Market, string Value)? Split(string text) =>
            text.IndexOf('=', StringComparison.Ordinal) is > 0 and var at
                ? (text[..at].Trim(), text[(at + 1)..].Trim())
                : null;

        // a typographic minus is read as a minus
        static bool Number(string text, out decimal value) =>
            decimal.TryParse(
                text.Replace('\u2212', '-'),
                NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture,
                out value
            );
    }

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
                adlNotional = report.AdlNotional,
                socialized = report.Socialized,
                uncovered = report.Uncovered,
                amplification = report.Amplification.ToDictionary(p => p.Key, p => decimal.Round(p.Value, 6)),
                rounds = report.Rounds.Select(r => new
                {
                    round = r.Number,
                    prices = r.Prices,
                    accountsLiquidated = r.AccountsLiquidated,
                    exposureHit = r.ExposureHit,
                    liquidatedLongNotional = r.LiquidatedLongNotional,
                    liquidatedShortNotional = r.LiquidatedShortNotional,
                    netSold = r.NetSold,
                    insuranceFund = r.InsuranceFund,
                    adlNotional = r.AdlNotional,
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
                    + $"{r.AccountsLiquidated} liquidated (exposure {Figure(r.ExposureHit)}); notional sold: long "
                    + $"{Figure(r.LiquidatedLongNotional)}, short {Figure(r.LiquidatedShortNotional)}; net sold "
                    + (
                        r.NetSold.Count == 0
                            ? "nothing"
                            : string.Join(", ", r.NetSold.Select(p => $"{p.Key} {Figure(p.Value)}"))
                    )
                    + $"; fund {Figure(r.InsuranceFund)}; ADL {Figure(r.AdlNotional)}; socialised "
                    + $"{Figure(r.Socialized)}; uncovered {Figure(r.Uncovered)}"
            );
        Console.WriteLine($"stopped: {Stop(report.Stop)} after {report.Rounds.Length} round(s)");
        Console.WriteLine(
            $"insurance fund {Figure(report.InsuranceFundBefore)} → {Figure(report.InsuranceFundAfter)} "
                + $"(drawdown {Figure(report.FundDrawdown)}); {report.AccountsLiquidated} liquidation(s) reaching "
                + $"{Figure(report.ExposureHit)} of exposure; notional sold {Figure(report.LiquidatedNotional)}; "
                + $"ADL {Figure(report.AdlNotional)}; socialised {Figure(report.Socialized)}; "
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

    private static string Stop(StressStop stop) =>
        stop switch
        {
            StressStop.NothingSold => "nothing was sold",
            StressStop.NoPriceMove => "the sales move no price by a step",
            StressStop.ImpactOff => "no impact model",
            StressStop.RoundLimit => "the round limit",
            _ => throw new ArgumentOutOfRangeException(nameof(stop), stop, null),
        };

    private static string Figure(decimal value) =>
        Arithmetic.Rounding.Normalize(value).ToString("#,0.########", CultureInfo.InvariantCulture);
}
