using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Sqlite;
using Microsoft.Data.Sqlite;
using Newtonsoft.Json.Linq;

namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>The liquidation verbs through the real program on a real file.</summary>
public sealed class LiquidationCliTests
{
    private TempDirectory directory = null!;

    // a gap through the bankruptcy price: the fund pays alice's 500 deficit (see LiquidationSpecs)
    private static readonly string Gap =
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
            """{"type":"update-price","symbol":"BTCUSDT","price":"57000"}"""
        ) + "\n";

    [SetUp]
    public void Create() => directory = new TempDirectory();

    [TearDown]
    public void Remove() => directory.Dispose();

    private Task<LedgerProcess.Result> Ledger(string? input, params string[] args) =>
        LedgerProcess.Run(directory.Path, input, args);

    [Test]
    public async Task Liquidations_and_explain_describe_what_the_engine_did()
    {
        var apply = await Ledger(Gap, "apply", "-");
        Assert.That(apply.ExitCode, Is.Zero, apply.Error);
        var list = JArray.Parse((await Ledger(null, "liquidations", "--json")).Out);
        var only = (JObject)list.Single();
        Assert.That((string?)only["liquidationId"], Is.EqualTo("alice#1"));
        Assert.That((string?)only["outcome"], Is.EqualTo("bankrupt"));
        Assert.That((long)only["triggerGlobalPosition"]!, Is.EqualTo(6));
        Assert.That((string?)only["insuranceFundDelta"], Is.EqualTo("-500"));
        Assert.That(JArray.Parse((await Ledger(null, "liquidations", "--json", "--account", "bob")).Out), Is.Empty);

        var explain = await Ledger(null, "explain", "alice#1");
        Assert.That(
            explain.Out,
            Does.Contain("Triggered by mark-price-updated.v2 BTCUSDT → 57000 at global position 6")
                .And.Contain("the insurance fund paid 500")
                .And.Contain("After (bankrupt)")
        );
        var json = JObject.Parse((await Ledger(null, "explain", "alice#1", "--json")).Out);
        Assert.That((string?)json["stepsDetail"]![0]!["data"]!["bankruptcyPrice"], Is.EqualTo("58000"));
        var missing = await Ledger(null, "explain", "alice#9");
        Assert.That(
            (missing.ExitCode, missing.Error),
            Is.EqualTo((1, "error: no liquidation 'alice#9'; ids look like alice#1 (ledger liquidations lists them)\n"))
        );
    }

    [Test]
    public async Task Re_execution_catches_a_derived_event_forged_with_valid_hashes()
    {
        await Ledger(Gap, "apply", "-");
        Assert.That(
            (await Ledger(null, "verify", "--reexecute")).Out,
            Does.Contain("re-derived all 4 derived events of 1 liquidation(s)")
        );

        // the forger lowers what the fund covered and rewrites the event's hash and seal: both chains still hold
        var path = directory.File("ledger.db");
        long last;
        await using (var store = await SqliteEventStore.OpenAsync(path))
        {
            var e = (await store.ReadStreamAsync("account-alice"))[^1];
            last = e.GlobalPosition;
            var data = e.Data.Replace(
                "\"coveredByInsuranceFund\":\"500\"",
                "\"coveredByInsuranceFund\":\"400\"",
                StringComparison.Ordinal
            );
            Assert.That(data, Is.Not.EqualTo(e.Data));
            var hash = EventHash.Compute(e.EventId, e.Stream, e.StreamVersion, e.Type, data, e.Metadata, e.PrevHash);
            var seals = new List<Seal>();
            await foreach (var s in store.ReadSealsAsync())
                seals.Add(s);
            var seal = EventHash.Seal(seals[^2].Value, hash);
            await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText =
                "UPDATE events SET data = $d, hash = $h WHERE global_position = $p; UPDATE seals SET seal = $s WHERE "
                + "global_position = $p; UPDATE streams SET last_hash = $h WHERE stream = 'account-alice'";
            command.Parameters.AddWithValue("$d", data);
            command.Parameters.AddWithValue("$h", hash.Hex);
            command.Parameters.AddWithValue("$s", seal.Hex);
            command.Parameters.AddWithValue("$p", last);
            await command.ExecuteNonQueryAsync();
        }
        Assert.That(
            (await Ledger(null, "verify")).ExitCode,
            Is.Zero,
            "the chains alone cannot see a consistent forgery"
        );
        var audit = await Ledger(null, "verify", "--reexecute");
        Assert.That(audit.ExitCode, Is.EqualTo(1));
        Assert.That(
            audit.Error,
            Does.Contain($"re-execution diverges at global position {last}")
                .And.Contain("\"coveredByInsuranceFund\":\"500\"")
                .And.Contain("\"coveredByInsuranceFund\":\"400\"")
        );
    }
}
