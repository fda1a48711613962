using CrossMargin.Ledger.Application.Requests;
using CrossMargin.Ledger.Cli.Verbs;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.InMemory;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.Hosting;
using CrossMargin.Ledger.Projections;
using Snapshooter.NUnit;
using Spectre.Console;

namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>Read models on the demo's log: snapshots, as-of answers, and the CLI formats.</summary>
public sealed class ReadModelCliTests
{
    private static async Task<LedgerHost> Demo()
    {
        var host = LedgerHost.Over(new InMemoryEventStore(), new FixedClock(DateTimeOffset.UnixEpoch));
        await DemoVerb.RunAsync(
            host.Mediator,
            AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }),
            CancellationToken.None
        );
        return host;
    }

    private static QueryOptions OptionsFor(string name) =>
        name switch
        {
            "liquidation-ladder" => new QueryOptions(Symbol: "BTCUSDT", LadderLevels: 8),
            "account-timeline" => new QueryOptions(Account: "alice"),
            _ => new QueryOptions(AtRiskThreshold: 0.3m),
        };

    private static IEnumerable<string> Names => ReadModels.Catalog.Keys.Order(StringComparer.Ordinal);

    [TestCaseSource(nameof(Names))]
    public async Task Each_read_model_of_the_demo_is_reviewed(string name)
    {
        await using var host = await Demo();
        var result = await host.Mediator.Send(new QueryReadModel(name, null, OptionsFor(name)));
        Snapshot.Match(QueryVerb.Json(result!));
    }

    [Test]
    public async Task An_as_of_answer_equals_the_answer_of_a_log_cut_at_that_position()
    {
        await using var host = await Demo();
        var cut = new InMemoryEventStore();
        await using var cutHost = LedgerHost.Over(cut);
        var copied = 0;
        await foreach (var e in host.Store.ReadAllAsync(0, 30))
        {
            copied++;
            await cut.AppendAsync(
                new AppendRequest(
                    e.Metadata with
                    {
                        CommandId = "copy-" + copied,
                    },
                    Digest.OfUtf8("copy-" + copied),
                    [new NewEvent(e.Stream, e.Type, e.Data)],
                    System.Collections.Immutable.ImmutableDictionary<string, ExpectedVersion>.Empty
                )
            );
        }
        foreach (var name in ReadModels.Catalog.Keys)
        {
            var past = await host.Mediator.Send(new QueryReadModel(name, 30, OptionsFor(name)));
            var head = await cutHost.Mediator.Send(new QueryReadModel(name, null, OptionsFor(name)));
            Assert.That(QueryVerb.Json(past!).ToString(), Is.EqualTo(QueryVerb.Json(head!).ToString()), name);
        }
        Assert.That(await host.Mediator.Send(new QueryReadModel("exposure", 999, new QueryOptions())), Is.Null);
    }

    [Test]
    public async Task The_cli_prints_csv_and_json_and_explains_bad_requests()
    {
        using var directory = new TempDirectory();
        await LedgerProcess.Run(directory.Path, null, "demo");
        var csv = await LedgerProcess.Run(
            directory.Path,
            null,
            "query",
            "trial-balance",
            "--csv",
            "--store",
            "demo.db"
        );
        Assert.That(csv.Lines[0], Is.EqualTo("ledgerAccount,asset,balance"));
        Assert.That(csv.Lines, Does.Contain("total,USDT,0").And.Contain("total,BTC,0"));
        var quoted = await LedgerProcess.Run(
            directory.Path,
            null,
            "query",
            "margin-distribution",
            "--csv",
            "--store",
            "demo.db"
        );
        Assert.That(quoted.Lines[1], Does.StartWith("\"[0, 0.1)\","));
        var json = Newtonsoft.Json.Linq.JObject.Parse(
            (
                await LedgerProcess.Run(
                    directory.Path,
                    null,
                    "query",
                    "exposure",
                    "--json",
                    "--at",
                    "20",
                    "--store",
                    "demo.db"
                )
            ).Out
        );
        Assert.That((long)json["globalPosition"]!, Is.EqualTo(20));
        var missing = await LedgerProcess.Run(
            directory.Path,
            null,
            "query",
            "liquidation-ladder",
            "--store",
            "demo.db"
        );
        Assert.That((missing.ExitCode, missing.Error), Is.EqualTo((1, "error: liquidation-ladder needs --symbol\n")));
        var unknown = await LedgerProcess.Run(directory.Path, null, "query", "balance-sheet", "--store", "demo.db");
        Assert.That(unknown.ExitCode, Is.Not.Zero);
        Assert.That(unknown.Error, Does.Contain("balance-sheet"));
    }
}
