using Newtonsoft.Json.Linq;

namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>The CLI contract of docs/cli.md, exercised through the real program on real files.</summary>
public sealed class CliEndToEndTests
{
    private TempDirectory directory = null!;

    private const string Listing =
        """{"type":"list-instrument","symbol":"BTCUSDT","base":"BTC","quote":"USDT","tiers":[{"floor":0,"""
        + """ "mmr":"0.004","maxLeverage":125},{"floor":50000,"mmr":"0.005","maxLeverage":100}],"""
        + """ "takerFeeRate":"0.0004","liquidationFeeRate":"0.005","quantityStep":"0.001","tickSize":"0.1"}""";
    private const string Mark = """{"type":"update-price","symbol":"BTCUSDT","price":60000}""";
    private const string Deposit =
        """{"type":"deposit","account":"alice","asset":"USDT","amount":"10000","commandId":"dep-1","""
        + """ "at":"2026-02-01T00:00:00Z","actor":"ops"}""";
    private const string Open =
        """{"type":"open-position","account":"alice","symbol":"BTCUSDT","side":"long","quantity":"0.5","""
        + """ "price":"60000"}""";

    [SetUp]
    public void Create() => directory = new TempDirectory();

    [TearDown]
    public void Remove() => directory.Dispose();

    private Task<LedgerProcess.Result> Ledger(string? input, params string[] args) =>
        LedgerProcess.Run(directory.Path, input, args);

    /// <summary>Parses CLI output as a consumer should: timestamps stay strings.</summary>
    private static class Json
    {
        public static JObject Object(string text) => (JObject)Token(text);

        public static JArray Array(string text) => (JArray)Token(text);

        private static JToken Token(string text)
        {
            using var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(text))
            {
                DateParseHandling = Newtonsoft.Json.DateParseHandling.None,
            };
            return JToken.Load(reader);
        }
    }

    private static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    [Test]
    public async Task Apply_prints_one_result_per_line_and_exits_zero_when_all_are_accepted()
    {
        var result = await Ledger(Lines(Listing, Mark, Deposit, Open), "apply", "-");
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        var lines = result.Lines.Select(Json.Object).ToArray();
        Assert.That(lines.Select(l => (int)l["line"]!), Is.EqualTo(new[] { 1, 2, 3, 4 }));
        Assert.That(lines.All(l => (string?)l["status"] == "accepted"));
        var fill = lines[3]["events"]![0]!;
        Assert.That((long)fill["globalPosition"]!, Is.EqualTo(4));
        Assert.That((string?)fill["type"], Is.EqualTo("trade-filled.v1"));
        Assert.That((string?)fill["data"]!["fee"], Is.EqualTo("12")); // 0.5 × 60 000 × 0.0004
        Assert.That(
            File.Exists(directory.File("ledger.db")),
            "the default store is ledger.db in the working directory"
        );
    }

    [Test]
    public async Task Apply_exits_two_when_a_rule_rejects_a_line_and_appends_nothing_for_it()
    {
        var withdraw = """{"type":"withdraw","account":"alice","asset":"USDT","amount":"10000.5"}""";
        var result = await Ledger(
            Lines(Listing, Mark, Deposit, withdraw, Open),
            "apply",
            "-",
            "--store",
            "sqlite:rules.db"
        );
        Assert.That(result.ExitCode, Is.EqualTo(2));
        var rejected = Json.Object(result.Lines[3]);
        Assert.That((string?)rejected["status"], Is.EqualTo("rejected"));
        Assert.That((string?)rejected["code"], Is.EqualTo("InsufficientBalance"));
        Assert.That((string?)rejected["message"], Does.Contain("holds 10000 USDT, cannot withdraw 10000.5"));
        Assert.That((string?)Json.Object(result.Lines[4])["status"], Is.EqualTo("accepted"), "later lines still run");
        var verify = await Ledger(null, "verify", "--store", "sqlite:rules.db");
        Assert.That(verify.Out, Does.Contain("OK: 5 events"));
    }

    [Test]
    public async Task Apply_stops_at_a_malformed_line_keeping_the_lines_before_it()
    {
        var file = directory.File("input.jsonl");
        await File.WriteAllTextAsync(
            file,
            Lines(Listing, Mark, """{"type":"deposit","account":"alice","asset":"USDT","amount":"1O"}""", Deposit)
        );
        var result = await Ledger(null, "apply", file);
        Assert.That(result.ExitCode, Is.EqualTo(1));
        var last = Json.Object(result.Lines[^1]);
        Assert.That((string?)last["status"], Is.EqualTo("malformed"));
        Assert.That((string?)last["message"], Does.StartWith("line 3: amount:"));
        Assert.That(result.Lines, Has.Length.EqualTo(3), "line 4 is not applied");
        var head = await Ledger(null, "verify");
        Assert.That(head.Out, Does.Contain("OK: 2 events"));
    }

    [Test]
    public async Task A_resent_command_id_prints_the_first_result()
    {
        await Ledger(Lines(Listing, Mark, Deposit), "apply", "-");
        var again = await Ledger(Lines(Deposit), "apply", "-");
        var line = Json.Object(again.Lines.Single());
        Assert.That((bool?)line["duplicate"], Is.True);
        Assert.That((long)line["events"]![0]!["globalPosition"]!, Is.EqualTo(3));
        var reused = await Ledger(Lines(Deposit.Replace("\"10000\"", "\"5\"", StringComparison.Ordinal)), "apply", "-");
        Assert.That(reused.ExitCode, Is.EqualTo(1));
        Assert.That(reused.Out, Does.Contain("command id 'dep-1' was already used for a different command"));
    }

    [Test]
    public async Task Account_prints_the_margin_state_as_json_now_and_as_of_a_position()
    {
        await Ledger(
            Lines(Listing, Mark, Deposit, Open, """{"type":"update-price","symbol":"BTCUSDT","price":"59000"}"""),
            "apply",
            "-"
        );
        var now = Json.Object((await Ledger(null, "account", "alice", "--json")).Out);
        Assert.That((long)now["globalPosition"]!, Is.EqualTo(6));
        Assert.That((string?)now["equity"], Is.EqualTo("9488")); // 10 000 − 12 fee + 0.5 × (59 000 − 60 000)
        Assert.That((string?)now["maintenanceMargin"], Is.EqualTo("118")); // 29 500 × 0.004
        Assert.That((string?)now["positions"]![0]!["size"], Is.EqualTo("0.5"));
        Assert.That(now["marginRatio"]!.Type, Is.EqualTo(JTokenType.String));
        var before = Json.Object((await Ledger(null, "account", "alice", "--json", "--at", "3")).Out);
        Assert.That((string?)before["equity"], Is.EqualTo("10000"));
        Assert.That((JArray)before["positions"]!, Is.Empty);
        var table = await Ledger(null, "account", "alice");
        Assert.That(table.Out, Does.Contain("equity").And.Contain("9488").And.Contain("liquidation price"));
        var missing = await Ledger(null, "account", "nobody");
        Assert.That(missing.ExitCode, Is.EqualTo(1));
        Assert.That(missing.Error, Does.Contain("account 'nobody' has no events"));
        var past = await Ledger(null, "account", "alice", "--at", "99");
        Assert.That(past.Error, Does.Contain("--at 99 is not a global position of this log (0 to 6)"));
    }

    [Test]
    public async Task History_lists_the_account_events_with_the_state_after_each()
    {
        await Ledger(Lines(Listing, Mark, Deposit, Open), "apply", "-");
        var history = Json.Array((await Ledger(null, "history", "alice", "--json")).Out);
        Assert.That(
            history.Select(h => (string?)h["type"]),
            Is.EqualTo(new[] { "funds-deposited.v1", "trade-filled.v1" })
        );
        Assert.That((string?)history[0]!["metadata"]!["actor"], Is.EqualTo("ops"));
        Assert.That((string?)history[0]!["metadata"]!["recordedAt"], Is.EqualTo("2026-02-01T00:00:00.0000000Z"));
        Assert.That((string?)history[1]!["marginAfter"]!["initialMargin"], Is.EqualTo("240")); // 30 000 / 125
        Assert.That((string?)history[1]!["prevHash"], Is.EqualTo((string?)history[0]!["hash"]));
    }

    [Test]
    public async Task Verify_names_the_first_altered_event()
    {
        await Ledger(Lines(Listing, Mark, Deposit, Open), "apply", "-");
        await using (
            var connection = new Microsoft.Data.Sqlite.SqliteConnection(
                $"Data Source={directory.File("ledger.db")};Pooling=False"
            )
        )
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText =
                "UPDATE events SET data = replace(data, '\"10000\"', '\"90000\"') WHERE global_position = 3";
            await command.ExecuteNonQueryAsync();
        }
        var verify = await Ledger(null, "verify");
        Assert.That(verify.ExitCode, Is.EqualTo(1));
        Assert.That(verify.Error, Does.Contain("chain broken at global position 3").And.Contain("account-alice v1"));
    }

    [Test]
    public async Task Bad_store_and_file_arguments_are_explained()
    {
        var postgres = await Ledger(null, "account", "alice", "--store", "Host=127.0.0.1;Port=1;Database=ledger");
        Assert.That(postgres.ExitCode, Is.EqualTo(1));
        Assert.That(postgres.Error, Does.Contain("PostgreSQL 127.0.0.1:1/ledger cannot be opened as a ledger"));
        var url = await Ledger(null, "account", "alice", "--store", "postgres://db.example/ledger?nosuchoption=1");
        Assert.That(
            url.Error,
            Does.Contain("PostgreSQL URL parameter 'nosuchoption'").And.Contain("is unknown or has a bad value")
        );
        var missing = await Ledger(null, "apply", "nope.jsonl");
        Assert.That(missing.Error, Does.Contain("input file 'nope.jsonl' does not exist"));
    }

    [Test]
    public async Task The_demo_runs_on_a_fresh_file_and_its_ledger_verifies()
    {
        var demo = await Ledger(null, "demo");
        Assert.That(demo.ExitCode, Is.Zero, demo.Error);
        Assert.That(
            demo.Out,
            Does.Contain("rejected LeverageAboveTierMaximum")
                .And.Contain("already recorded")
                .And.Contain("hash chain and seal chain verified over 47 events")
                .And.Contain("ledger explain alice#1")
                .And.Contain("re-execution agrees")
        );
        var again = await Ledger(null, "demo");
        Assert.That(again.Out, Is.EqualTo(demo.Out), "the demo recreates its file: the same run every time");
        Assert.That(
            (await Ledger(null, "verify", "--reexecute", "--store", "demo.db")).Out,
            Does.Contain("OK: 47 events").And.Contain("re-derived all 10 derived events of 2 liquidation(s)")
        );
    }
}
