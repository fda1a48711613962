using System.Collections.Concurrent;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Postgres;
using static CrossMargin.Ledger.IntegrationTests.Store.Appends;

namespace CrossMargin.Ledger.IntegrationTests.Store;

/// <summary>What only the PostgreSQL store has to prove: concurrent writers, the high-water mark, tampering in the
/// database.</summary>
public sealed class PostgresStoreTests
{
    private TempDatabase database = null!;

    [SetUp]
    public async Task Create() => database = await TestPostgres.CreateDatabaseAsync();

    [TearDown]
    public async Task Drop() => await database.DisposeAsync();

    private static async Task<List<StoredEvent>> ReadAll(MartenEventStore store, long after = 0)
    {
        var list = new List<StoredEvent>();
        await foreach (var e in store.ReadAllAsync(after))
            list.Add(e);
        return list;
    }

    [Test]
    public async Task A_follower_sees_every_event_of_concurrent_writers_once_in_a_reproducible_order()
    {
        const int writers = 6,
            commandsPerWriter = 60;
        await using (await MartenEventStore.OpenAsync(database.ConnectionString)) { } // schema once, before the race
        var committed = new ConcurrentBag<StoredEvent>();
        var seen = new List<StoredEvent>();
        using var done = new CancellationTokenSource();

        async Task Writer(int w)
        {
            await using var store = await MartenEventStore.OpenAsync(database.ConnectionString);
            for (var i = 1; i <= commandsPerWriter; i++)
            {
                // its own account (expected version pinned) and the shared fee account (Any): writers take turns
                var account = $"w{w}";
                var result = await store.AppendAsync(
                    Request(
                        $"w{w}-{i}",
                        [("account-" + account, i - 1), ("fee-account", ExpectedVersion.Any)],
                        Deposit(account, 1m, i),
                        New("fee-account", new Events.TradingFeeCollected(account, "BTCUSDT", "USDT", 0.5m))
                    )
                );
                foreach (var e in result.Events)
                    committed.Add(e);
            }
        }

        async Task Follower()
        {
            await using var store = await MartenEventStore.OpenAsync(database.ConnectionString);
            var after = 0L;
            while (true)
            {
                var finished = done.IsCancellationRequested;
                var page = await ReadAll(store, after);
                seen.AddRange(page);
                if (page.Count > 0)
                    after = page[^1].GlobalPosition;
                await store.CatchUpAsync(); // the daemon's followers (the seal chain) run alongside the writers
                if (finished && seen.Count >= committed.Count)
                    return;
                await Task.Delay(5);
            }
        }

        async Task Gaps()
        {
            // sequence numbers taken and never used, as by killed writers: the gaps readers must pass
            while (!done.IsCancellationRequested)
            {
                await database.ExecuteAsync("SELECT nextval('ledger.mt_events_sequence')");
                await Task.Delay(20);
            }
        }

        var follower = Follower();
        var gaps = Gaps();
        await Task.WhenAll(Enumerable.Range(1, writers).Select(Writer));
        await done.CancelAsync();
        await gaps;
        await follower.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.That(committed, Has.Count.EqualTo(writers * commandsPerWriter * 2));
        Assert.That(seen.Select(e => e.EventId), Is.Unique, "no event seen twice");
        Assert.That(
            seen.Select(e => e.EventId),
            Is.EquivalentTo(committed.Select(e => e.EventId)),
            "every committed event seen"
        );
        Assert.That(seen.Select(e => e.GlobalPosition), Is.Ordered.Ascending);
        Assert.That(
            Convert.ToInt64(
                await database.ScalarAsync("SELECT max(seq_id) FROM ledger.mt_events"),
                System.Globalization.CultureInfo.InvariantCulture
            ),
            Is.GreaterThan(seen.Count),
            "some sequence numbers were never used"
        );
        await using var reader = await MartenEventStore.OpenAsync(database.ConnectionString);
        Assert.That(
            (await ReadAll(reader)).Select(e => e.EventId),
            Is.EqualTo(seen.Select(e => e.EventId)),
            "a second full read gives the same order"
        );
        var report = await ChainVerifier.VerifyAsync(reader);
        Assert.That(report.Intact, report.Problem);
        Assert.That(
            (report.EventsChecked, report.SealsChecked, report.Unsealed),
            Is.EqualTo((seen.Count, (long)seen.Count, 0L)),
            "the daemon sealed every event, none skipped"
        );
    }

    [Test]
    public async Task A_rolled_back_append_leaves_a_gap_that_readers_pass_once_it_is_proven_dead()
    {
        await using var store = await MartenEventStore.OpenAsync(database.ConnectionString);
        await store.AppendAsync(Request("c1", [("account-a", 0)], Deposit("a", 1m, 1m)));
        // a sequence number is taken and rolled back, as by a writer that lost a race
        await database.ExecuteAsync("BEGIN; SELECT nextval('ledger.mt_events_sequence'); ROLLBACK;");
        await store.AppendAsync(Request("c2", [("account-a", 1)], Deposit("a", 1m, 2m)));
        var positions = new List<long>();
        for (var i = 0; i < 100 && positions.Count < 2; i++)
        {
            positions = [.. (await ReadAll(store)).Select(e => e.GlobalPosition)];
            await Task.Delay(100);
        }
        Assert.That(
            positions,
            Is.EqualTo(new[] { 1L, 3L }),
            "position 2 was never committed; the mark passes it once no transaction can fill it"
        );
        Assert.That((await ChainVerifier.VerifyAsync(store)).Intact);
    }

    [Test]
    public async Task Tampering_in_the_database_is_detected_and_located()
    {
        await using (var store = await MartenEventStore.OpenAsync(database.ConnectionString))
        {
            await store.AppendAsync(Request("c1", [("account-a", 0)], Deposit("a", 1m, 1m), Deposit("a", 2m, 3m)));
            await store.AppendAsync(Request("c2", [("account-b", 0)], Deposit("b", 5m, 5m)));
            Assert.That((await ChainVerifier.VerifyAsync(store)).Intact);
        }
        await database.ExecuteAsync(
            "UPDATE ledger.mt_events SET data = jsonb_set(data, '{amount}', '\"20\"') WHERE stream_id = 'account-a' "
                + "AND version = 2"
        );
        await using (var store = await MartenEventStore.OpenAsync(database.ConnectionString))
        {
            var report = await ChainVerifier.VerifyAsync(store);
            Assert.That(report.BrokenAt, Is.EqualTo(2));
            Assert.That(report.Problem, Does.Contain("account-a v2").And.Contain("the event was altered"));
        }
        await database.ExecuteAsync(
            """
            UPDATE ledger.mt_events SET data = jsonb_set(data, '{amount}', '"2"') WHERE stream_id = 'account-a' AND
                version = 2;
            DELETE FROM ledger.mt_events WHERE seq_id = 2;
            """
        );
        await using (var store = await MartenEventStore.OpenAsync(database.ConnectionString))
        {
            var report = await ChainVerifier.VerifyAsync(store);
            Assert.That(report.BrokenAt, Is.EqualTo(3));
            Assert.That(report.Problem, Does.Contain("an event is missing"));
        }
    }

    [Test]
    public async Task A_batch_appends_its_commands_in_order_in_one_transaction_or_not_at_all()
    {
        await using var store = await MartenEventStore.OpenAsync(database.ConnectionString);
        var results = await store.AppendBatchAsync([
            Request("b1", [("account-a", 0)], Deposit("a", 1m, 1m)),
            Request("b2", [("account-b", 0)], Deposit("b", 2m, 2m)),
            Request("b3", [("account-a", 1)], Deposit("a", 3m, 4m), Deposit("a", 1m, 5m)),
        ]);
        Assert.That(results.Select(r => r.Events.Count), Is.EqualTo(new[] { 1, 1, 2 }));
        var all = await ReadAll(store);
        Assert.That(
            all.Select(e => (e.Metadata.CommandId, e.Stream, e.StreamVersion)),
            Is.EqualTo(
                new[]
                {
                    ("b1", "account-a", 1L),
                    ("b2", "account-b", 1L),
                    ("b3", "account-a", 2L),
                    ("b3", "account-a", 3L),
                }
            )
        );
        Assert.That(
            all.Select(e => e.GlobalPosition),
            Is.EqualTo(results.SelectMany(r => r.Events).Select(e => e.GlobalPosition))
        );
        Assert.That(
            (
                await store.FindCommandAsync(
                    "b3",
                    Request("b3", [], Deposit("a", 3m, 4m), Deposit("a", 1m, 5m)).PayloadHash
                )
            )!.Events,
            Has.Count.EqualTo(2)
        );

        Assert.ThrowsAsync<WrongExpectedVersionException>(() =>
            store.AppendBatchAsync([
                Request("b4", [("account-c", 0)], Deposit("c", 1m, 1m)),
                Request("b5", [("account-a", 1)], Deposit("a", 1m, 2m)),
            ])
        );
        Assert.ThrowsAsync<CommandAlreadyRecordedException>(() =>
            store.AppendBatchAsync([Request("b6", [("account-c", 0)], Deposit("c", 1m, 1m)), Request("b1", [], [])])
        );
        Assert.That(await ReadAll(store), Has.Count.EqualTo(4), "a failed batch appends none of its commands");
        Assert.That(await store.FindCommandAsync("b4", Digest.OfUtf8("x")), Is.Null);
        Assert.That((await ChainVerifier.VerifyAsync(store)).Intact);
    }

    [Test]
    public async Task Grouped_apply_on_postgres_decides_exactly_as_one_command_at_a_time_on_sqlite()
    {
        // the bench workload: listings, deposits, orders both ways and mark moves, in groups of 100 on PostgreSQL
        var lines = string.Join('\n', CrossMargin.Ledger.Cli.Verbs.BenchWorkload.Lines(2600, seed: 7));
        using var directory = new TempDirectory();
        async Task<List<(string, long, string, string)>> Run(IEventStore store)
        {
            await using var host = CrossMargin.Ledger.Hosting.LedgerHost.Over(
                store,
                new FixedClock(DateTimeOffset.UnixEpoch)
            );
            await CrossMargin.Ledger.Application.Apply.LineApplier.RunAsync(
                host.Mediator,
                new StringReader(lines),
                _ => Task.CompletedTask,
                CancellationToken.None
            );
            var events = new List<(string, long, string, string)>();
            await foreach (var e in store.ReadAllAsync())
                events.Add((e.Stream, e.StreamVersion, e.Type, e.Data));
            return events;
        }
        var sequential = await Run(await EventStore.Sqlite.SqliteEventStore.OpenAsync(directory.File("one-by-one.db")));
        var grouped = await Run(await MartenEventStore.OpenAsync(database.ConnectionString));
        Assert.That(sequential, Has.Count.GreaterThan(2600));
        Assert.That(grouped, Is.EqualTo(sequential));
    }

    [Test]
    public async Task The_schema_is_migrated_in_place_and_never_dropped()
    {
        await using (var store = await MartenEventStore.OpenAsync(database.ConnectionString))
            await store.AppendAsync(Request("c1", [("account-a", 0)], Deposit("a", 1m, 1m)));
        await using (var again = await MartenEventStore.OpenAsync(database.ConnectionString))
            Assert.That((await again.ReadStreamAsync("account-a")).Single().Metadata.CommandId, Is.EqualTo("c1"));
    }

    [TestCase(
        "postgres://alice:s%40cret@db.example:6543/ledger?sslmode=require",
        "Host=db.example;Port=6543;Database=ledger;Username=alice;Password=s@cret;SSL Mode=Require"
    )]
    [TestCase("postgresql://db.example/ledger", "Host=db.example;Port=5432;Database=ledger")]
    [TestCase("Host=localhost;Database=ledger", "Host=localhost;Database=ledger")]
    public void Connection_strings_and_urls_are_accepted(string given, string expected)
    {
        Assert.That(PostgresConnection.IsPostgres(given));
        Assert.That(PostgresConnection.Normalize(given), Is.EqualTo(expected));
    }

    [TestCase("ledger.db")]
    [TestCase("/var/lib/ledger/main.db")]
    public void A_file_path_is_not_a_server(string path) => Assert.That(PostgresConnection.IsPostgres(path), Is.False);

    [Test]
    public void A_malformed_url_is_refused_with_what_is_wrong() =>
        Assert.That(
            () => PostgresConnection.Normalize("postgres://db.example/ledger?nosuchoption=1"),
            Throws
                .TypeOf<FormatException>()
                .With.Message.Contains(
                    "PostgreSQL URL parameter 'nosuchoption' in 'postgres://db.example/ledger?nosuchoption=1' is "
                        + "unknown or has a bad value"
                )
        );
}
