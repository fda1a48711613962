using System.Globalization;
using Npgsql;

namespace CrossMargin.Ledger.EventStore.Postgres;

/// <summary>Recognises and normalises the PostgreSQL connection strings <c>--store</c> and <c>LEDGER_STORE</c> accept.</summary>
public static class PostgresConnection
{
    /// <summary>Whether <paramref name="store"/> names a PostgreSQL server (<c>postgres://…</c>, <c>postgresql://…</c> or <c>Host=…</c>) rather than a SQLite file.</summary>
    public static bool IsPostgres(string store) =>
        store.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || store.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || store.Split(';').Any(part => part.Trim().StartsWith("Host=", StringComparison.OrdinalIgnoreCase) || part.Trim().StartsWith("Server=", StringComparison.OrdinalIgnoreCase));

    /// <summary>An Npgsql connection string for <paramref name="store"/>.</summary>
    /// <exception cref="ArgumentException">the URL or key/value string is malformed.</exception>
    public static string Normalize(string store)
    {
        if (!store.Contains("://", StringComparison.Ordinal))
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(store).ConnectionString;
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"not a PostgreSQL connection string: {e.Message}", nameof(store), e);
            }
        }
        if (!Uri.TryCreate(store, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw new ArgumentException($"not a PostgreSQL URL (postgres://user:password@host:port/database): '{store}'", nameof(store));
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port };
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0) builder.Database = database;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0) builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            try
            {
                builder[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = value;
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"unknown PostgreSQL URL parameter '{key}' in '{store}'", nameof(store), e);
            }
        }
        return builder.ConnectionString;
    }

    /// <summary>The connection string without its password, for messages.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Password = null };
        return string.Create(CultureInfo.InvariantCulture, $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}");
    }
}
