using CrossMargin.Ledger.Application.Apply;
using CrossMargin.Ledger.Application.Audit;
using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.Application.Queries;
using CrossMargin.Ledger.Cli.Verbs;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Snapshots;
using CrossMargin.Ledger.EventStore.Sqlite;
using CrossMargin.Ledger.Hosting;
using CrossMargin.Ledger.TestSupport;

namespace CrossMargin.Ledger.IntegrationTests.Store;

/// <summary>
/// Snapshots on a real SQLite file: the writer checkpoints as it goes and when it stops; a new process starts from
/// the latest snapshot and replays only the tail, to the full replay's state; deleting the snapshots changes nothing
/// but the start (the same commands append the same bytes); a snapshot that fails a check is ignored at start and
/// reported by <c>verify</c>'s audit.
/// </summary>
public sealed class SnapshotStoreTests
{
    // the bench workload: listings and 2 000 deposits, then orders both ways, mark moves and deposits
    private static readonly string[] Lines = [.. BenchWorkload.Lines(3_200, seed: 7)];

    private static async Task ApplyAsync(string path, IEnumerable<string> lines, SnapshotPolicy policy)
    {
        // small commits, so the writer checkpoints between them as well as when it stops
        await using var host = LedgerHost.Over(
            await SqliteEventStore.OpenAsync(path),
            new FixedClock(DateTimeOffset.UnixEpoch),
            writer: new WriterOptions(64, TimeSpan.Zero),
            snapshots: policy
        );
        var summary = await LineApplier.RunAsync(
            host.Mediator,
            new StringReader(string.Join('\n', lines)),
            _ => Task.CompletedTask,
            CancellationToken.None
        );
        Assert.That(summary, Is.Not.EqualTo(ApplySummary.StoppedAtMalformed));
    }

    private static async Task<(LedgerSession Session, SqliteEventStore Store)> OpenAsync(string path)
    {
        var store = await SqliteEventStore.OpenAsync(path);
        return (new LedgerSession(store, new FixedClock(DateTimeOffset.UnixEpoch)), store);
    }

    [Test]
    public async Task A_new_session_starts_from_the_latest_snapshot_at_the_full_replays_state()
    {
        using var directory = new TempDirectory();
        var path = directory.File("snap.db");
        await ApplyAsync(path, Lines[..2_600], new SnapshotPolicy(Every: 700, OnClose: 1));

        var (session, store) = await OpenAsync(path);
        await using (store)
        using (session)
        {
            var head = await store.HeadAsync();
            var state = await session.CurrentAsync();
            Assert.That(session.SnapshotLoadedAt, Is.EqualTo(head), "the writer checkpointed when it stopped");
            Assert.That(session.SnapshotProblem, Is.Null);
            var (replayed, _) = await LedgerReplay.StateAtAsync(store);
            Assert.That(StateDump.Of(state), Is.EqualTo(StateDump.Of(replayed)));
            Assert.That((await SnapshotAudit.RunAsync(store, CancellationToken.None)).Holds, Is.True);
        }
        // one more line, then `ledger snapshot` in a session that has only replayed: its state is taken as it is
        await ApplyAsync(path, Lines[2_600..2_601], SnapshotPolicy.Off);
        var (again, reopened) = await OpenAsync(path);
        await using (reopened)
        using (again)
        {
            Assert.That(await again.SnapshotNowAsync(), Is.EqualTo(await reopened.HeadAsync()));
            Assert.That(again.SnapshotLoadedAt, Is.Not.Null, "it started from the snapshot before");
            Assert.That((await SnapshotAudit.RunAsync(reopened, CancellationToken.None)).Holds, Is.True);
        }
    }

    [Test]
    public async Task Deleting_the_snapshots_changes_nothing_but_the_start()
    {
        using var directory = new TempDirectory();
        var (kept, deleted) = (directory.File("kept.db"), directory.File("deleted.db"));
        foreach (var path in (string[])[kept, deleted])
            await ApplyAsync(path, Lines[..2_600], new SnapshotPolicy(Every: 700, OnClose: 1));
        await using (var store = await SqliteEventStore.OpenAsync(deleted))
            Assert.That(await store.DeleteSnapshotsAsync(), Is.EqualTo(ISnapshotStore.SnapshotsKept));

        await using (var store = await SqliteEventStore.OpenAsync(kept))
            Assert.That((await store.LatestSnapshotAsync())?.Position, Is.EqualTo(await store.HeadAsync()));
        // the same commands after a start from a snapshot and after a full replay
        await ApplyAsync(kept, Lines[2_600..], SnapshotPolicy.Default);
        await ApplyAsync(deleted, Lines[2_600..], SnapshotPolicy.Off);
        await using var a = await SqliteEventStore.OpenAsync(kept);
        await using var b = await SqliteEventStore.OpenAsync(deleted);
        var (left, right) = (await a.ReadAllAsync().ToListAsync(), await b.ReadAllAsync().ToListAsync());
        Assert.That(left, Has.Count.EqualTo(right.Count).And.Count.GreaterThan(3_200));
        // the same events in the same places (command ids and hashes differ: the lines carry no command id, so each
        // run draws its own)
        Assert.That(
            left.Select(e => (e.GlobalPosition, e.Stream, e.StreamVersion, e.Type, e.Data)),
            Is.EqualTo(right.Select(e => (e.GlobalPosition, e.Stream, e.StreamVersion, e.Type, e.Data)))
        );
    }

    [Test]
    public async Task A_snapshot_is_stored_as_a_blob_and_read_back_byte_for_byte()
    {
        using var directory = new TempDirectory();
        var path = directory.File("bytes.db");
        await ApplyAsync(path, Lines[..400], new SnapshotPolicy(Every: 100_000, OnClose: 1));
        await using (var store = await SqliteEventStore.OpenAsync(path))
        {
            var written = (await store.LatestSnapshotAsync())!;
            // every byte value, none of them read through a text (no UTF-8 text holds 0xFF, no C string a 0)
            byte[] bytes = [.. Enumerable.Range(0, 256).Select(b => (byte)b), .. written.Bytes.ToArray()];
            var altered = written with { Bytes = bytes, StateHash = Digest.Of(bytes) };
            await store.SaveSnapshotAsync(altered);
            var read = (await store.LatestSnapshotAsync())!;
            Assert.That(read, Is.EqualTo(altered));
            Assert.That(read.Bytes.ToArray(), Is.EqualTo(bytes));
        }
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT typeof(state), length(state), format FROM snapshots ORDER BY global_position DESC LIMIT 1";
        await using var row = await command.ExecuteReaderAsync();
        Assert.That(await row.ReadAsync());
        Assert.That((row.GetString(0), row.GetInt32(2)), Is.EqualTo(("blob", StateSnapshot.Format)));
        Assert.That(row.GetInt64(1), Is.GreaterThan(256));
    }

    [Test]
    public async Task A_file_that_stores_text_as_utf16_reads_its_snapshots_and_log_as_text()
    {
        using var directory = new TempDirectory();
        var path = directory.File("utf16.db");
        // made before the ledger opens it, as another tool could make it (a table made and dropped writes the file,
        // which keeps its encoding for good, and leaves no table for the ledger to refuse)
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA encoding = 'UTF-16le'; CREATE TABLE made (x); DROP TABLE made;";
            await command.ExecuteNonQueryAsync();
        }
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA encoding";
            Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo("UTF-16le"));
        }
        await ApplyAsync(path, Lines[..1_200], new SnapshotPolicy(Every: 100_000, OnClose: 1));
        var (session, store) = await OpenAsync(path);
        await using (store)
        using (session)
        {
            var written = (await store.LatestSnapshotAsync())!;
            Assert.That(Digest.Of(written.Bytes.Span), Is.EqualTo(written.StateHash), "the bytes read back as stored");
            var state = await session.CurrentAsync();
            Assert.That(session.SnapshotProblem, Is.Null);
            Assert.That(session.SnapshotLoadedAt, Is.EqualTo(await store.HeadAsync()));
            var (replayed, _) = await LedgerReplay.StateAtAsync(store, null, CancellationToken.None);
            Assert.That(StateDump.Of(state), Is.EqualTo(StateDump.Of(replayed)));
            // the fold's rows are the whole rows' texts
            var whole = new List<EventText>();
            await foreach (var e in store.ReadAllAsync())
                whole.Add(EventText.Of(e));
            var texts = new List<EventText>();
            await foreach (var e in store.ReadTextsAsync())
                texts.Add(e);
            Assert.That(texts, Is.EqualTo(whole));
            var audit = await SnapshotAudit.RunAsync(store, CancellationToken.None);
            Assert.That(audit.Problem, Is.Null);
        }
    }

    [Test]
    public async Task A_snapshot_that_fails_a_check_is_ignored_and_verify_reports_it()
    {
        using var directory = new TempDirectory();
        var path = directory.File("tampered.db");
        await ApplyAsync(path, Lines[..2_600], new SnapshotPolicy(Every: 100_000, OnClose: 1));
        StateSnapshot latest;
        await using (var store = await SqliteEventStore.OpenAsync(path))
        {
            latest = (await store.LatestSnapshotAsync())!;
            // an altered balance of 100 000 USDT (the decimal's words 100 000, 0, 0, 0 after the name), stored under
            // its own new hash: it passes its own checks
            var bytes = latest.Bytes.ToArray();
            byte[] balance = [4, .. "USDT"u8, 0xA0, 0x86, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
            var at = bytes.AsSpan().IndexOf(balance);
            Assert.That(at, Is.GreaterThan(0), "a balance of 100 000 USDT is in the snapshot");
            bytes[at + 5] = 0xA1;
            await store.SaveSnapshotAsync(latest with { Bytes = bytes, StateHash = Digest.Of(bytes) });
            var audit = await SnapshotAudit.RunAsync(store, CancellationToken.None);
            Assert.That(audit.Problem, Does.Contain($"snapshot at position {latest.Position} is not the state"));
            // stored under the wrong hash: a session ignores it
            await store.SaveSnapshotAsync(latest with { StateHash = Digest.OfUtf8("something else") });
        }
        await StartsFromTheLogAsync(path, "does not match its hash");
        // a writer that started without it takes a good one when it stops, and the next start uses that one
        await ApplyAsync(path, Lines[2_600..], new SnapshotPolicy(Every: 100_000, OnClose: 1));
        var (resumed, reopened) = await OpenAsync(path);
        await using (reopened)
        using (resumed)
        {
            await resumed.CurrentAsync();
            Assert.That(resumed.SnapshotLoadedAt, Is.EqualTo(await reopened.HeadAsync()));
        }
        // a row a writer never wrote (its hash column is not a digest): ignored at start, reported by the audit
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var damage = new Microsoft.Data.Sqlite.SqliteCommand(
                "UPDATE snapshots SET state_hash = 'not a digest'",
                connection
            );
            Assert.That(await damage.ExecuteNonQueryAsync(), Is.GreaterThan(0));
        }
        await StartsFromTheLogAsync(path, "snapshots.state_hash 'not a digest'");
        await using (var store = await SqliteEventStore.OpenAsync(path))
            Assert.That(
                (await SnapshotAudit.RunAsync(store, CancellationToken.None)).Problem,
                Does.StartWith("the latest snapshot cannot be read")
            );
        await using (var store = await SqliteEventStore.OpenAsync(path))
        {
            await store.DeleteSnapshotsAsync();
            // taken from another log: the seal it names is not this log's at its position
            await store.SaveSnapshotAsync(latest with { Position = latest.Position - 1 });
            // verify finds it differs from the replay there from its header on (the position it names)
            Assert.That(
                (await SnapshotAudit.RunAsync(store, CancellationToken.None)).Problem,
                Does.Contain("from byte 12 of its ").And.Contain(", in the header (form, format, position and seal) of")
            );
        }
        await StartsFromTheLogAsync(path, "another log");
        // one beyond the log (from a longer copy): ignored, and dropped by the next snapshot a writer takes
        long head;
        await using (var store = await SqliteEventStore.OpenAsync(path))
        {
            head = await store.HeadAsync();
            await store.SaveSnapshotAsync(latest with { Position = head + 100 });
        }
        await StartsFromTheLogAsync(path, "beyond the log");
        await ApplyAsync(
            path,
            ["""{"type":"deposit","account":"acct-1","asset":"USDT","amount":"1"}"""],
            new SnapshotPolicy(Every: 100_000, OnClose: 1)
        );
        await using (var store = await SqliteEventStore.OpenAsync(path))
            Assert.That((await store.LatestSnapshotAsync())?.Position, Is.EqualTo(head + 1));
    }

    private static async Task StartsFromTheLogAsync(string path, string problem)
    {
        var (session, store) = await OpenAsync(path);
        await using (store)
        using (session)
        {
            var state = await session.CurrentAsync();
            var (replayed, _) = await LedgerReplay.StateAtAsync(store);
            Assert.That(StateDump.Of(state), Is.EqualTo(StateDump.Of(replayed)));
            Assert.That(session.SnapshotLoadedAt, Is.Null);
            Assert.That(session.SnapshotProblem, Does.Contain(problem));
        }
    }
}
