using System.Globalization;
using Npgsql;

namespace CrossMargin.Ledger.EventStore.Postgres;

/// <summary>Recognises and normalises the PostgreSQL connection strings <c>--store</c> and <c>LEDGER_STORE</c>
/// accept.</summary>
public static class PostgresConnection
{
    /// <summary>Whether <paramref name="store"/> names a PostgreSQL server (<c>postgres://…</c>, <c>postgresql://…</c>
    /// or <c>Host=…</c>) rather than a SQLite file.</summary>
    public static bool IsPostgres(string store) =>
        store.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || store.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || store
            .Split(';')
            .Any(part =>
                part.Trim().StartsWith("Host=", StringComparison.OrdinalIgnoreCase)
                || part.Trim().StartsWith("Server=", StringComparison.OrdinalIgnoreCase)
            );

    /// <summary>An Npgsql connection string for <paramref name="store"/>.</summary>
    /// <exception cref="FormatException">the URL or key/value string is malformed (the message never holds the
    /// password).</exception>
    public static string Normalize(string store)
    {
        if (!store.Contains("://", StringComparison.Ordinal))
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(store).ConnectionString;
            }
            catch (Exception e)
                when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
            {
                throw new FormatException($"not a PostgreSQL connection string ({Mask(store)}): {Mask(e.Message)}");
            }
        }
        if (!Uri.TryCreate(store, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw new FormatException(
                $"not a PostgreSQL URL (postgres://user:password@host:port/database): '{Mask(store)}'"
            );
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
        };
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
            builder.Database = database;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
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
            catch (Exception e)
                when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
            {
                throw new FormatException(
                    $"PostgreSQL URL parameter '{key}' in '{Mask(store)}' is unknown or has a bad value"
                );
            }
        }
        return builder.ConnectionString;
    }

    /// <summary>
    /// <paramref name="text"/> with every password hidden: the user-info password of a URL
    /// (<c>postgres://user:***@host</c>) and every <c>Password=…</c> / <c>Pwd=…</c> pair of a key/value string.
    /// Every message that quotes a store goes through it, even when the text could not be parsed.
    /// </summary>
    public static string Mask(string text)
    {
        var masked = text;
        var scheme = masked.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            // user:password@host — the password runs from the first ':' of the user info to the LAST '@' (an '@' in
            // an unencoded password is still hidden; an '@' in a query is hidden with it, which errs the safe way)
            var start = scheme + 3;
            var at = masked.LastIndexOf('@');
            var colon = masked.IndexOf(':', start);
            if (at > start && colon > start && colon < at)
                masked = masked[..(colon + 1)] + "***" + masked[at..];
        }
        // a password given as a URL parameter or a key/value pair, under any of Npgsql's names, quoted or not
        masked = System.Text.RegularExpressions.Regex.Replace(
            masked,
            @"(?i)((?:^|[?&;])\s*(?:password|pwd|psw)\s*=\s*)(""(?:[^""]|"""")*""|'(?:[^']|'')*'|[^;&]*)",
            "$1***"
        );
        return masked;
    }

    /// <summary>The connection string without its password, for messages.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Password = null };
        return string.Create(
            CultureInfo.InvariantCulture,
            $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}"
        );
    }
}
