using System.Text.RegularExpressions;
using Npgsql;

namespace CrossMargin.Ledger.EventStore.Postgres;

/// <summary>
/// A login role for regulators that can read the <c>regulator</c> views and nothing else: no privilege on
/// the <c>ledger</c> schema (the raw events, commands and projection tables), <c>SELECT</c> only on the
/// views. Views run with their owner's rights, so the role sees projection rows through them without being
/// able to reach the tables behind.
/// <para>
/// Read-only by privilege, not by a setting the role could switch off: PostgreSQL lets any role change its own
/// session defaults, so <c>default_transaction_read_only</c> is only a courtesy. What makes the role unable to
/// write is that it holds no right to: temporary objects are refused (<c>TEMPORARY</c> on the ledger's database
/// is taken from <c>PUBLIC</c> and given back to the role running this), and so is creating anything in the
/// <c>public</c> schema. Its sessions default to a statement timeout of 60 s, a lock timeout of 5 s and an
/// idle-in-transaction timeout of 30 s, and at most 20 connections. Other databases of the server that the role
/// may connect to through <c>PUBLIC</c> cannot be closed from here without affecting their users; they are
/// returned so the operator can revoke <c>CONNECT</c> there or restrict the role in <c>pg_hba.conf</c>.
/// </para>
/// </summary>
public static partial class RegulatorRole
{
    /// <summary>The comment that marks a role as a ledger regulator (so closing other databases leaves it
    /// out).</summary>
    public const string RegulatorComment = "ledger regulator (read-only)";

    [GeneratedRegex(@"\A[a-z_][a-z0-9_]{0,62}\z")] // \z: $ would let a final newline through
    private static partial Regex RoleName();

    /// <summary>Creates the role (or resets its rights and password) in the store's database.</summary>
    /// <returns>the other databases of the server the role can still connect to (through <c>PUBLIC</c>).</returns>
    /// <exception cref="ArgumentException">the role name is not a plain lower-case identifier.</exception>
    /// <param name="dataSource">the ledger's database, connected as a role that may create roles and owns the
    /// database.</param>
    /// <param name="role">the role's name.</param>
    /// <param name="password">its password, or null to leave it as it is.</param>
    /// <param name="closeOtherDatabases">
    /// also take <c>CONNECT</c> on the server's other databases from <c>PUBLIC</c>, granting it first to every other
    /// login role that is not a ledger regulator, so that their users keep their access and regulators lose theirs.
    /// </param>
    /// <param name="cancellationToken">cancels the work.</param>
    public static async Task<IReadOnlyList<string>> CreateAsync(
        NpgsqlDataSource dataSource,
        string role,
        string? password,
        bool closeOtherDatabases = false,
        CancellationToken cancellationToken = default
    )
    {
        if (!RoleName().IsMatch(role))
            throw new ArgumentException(
                $"role name '{role}' must be a lower-case identifier (letters, digits, underscore; at most 63)",
                nameof(role)
            );
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        string[] statements =
        [
            $"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role}; END "
                + $"IF; END $$",
            $"ALTER ROLE {role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS",
            $"ALTER ROLE {role} CONNECTION LIMIT 20",
            $"COMMENT ON ROLE {role} IS '{RegulatorComment}'",
            $"ALTER ROLE {role} SET default_transaction_read_only = on",
            $"ALTER ROLE {role} SET statement_timeout = '60s'",
            $"ALTER ROLE {role} SET lock_timeout = '5s'",
            $"ALTER ROLE {role} SET idle_in_transaction_session_timeout = '30s'",
            // no temporary tables or functions: taken from everyone, given back to the role that runs the ledger
            "DO $$ BEGIN EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database()); "
                + "EXECUTE format('GRANT TEMPORARY, CONNECT ON DATABASE %I TO %I', current_database(), "
                + "current_user); END $$",
            $"DO $$ BEGIN EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM {role}', current_database()); "
                + $"EXECUTE format('GRANT CONNECT ON DATABASE %I TO {role}', current_database()); END $$",
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
            $"REVOKE ALL ON SCHEMA public FROM {role}",
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
            await using var format = new NpgsqlCommand(
                "SELECT format('ALTER ROLE %I PASSWORD %L', $1, $2)",
                connection,
                tx
            );
            format.Parameters.Add(new NpgsqlParameter { Value = role });
            format.Parameters.Add(new NpgsqlParameter { Value = password });
            var alter = (string)(await format.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            await using var set = new NpgsqlCommand(alter, connection, tx);
            await set.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        if (closeOtherDatabases)
        {
            // grant CONNECT to every login role but the regulators before taking it from PUBLIC: nobody else loses
            // access
            await using var close = new NpgsqlCommand(
                $$"""
                DO $$
                DECLARE db text; r text;
                BEGIN
                  FOR db IN SELECT datname FROM pg_database WHERE datallowconn AND datname <> current_database() LOOP
                    FOR r IN SELECT rolname FROM pg_roles
                             WHERE rolcanlogin AND NOT rolsuper AND coalesce(shobj_description(oid, 'pg_authid'), '') <>
                                 '{{RegulatorComment}}' LOOP
                      EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', db, r);
                    END LOOP;
                    EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', db);
                  END LOOP;
                END $$
                """,
                connection,
                tx
            );
            await close.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        var others = new List<string>();
        await using (
            var open = new NpgsqlCommand(
                "SELECT datname FROM pg_database WHERE datallowconn AND datname <> current_database() AND "
                    + "has_database_privilege($1, datname, 'CONNECT') ORDER BY datname",
                connection,
                tx
            )
        )
        {
            open.Parameters.Add(new NpgsqlParameter { Value = role });
            await using var reader = await open.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                others.Add(reader.GetString(0));
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return others;
    }
}
