using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.InMemory;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Postgres;
using CrossMargin.Ledger.EventStore.Sqlite;
using static CrossMargin.Ledger.IntegrationTests.Store.Appends;

namespace CrossMargin.Ledger.IntegrationTests.Store;

/// <summary>The observable behaviour every event store must have (design §6), run against each adapter.</summary>
[TestFixture(typeof(InMemoryEventStore))]
[TestFixture(typeof(SqliteEventStore))]
[TestFixture(typeof(MartenEventStore))]
public sealed class StoreContract(Type adapter)
{
    private TempDirectory directory = null!;
    private TempDatabase? database;
    private IEventStore store = null!;

    [SetUp]
    public async Task Open()
    {
        directory = new TempDirectory();
        if (adapter == typeof(MartenEventStore))
            database = await TestPostgres.CreateDatabaseAsync();
        store =
            adapter == typeof(SqliteEventStore) ? await SqliteEventStore.OpenAsync(directory.File("contract.db"))
            : adapter == typeof(MartenEventStore) ? await MartenEventStore.OpenAsync(database!.ConnectionString)
            : new InMemoryEventStore();
    }

    [TearDown]
    public async Task Close()
    {
        await store.DisposeAsync();
        directory.Dispose();
        if (database is not null)
            await database.DisposeAsync();
    }

    private async Task<List<StoredEvent>> All(long after = 0, long? to = null)
    {
        var list = new List<StoredEvent>();
        await foreach (var e in store.ReadAllAsync(after, to))
            list.Add(e);
        return list;
    }

    [Test]
    public async Task Appends_number_streams_from_one_and_the_log_without_gaps()
    {
        await store.AppendAsync(Request("c1", [("account-a", 0)], Deposit("a", 1m, 1m), Deposit("a", 2m, 3m)));
        await store.AppendAsync(Request("c2", [("account-b", 0)], Deposit("b", 5m, 5m)));
        var all = await All();
        Assert.That(
            all.Select(e => (e.Stream, e.StreamVersion, e.GlobalPosition)),
            Is.EqualTo(new[] { ("account-a", 1L, 1L), ("account-a", 2L, 2L), ("account-b", 1L, 3L) })
        );
        Assert.That((await store.ReadStreamAsync("account-a", afterVersion: 1)).Single().GlobalPosition, Is.EqualTo(2));
        Assert.That(await store.HeadAsync(), Is.EqualTo(3));
        Assert.That((await All(after: 1, to: 2)).Select(e => e.GlobalPosition), Is.EqualTo(new[] { 2L }));
    }

    [Test]
    public async Task Texts_are_the_folds_part_of_the_events_over_any_range()
    {
        // more than a SQLite page (4 096), in streams and commands of several sizes
        for (var c = 0; c < 9; c++)
            await store.AppendAsync(
                Request(
                    $"c{c}",
                    [($"account-a{c % 3}", ExpectedVersion.Any)],
                    [.. Enumerable.Range(1, 500 + 37 * c).Select(i => Deposit($"a{c % 3}", i, i))]
                )
            );
        var head = await store.HeadAsync();
        Assert.That(head, Is.GreaterThan(5_000));
        foreach (
            var (after, to) in new (long, long?)[]
            {
                (0, null),
                (0, 4_096),
                (4_095, 4_097),
                (17, 4_500),
                (head, null),
                (head - 1, head + 9),
            }
        )
        {
            var texts = await store.ReadTextsAsync(after, to).ToListAsync();
            var whole = await All(after, to);
            Assert.That(texts, Is.EqualTo(whole.Select(EventText.Of)), $"after {after}, to {to}");
            Assert.That(texts, Has.Count.EqualTo(Math.Min(to ?? head, head) - after));
        }
    }

    [Test]
    public async Task Keeps_metadata_and_data_as_given()
    {
        var stored = (
            await store.AppendAsync(Request("c1", [("account-a", 0)], Deposit("a", 1.5m, 1.5m)))
        ).Events.Single();
        var read = (await store.ReadStreamAsync("account-a")).Single();
        Assert.That(read, Is.EqualTo(stored));
        Assert.That(read.Metadata, Is.EqualTo(Meta("c1")));
        Assert.That(read.Data, Is.EqualTo("""{"account":"a","asset":"USDT","amount":"1.5","balanceAfter":"1.5"}"""));
        Assert.That(read.EventId, Is.EqualTo(EventHash.EventId("c1", 0)));
    }

    [Test]
    public async Task A_stale_expected_version_appends_nothing()
    {
        await store.AppendAsync(Request("c1", [("account-a", 0)], Deposit("a", 1m, 1m)));
        var conflict = Assert.ThrowsAsync<WrongExpectedVersionException>(() =>
            store.AppendAsync(Request("c2", [("account-a", 0)], Deposit("a", 1m, 2m)))
        );
        Assert.That(conflict!.Message, Does.Contain("account-a is at version 1, the append expected 0"));
        Assert.That(await store.HeadAsync(), Is.EqualTo(1));
        Assert.That(
            await store.FindCommandAsync("c2", Digest.OfUtf8("any")),
            Is.Null,
            "a failed command is not recorded"
        );
    }

    [Test]
    public async Task Any_skips_the_version_check()
    {
        await store.AppendAsync(
            Request(
                "c1",
                [("fee-account", ExpectedVersion.Any)],
                New("fee-account", new Events.TradingFeeCollected("a", "BTCUSDT", "USDT", 1m))
            )
        );
        await store.AppendAsync(
            Request(
                "c2",
                [("fee-account", ExpectedVersion.Any)],
                New("fee-account", new Events.TradingFeeCollected("b", "BTCUSDT", "USDT", 2m))
            )
        );
        Assert.That((await store.ReadStreamAsync("fee-account")).Count, Is.EqualTo(2));
    }

    [Test]
    public async Task A_multi_stream_command_is_all_or_nothing()
    {
        await store.AppendAsync(Request("c1", [("account-b", 0)], Deposit("b", 1m, 1m)));
        // account-a is new (0) but account-b is at 1, not 0: neither event may land
        Assert.ThrowsAsync<WrongExpectedVersionException>(() =>
            store.AppendAsync(
                Request("c2", [("account-a", 0), ("account-b", 0)], Deposit("a", 1m, 1m), Deposit("b", 1m, 2m))
            )
        );
        Assert.That(await store.ReadStreamAsync("account-a"), Is.Empty);
        Assert.That((await All()).Count, Is.EqualTo(1));
    }

    [Test]
    public async Task A_command_keeps_its_events_in_the_order_decided_across_streams()
    {
        // a, b, a: a store that groups by stream would put both a events first
        var result = await store.AppendAsync(
            Request(
                "c1",
                [("account-a", 0), ("account-b", 0)],
                Deposit("a", 1m, 1m),
                Deposit("b", 2m, 2m),
                Deposit("a", 3m, 4m)
            )
        );
        var all = await All();
        Assert.That(
            all.Select(e => (e.Stream, e.StreamVersion)),
            Is.EqualTo(new[] { ("account-a", 1L), ("account-b", 1L), ("account-a", 2L) })
        );
        Assert.That(all.Select(e => e.GlobalPosition), Is.EqualTo(result.Events.Select(e => e.GlobalPosition)));
        Assert.That(all.Select(e => e.GlobalPosition), Is.Ordered.Ascending);
        Assert.That((await ChainVerifier.VerifyAsync(store)).Intact);
    }

    [Test]
    public async Task A_resent_command_returns_the_first_result_and_appends_nothing()
    {
        var first = await store.AppendAsync(Request("c1", [("account-a", 0)], Deposit("a", 1m, 1m)));
        // the resend was decided on newer state (expected 1) — it must still be answered from the first send
        var again = await store.AppendAsync(Request("c1", [("account-a", 1)], Deposit("a", 1m, 1m)));
        Assert.That(again.Duplicate, Is.True);
        Assert.That(again.Events, Is.EqualTo(first.Events));
        Assert.That(await store.HeadAsync(), Is.EqualTo(1));
        Assert.That(
            (
                await store.FindCommandAsync(
                    "c1",
                    first.Events.Count == 1 ? RequestHash("c1", Deposit("a", 1m, 1m)) : Digest.Genesis
                )
            )!.Events,
            Is.EqualTo(first.Events)
        );
    }

    private static Digest RequestHash(string id, params NewEvent[] events) => Request(id, [], events).PayloadHash;

    [Test]
    public async Task A_command_id_reused_for_other_content_is_refused()
    {
        await store.AppendAsync(Request("c1", [("account-a", 0)], Deposit("a", 1m, 1m)));
        Assert.ThrowsAsync<IdempotencyConflictException>(() =>
            store.AppendAsync(Request("c1", [("account-a", 1)], Deposit("a", 7m, 8m)))
        );
        Assert.That(await store.HeadAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_write_turn_refuses_a_group_naming_a_recorded_or_repeated_command_id()
    {
        await store.AppendAsync(Request("c1", [("account-a", 0)], Deposit("a", 1m, 1m)));
        await using (var turn = await store.BeginWriteAsync())
        {
            await turn.RecordRejectionAsync(
                new CommandRejection("r1", Digest.OfUtf8("r1"), "{}", "InsufficientBalance", "not enough", 1)
            );
            await turn.CommitAsync();
        }
        AppendRequest[][] refused =
        [
            // the same id twice in one group
            [
                Request("c2", [("account-b", 0)], Deposit("b", 1m, 1m)),
                Request("c2", [("account-b", 1)], Deposit("b", 1m, 2m)),
            ],
            // an id accepted in an earlier turn, after a new one
            [Request("c3", [("account-b", 0)], Deposit("b", 1m, 1m)), Request("c1", [], Deposit("a", 1m, 2m))],
            // an id recorded as rejected
            [Request("r1", [("account-b", 0)], Deposit("b", 1m, 1m))],
            // an accepted id deep in a large group, after many new ones
            [
                .. Enumerable
                    .Range(0, 300)
                    .Select(i => Request($"n{i}", [($"account-n{i}", 0)], Deposit($"n{i}", 1m, 1m))),
                Request("c1", [], Deposit("a", 1m, 2m)),
            ],
        ];
        foreach (var group in refused)
        {
            await using var turn = await store.BeginWriteAsync();
            var error = Assert.ThrowsAsync<CommandAlreadyRecordedException>(() => turn.AppendAsync(group));
            Assert.That(error!.Message, Does.Contain(group[^1].Metadata.CommandId));
        }
        Assert.That(await store.HeadAsync(), Is.EqualTo(1), "a refused group's turn appends nothing");
    }

    [Test]
    public async Task A_write_turn_chains_a_group_from_the_heads_before_it_and_within_it()
    {
        await store.AppendAsync(Request("c1", [("account-a", 0)], Deposit("a", 1m, 1m)));
        await using (var turn = await store.BeginWriteAsync())
        {
            var results = await turn.AppendAsync([
                Request("c2", [("account-a", 1)], Deposit("a", 1m, 2m)),
                Request("c3", [("account-b", 0)], Deposit("b", 2m, 2m)),
                Request("c4", [("account-a", 2), ("account-b", 1)], Deposit("a", 1m, 3m), Deposit("b", 2m, 4m)),
            ]);
            Assert.That(
                results.SelectMany(r => r.Events).Select(e => (e.Stream, e.StreamVersion, e.GlobalPosition)),
                Is.EqualTo(
                    new[] { ("account-a", 2L, 2L), ("account-b", 1L, 3L), ("account-a", 3L, 4L), ("account-b", 2L, 5L) }
                )
            );
            // a second group in the same turn starts from the heads the first one left
            var second = await turn.AppendAsync([Request("c5", [("account-b", 2)], Deposit("b", 1m, 5m))]);
            Assert.That(second[0].Events[0].StreamVersion, Is.EqualTo(3));
            await turn.CommitAsync();
        }
        var all = await All();
        Assert.That(all[5].PrevHash, Is.EqualTo(all[4].Hash), "linked to the head the turn's first group moved");
        Assert.That(all[1].PrevHash, Is.EqualTo(all[0].Hash), "linked to the head committed before the turn");
        Assert.That(all[3].PrevHash, Is.EqualTo(all[1].Hash), "linked to the head the group itself moved");
        Assert.That(all[4].PrevHash, Is.EqualTo(all[2].Hash));
        Assert.That((await ChainVerifier.VerifyAsync(store)).Intact);
        if (store is IStoreRecords records)
        {
            var heads = new List<StreamHeadRow>();
            await foreach (var head in records.ReadStreamHeadsAsync())
                heads.Add(head);
            Assert.That(
                heads.OrderBy(h => h.Stream, StringComparer.Ordinal).Select(h => (h.Stream, h.Version)),
                Is.EqualTo(new[] { ("account-a", 3L), ("account-b", 3L) })
            );
            Assert.That(
                heads.Select(h => h.LastHash).Where(h => h is not null),
                Is.EquivalentTo(new Digest?[] { all[3].Hash, all[5].Hash }).Or.Empty,
                "each head names its stream's last event where the store keeps the hash"
            );
        }
    }

    [Test]
    public async Task An_accepted_command_without_events_is_remembered()
    {
        var result = await store.AppendAsync(Request("noop", []));
        Assert.That(result.Events, Is.Empty);
        Assert.That((await store.FindCommandAsync("noop", RequestHash("noop")))!.Events, Is.Empty);
        Assert.That(await store.FindCommandAsync("never", Digest.OfUtf8("x")), Is.Null);
    }

    [Test]
    public async Task Data_that_breaks_its_schema_appends_nothing()
    {
        var bad = new NewEvent(
            "account-a",
            "funds-deposited.v1",
            """{"account":"a","asset":"USDT","amount":1.5,"balanceAfter":"1.5"}"""
        );
        var error = Assert.ThrowsAsync<EventSchemaViolationException>(() =>
            store.AppendAsync(Request("c1", [("account-a", 0)], bad))
        );
        Assert.That(error!.Message, Does.Contain("funds-deposited.v1").And.Contain("amount"));
        Assert.ThrowsAsync<EventSchemaViolationException>(() =>
            store.AppendAsync(Request("c2", [], new NewEvent("x", "no-such.v1", "{}")))
        );
        Assert.That(await store.HeadAsync(), Is.Zero);
    }

    [Test]
    public async Task Both_chains_link_and_verify()
    {
        await store.AppendAsync(Request("c1", [("account-a", 0)], Deposit("a", 1m, 1m), Deposit("a", 1m, 2m)));
        await store.AppendAsync(Request("c2", [("account-b", 0)], Deposit("b", 1m, 1m)));
        var all = await All();
        Assert.That(all[0].PrevHash, Is.EqualTo(Digest.Genesis));
        Assert.That(all[1].PrevHash, Is.EqualTo(all[0].Hash));
        Assert.That(all[2].PrevHash, Is.EqualTo(Digest.Genesis), "first event of another stream");
        var seals = new List<Seal>();
        await foreach (var s in store.ReadSealsAsync())
            seals.Add(s);
        Assert.That(
            seals[2].Value,
            Is.EqualTo(
                EventHash.Seal(EventHash.Seal(EventHash.Seal(Digest.Genesis, all[0].Hash), all[1].Hash), all[2].Hash)
            )
        );
        var report = await ChainVerifier.VerifyAsync(store);
        Assert.That(report.Intact, report.Problem);
        Assert.That((report.EventsChecked, report.SealsChecked), Is.EqualTo((3L, 3L)));
    }
}
