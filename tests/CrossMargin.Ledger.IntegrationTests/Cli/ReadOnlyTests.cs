using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>Verbs that only read never create, migrate or write a store, and read one nobody may write.</summary>
public sealed class ReadOnlyTests : TempDatabaseTest
{
    private const string Deposit = """{"commandId":"c1","type":"deposit","account":"a","asset":"USDT","amount":"5"}""";

    [TestCase("verify")]
    [TestCase("account", "a")]
    [TestCase("history", "a")]
    [TestCase("liquidations")]
    [TestCase("query", "exposure")]
    public async Task A_read_verb_on_a_mistyped_path_creates_nothing(params string[] verb)
    {
        var path = Directory.File("typo.db");
        var run = await LedgerProcess.Run(Directory.Path, null, [.. verb, "--store", path]);
        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Error, Is.EqualTo($"error: there is no ledger file at {path} (reading never creates one)\n"));
        Assert.That(System.IO.Directory.GetFiles(Directory.Path), Is.Empty);
    }

    [TestCase("verify")]
    [TestCase("apply", "-")]
    public async Task A_foreign_sqlite_file_is_refused_and_left_as_it_was(params string[] verb)
    {
        var path = Directory.File("other.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = new SqliteCommand(
                "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'x');",
                connection
            );
            await command.ExecuteNonQueryAsync();
        }
        var before = await File.ReadAllBytesAsync(path);
        var run = await LedgerProcess.Run(Directory.Path, Deposit, [.. verb, "--store", path]);
        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Error, Does.Contain($"{path} is").And.Contain("not a ledger"));
        Assert.That(await File.ReadAllBytesAsync(path), Is.EqualTo(before));
        Assert.That(File.Exists(path + "-wal"), Is.False);
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Verify_reads_a_ledger_in_a_directory_its_user_cannot_write()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName != "root" || !File.Exists("/usr/bin/setpriv"))
            Assert.Ignore("needs root to run the ledger as an unprivileged user (setpriv)");
        var dir = Directory.File("readonly");
        System.IO.Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "ledger.db");
        Assert.That(
            (await LedgerProcess.Run(Directory.Path, Deposit, "apply", "--store", path, "-")).ExitCode,
            Is.Zero
        );
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(
            dir,
            UnixFileMode.UserRead
                | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead
                | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead
                | UnixFileMode.OtherExecute
        );
        File.SetUnixFileMode(Directory.Path, File.GetUnixFileMode(Directory.Path) | UnixFileMode.OtherExecute);
        try
        {
            var start = new ProcessStartInfo("setpriv")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (
                var a in (string[])
                    [
                        "--reuid=65534",
                        "--regid=65534",
                        "--clear-groups",
                        "env",
                        "HOME=/tmp",
                        "dotnet",
                        "exec",
                        LedgerProcess.Dll,
                        "verify",
                        "--store",
                        path,
                    ]
            )
                start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.That(process.ExitCode, Is.Zero, error);
            Assert.That(output, Does.StartWith("OK: 1 events and 1 seals verified"));
        }
        finally
        {
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Test]
    public async Task Verify_on_a_database_without_a_ledger_creates_no_schema()
    {
        var run = await LedgerProcess.Run(Directory.Path, null, "verify", "--store", Database.ConnectionString);
        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Error, Does.Contain("holds no ledger").And.Not.Contain("Password"));
        Assert.That(
            await Database.ScalarAsync("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'ledger'"),
            Is.Zero
        );
    }
}
