using System.Text.RegularExpressions;
using Npgsql;

namespace CrossMargin.Ledger.EventStore.Postgres;

/// <summary>
/// A login role for regulators that can read the <c>regulator</c> views and nothing else: no privilege on
/// the <c>ledger</c> schema (the raw events, commands and projection tables), <c>SELECT</c> only on the
/// views, and read-only transactions by default. Views run with their owner's rights, so the role sees
/// projection rows through them without being able to reach the tables behind.
/// </summary>
public static partial class RegulatorRole
{
    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex RoleName();

    /// <summary>Creates the role (or resets its rights and password) in the store's database.</summary>
    /// <exception cref="ArgumentException">the role name is not a plain lower-case identifier.</exception>
    public static async Task CreateAsync(NpgsqlDataSource dataSource, string role, string? password, CancellationToken cancellationToken = default)
    {
        if (!RoleName().IsMatch(role))
            throw new ArgumentException($"role name '{role}' must be a lower-case identifier (letters, digits, underscore; at most 63)", nameof(role));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        string[] statements =
        [
            $"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role}; END IF; END $$",
            $"ALTER ROLE {role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS",
            $"ALTER ROLE {role} SET default_transaction_read_only = on",
            $"REVOKE ALL ON SCHEMA {MartenEventStore.Schema} FROM {role}",
            $"REVOKE ALL ON ALL TABLES IN SCHEMA {MartenEventStore.Schema} FROM {role}",
            $"GRANT USAGE ON SCHEMA regulator TO {role}",
            $"GRANT SELECT ON ALL TABLES IN SCHEMA regulator TO {role}",
        ];
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection, tx);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        if (password is not null)
        {
            await using var format = new NpgsqlCommand("SELECT format('ALTER ROLE %I PASSWORD %L', $1, $2)", connection, tx);
            format.Parameters.Add(new NpgsqlParameter { Value = role });
            format.Parameters.Add(new NpgsqlParameter { Value = password });
            var alter = (string)(await format.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            await using var set = new NpgsqlCommand(alter, connection, tx);
            await set.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
