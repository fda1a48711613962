using CrossMargin.Ledger.Application.Requests;
using CrossMargin.Ledger.EventStore.Postgres;
using CrossMargin.Ledger.Hosting;
using CrossMargin.Ledger.Projections;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CrossMargin.Ledger.IntegrationTests.Store;

/// <summary>Both stores agree on the demo's tables; regulators read them through views, on PostgreSQL with a role that
/// can do nothing else.</summary>
public sealed class RegulatorViewTests : TempDatabaseTest
{
    [Test]
    public async Task Sqlite_and_postgres_hold_the_same_rows_for_the_demo_log()
    {
        var (sqlite, sqliteTables) = await ProjectionTableTests.Open("sqlite", Directory, null);
        var (postgres, postgresTables) = await ProjectionTableTests.Open("postgres", Directory, Database);
        await using (sqlite)
        await using (postgres)
        {
            await ProjectionTableTests.RunDemo(sqlite, sqliteTables);
            await ProjectionTableTests.RunDemo(postgres, postgresTables);
            Assert.That(await postgresTables.CatchUpAsync(), Is.EqualTo(await sqliteTables.CatchUpAsync()));
            var expected = await ProjectionTableTests.Tables(sqliteTables);
            var actual = await ProjectionTableTests.Tables(postgresTables);
            foreach (var t in ProjectionTables.All)
                Assert.That(actual[t.Projection], Is.EqualTo(expected[t.Projection]).And.Not.Empty, t.Projection);

            // as of past positions (answered by folding the log cut there) the two stores agree too
            await using var onSqlite = LedgerHost.Over(sqlite, leaveOpen: true);
            await using var onPostgres = LedgerHost.Over(postgres, leaveOpen: true);
            foreach (var at in new long[] { 9, 30, 37, 44 })
                foreach (var name in new[] { "trial-balance", "exposure", "at-risk", "insurance-fund", "liquidations" })
                {
                    var there = await onPostgres.Mediator.Send(
                        new QueryReadModel(name, at, new QueryOptions(AtRiskThreshold: 0m))
                    );
                    var here = await onSqlite.Mediator.Send(
                        new QueryReadModel(name, at, new QueryOptions(AtRiskThreshold: 0m))
                    );
                    Assert.That(
                        (there!.GlobalPosition, there.Rows),
                        Is.EqualTo((here!.GlobalPosition, here.Rows)),
                        $"{name} at {at}"
                    );
                }
        }
    }

    /// <summary>The demo on PostgreSQL with its projection tables, and a regulator login: its connection string
    /// and the other databases the role creation reported reachable.</summary>
    private async Task<(string ConnectionString, IReadOnlyList<string> Others)> DemoWithRegulator(
        string role,
        string password
    )
    {
        var (store, projections) = await ProjectionTableTests.Open("postgres", Directory, Database);
        IReadOnlyList<string> others;
        await using (store)
        {
            await ProjectionTableTests.RunDemo(store, projections);
            await projections.CatchUpAsync();
            others = await RegulatorRole.CreateAsync(((MartenEventStore)store).DataSource, role, password);
        }
        var connection = new NpgsqlConnectionStringBuilder(Database.ConnectionString)
        {
            Username = role,
            Password = password,
        }.ConnectionString;
        return (connection, others);
    }

    [Test]
    public async Task The_regulator_role_reads_the_views_and_nothing_else()
    {
        var (asRegulator, _) = await DemoWithRegulator("auditor_ro", "s3cret'quoted");
        await using var connection = new NpgsqlConnection(asRegulator);
        await connection.OpenAsync();
        async Task<object?> Scalar(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            return await command.ExecuteScalarAsync();
        }
        Assert.Multiple(async () =>
        {
            Assert.That(await Scalar("SELECT count(*) FROM regulator.liquidations"), Is.EqualTo(2L));
            Assert.That(await Scalar("SELECT total FROM regulator.trial_balance_totals WHERE asset = 'USDT'"), Is.Zero);
            Assert.That(await Scalar("SELECT count(*) FROM regulator.at_risk"), Is.GreaterThanOrEqualTo(0L));
            Assert.That(await Scalar("SELECT count(*) FROM regulator.seal_chain"), Is.EqualTo(47L));
            Assert.That(
                async () => await Scalar("SELECT count(*) FROM ledger.mt_events"),
                Throws.InstanceOf<PostgresException>().With.Property("SqlState").EqualTo("42501"),
                "raw events"
            );
            Assert.That(
                async () => await Scalar("SELECT count(*) FROM ledger.journal"),
                Throws.InstanceOf<PostgresException>().With.Property("SqlState").EqualTo("42501"),
                "tables behind the views"
            );
            Assert.That(
                async () => await Scalar("DELETE FROM regulator.journal"),
                Throws.InstanceOf<PostgresException>(),
                "writes through a view"
            );
            Assert.That(
                async () => await Scalar("CREATE TABLE regulator.x (a int)"),
                Throws.InstanceOf<PostgresException>(),
                "creating objects"
            );
        });
        await Database.ExecuteAsync("DROP OWNED BY auditor_ro; DROP ROLE auditor_ro;");
    }

    [Test]
    public async Task The_regulator_role_stays_read_only_after_switching_read_only_off()
    {
        var (asRegulator, others) = await DemoWithRegulator("auditor_rw", "pw");
        Assert.That(others, Does.Contain("postgres"), "other databases reachable through PUBLIC are reported");
        try
        {
            await using var connection = new NpgsqlConnection(asRegulator);
            await connection.OpenAsync();
            async Task<object?> Scalar(string sql)
            {
                await using var command = new NpgsqlCommand(sql, connection);
                return await command.ExecuteScalarAsync();
            }
            Assert.That(await Scalar("SHOW statement_timeout"), Is.EqualTo("1min"));
            Assert.That(await Scalar("SHOW lock_timeout"), Is.EqualTo("5s"));
            Assert.That(await Scalar("SHOW idle_in_transaction_session_timeout"), Is.EqualTo("30s"));
            // the setting is the role's to change; the rights are not
            await Scalar("SET default_transaction_read_only = off");
            Assert.Multiple(async () =>
            {
                Assert.That(
                    async () => await Scalar("CREATE TEMP TABLE t (a int)"),
                    Throws.InstanceOf<PostgresException>().With.Property("SqlState").EqualTo("42501"),
                    "temporary tables"
                );
                Assert.That(
                    async () => await Scalar("CREATE FUNCTION pg_temp.f() RETURNS int LANGUAGE sql AS 'SELECT 1'"),
                    Throws.InstanceOf<PostgresException>(),
                    "temporary functions"
                );
                Assert.That(
                    async () => await Scalar("CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1'"),
                    Throws.InstanceOf<PostgresException>().With.Property("SqlState").EqualTo("42501"),
                    "functions in public"
                );
                Assert.That(
                    async () => await Scalar("CREATE TABLE public.t (a int)"),
                    Throws.InstanceOf<PostgresException>().With.Property("SqlState").EqualTo("42501"),
                    "tables in public"
                );
                Assert.That(
                    async () => await Scalar("INSERT INTO ledger.journal DEFAULT VALUES"),
                    Throws.InstanceOf<PostgresException>().With.Property("SqlState").EqualTo("42501"),
                    "ledger tables"
                );
                Assert.That(
                    async () => await Scalar("UPDATE ledger.ledger_seals SET seal = ''"),
                    Throws.InstanceOf<PostgresException>().With.Property("SqlState").EqualTo("42501"),
                    "the seal chain"
                );
                Assert.That(
                    async () => await Scalar("BEGIN; LOCK TABLE ledger.writer_turn IN EXCLUSIVE MODE"),
                    Throws.InstanceOf<PostgresException>(),
                    "the writers' turn"
                );
            });
            await Scalar("ROLLBACK");
            // an advisory lock is anyone's to take; the writers do not use one, so holding it stalls nothing
            await Scalar("SELECT pg_advisory_lock(hashtext('ledger.writer'))");
            var apply = await Cli.LedgerProcess.Run(
                Directory.Path,
                """{"type":"deposit","account":"late","asset":"USDT","amount":"5"}""",
                "apply",
                "--store",
                Database.ConnectionString,
                "-"
            );
            Assert.That(apply.ExitCode, Is.Zero, apply.Error);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await Database.ExecuteAsync("DROP OWNED BY auditor_rw; DROP ROLE auditor_rw;");
        }
    }

    [Test]
    public async Task Closing_other_databases_takes_them_from_the_regulator_and_from_nobody_else()
    {
        var other = await TestPostgres.CreateDatabaseAsync();
        await using (other)
        {
            await Database.ExecuteAsync(
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_user') THEN CREATE ROLE "
                    + "app_user LOGIN; END IF; END $$"
            );
            var (store, projections) = await ProjectionTableTests.Open("postgres", Directory, Database);
            await using (store)
            {
                await ProjectionTableTests.RunDemo(store, projections);
                var name = new NpgsqlConnectionStringBuilder(other.ConnectionString).Database!;
                var open = await RegulatorRole.CreateAsync(((MartenEventStore)store).DataSource, "auditor_cl", "pw");
                Assert.That(open, Does.Contain(name));
                var closed = await RegulatorRole.CreateAsync(
                    ((MartenEventStore)store).DataSource,
                    "auditor_cl",
                    "pw",
                    closeOtherDatabases: true
                );
                Assert.That(closed, Is.Empty, "no other database is open to the regulator");
                Assert.That(
                    await Database.ScalarAsync($"SELECT has_database_privilege('app_user', '{name}', 'CONNECT')"),
                    Is.True,
                    "another login keeps its access"
                );
                Assert.That(
                    await Database.ScalarAsync($"SELECT has_database_privilege('auditor_cl', '{name}', 'CONNECT')"),
                    Is.False
                );
                await using var connection = new NpgsqlConnection(
                    new NpgsqlConnectionStringBuilder(other.ConnectionString)
                    {
                        Username = "auditor_cl",
                        Password = "pw",
                    }.ConnectionString
                );
                Assert.That(
                    async () => await connection.OpenAsync(),
                    Throws.InstanceOf<PostgresException>().With.Property("SqlState").EqualTo("42501")
                );
            }
            NpgsqlConnection.ClearAllPools();
            // give the server back what the test took: CONNECT to PUBLIC on every database
            await Database.ExecuteAsync(
                """
                DO $$ DECLARE db text; BEGIN
                  FOR db IN SELECT datname FROM pg_database WHERE datallowconn LOOP EXECUTE
                      format('GRANT CONNECT ON DATABASE %I TO PUBLIC', db); END LOOP;
                END $$;
                DROP OWNED BY auditor_cl; DROP ROLE auditor_cl; DROP OWNED BY app_user; DROP ROLE app_user;
                """
            );
        }
    }

    [Test]
    public async Task A_reader_holding_a_view_open_blocks_neither_apply_nor_a_rebuild_forever()
    {
        var (asRegulator, _) = await DemoWithRegulator("auditor_lock", "pw");
        try
        {
            await using var reader = new NpgsqlConnection(asRegulator);
            await reader.OpenAsync();
            await using var tx = await reader.BeginTransactionAsync();
            await using (var read = new NpgsqlCommand("SELECT count(*) FROM regulator.account_margin", reader, tx))
                await read.ExecuteScalarAsync(); // the transaction now holds the table behind the view
            var watch = System.Diagnostics.Stopwatch.StartNew();
            // opening a store replaced the views each time, which waited for the reader and queued everyone behind it
            var apply = await Cli.LedgerProcess.Run(
                Directory.Path,
                """{"type":"deposit","account":"late","asset":"USDT","amount":"5"}""",
                "apply",
                "--store",
                Database.ConnectionString,
                "-"
            );
            Assert.That(apply.ExitCode, Is.Zero, apply.Error);
            var rebuilt = await Cli.LedgerProcess.Run(
                Directory.Path,
                null,
                "projections",
                "rebuild",
                "--store",
                Database.ConnectionString
            );
            Assert.That(rebuilt.ExitCode, Is.Zero, rebuilt.Error);
            Assert.That(
                watch.Elapsed,
                Is.LessThan(TimeSpan.FromSeconds(15)),
                "neither waited for the reader (its session would end only after 30 s idle)"
            );
            await using (var read = new NpgsqlCommand("SELECT count(*) FROM regulator.account_margin", reader, tx))
                Assert.That(await read.ExecuteScalarAsync(), Is.GreaterThan(0L), "the reader's session is still there");
            await tx.RollbackAsync();
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await Database.ExecuteAsync("DROP OWNED BY auditor_lock; DROP ROLE auditor_lock;");
        }
    }

    [TestCase("x; DROP TABLE y")]
    [TestCase("auditor\n")]
    public async Task A_role_name_that_is_not_an_identifier_is_refused(string role)
    {
        await using var dataSource = NpgsqlDataSource.Create(Database.ConnectionString);
        Assert.That(
            async () => await RegulatorRole.CreateAsync(dataSource, role, null),
            Throws.ArgumentException.With.Message.Contains("must be a lower-case identifier")
        );
    }

    [Test]
    public async Task Sqlite_has_the_same_views_where_its_dialect_allows()
    {
        var (store, projections) = await ProjectionTableTests.Open("sqlite", Directory, null);
        await using (store)
        {
            await ProjectionTableTests.RunDemo(store, projections);
            await projections.CatchUpAsync();
        }
        await using var connection = new SqliteConnection(
            $"Data Source={Directory.File("projections.db")};Mode=ReadOnly;Pooling=False"
        );
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT (SELECT count(*) FROM regulator_liquidations), (SELECT count(*) FROM regulator_seal_chain), "
            + "(SELECT group_concat(account) FROM regulator_at_risk)";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.That(await reader.ReadAsync());
        Assert.That((reader.GetInt64(0), reader.GetInt64(1)), Is.EqualTo((2L, 47L)));
    }
}
