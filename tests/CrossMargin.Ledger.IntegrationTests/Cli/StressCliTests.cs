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
        "error: --liquidity, --y and --rounds are for the impact model: add --impact"
    )]
    [TestCase(
        new[] { "--shock", "BTCUSDT=-10%", "--impact", "--liquidity", "BTCUSDT=0.04" },
        "error: --liquidity 'BTCUSDT=0.04': expected MARKET=VOLATILITY,VOLUME"
    )]
    [TestCase(new[] { "--shock", "BTCUSDT=-10%", "--at", "99" }, "error: --at 99 is not a global position of this log")]
    [TestCase(new[] { "--threshold", "BTCUSDT", "--at", "99" }, "error: --at 99 is not a global position of this log")]
    [TestCase(new[] { "--at", "3" }, "error: give either --shock MARKET=MOVE% (a what-if) or --threshold MARKET")]
    [TestCase(
        new[] { "--shock", "BTCUSDT=-10%", "--threshold", "BTCUSDT" },
        "error: give either --shock MARKET=MOVE% (a what-if) or --threshold MARKET"
    )]
    [TestCase(new[] { "--shock", "BTCUSDT=-10%", "--rounds", "3" }, "error: --liquidity, --y and --rounds are for")]
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
        "error: the tolerance must be above 0 and below 1"
    )]
    [TestCase(
        new[] { "--shock", "BTCUSDT=48000.123456789" },
        "error: round 1: the price 48000.123456789 for BTCUSDT is refused"
    )]
    public async Task A_stress_that_cannot_run_says_why_and_exits_1(string[] args, string error)
    {
        Assert.That((await Ledger(Venue, "apply", "--store", File, "-")).ExitCode, Is.Zero);
        var before = await Fingerprint();
        var run = await Ledger(null, ["stress", "--store", File, .. args]);
        Assert.That(run.ExitCode, Is.EqualTo(1), run.Out);
        Assert.That(run.Error.Trim(), Does.StartWith(error));
        Assert.That(await Fingerprint(), Is.EqualTo(before));
    }
}
