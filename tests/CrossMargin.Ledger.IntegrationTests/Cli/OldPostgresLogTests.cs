using System.Diagnostics;
using Newtonsoft.Json.Linq;
using Npgsql;

namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>
/// The demo written to PostgreSQL by the earlier release (Fixtures/OldLogs/postgres-demo.sql, a pg_dump of its
/// database) restored into a fresh database: it verifies, replays to what that release recorded, and the Marten
/// daemon folds its retired <c>.v1</c> events into the projection tables exactly as a rebuild does.
/// </summary>
public sealed class OldPostgresLogTests : TempDatabaseTest
{
    private Task<LedgerProcess.Result> Ledger(string? input, params string[] args) =>
        LedgerProcess.Run(Directory.Path, input, [.. args, "--store", Database.ConnectionString]);

    /// <summary>Restores the dump with the server's own psql (pg_dump output has psql meta-commands).</summary>
    private async Task RestoreAsync()
    {
        var bin = Environment.GetEnvironmentVariable("LEDGER_PG_BIN") is { Length: > 0 } b
            ? b
            : "/usr/lib/postgresql/15/bin";
        var psql = Path.Combine(bin, "psql");
        if (!File.Exists(psql))
        {
            const string why = "no psql to restore the PostgreSQL fixture (set LEDGER_PG_BIN)";
            if (Environment.GetEnvironmentVariable("CI") == "true")
                Assert.Fail(why);
            Assert.Ignore(why);
        }
        var target = new NpgsqlConnectionStringBuilder(Database.ConnectionString);
        var start = new ProcessStartInfo(psql) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (
            var a in new[]
            {
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                target.Host!,
                "-p",
                target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-U",
                target.Username!,
                "-d",
                target.Database!,
                "-f",
                Path.Combine(AppContext.BaseDirectory, "Fixtures", "OldLogs", "postgres-demo.sql"),
            }
        )
            start.ArgumentList.Add(a);
        if (target.Password is { Length: > 0 } password)
            start.Environment["PGPASSWORD"] = password;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, await error);
    }

    [Test]
    public async Task The_old_demo_on_postgres_verifies_replays_and_folds_its_retired_events_through_the_daemon()
    {
        await RestoreAsync();
        var verify = await Ledger(null, "verify", "--reexecute");
        Assert.That(verify.ExitCode, Is.Zero, verify.Out + verify.Error);
        Assert.That(
            verify.Lines[0],
            Is.EqualTo(
                "OK: 51 events and 51 seals verified, 29 command records and 10 stream heads match them; "
                    + "conservation holds at global position 51"
            )
        );
        Assert.That(
            verify.Lines[2],
            Does.StartWith("NOT RE-EXECUTED: 8 price and parameter events with 14 derived events (2 liquidation(s))")
        );
        var bob = await Ledger(null, "account", "bob", "--json");
        Assert.That(
            (string?)JObject.Parse(bob.Out)["balances"]!["USDT"],
            Is.EqualTo("12226.8394747629404088734"),
            "as the old release recorded it"
        );

        // the daemon folds the whole log again from its start: Marten reads the old rows (written as the CLR types that
        // now
        // carry .v2) and the ledger reads them as the retired shapes they are
        await Database.ExecuteAsync("DELETE FROM ledger.mt_event_progression WHERE name = 'read-models:All'");
        var status = await Ledger(null, "projections", "status");
        Assert.That(status.ExitCode, Is.Zero, status.Error);
        Assert.That(status.Out, Does.Contain("projection tables at global position 51"));
        var byDaemon = await Ledger(null, "projections", "show", "account-timeline", "--csv");
        Assert.That((await Ledger(null, "projections", "rebuild")).ExitCode, Is.Zero);
        Assert.That(
            (await Ledger(null, "projections", "show", "account-timeline", "--csv")).Out,
            Is.EqualTo(byDaemon.Out)
        );
        Assert.That(
            byDaemon.Out,
            Does.Contain(",account-bankrupt.v2,"),
            "read models show the event as the folds see it (upcast)"
        );

        var apply = await Ledger("""{"type":"update-price","symbol":"BTCUSDT","price":"46000"}""" + "\n", "apply", "-");
        Assert.That(apply.ExitCode, Is.Zero, apply.Out + apply.Error);
        Assert.That(apply.Out, Does.Contain("\"type\":\"mark-price-updated.v2\""));
        Assert.That(
            (await Ledger(null, "verify", "--reexecute")).Lines[1],
            Does.Match(
                @"^OK: re-execution re-derived all \d+ derived events of \d+ liquidation\(s\) from 1 price and "
                    + @"parameter events$"
            )
        );
    }
}
