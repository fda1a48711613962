using Microsoft.Data.Sqlite;

namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>
/// Signed anchors outside the database catch what the chains alone cannot: a log cut at its end, or rewritten
/// and resealed by someone with write access. Each tampering here passes a plain <c>verify</c> and fails
/// <c>verify --anchor</c>, on both stores.
/// </summary>
public sealed class AnchorTests : TempDatabaseTest
{
    private const string Lines = """
        {"commandId":"c1","type":"deposit","account":"a","asset":"USDT","amount":"100"}
        {"commandId":"c2","type":"deposit","account":"b","asset":"USDT","amount":"50"}
        {"commandId":"c3","type":"deposit","account":"a","asset":"USDT","amount":"7"}
        {"commandId":"c4","type":"deposit","account":"c","asset":"USDT","amount":"1"}
        """;

    private string Store(bool postgres) => postgres ? Database.ConnectionString : Directory.File("anchored.db");

    private Task<LedgerProcess.Result> Ledger(string? input, params string[] args) =>
        LedgerProcess.Run(Directory.Path, input, args);

    /// <summary>Four events, a key pair and one anchor at the head.</summary>
    private async Task<LedgerProcess.Result> Anchored(bool postgres)
    {
        Assert.That((await Ledger(Lines, "apply", "--store", Store(postgres), "-")).ExitCode, Is.Zero);
        Assert.That(
            (await Ledger(null, "anchor", "keygen", "--private", "key.pem", "--public", "key.pub")).ExitCode,
            Is.Zero
        );
        var anchor = await Ledger(
            null,
            "anchor",
            "--key",
            "key.pem",
            "--to",
            "anchors.jsonl",
            "--store",
            Store(postgres)
        );
        Assert.That(anchor.ExitCode, Is.Zero, anchor.Error);
        return anchor;
    }

    private Task<LedgerProcess.Result> VerifyAnchored(bool postgres) =>
        Ledger(null, "verify", "--anchor", "anchors.jsonl", "--public-key", "key.pub", "--store", Store(postgres));

    private async Task<long[]> Positions()
    {
        var list = new List<long>();
        await using var connection = new Npgsql.NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT seq_id FROM ledger.mt_events WHERE stream_id <> 'mt_tombstone' ORDER BY seq_id",
            connection
        );
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            list.Add(reader.GetInt64(0));
        return [.. list];
    }

    private static async Task Sqlite(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task An_anchor_holds_and_the_regulator_views_show_the_latest(bool postgres)
    {
        var anchor = await Anchored(postgres);
        var last = postgres ? (await Positions())[^1] : 4;
        Assert.That(anchor.Lines[1], Does.StartWith($"anchored global position {last} (seal "));
        var line = (await File.ReadAllLinesAsync(Path.Combine(Directory.Path, "anchors.jsonl"))).Single();
        Assert.That(line, Is.EqualTo(anchor.Lines[0]));
        Assert.That(
            line,
            Does.Contain($"\"globalPosition\":{last}").And.Contain("\"format\":1").And.Not.Contain("Password")
        );

        var verify = await VerifyAnchored(postgres);
        Assert.That(verify.ExitCode, Is.Zero, verify.Error);
        Assert.That(
            verify.Lines[1],
            Does.StartWith($"OK: 1 anchor(s) hold; the latest signs global position {last} on ")
        );

        if (postgres)
            Assert.That(await Database.ScalarAsync("SELECT line FROM regulator.latest_anchor"), Is.EqualTo(line));
        else
        {
            await using var connection = new SqliteConnection(
                $"Data Source={Store(false)};Mode=ReadOnly;Pooling=False"
            );
            await connection.OpenAsync();
            await using var command = new SqliteCommand("SELECT line FROM regulator_latest_anchor", connection);
            Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo(line));
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_tail_cut_with_its_seals_and_records_passes_verify_but_not_the_anchor(bool postgres)
    {
        await Anchored(postgres);
        if (postgres)
        {
            var p = await Positions();
            await Database.ExecuteAsync(
                $"""
                DELETE FROM ledger.mt_events WHERE seq_id > {p[1]};
                DELETE FROM ledger.ledger_seals WHERE global_position > {p[1]};
                DELETE FROM ledger.mt_doc_ledger_command WHERE id IN ('c3', 'c4');
                UPDATE ledger.mt_streams SET version = 1 WHERE id = 'account-a';
                DELETE FROM ledger.mt_streams WHERE id = 'account-c';
                """
            );
        }
        else
        {
            await Sqlite(
                Store(false),
                """
                DELETE FROM events WHERE global_position > 2; DELETE FROM seals WHERE global_position > 2;
                DELETE FROM commands WHERE first_position > 2;
                UPDATE streams SET version = 1, last_hash = (SELECT hash FROM events WHERE global_position = 1) WHERE
                    stream = 'account-a';
                DELETE FROM streams WHERE stream = 'account-c';
                """
            );
        }
        var plain = await Ledger(null, "verify", "--store", Store(postgres));
        Assert.That(plain.ExitCode, Is.Zero, "without an anchor a clean cut is invisible: " + plain.Error);
        Assert.That(plain.Out, Does.StartWith("OK: 2 events and 2 seals verified"));

        var anchored = await VerifyAnchored(postgres);
        Assert.That(anchored.ExitCode, Is.EqualTo(1));
        var p2 = postgres ? (await Positions())[^1] : 2;
        Assert.That(
            anchored.Error,
            Does.Contain("anchor line 1: the log was anchored at global position ")
                .And.Contain($"but now ends at {p2}: it was cut after it was anchored")
        );
    }

    [Test]
    public async Task A_log_rewritten_and_resealed_passes_verify_but_not_the_anchor()
    {
        await Anchored(postgres: false);
        // the forger writes the same commands with one amount changed into a fresh file, with valid hashes and seals
        var forged = Directory.File("forged.db");
        Assert.That(
            (
                await Ledger(
                    Lines.Replace("\"100\"", "\"1000\"", StringComparison.Ordinal),
                    "apply",
                    "--store",
                    forged,
                    "-"
                )
            ).ExitCode,
            Is.Zero
        );
        File.Copy(forged, Store(false), overwrite: true);

        Assert.That(
            (await Ledger(null, "verify", "--store", Store(false))).ExitCode,
            Is.Zero,
            "the forged log is self-consistent"
        );
        var anchored = await VerifyAnchored(postgres: false);
        Assert.That(anchored.ExitCode, Is.EqualTo(1));
        Assert.That(
            anchored.Error,
            Does.StartWith("error: anchor line 1: the seal at global position 4 is ")
                .And.Contain("the log up to there was rewritten")
        );
    }

    [Test]
    public async Task A_renumbered_position_on_postgres_is_caught_by_the_anchor()
    {
        await Anchored(postgres: true);
        var p = await Positions();
        await Database.ExecuteAsync(
            $"""
            UPDATE ledger.mt_events SET seq_id = {p[^1] + 10} WHERE seq_id = {p[^1]};
            UPDATE ledger.ledger_seals SET global_position = {p[^1] + 10} WHERE global_position = {p[^1]};
            SELECT setval('ledger.mt_events_sequence', {p[^1] + 10});
            """
        );
        var plain = await Ledger(null, "verify", "--store", Store(true));
        Assert.That(plain.ExitCode, Is.Zero, "positions may skip numbers on PostgreSQL: " + plain.Error);
        var anchored = await VerifyAnchored(postgres: true);
        Assert.That(anchored.ExitCode, Is.EqualTo(1));
        Assert.That(
            anchored.Error,
            Does.Contain($"anchored at global position {p[^1]} on ")
                .And.Contain("which no longer has a seal: the log was rewritten")
        );
    }

    [Test]
    public async Task An_edited_anchor_or_one_signed_by_another_key_is_refused()
    {
        await Anchored(postgres: false);
        var file = Path.Combine(Directory.Path, "anchors.jsonl");
        var line = (await File.ReadAllLinesAsync(file)).Single();
        await File.WriteAllTextAsync(
            file,
            line.Replace("\"globalPosition\":4", "\"globalPosition\":3", StringComparison.Ordinal) + "\n"
        );
        var edited = await VerifyAnchored(postgres: false);
        Assert.That(edited.ExitCode, Is.EqualTo(1));
        Assert.That(
            edited.Error,
            Does.Contain("anchor line 1 (").And.Contain("the signature does not verify with the given public key")
        );

        await File.WriteAllTextAsync(file, line + "\n");
        Assert.That(
            (await Ledger(null, "anchor", "keygen", "--private", "other.pem", "--public", "other.pub")).ExitCode,
            Is.Zero
        );
        var other = await Ledger(
            null,
            "verify",
            "--anchor",
            "anchors.jsonl",
            "--public-key",
            "other.pub",
            "--store",
            Store(false)
        );
        Assert.That(other.ExitCode, Is.EqualTo(1));
        Assert.That(other.Error, Does.Contain("signed by another key"));

        var unpinned = await Ledger(null, "verify", "--anchor", "anchors.jsonl", "--store", Store(false));
        Assert.That(unpinned.ExitCode, Is.EqualTo(1));
        Assert.That(unpinned.Error, Does.Contain("--anchor needs --public-key"));

        var overwrite = await Ledger(null, "anchor", "keygen", "--private", "key.pem", "--public", "new.pub");
        Assert.That(overwrite.ExitCode, Is.EqualTo(1));
        Assert.That(overwrite.Error, Does.Contain("key.pem exists; a key file is never overwritten"));
    }
}
