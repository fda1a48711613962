using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Sqlite;
using Microsoft.Data.Sqlite;
using static CrossMargin.Ledger.IntegrationTests.Store.Appends;

namespace CrossMargin.Ledger.IntegrationTests.Store;

/// <summary>What only a real file shows: reopening, tampering, foreign files.</summary>
public sealed class SqliteFileTests
{
    private TempDirectory directory = null!;

    [SetUp]
    public void Create() => directory = new TempDirectory();

    [TearDown]
    public void Remove() => directory.Dispose();

    private async Task<string> LedgerWithThreeEvents()
    {
        var path = directory.File("tamper.db");
        await using var store = await SqliteEventStore.OpenAsync(path);
        await store.AppendAsync(Request("c1", [("account-a", 0)], Deposit("a", 1m, 1m), Deposit("a", 2m, 3m)));
        await store.AppendAsync(Request("c2", [("account-b", 0)], Deposit("b", 5m, 5m)));
        return path;
    }

    private static async Task Sql(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<ChainReport> Verify(string path)
    {
        await using var store = await SqliteEventStore.OpenAsync(path);
        return await ChainVerifier.VerifyAsync(store);
    }

    [Test]
    public async Task An_edited_amount_is_detected_at_its_position()
    {
        var path = await LedgerWithThreeEvents();
        await Sql(
            path,
            "UPDATE events SET data = replace(data, '\"amount\":\"2\"', '\"amount\":\"20\"') WHERE global_position = 2"
        );
        var report = await Verify(path);
        Assert.That(report.BrokenAt, Is.EqualTo(2));
        Assert.That(report.Problem, Does.Contain("account-a v2").And.Contain("was altered"));
    }

    [Test]
    public async Task A_deleted_event_is_detected()
    {
        var path = await LedgerWithThreeEvents();
        await Sql(path, "DELETE FROM events WHERE global_position = 2");
        var report = await Verify(path);
        Assert.That(report.BrokenAt, Is.EqualTo(3));
        Assert.That(report.Problem, Does.Contain("an event is missing"));
    }

    [TestCase("UPDATE events SET hash = 'zz' WHERE global_position = 3", 3, "hash 'zz' is not a SHA-256 digest")]
    [TestCase(
        "UPDATE events SET prev_hash = upper(prev_hash) WHERE global_position = 2",
        2,
        "prev_hash '" + "{upper}" + "' is not a SHA-256 digest"
    )]
    [TestCase("UPDATE seals SET seal = 'zz' WHERE global_position = 2", 2, "its seal 'zz' is not a SHA-256 digest")]
    [TestCase(
        "UPDATE commands SET payload_hash = 'zz' WHERE command_id = 'c2'",
        null,
        "the record of command 'c2' holds payload hash 'zz', which is not a SHA-256 digest"
    )]
    public async Task A_stored_hash_that_is_not_a_digest_is_a_problem_verify_names(
        string sql,
        long? position,
        string problem
    )
    {
        var path = await LedgerWithThreeEvents();
        string upper;
        await using (var store = await SqliteEventStore.OpenAsync(path))
            upper = (await store.ReadStreamAsync("account-a"))[1].PrevHash.Hex.ToUpperInvariant();
        await Sql(path, sql);
        var report = await Verify(path);
        Assert.That(report.BrokenAt, Is.EqualTo(position));
        Assert.That(report.Problem, Does.Contain(problem.Replace("{upper}", upper, StringComparison.Ordinal)));
    }

    // a TEXT column turns a number into text, but keeps a blob; the columns a fold does not read are checked too, and
    // the row is refused as a whole read refuses it
    [TestCase("data", "x'7b7d'", "column data holds a")]
    [TestCase("stream", "x'00'", "column stream holds a")]
    [TestCase("command_id", "x'6331'", "column command_id holds a")]
    [TestCase("hash", "'zz'", "hash 'zz' is not a SHA-256 digest")]
    [TestCase("prev_hash", "upper(prev_hash)", "prev_hash '")]
    [TestCase("event_id", "'not-a-guid'", "event id 'not-a-guid' is not a GUID")]
    [TestCase("event_id", "event_id || 'x'", "x' is not a GUID")]
    [TestCase("actor", "x'00'", "column actor holds a")]
    public async Task A_fold_reading_a_damaged_row_names_the_event_and_what_is_wrong(
        string column,
        string value,
        string problem
    )
    {
        var path = await LedgerWithThreeEvents();
        await Sql(path, $"UPDATE events SET {column} = {value} WHERE global_position = 2");
        await using var store = await SqliteEventStore.OpenAsync(path);
        var e = Assert.ThrowsAsync<MalformedEventException>(async () => await store.ReadTextsAsync().ToListAsync());
        Assert.That(e!.Message, Does.Contain("position 2").And.Contain(problem));
        Assert.That(await store.ReadTextsAsync(toPosition: 1).CountAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_fold_names_the_first_damaged_row_whichever_column_it_is()
    {
        var path = await LedgerWithThreeEvents();
        await Sql(
            path,
            "UPDATE events SET hash = 'zz' WHERE global_position = 2; UPDATE events SET data = x'7b7d' WHERE "
                + "global_position = 3"
        );
        await using var store = await SqliteEventStore.OpenAsync(path);
        var e = Assert.ThrowsAsync<MalformedEventException>(async () => await store.ReadTextsAsync().ToListAsync());
        Assert.That(e!.Position, Is.EqualTo(2));
    }

    // rows the fold's reader finds odd but a whole read accepts (a version stored as text, an event id stored as a
    // blob) are read as the whole read reads them, and the rows after them are read on; an event id in capitals is
    // sound to both
    [TestCase("stream_version = CAST(stream_version AS TEXT)")]
    [TestCase("event_id = CAST(event_id AS BLOB)")]
    [TestCase("event_id = upper(event_id)")]
    public async Task A_row_only_the_fold_finds_odd_is_read_as_a_whole_read_reads_it(string set)
    {
        var path = await LedgerWithThreeEvents();
        await Sql(path, $"UPDATE events SET {set} WHERE global_position = 2");
        await using var store = await SqliteEventStore.OpenAsync(path);
        var texts = await store.ReadTextsAsync().ToListAsync();
        Assert.That(texts.Select(t => t.GlobalPosition), Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That(texts, Is.EqualTo(await Whole(store)));
    }

    // the fold's texts are the whole read's, character for character: several scripts, a character outside the
    // basic plane, a NUL inside the text, and bytes that are not UTF-8 (each becomes U+FFFD, as the data reader
    // makes it)
    [TestCase("'{\"a\":\"Zürich 東京 🚀\"}'")]
    [TestCase("CAST(x'7b7d00207b7d' AS TEXT)")]
    [TestCase("CAST(x'7b22ff223a2280c0227d' AS TEXT)")]
    public async Task The_fold_reads_every_text_as_a_whole_read_does(string data)
    {
        var path = await LedgerWithThreeEvents();
        await Sql(
            path,
            $"UPDATE events SET data = {data}, stream = 'account-é' || char(0) || 'x' WHERE global_position = 3"
        );
        await using var store = await SqliteEventStore.OpenAsync(path);
        var texts = await store.ReadTextsAsync().ToListAsync();
        Assert.That(texts, Has.Count.EqualTo(3));
        Assert.That(texts[2].Stream, Does.Contain('\0'));
        Assert.That(texts, Is.EqualTo(await Whole(store)));
    }

    private static async Task<List<EventText>> Whole(SqliteEventStore store) =>
        await store
            .ReadAllAsync()
            .Select(e => new EventText(
                e.GlobalPosition,
                e.Stream,
                e.StreamVersion,
                e.Metadata.CommandId,
                e.Type,
                e.Data
            ))
            .ToListAsync();

    [Test]
    public async Task A_resend_whose_record_holds_no_digest_is_refused_as_damage()
    {
        var path = await LedgerWithThreeEvents();
        await Sql(path, "UPDATE commands SET payload_hash = 'zz' WHERE command_id = 'c2'");
        await using var store = await SqliteEventStore.OpenAsync(path);
        var request = Request("c2", [("account-b", 0)], Deposit("b", 5m, 5m));
        var damage = Assert.ThrowsAsync<StoreDamagedException>(() => store.AppendAsync(request));
        Assert.That(damage!.Message, Does.Contain("command id 'c2' is recorded with payload hash 'zz'"));
        Assert.That(await store.HeadAsync(), Is.EqualTo(3));
    }

    [Test]
    public async Task Reordered_events_are_detected()
    {
        var path = await LedgerWithThreeEvents();
        // swap the content of positions 1 and 2 (same stream) — each keeps a valid-looking hash of its own
        await Sql(
            path,
            """
            UPDATE events SET global_position = -1, stream_version = -1 WHERE global_position = 1;
            UPDATE events SET global_position = 1, stream_version = 1 WHERE global_position = 2;
            UPDATE events SET global_position = 2, stream_version = 2 WHERE global_position = -1;
            """
        );
        var report = await Verify(path);
        Assert.That(report.BrokenAt, Is.EqualTo(1));
    }

    [Test]
    public async Task A_rewritten_hash_still_breaks_the_seal_chain()
    {
        var path = await LedgerWithThreeEvents();
        Digest forged;
        await using (var store = await SqliteEventStore.OpenAsync(path))
        {
            var e = (await store.ReadStreamAsync("account-b")).Single();
            var data = e.Data.Replace("\"5\"", "\"50\"", StringComparison.Ordinal);
            forged = EventHash.Compute(e.EventId, e.Stream, e.StreamVersion, e.Type, data, e.Metadata, e.PrevHash);
            await Sql(path, $"UPDATE events SET data = '{data}', hash = '{forged}' WHERE global_position = 3");
        }
        var report = await Verify(path);
        Assert.That(report.BrokenAt, Is.EqualTo(3));
        Assert.That(report.Problem, Does.Contain("seal at 3"));
    }

    [Test]
    public async Task A_file_that_is_not_a_ledger_is_refused_with_its_path()
    {
        var path = directory.File("notes.db");
        await File.WriteAllTextAsync(path, "these are not the pages you are looking for, not even a little bit");
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => SqliteEventStore.OpenAsync(path));
        Assert.That(error!.Message, Does.Contain(path).And.Contain("cannot be opened as a ledger file"));
    }
}
