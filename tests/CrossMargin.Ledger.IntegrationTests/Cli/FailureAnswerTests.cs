using Microsoft.Data.Sqlite;

namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>A failure of the store is an answer: one line naming it, a documented exit code, no stack trace without
/// <c>--debug</c>.</summary>
public sealed class FailureAnswerTests
{
    private TempDirectory directory = null!;

    [SetUp]
    public void Create() => directory = new TempDirectory();

    [TearDown]
    public void Remove() => directory.Dispose();

    private static async Task Sql(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Test]
    public async Task A_resend_whose_record_was_deleted_is_refused_as_damage_not_a_crash()
    {
        var path = directory.File("damaged.db");
        const string line = """{"commandId":"c1","type":"deposit","account":"a","asset":"USDT","amount":"5"}""";
        Assert.That(
            (await LedgerProcess.Run(directory.Path, line + "\n", "apply", "--store", path, "-")).ExitCode,
            Is.EqualTo(0)
        );
        await Sql(path, "DELETE FROM commands WHERE command_id = 'c1'");

        var resend = await LedgerProcess.Run(
            directory.Path,
            line + "\n" + line.Replace("c1", "c2", StringComparison.Ordinal) + "\n",
            "apply",
            "--store",
            path,
            "-"
        );
        Assert.That(resend.ExitCode, Is.EqualTo(3));
        Assert.That(resend.Out, Is.Empty, "nothing was committed, so no line is reported");
        Assert.That(
            resend.Error,
            Does.StartWith(
                "error: the store: command id 'c1' has events from position 1 but no command record; the store is "
                    + "damaged, run `ledger verify` to locate it"
            )
        );
        Assert.That(resend.Error, Does.Not.Contain("   at "));

        var debug = await LedgerProcess.Run(directory.Path, line + "\n", "apply", "--store", path, "--debug", "-");
        Assert.That(debug.ExitCode, Is.EqualTo(3));
        Assert.That(debug.Error, Does.Contain("   at CrossMargin.Ledger.EventStore.Sqlite.SqliteEventStore"));
    }

    [Test]
    public async Task A_record_pointed_at_another_commands_events_is_refused()
    {
        var path = directory.File("pointed.db");
        var lines = """
            {"commandId":"c1","type":"deposit","account":"a","asset":"USDT","amount":"5"}
            {"commandId":"c2","type":"deposit","account":"b","asset":"USDT","amount":"6"}
            """;
        Assert.That(
            (await LedgerProcess.Run(directory.Path, lines, "apply", "--store", path, "-")).ExitCode,
            Is.EqualTo(0)
        );
        await Sql(path, "UPDATE commands SET first_position = 2, last_position = 2 WHERE command_id = 'c1'");
        var resend = await LedgerProcess.Run(
            directory.Path,
            lines.Split('\n')[0] + "\n",
            "apply",
            "--store",
            path,
            "-"
        );
        Assert.That(resend.ExitCode, Is.EqualTo(3));
        Assert.That(
            resend.Error,
            Does.Contain("command id 'c1' is recorded at positions 2–2, which do not hold exactly its events")
        );
    }

    [Test]
    public async Task Committed_lines_are_reported_before_a_store_failure_in_a_later_group()
    {
        var path = directory.File("later.db");
        Assert.That(
            (
                await LedgerProcess.Run(
                    directory.Path,
                    """{"commandId":"c1","type":"deposit","account":"a","asset":"USDT","amount":"5"}""" + "\n",
                    "apply",
                    "--store",
                    path,
                    "-"
                )
            ).ExitCode,
            Is.EqualTo(0)
        );
        await Sql(path, "DELETE FROM commands WHERE command_id = 'c1'");
        // 150 lines: the first group of 100 commits, the second holds the damaged id
        var lines = string.Join(
            '\n',
            Enumerable
                .Range(1, 150)
                .Select(i =>
                    i == 120
                        ? """{"commandId":"c1","type":"deposit","account":"a","asset":"USDT","amount":"5"}"""
                        : $$"""{"type":"deposit","account":"x{{i}}","asset":"USDT","amount":"1"}"""
                )
        );
        var run = await LedgerProcess.Run(directory.Path, lines, "apply", "--store", path, "-");
        Assert.That(run.ExitCode, Is.EqualTo(3));
        Assert.That(
            run.Lines,
            Has.Length.EqualTo(119),
            "the first group, then the second one line at a time up to the failure"
        );
        Assert.That(
            run.Lines.Select(
                (l, i) => l.StartsWith($$"""{"line":{{i + 1}},"status":"accepted""", StringComparison.Ordinal)
            ),
            Has.All.True
        );
        Assert.That(run.Error, Does.Contain("every result printed above is committed"));
    }

    [Test]
    public async Task A_full_disk_is_an_answer_and_every_reported_line_is_in_the_file()
    {
        var mount = directory.File("small");
        System.IO.Directory.CreateDirectory(mount);
        using (
            var mounting = System.Diagnostics.Process.Start(
                "mount",
                ["-t", "tmpfs", "-o", "size=400k", "tmpfs", mount]
            )!
        )
        {
            await mounting.WaitForExitAsync();
            if (mounting.ExitCode != 0)
                Assert.Ignore("needs a small tmpfs (mount as root) to fill a disk");
        }
        try
        {
            var path = Path.Combine(mount, "full.db");
            // deposits to accounts with long names (the most an account id holds is 64 characters) fill 400 KiB fast
            var lines = string.Join(
                '\n',
                Enumerable
                    .Range(1, 20_000)
                    .Select(i =>
                        $$"""{"commandId":"f-{{i}}","type":"deposit","account":"{{i}}-{{new string('a', 55)}}","""
                        + $$""" "asset":"USDT","amount":"1"}"""
                    )
            );
            var run = await LedgerProcess.Run(directory.Path, lines, "apply", "--store", path, "-");
            Assert.That(run.ExitCode, Is.EqualTo(3), run.Error);
            // the disk fills as the group's transaction commits: the answer says so, and that its outcome is the
            // store's to tell
            Assert.That(run.Error, Does.StartWith("error: the store: ").And.Contain("database or disk is full"));
            Assert.That(run.Error, Does.Not.Contain("   at "));
            var reported = run.Lines.Length;
            Assert.That(reported, Is.GreaterThan(0).And.LessThan(20_000));
            Assert.That(run.Lines, Has.All.Contain("\"status\":\"accepted\""));
            var verify = await LedgerProcess.Run(directory.Path, null, "verify", "--store", path);
            Assert.That(verify.ExitCode, Is.Zero, verify.Error);
            Assert.That(
                verify.Out,
                Does.StartWith($"OK: {reported} events and {reported} seals verified"),
                "exactly the reported lines are in the file"
            );
        }
        finally
        {
            using var unmounting = System.Diagnostics.Process.Start("umount", [mount])!;
            await unmounting.WaitForExitAsync();
        }
    }

    [TestCase("account", "al ice")]
    [TestCase("history", "-alice")]
    [TestCase("liquidations", "--account", "al/ice")]
    public async Task A_malformed_account_id_is_refused_before_the_store_is_opened(params string[] args)
    {
        var path = directory.File("never.db");
        var result = await LedgerProcess.Run(directory.Path, null, [.. args, "--store", path]);
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(
            result.Error.Trim(),
            Is.EqualTo($"error: account '{args[^1]}' must match [A-Za-z0-9][A-Za-z0-9_.:-]{{0,63}}")
        );
        Assert.That(File.Exists(path), Is.False, "a refused query creates no store");
    }

    [Test]
    public async Task A_row_that_cannot_be_read_stops_a_query_as_store_damage_not_a_defect()
    {
        var path = directory.File("unreadable.db");
        const string line = """{"commandId":"c1","type":"deposit","account":"a","asset":"USDT","amount":"5"}""";
        Assert.That(
            (await LedgerProcess.Run(directory.Path, line + "\n", "apply", "--store", path, "-")).ExitCode,
            Is.EqualTo(0)
        );
        await Sql(path, "UPDATE events SET hash = 'zz' WHERE global_position = 1");
        var account = await LedgerProcess.Run(directory.Path, null, "account", "a", "--store", path);
        Assert.That(account.ExitCode, Is.EqualTo(3), account.Error);
        Assert.That(
            account.Error,
            Does.StartWith(
                "error: the store: the event at global position 1 cannot be read: hash 'zz' is not a SHA-256 digest"
            )
        );
        Assert.That(account.Error, Does.Not.Contain("   at "));
    }
}
