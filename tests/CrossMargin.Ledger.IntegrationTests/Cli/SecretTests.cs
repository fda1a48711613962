namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>No output of the program holds a password, whatever the parse error, failure or hint.</summary>
public sealed class SecretTests : TempDatabaseTest
{
    private const string Secret = "s3cr3t-Pa55";

    public static IEnumerable<string> Malformed() =>
        [
            $"postgres://auditor:{Secret}@db.example:notaport/ledger",
            $"postgres://auditor:{Secret}@/ledger",
            $"postgresql://auditor:{Secret}@db.example/ledger?sslmode=sometimes",
            $"postgres://auditor:{Secret}@db.example/ledger?colour=blue",
            $"Host=db.example;Username=auditor;Password={Secret};Port=abc",
            $"Host=db.example;Username=auditor;Password={Secret};Colour=blue",
            $"Host=db.example;Username=auditor;Password='{Secret};x';Colour=blue",
            $"Host=db.example;Username=auditor;PWD={Secret};Port=-5",
        ];

    [TestCaseSource(nameof(Malformed))]
    public async Task A_malformed_store_is_refused_without_its_password(string store)
    {
        foreach (
            var verb in (string[][])
                [
                    ["verify"],
                    ["account", "a"],
                    ["apply", "-"],
                    ["demo"],
                    ["anchor", "--key", "k", "--to", "a"],
                ]
        )
        {
            var viaOption = await LedgerProcess.Run(Directory.Path, "", [.. verb, "--store", store]);
            var viaEnvironment = await LedgerProcess.RunWithStore(Directory.Path, "", store, verb);
            foreach (var run in new[] { viaOption, viaEnvironment })
            {
                Assert.That(run.ExitCode, Is.Not.Zero, string.Join(' ', verb));
                Assert.That(run.Out + run.Error, Does.Not.Contain(Secret), string.Join(' ', verb));
            }
            Assert.That(viaOption.Error, Does.StartWith("error: ").Or.Contain("--key: there is no key file"));
        }
    }

    [TestCase($"postgres://auditor@db.example/ledger?password={Secret}&sslmode=require")]
    [TestCase($"postgres://auditor@db.example/ledger?sslmode=require&PASSWORD={Secret}")]
    [TestCase($"postgres://auditor:{Secret}@@db.example/ledger")]
    [TestCase($"postgres://auditor:pa@{Secret}@db.example/ledger")]
    [TestCase($"Host=db.example;Psw={Secret};Username=auditor")]
    [TestCase($"Host=db.example;Password=\"a\"\"b;{Secret}\";Username=auditor")]
    [TestCase($"Host=db.example; pwd = '{Secret}'")]
    public void Mask_hides_every_form_of_password(string store)
    {
        var masked = CrossMargin.Ledger.EventStore.Postgres.PostgresConnection.Mask(store);
        Assert.That(masked, Does.Not.Contain(Secret).And.Contain("***"));
        Assert.That(masked, Does.Contain("db.example"), "the rest stays readable");
    }

    [Test]
    public async Task An_unreachable_server_is_reported_without_the_password()
    {
        var run = await LedgerProcess.Run(
            Directory.Path,
            null,
            "verify",
            "--store",
            $"Host=127.0.0.1;Port=1;Username=u;Password={Secret};Timeout=2"
        );
        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Error, Does.Contain("PostgreSQL 127.0.0.1:1/").And.Not.Contain(Secret));
    }

    [Test]
    public async Task The_demo_on_postgres_names_no_password_in_its_hints()
    {
        var withPassword = new Npgsql.NpgsqlConnectionStringBuilder(Database.ConnectionString)
        {
            Password = Secret,
        }.ConnectionString;
        var demo = await LedgerProcess.Run(Directory.Path, null, "demo", "--store", withPassword);
        Assert.That(demo.ExitCode, Is.Zero, demo.Error);
        Assert.That(demo.Out + demo.Error, Does.Not.Contain(Secret));
        Assert.That(demo.Out, Does.Contain("Password=***").And.Contain("put your password where *** stands"));

        await Database.ExecuteAsync("DROP SCHEMA ledger CASCADE; DROP SCHEMA regulator CASCADE;");
        var fromEnvironment = await LedgerProcess.RunWithStore(Directory.Path, null, withPassword, "demo");
        Assert.That(fromEnvironment.ExitCode, Is.Zero, fromEnvironment.Error);
        Assert.That(fromEnvironment.Out + fromEnvironment.Error, Does.Not.Contain(Secret));
        var hints = fromEnvironment.Out[fromEnvironment.Out.IndexOf("Next:", StringComparison.Ordinal)..];
        Assert.That(
            hints,
            Does.Contain("ledger account alice,").And.Not.Contain("--store"),
            "LEDGER_STORE already names the store"
        );
    }

    [Test]
    public async Task A_sqlite_path_with_a_semicolon_stays_a_file()
    {
        var path = Directory.File("odd;Host=x.db");
        var run = await LedgerProcess.Run(
            Directory.Path,
            """{"type":"deposit","account":"a","asset":"USDT","amount":"5"}""",
            "apply",
            "--store",
            "sqlite:" + path,
            "-"
        );
        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(File.Exists(path), Is.True);
    }
}
