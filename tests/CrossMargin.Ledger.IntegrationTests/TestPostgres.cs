using Npgsql;

namespace CrossMargin.Ledger.IntegrationTests;

/// <summary>
/// The PostgreSQL server the tests run against: <c>LEDGER_TEST_POSTGRES</c>, set by <c>.ci/run</c> (which
/// starts a throwaway server from the local binaries). Each test gets a database of its own, dropped after it.
/// Without the variable the PostgreSQL tests are ignored with a message — except in CI (<c>CI=true</c>),
/// where they fail: CI must run them.
/// </summary>
public static class TestPostgres
{
    private static string Server
    {
        get
        {
            if (Environment.GetEnvironmentVariable("LEDGER_TEST_POSTGRES") is { Length: > 0 } server)
                return server;
            const string why =
                "LEDGER_TEST_POSTGRES is not set: run the tests with `bash .ci/run`, which starts a throwaway "
                + "PostgreSQL";
            if (Environment.GetEnvironmentVariable("CI") == "true")
                Assert.Fail(why);
            Assert.Ignore(why);
            return "";
        }
    }

    /// <summary>A fresh, empty database.</summary>
    public static async Task<TempDatabase> CreateDatabaseAsync()
    {
        var server = new NpgsqlConnectionStringBuilder(Server);
        var name = "ledger_t_" + Guid.NewGuid().ToString("N")[..16];
        await using (
            var connection = new NpgsqlConnection(
                new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres" }.ConnectionString
            )
        )
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new TempDatabase(
            server.ConnectionString,
            new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString,
            name
        );
    }
}

/// <summary>A database that is dropped when disposed.</summary>
public sealed class TempDatabase(string server, string connectionString, string name) : IAsyncDisposable
{
    /// <summary>Its connection string.</summary>
    public string ConnectionString { get; } = connectionString;

    /// <summary>Runs SQL on it.</summary>
    public async Task ExecuteAsync(string sql, string? asConnection = null)
    {
        await using var connection = new NpgsqlConnection(asConnection ?? ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Reads the first column of the first row.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString
        );
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
