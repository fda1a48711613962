namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>The CLI on a PostgreSQL store, through the real program: demo, verify, projections, the regulator
/// role.</summary>
public sealed class PostgresCliTests : TempDatabaseTest
{
    private Task<LedgerProcess.Result> Ledger(params string[] args) =>
        LedgerProcess.Run(Directory.Path, null, [.. args, "--store", Database.ConnectionString]);

    [Test]
    public async Task The_demo_runs_verifies_and_fills_the_projection_tables_on_postgres()
    {
        var demo = await Ledger("demo");
        Assert.That(demo.ExitCode, Is.Zero, demo.Error);
        Assert.That(
            demo.Out,
            Does.Contain("hash chain and seal chain verified")
                .And.Contain("projection tables and regulator views up to date at global position 47")
        );
        var verify = await Ledger("verify", "--reexecute");
        Assert.That(verify.ExitCode, Is.Zero, verify.Error);
        Assert.That(verify.Out, Does.Contain("OK: 47 events and 47 seals verified"));
        var again = await Ledger("demo");
        Assert.That(again.Error, Does.Contain("the demo needs an empty store").And.Contain("holds 47 events"));

        var shown = await Ledger("projections", "show", "liquidations", "--csv");
        Assert.That(shown.ExitCode, Is.Zero, shown.Error);
        Assert.That(
            shown.Out.Split('\n')[0],
            Is.EqualTo(
                "liquidation_id,account,trigger_global_position,trigger_symbol,trigger_price,outcome,steps,"
                    + "liquidated_notional,insurance_fund_delta,equity_before"
            )
        );
        Assert.That(shown.Out, Does.Contain("alice#1,alice,37,BTCUSDT,47000,bankrupt,2,70500,"));
        var rebuilt = await Ledger("projections", "rebuild");
        Assert.That(rebuilt.Out, Does.Contain("from 47 events, now at global position 47"));
        Assert.That((await Ledger("projections", "show", "liquidations", "--csv")).Out, Is.EqualTo(shown.Out));
        var query = await Ledger("query", "exposure", "--at", "20", "--csv");
        Assert.That(query.ExitCode, Is.Zero, query.Error);

        var role = await Ledger("regulator-role", "cli_regulator", "--password", "pw");
        Assert.That(role.Out, Does.Contain("role cli_regulator can read the views of schema regulator"));
        Assert.That(
            await Database.ScalarAsync("SELECT has_table_privilege('cli_regulator', 'ledger.mt_events', 'SELECT')"),
            Is.False
        );
        Assert.That(
            await Database.ScalarAsync("SELECT has_table_privilege('cli_regulator', 'regulator.exposure', 'SELECT')"),
            Is.True
        );
        await Database.ExecuteAsync("DROP OWNED BY cli_regulator; DROP ROLE cli_regulator;");
    }

    [Test]
    public async Task Ledger_store_may_name_the_server_as_a_url()
    {
        var b = new Npgsql.NpgsqlConnectionStringBuilder(Database.ConnectionString);
        var url = $"postgres://{b.Username}@{b.Host}:{b.Port}/{b.Database}";
        var applied = await LedgerProcess.RunWithStore(
            Directory.Path,
            """{"type":"deposit","account":"alice","asset":"USDT","amount":"100"}""" + "\n",
            url,
            "apply",
            "-"
        );
        Assert.That(applied.ExitCode, Is.Zero, applied.Error);
        var account = await LedgerProcess.RunWithStore(Directory.Path, null, url, "account", "alice", "--json");
        Assert.That(account.Out, Does.Contain("\"USDT\": \"100\""));
        Assert.That(
            File.Exists(Path.Combine(Directory.Path, "ledger.db")),
            Is.False,
            "nothing was written to the default SQLite file"
        );
    }

    [Test]
    public async Task The_regulator_role_needs_postgres() =>
        Assert.That(
            (await LedgerProcess.Run(Directory.Path, null, ["regulator-role", "x", "--store", "ledger.db"])).Error,
            Does.Contain("SQLite has no roles")
        );
}
