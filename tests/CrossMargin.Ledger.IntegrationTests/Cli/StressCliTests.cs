using System.Security.Cryptography;
using Newtonsoft.Json.Linq;

namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary><c>ledger stress</c> through the real program on a real file, which it must leave as it was.</summary>
public sealed class StressCliTests
{
    private TempDirectory directory = null!;

    // alice is thin (1 000 USDT under 0.5 BTC), bob is not (10 000 under 0.1 BTC); the fund holds 1 000
    private static readonly string Venue =
        string.Join(
            "\n",
            """{"type":"list-instrument","symbol":"BTCUSDT","base":"BTC","quote":"USDT","tiers":[{"floor":0,"""
                + """ "mmr":"0.004","maxLeverage":125},{"floor":50000,"mmr":"0.005","maxLeverage":100}],"""
                + """ "takerFeeRate":"0","liquidationFeeRate":"0.005","quantityStep":"0.001","tickSize":"0.1"}""",
            """{"type":"update-price","symbol":"BTCUSDT","price":"60000"}""",
            """{"type":"fund-insurance","asset":"USDT","amount":"1000"}""",
            """{"type":"deposit","account":"alice","asset":"USDT","amount":"1000"}""",
            """{"type":"open-position","account":"alice","symbol":"BTCUSDT","side":"long","quantity":"0.5","""
                + """ "price":"60000"}""",
            """{"type":"deposit","account":"bob","asset":"USDT","amount":"10000"}""",
            """{"type":"open-position","account":"bob","symbol":"BTCUSDT","side":"long","quantity":"0.1","""
                + """ "price":"60000"}"""
        ) + "\n";

    [SetUp]
    public void Create() => directory = new TempDirectory();

    [TearDown]
    public void Remove() => directory.Dispose();

    private Task<LedgerProcess.Result> Ledger(string? input, params string[] args) =>
        LedgerProcess.Run(directory.Path, input, args);

    private string File => directory.File("ledger.db");

    private async Task<string> Fingerprint()
    {
        // the file and its write-ahead log, byte for byte (a reader may leave an empty log behind)
        var parts = new List<string>();
        foreach (
            var path in new[] { File, File + "-wal" }.Where(p => System.IO.File.Exists(p) && new FileInfo(p).Length > 0)
        )
            parts.Add(Convert.ToHexString(SHA256.HashData(await System.IO.File.ReadAllBytesAsync(path))));
        return string.Join("/", parts);
    }

    [Test]
    public async Task A_shock_with_impact_reports_each_round_and_leaves_the_file_as_it_was()
    {
        Assert.That((await Ledger(Venue, "apply", "--store", File, "-")).ExitCode, Is.Zero);
        var before = await Fingerprint();
        var run = await Ledger(
            null,
            "stress",
            "--store",
            File,
            "--shock",
            "BTCUSDT=−10 %", // a typographic minus and a space before the sign, as people write it
            "--impact",
            "--liquidity",
            "BTCUSDT=0.04,100"
        );
        Assert.That(run.ExitCode, Is.Zero, run.Error);
        // round 1: alice's equity 1 000 − 0.5 × 6 000 = −2 000: her 0.5 BTC is sold, the fund's 1 000 pays half
        // of the deficit and 1 000 is left uncovered (bob is long too: no winner to deleverage).
        // round 2: Δp/p = 1 × 0.04 × √(0.5 / 100) = 0.00282842712474619…, 54 000 × (1 − that) = 53 847.2649352637…,
        // 53 847.26493526 at the instrument's 8 places; amplification (53 847.26493526 / 60 000 − 1) / −0.1 = 1.0255
        Assert.That(
            run.Out,
            Does.Contain("stress on the state at global position 7: BTCUSDT 60,000 → 54,000")
                .And.Contain(
                    "round 1: BTCUSDT 54,000; 1 liquidated (exposure 30,000); notional liquidated: long 30,000, "
                        + "short 0; net sold BTCUSDT 0.5; fund 0; ADL 0; socialised 0; uncovered 1,000"
                )
                .And.Contain("round 2: BTCUSDT 53,847.26493526; 0 liquidated")
                .And.Contain("stopped: nothing was sold on balance after 2 round(s)")
                .And.Contain("insurance fund 1,000 → 0 (drawdown 1,000)")
                .And.Contain("amplification (final move ÷ shock): BTCUSDT 1.0255")
        );
        Assert.That(await Fingerprint(), Is.EqualTo(before), "the stress wrote nothing to the file");
        var verify = await Ledger(null, "verify", "--store", File);
        Assert.That(verify.ExitCode, Is.Zero, verify.Out + verify.Error);
    }

    [Test]
    public async Task The_json_report_keeps_market_names_and_every_figure_as_a_decimal_string()
    {
        Assert.That((await Ledger(Venue, "apply", "--store", File, "-")).ExitCode, Is.Zero);
        var run = await Ledger(null, "stress", "--store", File, "--shock", "BTCUSDT=48000", "--json");
        Assert.That(run.ExitCode, Is.Zero, run.Error);
        var json = JObject.Parse(run.Out);
        Assert.That((string?)json["pricesBefore"]!["BTCUSDT"], Is.EqualTo("60000"));
        Assert.That((string?)json["pricesAfter"]!["BTCUSDT"], Is.EqualTo("48000"));
        Assert.That((string?)json["stop"], Is.EqualTo("no impact model"));
        Assert.That((int)json["accountsLiquidated"]!, Is.EqualTo(1), "alice; bob's 10 000 covers a −20 % move");
        Assert.That((string?)json["rounds"]![0]!["netSold"]!["BTCUSDT"], Is.EqualTo("0.5"));
        Assert.That((string?)json["insuranceFundBefore"], Is.EqualTo("1000"));

        // as of position 5 (before bob's deposit and fill) only alice holds BTC
        var early = JObject.Parse(
            (await Ledger(null, "stress", "--store", File, "--shock", "BTCUSDT=-50%", "--at", "5", "--json")).Out
        );
        Assert.That((long)early["globalPosition"]!, Is.EqualTo(5));
        Assert.That((string?)early["exposureHit"], Is.EqualTo("30000"), "alice's 0.5 BTC at 60 000");
    }

    [Test]
    public async Task The_contagion_threshold_is_bracketed_around_the_fall_the_fund_stops_covering()
    {
        Assert.That((await Ledger(Venue, "apply", "--store", File, "-")).ExitCode, Is.Zero);
        var before = await Fingerprint();
        // alice's deficit after a fall f is 0.5 × 60 000 × f − 1 000; the fund's 1 000 stops covering it past
        // f = 2 000 / 30 000 = 6.6667 % (bob is long too: nobody to deleverage)
        var run = await Ledger(null, "stress", "--store", File, "--threshold", "BTCUSDT", "--json");
        Assert.That(run.ExitCode, Is.Zero, run.Error);
        var json = JObject.Parse(run.Out);
        var below = -decimal.Parse((string)json["below"]!, System.Globalization.CultureInfo.InvariantCulture);
        var at = -decimal.Parse((string)json["atOrAbove"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(below, Is.LessThan(2m / 30m));
        Assert.That(at, Is.GreaterThanOrEqualTo(2m / 30m));
        Assert.That(at - below, Is.LessThanOrEqualTo(0.001m));
        Assert.That((string?)json["atThreshold"]!["insuranceFundAfter"], Is.EqualTo("0"));
        var text = await Ledger(null, "stress", "--store", File, "--threshold", "BTCUSDT");
        Assert.That(
            text.Out,
            Does.Contain("the smallest uniform fall of BTCUSDT that takes losses past the insurance fund lies above")
        );
        Assert.That(await Fingerprint(), Is.EqualTo(before));
    }

    [TestCase(new[] { "--shock", "BTCUSDT" }, "error: --shock 'BTCUSDT': expected MARKET=MOVE% (BTCUSDT=-20%)")]
    [TestCase(new[] { "--shock", "BTCUSDT=ten%" }, "error: --shock 'BTCUSDT=ten%': 'ten%' is not a number")]
    [TestCase(
        new[] { "--shock", "XRPUSDT=-10%" },
        "error: shock of XRPUSDT: not a listed instrument or collateral asset"
    )]
    [TestCase(new[] { "--shock", "BTCUSDT=-100%" }, "error: shock of BTCUSDT: a move of -100 % leaves no price")]
    [TestCase(
        new[] { "--shock", "BTCUSDT=-10%", "--impact" },
        "error: the impact model gives no daily volatility and volume for BTCUSDT"
    )]
    [TestCase(
        new[] { "--shock", "BTCUSDT=-10%", "--liquidity", "BTCUSDT=0.04,100" },
        "error: --liquidity, --y and --thinning are for the impact model: add --impact"
    )]
    [TestCase(
        new[] { "--shock", "BTCUSDT=-10%", "--impact", "--liquidity", "BTCUSDT=0.04" },
        "error: --liquidity 'BTCUSDT=0.04': expected MARKET=VOLATILITY,VOLUME"
    )]
    [TestCase(new[] { "--shock", "BTCUSDT=-10%", "--at", "99" }, "error: --at 99 is not a global position of this log")]
    [TestCase(new[] { "--threshold", "BTCUSDT", "--at", "99" }, "error: --at 99 is not a global position of this log")]
    [TestCase(new[] { "--at", "3" }, "error: give the shocks (--shock MARKET=MOVE%, or a scenario file), or a study")]
    [TestCase(
        new[] { "--shock", "BTCUSDT=-10%", "--threshold", "BTCUSDT" },
        "error: a threshold search, a map and a Monte Carlo study make their own shocks: leave the shocks out"
    )]
    [TestCase(new[] { "--shock", "BTCUSDT=-10%", "--thinning", "1" }, "error: --liquidity, --y and --thinning are for")]
    [TestCase(
        new[] { "--monte-carlo", "10", "--volatility", "BTCUSDT=0.04", "--volatility", "BTCUSDT=0.05" },
        "error: BTCUSDT is given a volatility twice"
    )]
    [TestCase(
        new[] { "--threshold", "BTCUSDT", "--tolerance", "0.000000001" },
        "error: the tolerance must be at least"
    )]
    [TestCase(new[] { "--map", "BTCUSDT", "--impact" }, "error: --impact does not apply to --map")]
    [TestCase(new[] { "--map", "BTCUSDT", "--buffer", "0.1" }, "error: --buffer does not apply to --map")]
    [TestCase(
        new[] { "--map", "BTCUSDT", "--step", "0.0000000001", "--depth", "100000000000000000000" },
        "error: 100000000000000000000 in steps of 0.0000000001 is more than 1000 levels"
    )]
    [TestCase(
        new[] { "--shock", "BTCUSDT=-10%", "--round-cap", "1" },
        "error: the per-round notional cap 1 is below one quantity step of BTCUSDT (0.001 × 60000)"
    )]
    [TestCase(new[] { "--shock", "BTCUSDT=-10%", "--rise" }, "error: --rise and --tolerance are for --threshold")]
    [TestCase(
        new[]
        {
            "--shock",
            "BTCUSDT=-10%",
            "--impact",
            "--liquidity",
            "BTCUSDT=0.04,1",
            "--liquidity",
            "BTCUSDT=0.05,2",
        },
        "error: --liquidity gives BTCUSDT twice"
    )]
    [TestCase(
        new[] { "--shock", "BTCUSDT=1000000000000000000000000000%" },
        "error: a figure of the run leaves what a decimal holds"
    )]
    [TestCase(
        new[] { "--threshold", "BTCUSDT", "--tolerance", "0" },
        "error: the tolerance must be at least 0.00000002 (moves are tried at 8 places) and below 1"
    )]
    [TestCase(
        new[] { "--shock", "BTCUSDT=48000.123456789" },
        "error: shock of BTCUSDT: the price 48000.123456789 has more places than the market's price precision"
    )]
    [TestCase(new[] { "--map", "BTCUSDT", "--shock", "BTCUSDT=-10%" }, "error: a threshold search, a map and a Monte")]
    [TestCase(new[] { "--map", "BTCUSDT", "--monte-carlo", "10" }, "error: give one study at a time")]
    [TestCase(new[] { "--map", "BTCUSDT", "--step", "0", "--depth", "10%" }, "error: the step must be positive")]
    [TestCase(new[] { "--shock", "BTCUSDT=-10%", "--step", "2%" }, "error: --step and --depth are for --map")]
    [TestCase(new[] { "--monte-carlo", "0" }, "error: --monte-carlo takes 1 to 1,000,000 paths, not 0")]
    [TestCase(new[] { "--monte-carlo", "10" }, "error: a Monte Carlo study needs each market's daily volatility")]
    [TestCase(
        new[] { "--monte-carlo", "10", "--volatility", "BTCUSDT=0.04", "--correlation", "BTCUSDT/ETHUSDT=0.5" },
        "error: the correlation BTCUSDT/ETHUSDT names a market the study does not shock"
    )]
    [TestCase(new[] { "--monte-carlo", "10", "--volatility", "BTCUSDT=0.04", "--dof", "2" }, "error: the degrees")]
    [TestCase(new[] { "--shock", "BTCUSDT=-10%", "--dof", "5" }, "error: --volatility, --correlation, --dof and")]
    [TestCase(new[] { "--then", "BTCUSDT=-20%" }, "error: --then continues a path: give its first step with --shock")]
    [TestCase(
        new[]
        {
            "--shock",
            "BTCUSDT=-10%",
            "--then",
            "BTCUSDT=-20%",
            "--then",
            "BTCUSDT=-30%",
            "--impact",
            "--liquidity",
            "BTCUSDT=0.04,100",
            "--rounds",
            "2",
        },
        "error: the price path has 3 steps, more than the round limit 2"
    )]
    [TestCase(new[] { "--shock", "BTCUSDT=-10%", "--circuit-breaker", "150%" }, "error: the circuit breaker's move")]
    [TestCase(
        new[] { "--shock", "BTCUSDT=-10%", "--buffer", "12" },
        "error: policy: buffer must be in [0, 10), not 12"
    )]
    [TestCase(new[] { "--shock", "BTCUSDT=-10%", "--json", "--csv" }, "error: give --json or --csv, not both")]
    [TestCase(new[] { "--synthetic", "10", "--at", "3", "--shock", "BTCUSDT=-1%" }, "error: --at is a position")]
    [TestCase(
        new[] { "--synthetic", "0", "--shock", "BTCUSDT=-1%" },
        "error: --synthetic takes 1 to 1 000 000 accounts"
    )]
    [TestCase(new[] { "--compare", "--threshold", "BTCUSDT" }, "error: --compare compares policies on a shock")]
    [TestCase(new[] { "--scenario", "missing.json" }, "error: --scenario missing.json: Could not find file")]
    [TestCase(new[] { "--shock", "BTCUSDT=-10%", "--out", "/proc/no-such-place" }, "error: --out /proc/no-such-place:")]
    [TestCase(new[] { "--shock", "BTCUSDT=-10%", "--out", "" }, "error: --out :")]
    public async Task A_stress_that_cannot_run_says_why_and_exits_1(string[] args, string error)
    {
        Assert.That((await Ledger(Venue, "apply", "--store", File, "-")).ExitCode, Is.Zero);
        var before = await Fingerprint();
        var run = await Ledger(null, ["stress", "--store", File, .. args]);
        Assert.That(run.ExitCode, Is.EqualTo(1), run.Out);
        Assert.That(run.Error.Trim(), Does.StartWith(error));
        Assert.That(await Fingerprint(), Is.EqualTo(before));
    }

    [TestCase("""{"shocks":{"BTCUSDT":"-10%"},"rouds":3}""", "$.rouds: not a field here (known: shocks, path,")]
    [TestCase("""{"shocks":{"BTCUSDT":"-10%"},"path":[]}""", "$: give \"shocks\" (one step) or \"path\"")]
    [TestCase("""{"shocks":{"BTCUSDT":"ten%"}}""", "$.shocks.BTCUSDT: 'ten' is not a number")]
    [TestCase("""{"shocks":{"BTCUSDT":"-10%","BTCUSDT":"-20%"}}""", "$.shocks.BTCUSDT: given twice")]
    [TestCase("""{"shocks":{"BTCUSDT":"-10%"},"impact":{"y":1}}""", "$.impact: \"markets\" is required")]
    [TestCase(
        """{"shocks":{"BTCUSDT":"-10%"},"policy":{"fullClose":"yes"}}""",
        "$.policy.fullClose: expected true or false"
    )]
    [TestCase("""{"shocks":{"BTCUSDT":"-10%"}""", "the scenario file is not JSON")]
    public async Task A_scenario_file_that_cannot_be_read_names_the_place_and_exits_1(string text, string error)
    {
        Assert.That((await Ledger(Venue, "apply", "--store", File, "-")).ExitCode, Is.Zero);
        var scenario = directory.File("scenario.json");
        await System.IO.File.WriteAllTextAsync(scenario, text);
        var run = await Ledger(null, "stress", "--store", File, "--scenario", scenario);
        Assert.That(run.ExitCode, Is.EqualTo(1), run.Out);
        Assert.That(run.Error.Trim(), Does.StartWith($"error: --scenario {scenario}: {error}"));
        var both = await Ledger(null, "stress", "--store", File, "--scenario", scenario, "--rounds", "3");
        Assert.That(both.Error.Trim(), Does.StartWith("error: --rounds is a parameter of the scenario file"));
    }

    [Test]
    public async Task A_scenario_file_runs_the_same_path_as_the_options_do()
    {
        Assert.That((await Ledger(Venue, "apply", "--store", File, "-")).ExitCode, Is.Zero);
        var scenario = directory.File("path.json");
        await System.IO.File.WriteAllTextAsync(
            scenario,
            """
            // a two-step fall with impact and a circuit breaker
            {
              "path": [ { "BTCUSDT": "-5%" }, { "BTCUSDT": 51000 } ],
              "impact": { "y": 1, "thinning": 0.5, "markets": { "BTCUSDT": { "volatility": 0.04, "volume": 100 } } },
              "rounds": 10,
              "policy": { "circuitBreaker": 0.03 }
            }
            """
        );
        var fromFile = await Ledger(null, "stress", "--store", File, "--scenario", scenario, "--json");
        var fromOptions = await Ledger(
            null,
            "stress",
            "--store",
            File,
            "--shock",
            "BTCUSDT=-5%",
            "--then",
            "BTCUSDT=51000",
            "--impact",
            "--liquidity",
            "BTCUSDT=0.04,100",
            "--thinning",
            "0.5",
            "--rounds",
            "10",
            "--circuit-breaker",
            "3%",
            "--json"
        );
        Assert.That(fromFile.ExitCode, Is.Zero, fromFile.Error);
        Assert.That(fromFile.Out, Is.EqualTo(fromOptions.Out));
        var json = JObject.Parse(fromFile.Out);
        // a 3 % breaker: 60 000 → 58 200 (the −5 % step held at −3 %), and the path reaches 51 000 in later rounds
        Assert.That((string?)json["rounds"]![0]!["prices"]!["BTCUSDT"], Is.EqualTo("58200"));
        Assert.That((string?)json["pathEnd"]!["BTCUSDT"], Is.EqualTo("51000"));
        Assert.That((string?)json["policy"]!["circuitBreaker"], Is.EqualTo("0.03"));
    }

    [Test]
    public async Task A_map_a_comparison_and_a_monte_carlo_study_leave_the_file_as_it_was()
    {
        Assert.That((await Ledger(Venue, "apply", "--store", File, "-")).ExitCode, Is.Zero);
        var before = await Fingerprint();
        // alice (0.5 BTC on 1 000) goes below 58 200 (−3 %: 1 000 − 900 = 100 < MM 0.4 % × 29 100 = 116.4), bob
        // (0.1 BTC on 10 000) only past a fall of 100 %: the map's levels below count alice's 30 000 from −3 % on
        var map = await Ledger(
            null,
            "stress",
            "--store",
            File,
            "--map",
            "BTCUSDT",
            "--step",
            "1%",
            "--depth",
            "5%",
            "--json"
        );
        Assert.That(map.ExitCode, Is.Zero, map.Error);
        var levels = JObject.Parse(map.Out)["below"]!.Select(l => ((string?)l["price"], (string?)l["longNotional"]));
        Assert.That(
            levels,
            Is.EqualTo(
                new[] { ("59400", "0"), ("58800", "0"), ("58200", "30000"), ("57600", "30000"), ("57000", "30000") }
            )
        );

        var compare = await Ledger(null, "stress", "--store", File, "--shock", "BTCUSDT=-10%", "--compare", "--json");
        Assert.That(compare.ExitCode, Is.Zero, compare.Error);
        var policies = JObject.Parse(compare.Out)["policies"]!;
        Assert.That(
            policies.Select(p => (string?)p["name"]),
            Is.EqualTo(
                new[]
                {
                    "venue's own",
                    "full close",
                    "buffer 10 %",
                    "per-round cap",
                    "circuit breaker 5 %",
                    "fund doubled",
                }
            )
        );
        // −10 %: alice's deficit 2 000, the fund 1 000 pays half; doubled, it pays all
        Assert.That((string?)policies[0]!["report"]!["uncovered"], Is.EqualTo("1000"));
        Assert.That((string?)policies[5]!["report"]!["uncovered"], Is.EqualTo("0"));

        string[] study =
        [
            "stress",
            "--store",
            File,
            "--monte-carlo",
            "200",
            "--volatility",
            "BTCUSDT=0.05",
            "--seed",
            "9",
        ];
        var first = await Ledger(null, [.. study, "--json"]);
        var again = await Ledger(null, [.. study, "--json"]);
        Assert.That(first.ExitCode, Is.Zero, first.Error);
        Assert.That(again.Out, Is.EqualTo(first.Out), "the same seed gives the same report, byte for byte");
        Assert.That(first.Error, Does.Contain("monte carlo: 100% (200/200 paths)"), "plain progress lines in a log");
        var report = JObject.Parse(first.Out);
        Assert.That((int)report["paths"]!, Is.EqualTo(200));
        Assert.That((ulong)report["seed"]!, Is.EqualTo(9UL));
        var exhausted = report["pathResults"]!.Count(p => (bool)p["exhausted"]!);
        Assert.That((int)report["exhaustedPaths"]!, Is.EqualTo(exhausted));
        Assert.That(exhausted, Is.InRange(1, 199), "a 5 % daily σ with fat tails sometimes passes the fund");
        var csv = await Ledger(null, [.. study, "--csv"]);
        Assert.That(csv.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(201));
        Assert.That(await Fingerprint(), Is.EqualTo(before), "no study wrote to the file");
    }

    [Test]
    public async Task The_out_directory_holds_a_report_its_charts_and_its_tables()
    {
        var reportDirectory = directory.File("report");
        var run = await Ledger(
            null,
            "stress",
            "--synthetic",
            "300",
            "--seed",
            "4",
            "--shock",
            "BTCUSDT=-12%",
            "--impact",
            "--out",
            reportDirectory
        );
        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(run.Out, Does.Contain("stress on a synthetic venue of 300 accounts (seed 4)"));
        var html = await System.IO.File.ReadAllTextAsync(Path.Combine(reportDirectory, "report.html"));
        foreach (var chart in new[] { "price-path.png", "liquidations.png", "insurance-fund.png" })
        {
            Assert.That(html, Does.Contain($"<img src=\"{chart}\""));
            var png = await System.IO.File.ReadAllBytesAsync(Path.Combine(reportDirectory, chart));
            Assert.That(png.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), chart);
            Assert.That(png, Has.Length.GreaterThan(10_000), $"{chart} draws something");
        }
        var rounds = await System.IO.File.ReadAllLinesAsync(Path.Combine(reportDirectory, "rounds.csv"));
        Assert.That(rounds[0], Does.StartWith("round,price BTC"));
        Assert.That(
            JObject.Parse(await System.IO.File.ReadAllTextAsync(Path.Combine(reportDirectory, "report.json")))[
                "venue"
            ]!.ToString(),
            Does.Contain("synthetic")
        );
        var same = await Ledger(
            null,
            "stress",
            "--synthetic",
            "300",
            "--seed",
            "4",
            "--shock",
            "BTCUSDT=-12%",
            "--impact"
        );
        Assert.That(same.Out, Is.EqualTo(run.Out), "the same seed builds the same venue");
    }

    [Test]
    public async Task The_documented_scenario_file_runs_and_compares_its_three_policies()
    {
        Assert.That((await Ledger(Venue, "apply", "--store", File, "-")).ExitCode, Is.Zero);
        var example = Path.Combine(SchemaFilesTests.RepositoryRoot(), "docs", "examples", "stress.json");
        var run = await Ledger(null, "stress", "--store", File, "--scenario", example, "--compare", "--json");
        Assert.That(run.ExitCode, Is.Zero, run.Error);
        var policies = JObject.Parse(run.Out)["policies"]!;
        Assert.That(
            policies.Select(p => (string?)p["name"]),
            Is.EqualTo(new[] { "venue's own", "tight", "full close, larger fund" })
        );
        // a fund a million larger covers alice's deficit that the venue's own 1 000 leaves half uncovered
        Assert.That((string?)policies[0]!["report"]!["uncovered"], Is.Not.EqualTo("0"));
        Assert.That((string?)policies[2]!["report"]!["uncovered"], Is.EqualTo("0"));
        // the same file serves a Monte Carlo study, which draws its own shocks with the file's σ and leaves its path
        var monteCarlo = await Ledger(
            null,
            "stress",
            "--store",
            File,
            "--scenario",
            example,
            "--monte-carlo",
            "20",
            "--json"
        );
        Assert.That(monteCarlo.ExitCode, Is.Zero, monteCarlo.Error);
        Assert.That((string?)JObject.Parse(monteCarlo.Out)["markets"]![0]!["dailyVolatility"], Is.EqualTo("0.04"));
    }
}
