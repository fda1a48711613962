using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using CrossMargin.Ledger.Application.Stress;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Stress;
using CrossMargin.Ledger.Stress.Simulation;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary>The options of <c>ledger stress</c> and how they become a <see cref="StressStudy"/>.</summary>
internal sealed class StressOptions
{
    private readonly Option<string[]> shock = new("--shock")
    {
        Description =
            "a market (instrument or collateral asset) and its shock: BTCUSDT=-20% moves the mark by −20 %, "
            + "BTCUSDT=48000 sets it; repeat for several markets (all in round 1)",
    };

    private readonly Option<string[]> then = new("--then")
    {
        Description =
            "a later step of a price path, one round each, measured from the prices before the run: "
            + "--then BTCUSDT=-30%,ETHUSDT=-35%; repeat for more steps",
    };

    private readonly Option<string?> scenario = new("--scenario")
    {
        Description =
            "a JSON scenario file holding the shocks or path, impact, rounds, policies and Monte Carlo "
            + "parameters (instead of those options)",
    };

    private readonly Option<bool> compare = new("--compare")
    {
        Description =
            "run the shock under several cascade-prevention policies (the scenario file's, or a standard "
            + "set) and compare them",
    };

    private readonly Option<string[]> threshold = new("--threshold")
    {
        Description =
            "search the contagion threshold: the smallest uniform fall of these markets together (repeat for several) "
            + "at which losses pass the insurance fund (reach ADL, socialisation or stay uncovered)",
    };

    private readonly Option<bool> rise = new("--rise") { Description = "--threshold: search rises instead of falls" };

    private readonly Option<decimal> tolerance = new("--tolerance")
    {
        Description = "--threshold: the width of the bracket found, as a fraction (0.001 = 0.1 percentage point)",
        DefaultValueFactory = _ => ThresholdSearch.DefaultTolerance,
    };

    private readonly Option<string?> map = new("--map")
    {
        Description = "draw the liquidation map of this market: what is liquidated on the way to each price level",
    };

    private readonly Option<string> step = new("--step")
    {
        Description = "--map: the move between levels (1% or 0.01)",
        DefaultValueFactory = _ => "1%",
    };

    private readonly Option<string> depth = new("--depth")
    {
        Description = "--map: the farthest level each way (30% or 0.3)",
        DefaultValueFactory = _ => "30%",
    };

    private readonly Option<int?> monteCarlo = new("--monte-carlo")
    {
        Description = "run a Monte Carlo study of this many paths of fat-tailed, correlated shocks",
    };

    private readonly Option<ulong> seed = new("--seed")
    {
        Description = "the seed of the Monte Carlo draws and of --synthetic (the same seed, the same report)",
        DefaultValueFactory = _ => MonteCarloSpec.DefaultSeed,
    };

    private readonly Option<string[]> volatility = new("--volatility")
    {
        Description =
            "--monte-carlo: a market to shock and its daily volatility, BTCUSDT=0.04 (default: the "
            + "impact model's markets and σ)",
    };

    private readonly Option<string[]> correlation = new("--correlation")
    {
        Description = "--monte-carlo: the correlation of two markets' shocks, BTCUSDT/ETHUSDT=0.8 (pairs not given: 0)",
    };

    private readonly Option<string> dof = new("--dof")
    {
        Description = "--monte-carlo: the Student-t degrees of freedom ν (> 2), or 'normal' for Gaussian shocks",
        DefaultValueFactory = _ => MonteCarloSpec.DefaultDegreesOfFreedom.ToString(CultureInfo.InvariantCulture),
    };

    private readonly Option<decimal> horizon = new("--horizon")
    {
        Description = "--monte-carlo: the horizon of the shocks in days (σ scales with its square root)",
        DefaultValueFactory = _ => 1m,
    };

    private readonly Option<bool> impact = new("--impact")
    {
        Description =
            "run rounds of forced-sale impact after the shock (square-root law; needs --liquidity, "
            + "except on a synthetic venue)",
    };

    private readonly Option<string[]> liquidity = new("--liquidity")
    {
        Description =
            "a market's daily volatility σ (a fraction) and daily volume V (base units) for the impact model: "
            + "BTCUSDT=0.04,50000; every market liquidations can sell into needs one",
    };

    private readonly Option<decimal> y = new("--y")
    {
        Description = "the impact prefactor Y of Δp/p = Y·σ·√(Q/V)",
        DefaultValueFactory = _ => ImpactModel.DefaultY,
    };

    private readonly Option<decimal> thinning = new("--thinning")
    {
        Description = "κ: liquidity thins as prices move, V / (1 + κ·|move so far| / σ) (0: off)",
        DefaultValueFactory = _ => 0m,
    };

    private readonly Option<int> rounds = new("--rounds")
    {
        Description =
            "the most rounds a run takes (impact rounds, path steps, a breaker's held-back moves, capped "
            + "liquidations resuming)",
        DefaultValueFactory = _ => StressScenario.DefaultMaxRounds,
    };

    private readonly Option<decimal?> buffer = new("--buffer")
    {
        Description = "policy: the liquidation buffer (a liquidation stops once E > MM × (1 + buffer))",
    };

    private readonly Option<decimal?> roundCap = new("--round-cap")
    {
        Description =
            "policy: the notional an instrument may liquidate per price event, so per round for each market "
            + "it moves (settlement asset)",
    };

    private readonly Option<decimal?> extraFund = new("--extra-fund")
    {
        Description = "policy: settlement asset added to the insurance fund",
    };

    private readonly Option<string?> circuitBreaker = new("--circuit-breaker")
    {
        Description = "policy: the largest move of a market within a round (5% or 0.05); the rest waits a round",
    };

    private readonly Option<bool> fullClose = new("--full-close")
    {
        Description = "policy: liquidations close every position of the account in full instead of tier by tier",
    };

    private readonly Option<int?> synthetic = new("--synthetic")
    {
        Description = "run on a generated venue of this many accounts (with --seed) instead of the store",
    };

    private readonly Option<long?> at = new("--at")
    {
        Description = "run on the state as of this global position (default: the head)",
    };

    private readonly Option<bool> json = new("--json") { Description = "print the report as JSON" };

    private readonly Option<bool> csv = new("--csv") { Description = "print the report's main table as CSV" };

    private readonly Option<string?> output = new("--out")
    {
        Description = "also write an HTML report, its charts (PNG), the JSON and every table (CSV) to this directory",
    };

    public IEnumerable<Option> All =>
        [
            shock,
            then,
            scenario,
            compare,
            threshold,
            rise,
            tolerance,
            map,
            step,
            depth,
            monteCarlo,
            seed,
            volatility,
            correlation,
            dof,
            horizon,
            impact,
            liquidity,
            y,
            thinning,
            rounds,
            buffer,
            roundCap,
            extraFund,
            circuitBreaker,
            fullClose,
            synthetic,
            at,
            json,
            csv,
            output,
        ];

    /// <summary>The study the options describe, or the first thing wrong with them.</summary>
    public Checked<StressStudy> Request(ParseResult parse)
    {
        bool Given(Option option) => parse.GetResult(option) is { Implicit: false };
        var markets = parse.GetValue(threshold) ?? [];
        var mapped = parse.GetValue(map);
        var paths = parse.GetValue(monteCarlo);
        var modes = new List<StressMode>();
        if (markets.Length > 0)
            modes.Add(StressMode.Threshold);
        if (mapped is not null)
            modes.Add(StressMode.Map);
        if (paths is not null)
            modes.Add(StressMode.MonteCarlo);
        if (modes.Count > 1)
            return Invalid("give one study at a time: --threshold, --map, --monte-carlo or a shock");
        var mode =
            modes.Count == 1 ? modes[0]
            : parse.GetValue(compare) ? StressMode.Compare
            : StressMode.Shock;
        if (mode is not (StressMode.Shock or StressMode.Compare) && Given(compare))
            return Invalid("--compare compares policies on a shock: leave out --threshold, --map and --monte-carlo");
        if (mode != StressMode.Threshold && (Given(rise) || Given(tolerance)))
            return Invalid("--rise and --tolerance are for --threshold");
        if (mode != StressMode.Map && (Given(step) || Given(depth)))
            return Invalid("--step and --depth are for --map");
        Option[] policies = [buffer, roundCap, extraFund, circuitBreaker, fullClose];
        if (
            mode == StressMode.Map
            && new Option[] { impact, liquidity, y, thinning, rounds }
                .Concat(policies)
                .FirstOrDefault(Given)
                is { } unused
        )
            return Invalid(
                $"{unused.Name} does not apply to --map: a map walks the price one level a round, impact off, under "
                    + "the venue's own policy"
            );
        if (mode != StressMode.MonteCarlo && (Given(volatility) || Given(correlation) || Given(dof) || Given(horizon)))
            return Invalid("--volatility, --correlation, --dof and --horizon are for --monte-carlo");
        if (parse.GetValue(json) && parse.GetValue(csv))
            return Invalid("give --json or --csv, not both");
        if (parse.GetValue(synthetic) is { } n && (n < 1 || n > 1_000_000))
            return Invalid($"--synthetic takes 1 to 1 000 000 accounts, not {n}");
        if (parse.GetValue(synthetic) is not null && Given(at))
            return Invalid("--at is a position of the store's log: a synthetic venue has none");
        if (paths is { } p && (p < 1 || p > MonteCarloSpec.MaxPaths))
            return Invalid($"--monte-carlo takes 1 to {MonteCarloSpec.MaxPaths:N0} paths, not {p}");

        Checked<StressPlan> plan;
        var impactFromVenue = false;
        if (parse.GetValue(scenario) is { } file)
        {
            Option[] inFile =
            [
                shock,
                then,
                impact,
                liquidity,
                y,
                thinning,
                rounds,
                buffer,
                roundCap,
                extraFund,
                circuitBreaker,
                fullClose,
                volatility,
                correlation,
                dof,
                horizon,
            ];
            if (inFile.FirstOrDefault(Given) is { } both)
                return Invalid($"{both.Name} is a parameter of the scenario file: give it there, not as an option too");
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Invalid($"--scenario {file}: {e.Message}");
            }
            plan = StressPlanFile.Parse(text);
            if (!plan.IsValid)
                return Invalid($"--scenario {file}: {plan.Problem}");
        }
        else
        {
            plan = FromOptions(parse, out impactFromVenue);
            if (!plan.IsValid)
                return Invalid(plan.Problem!);
        }
        var hasPath = !plan.Value.Path.IsDefaultOrEmpty;
        if (mode is StressMode.Shock or StressMode.Compare && !hasPath)
            return Invalid(
                "give the shocks (--shock MARKET=MOVE%, or a scenario file), or a study: --threshold MARKET, "
                    + "--map MARKET or --monte-carlo PATHS"
            );
        // a scenario file describes a venue's whole study: a search, a map or a Monte Carlo study makes its own shocks
        // and leaves the file's path aside; shocks given as options to one of them are a mistake
        if (mode is not (StressMode.Shock or StressMode.Compare) && hasPath)
        {
            if (parse.GetValue(scenario) is null)
                return Invalid(
                    "a threshold search, a map and a Monte Carlo study make their own shocks: leave the shocks out"
                );
            plan = Checked.Valid(plan.Value with { Path = [] });
        }
        decimal stepValue = 0m,
            depthValue = 0m;
        if (
            mode == StressMode.Map
            && (!Fraction(parse.GetValue(step)!, out stepValue) || !Fraction(parse.GetValue(depth)!, out depthValue))
        )
            return Invalid(
                $"--step and --depth take a percentage or a fraction, not {parse.GetValue(step)} and "
                    + parse.GetValue(depth)
            );
        return Checked.Valid(
            new StressStudy(
                mode,
                plan.Value,
                impactFromVenue,
                mapped is not null ? [mapped] : markets,
                parse.GetValue(rise),
                parse.GetValue(tolerance),
                stepValue,
                depthValue,
                paths ?? 0,
                parse.GetValue(seed),
                parse.GetValue(synthetic),
                parse.GetValue(at),
                parse.GetValue(json),
                parse.GetValue(csv),
                parse.GetValue(output)
            )
        );
    }

    private Checked<StressPlan> FromOptions(ParseResult parse, out bool impactFromVenue)
    {
        impactFromVenue = false;
        bool Given(Option option) => parse.GetResult(option) is { Implicit: false };
        var path = ImmutableArray.CreateBuilder<ImmutableArray<Shock>>();
        var shocks = parse.GetValue(shock) ?? [];
        if (shocks.Length > 0)
        {
            if (!Shocks(shocks, "--shock").Is(out var first, out var problem))
                return Checked.Invalid<StressPlan>(problem);
            path.Add(first);
        }
        var later = parse.GetValue(then) ?? [];
        if (later.Length > 0 && shocks.Length == 0)
            return Checked.Invalid<StressPlan>("--then continues a path: give its first step with --shock");
        foreach (var text in later)
        {
            if (!Shocks(text.Split(','), "--then").Is(out var next, out var problem))
                return Checked.Invalid<StressPlan>(problem);
            path.Add(next);
        }

        ImpactModel? model = null;
        var pairs = parse.GetValue(liquidity) ?? [];
        if (!parse.GetValue(impact))
        {
            if (pairs.Length > 0 || Given(y) || Given(thinning))
                return Checked.Invalid<StressPlan>(
                    "--liquidity, --y and --thinning are for the impact model: add --impact"
                );
        }
        else
        {
            var markets = new Dictionary<string, MarketLiquidity>(StringComparer.Ordinal);
            foreach (var text in pairs)
            {
                var split = Split(text);
                var parts = split?.Value.Split(',') ?? [];
                if (
                    split is not { } named
                    || parts.Length != 2
                    || !Number(parts[0], out var sigma)
                    || !Number(parts[1], out var volume)
                )
                    return Checked.Invalid<StressPlan>(
                        $"--liquidity '{text}': expected MARKET=VOLATILITY,VOLUME "
                            + "(BTCUSDT=0.04,50000: 4 % a day, 50 000 BTC a day)"
                    );
                if (!markets.TryAdd(named.Market, new MarketLiquidity(sigma, volume)))
                    return Checked.Invalid<StressPlan>($"--liquidity gives {named.Market} twice");
            }
            impactFromVenue = markets.Count == 0;
            model = new ImpactModel(parse.GetValue(y), markets) { Thinning = parse.GetValue(thinning) };
        }

        decimal? breaker = null;
        if (parse.GetValue(circuitBreaker) is { } text2)
        {
            if (!Fraction(text2, out var b))
                return Checked.Invalid<StressPlan>($"--circuit-breaker takes a percentage or a fraction, not {text2}");
            breaker = b;
        }
        StressPolicy? policy =
            Given(buffer) || Given(roundCap) || Given(extraFund) || breaker is not null || parse.GetValue(fullClose)
                ? new StressPolicy(
                    parse.GetValue(buffer),
                    parse.GetValue(roundCap),
                    parse.GetValue(extraFund),
                    breaker,
                    parse.GetValue(fullClose)
                )
                : null;

        var monteCarlo = MonteCarloPlan.Default;
        if (parse.GetValue(volatility) is { Length: > 0 } sigmas)
        {
            var shocked = ImmutableArray.CreateBuilder<ShockedMarket>();
            foreach (var text in sigmas)
            {
                if (Split(text) is not var (market, value) || !Number(value, out var sigma))
                    return Checked.Invalid<StressPlan>($"--volatility '{text}': expected MARKET=σ (BTCUSDT=0.04)");
                shocked.Add(new ShockedMarket(market, sigma));
            }
            monteCarlo = monteCarlo with { Markets = shocked.ToImmutable() };
        }
        var correlations = ImmutableSortedDictionary.CreateBuilder<(string, string), decimal>();
        foreach (var text in parse.GetValue(correlation) ?? [])
        {
            if (
                Split(text) is not var (pair, value)
                || pair.Split('/') is not [{ Length: > 0 } a, { Length: > 0 } b]
                || !Number(value, out var rho)
            )
                return Checked.Invalid<StressPlan>($"--correlation '{text}': expected A/B=ρ (BTCUSDT/ETHUSDT=0.8)");
            if (correlations.ContainsKey((a, b)) || correlations.ContainsKey((b, a)))
                return Checked.Invalid<StressPlan>($"--correlation gives {a}/{b} twice");
            correlations[(a, b)] = rho;
        }
        decimal? nu = null;
        var dofText = parse.GetValue(dof)!;
        if (dofText != "normal")
        {
            if (!Number(dofText, out var parsed))
                return Checked.Invalid<StressPlan>($"--dof takes a number above 2 or 'normal', not {dofText}");
            nu = parsed;
        }
        monteCarlo = monteCarlo with
        {
            Correlations = correlations.ToImmutable(),
            DegreesOfFreedom = nu,
            HorizonDays = parse.GetValue(horizon),
        };
        return Checked.Valid(
            new StressPlan(path.ToImmutable(), model, parse.GetValue(rounds), policy, null, monteCarlo)
        );
    }

    private static Checked<ImmutableArray<Shock>> Shocks(IEnumerable<string> texts, string option)
    {
        var parsed = ImmutableArray.CreateBuilder<Shock>();
        foreach (var text in texts)
        {
            if (Split(text) is not var (market, value) || value.Length == 0)
                return Checked.Invalid<ImmutableArray<Shock>>(
                    $"{option} '{text}': expected MARKET=MOVE% (BTCUSDT=-20%) or MARKET=PRICE (BTCUSDT=48000)"
                );
            var percent = value.EndsWith('%');
            if (!Number(percent ? value[..^1].TrimEnd() : value, out var number))
                return Checked.Invalid<ImmutableArray<Shock>>($"{option} '{text}': '{value}' is not a number");
            parsed.Add(percent ? Shock.By(market, number / 100m) : Shock.To(market, number));
        }
        return Checked.Valid(parsed.ToImmutable());
    }

    private static (string Market, string Value)? Split(string text) =>
        text.IndexOf('=', StringComparison.Ordinal) is > 0 and var at
            ? (text[..at].Trim(), text[(at + 1)..].Trim())
            : null;

    /// <summary>"5%" or "0.05" as the fraction 0.05.</summary>
    private static bool Fraction(string text, out decimal value)
    {
        var percent = text.TrimEnd().EndsWith('%');
        if (!Number(percent ? text.TrimEnd()[..^1] : text, out value))
            return false;
        if (percent)
            value /= 100m;
        return true;
    }

    // a typographic minus is read as a minus
    private static bool Number(string text, out decimal value) =>
        decimal.TryParse(
            text.Trim().Replace('\u2212', '-'),
            NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
            CultureInfo.InvariantCulture,
            out value
        );

    private static Checked<StressStudy> Invalid(string problem) => Checked.Invalid<StressStudy>(problem);
}
