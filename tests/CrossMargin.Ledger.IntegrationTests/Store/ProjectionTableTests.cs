using CrossMargin.Ledger.Application.Apply;
using CrossMargin.Ledger.Application.Requests;
using CrossMargin.Ledger.Cli.Demo;
using CrossMargin.Ledger.Cli.Verbs;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Postgres;
using CrossMargin.Ledger.EventStore.Projections;
using CrossMargin.Ledger.EventStore.Sqlite;
using CrossMargin.Ledger.Hosting;
using CrossMargin.Ledger.Projections;
using Newtonsoft.Json.Linq;
using Snapshooter;
using Snapshooter.NUnit;
using Spectre.Console;

namespace CrossMargin.Ledger.IntegrationTests.Store;

/// <summary>The projection tables (design §7) on each store, for the demo's log.</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class ProjectionTableTests(string kind)
{
    private TempDirectory directory = null!;
    private TempDatabase? database;

    [SetUp]
    public async Task Create()
    {
        directory = new TempDirectory();
        if (kind == "postgres")
            database = await TestPostgres.CreateDatabaseAsync();
    }

    [TearDown]
    public async Task Drop()
    {
        directory.Dispose();
        if (database is not null)
            await database.DisposeAsync();
    }

    internal static async Task<(IEventStore Store, IProjectionStore Projections)> Open(
        string kind,
        TempDirectory directory,
        TempDatabase? database
    )
    {
        if (kind == "postgres")
        {
            var marten = await MartenProjections.OpenAsync(database!.ConnectionString);
            return (marten, new MartenProjections(marten));
        }
        var path = directory.File("projections.db");
        var sqlite = await SqliteEventStore.OpenAsync(path);
        return (sqlite, new SqliteProjections(sqlite));
    }

    /// <summary>Runs the whole demo on the store; the clock is fixed so every store gets the same log.</summary>
    internal static async Task RunDemo(IEventStore store, IProjectionStore projections)
    {
        await using var host = LedgerHost.Over(
            store,
            new FixedClock(DateTimeOffset.UnixEpoch),
            projections,
            leaveOpen: true
        );
        Assert.That(
            await DemoVerb.RunAsync(
                host.Mediator,
                AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }),
                CancellationToken.None
            ),
            Is.Zero
        );
    }

    /// <summary>Applies demo steps <paramref name="skip"/>+1 … <paramref name="skip"/>+<paramref
    /// name="take"/>.</summary>
    private static async Task RunSteps(IEventStore store, int skip, int take)
    {
        await using var host = LedgerHost.Over(store, new FixedClock(DateTimeOffset.UnixEpoch), leaveOpen: true);
        foreach (var step in DemoScript.Steps.Skip(skip).Take(take))
            Assert.That(
                (await LineApplier.ApplyLineAsync(host.Mediator, 0, step.Line, CancellationToken.None)).Outcome,
                Is.Not.Null
            );
    }

    internal static async Task<Dictionary<string, List<string>>> Tables(IProjectionStore projections)
    {
        var tables = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var t in ProjectionTables.All)
            tables[t.Projection] =
            [
                .. (await projections.ReadAsync(t)).Select(r => string.Join(" | ", r.Select(v => v ?? "∅"))),
            ];
        return tables;
    }

    private static string Line(IEnumerable<string?> row) => string.Join(" | ", row.Select(v => v ?? "∅"));

    [Test]
    public async Task The_tables_hold_the_rows_of_the_read_model_folds()
    {
        var (store, projections) = await Open(kind, directory, database);
        await using var _ = store;
        await RunDemo(store, projections);
        Assert.That(await projections.CatchUpAsync(), Is.EqualTo(await store.HeadAsync()));
        await using var host = LedgerHost.Over(store, leaveOpen: true);
        async Task<IReadOnlyList<IReadOnlyList<string?>>> Query(string name, QueryOptions? options = null) =>
            (await host.Mediator.Send(new QueryReadModel(name, null, options ?? new QueryOptions())))!.Rows;
        async Task<List<string?[]>> Rows(ProjectionTable t) => [.. await projections.ReadAsync(t)];
        string[] Sorted(IEnumerable<IEnumerable<string?>> rows) => [.. rows.Select(Line).Order(StringComparer.Ordinal)];

        Assert.Multiple(async () =>
        {
            Assert.That(
                (await Rows(ProjectionTables.Journal)).Select(r => Line(r.Where((_, i) => i != 1))),
                Is.EqualTo((await Query("journal")).Select(Line))
            );
            Assert.That(
                Sorted(await Rows(ProjectionTables.TrialBalance)),
                Is.EqualTo(Sorted((await Query("trial-balance")).Where(r => r[0] != "total")))
            );
            Assert.That(Sorted(await Rows(ProjectionTables.Exposure)), Is.EqualTo(Sorted(await Query("exposure"))));
            Assert.That(
                Sorted((await Rows(ProjectionTables.AccountMargin)).Where(r => r[6] != "0").Select(r => r[..7])),
                Is.EqualTo(Sorted(await Query("at-risk", new QueryOptions(AtRiskThreshold: 0m))))
            );
            Assert.That(
                (await Rows(ProjectionTables.MarginDistribution)).Select(r => Line(r[1..])),
                Is.EqualTo((await Query("margin-distribution")).Select(Line))
            );
            Assert.That(
                Sorted(await Rows(ProjectionTables.InsuranceFund)),
                Is.EqualTo(Sorted(await Query("insurance-fund")))
            );
            Assert.That(
                Sorted(await Rows(ProjectionTables.Liquidations)),
                Is.EqualTo(Sorted(await Query("liquidations")))
            );
            Assert.That(Sorted(await Rows(ProjectionTables.Adl)), Is.EqualTo(Sorted(await Query("adl"))));
            foreach (var symbol in new[] { "BTCUSDT", "ETHUSDT" })
                Assert.That(
                    Sorted(
                        (await Rows(ProjectionTables.LiquidationLadder))
                            .Where(r => r[0] == symbol)
                            .Select(r => r.Where((_, i) => i != 2))
                    ),
                    Is.EqualTo(Sorted(await Query("liquidation-ladder", new QueryOptions(Symbol: symbol))))
                );
            foreach (var account in DemoScript.Accounts)
                Assert.That(
                    (await Rows(ProjectionTables.AccountTimeline))
                        .Where(r => r[0] == account.Value)
                        .Select(r => Line(r[1..])),
                    Is.EqualTo((await Query("account-timeline", new QueryOptions(Account: account.Value))).Select(Line))
                );
        });
    }

    [Test]
    public async Task A_rebuild_gives_the_rows_of_the_live_projection()
    {
        var (store, projections) = await Open(kind, directory, database);
        await using var _ = store;
        await RunDemo(store, projections);
        await projections.CatchUpAsync();
        var live = await Tables(projections);
        Assert.That(live["journal"], Is.Not.Empty);
        foreach (var t in ProjectionTables.All)
            Assert.That(await projections.CountAsync(t), Is.EqualTo(live[t.Projection].Count), t.Projection);
        var single = await projections.RebuildAsync("account-timeline");
        Assert.That(
            single.Position,
            Is.EqualTo(await projections.PositionAsync()),
            "one projection is rebuilt to where the others stand"
        );
        Assert.That(await Tables(projections), Is.EqualTo(live));
        var all = await projections.RebuildAsync(null);
        Assert.That(
            (all.Tables.Count, all.Position),
            Is.EqualTo((ProjectionTables.All.Length, await store.HeadAsync()))
        );
        var rebuilt = await Tables(projections);
        foreach (var t in ProjectionTables.All)
            Assert.That(
                rebuilt[t.Projection],
                Is.EqualTo(live[t.Projection]),
                $"{t.Projection}: rebuilt rows differ from the live ones"
            );
    }

    [Test]
    public async Task A_new_process_continues_from_the_checkpoint()
    {
        var (store, projections) = await Open(kind, directory, database);
        await using (store)
        {
            await RunSteps(store, 0, 18);
            await projections.CatchUpAsync();
        }
        // a second process: its fold starts empty and must first replay up to the checkpoint
        var (again, continued) = await Open(kind, directory, database);
        await using var _ = again;
        await RunSteps(again, 18, DemoScript.Steps.Count - 18);
        Assert.That(await continued.CatchUpAsync(), Is.EqualTo(await again.HeadAsync()));
        var live = await Tables(continued);
        await continued.RebuildAsync(null);
        Assert.That(await Tables(continued), Is.EqualTo(live));
    }

    [Test]
    public async Task The_journal_balances_at_every_global_position()
    {
        var (store, projections) = await Open(kind, directory, database);
        await using var _ = store;
        await RunDemo(store, projections);
        await projections.CatchUpAsync();
        var rows = await projections.ReadAsync(ProjectionTables.Journal);
        Assert.That(rows, Is.Not.Empty);
        var unbalanced = rows.GroupBy(r => (r[0], r[4]))
            .Where(g => g.Sum(r => decimal.Parse(r[5]!, System.Globalization.CultureInfo.InvariantCulture)) != 0m)
            .Select(g => g.Key);
        Assert.That(unbalanced, Is.Empty);
    }

    private static IEnumerable<string> Projections => ProjectionTables.All.Select(t => t.Projection);

    [TestCaseSource(nameof(Projections))]
    public async Task Each_projection_table_of_the_demo_is_reviewed(string projection)
    {
        var (store, projections) = await Open(kind, directory, database);
        await using var _ = store;
        await RunDemo(store, projections);
        await projections.CatchUpAsync();
        var table = ProjectionTables.Of(projection);
        var rows = new JArray(
            (await projections.ReadAsync(table)).Select(r => new JObject(
                table.Columns.Select((c, i) => new JProperty(c.Name, r[i]))
            ))
        );
        // one snapshot per table, shared by both stores: the same log gives the same rows
        Snapshot.Match(rows, SnapshotNameExtension.Create(projection));
    }
}
