using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary><c>ledger snapshot</c> and <c>verify</c>'s check of it, as a process on a real file.</summary>
public sealed class SnapshotCliTests
{
    [Test]
    public async Task A_snapshot_is_written_verified_caught_when_edited_and_deleted()
    {
        using var directory = new TempDirectory();
        var path = directory.File("snap.db");
        var lines = string.Join(
            '\n',
            Enumerable
                .Range(1, 5)
                .Select(i => $$"""{"type":"deposit","account":"a{{i}}","asset":"USDT","amount":"{{i}}.50"}""")
        );
        Assert.That((await LedgerProcess.Run(directory.Path, lines, "apply", "-", "--store", path)).ExitCode, Is.Zero);

        var written = await LedgerProcess.Run(directory.Path, null, "snapshot", "--store", path);
        Assert.That(written.Out, Is.EqualTo("snapshot written at global position 5\n"), written.Error);
        var verified = await LedgerProcess.Run(directory.Path, null, "verify", "--store", path);
        Assert.That(verified.ExitCode, Is.Zero, verified.Error);
        Assert.That(
            verified.Lines,
            Does.Contain("OK: the snapshot at global position 5 is the state a replay gives there")
        );

        // an edited balance under a recomputed hash passes the snapshot's own checks, not verify's replay
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var read = new SqliteCommand("SELECT state FROM snapshots", connection);
            var bytes = (byte[])(await read.ExecuteScalarAsync())!;
            // a3's balance, 3.5 (deposited as 3.50): the decimal's four words (35, 0, 0, scale 1) after the name
            // USDT; made 30.5
            byte[] balance = [4, .. "USDT"u8, 35, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0];
            var at = bytes.AsSpan().IndexOf(balance);
            Assert.That(at, Is.GreaterThan(0), "a3's balance is in the snapshot");
            (bytes[at + 5], bytes[at + 6]) = (0x31, 1);
            await using var write = new SqliteCommand("UPDATE snapshots SET state = $s, state_hash = $h", connection);
            write.Parameters.AddWithValue("$s", bytes);
            write.Parameters.AddWithValue("$h", Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.That(await write.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }
        var caught = await LedgerProcess.Run(directory.Path, null, "verify", "--store", path);
        Assert.That(caught.ExitCode, Is.EqualTo(1));
        Assert.That(
            caught.Error,
            Does.StartWith("error: the snapshot at position 5 is not the state a replay of the log gives")
                .And.Contain(", in account a3 of the replay's ")
                .And.Contain("`ledger snapshot --delete` removes it")
        );

        var deleted = await LedgerProcess.Run(directory.Path, null, "snapshot", "--delete", "--store", path);
        Assert.That(deleted.Out, Is.EqualTo("deleted 1 snapshot(s)\n"));
        var clean = await LedgerProcess.Run(directory.Path, null, "verify", "--store", path);
        Assert.That(clean.ExitCode, Is.Zero, clean.Error);
        Assert.That(clean.Out, Does.Not.Contain("snapshot"));
    }
}
