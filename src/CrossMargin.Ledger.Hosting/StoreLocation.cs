using CrossMargin.Ledger.EventStore.Postgres;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Hosting;

/// <summary>
/// Where the log lives, from <c>--store</c>, else <c>LEDGER_STORE</c>, else <c>ledger.db</c> in the working
/// directory. <c>sqlite:PATH</c> or a bare path names a SQLite file; a PostgreSQL connection string
/// (<c>Host=…;Database=…</c>) or URL (<c>postgres://user:password@host:port/database</c>) names a
/// PostgreSQL database, whose schema is created and migrated on first use.
/// </summary>
public sealed record StoreLocation(string? SqlitePath, string? ConnectionString)
{
    /// <summary>The file used when nothing is said.</summary>
    public const string DefaultFile = "ledger.db";

    /// <summary>The environment variable read when <c>--store</c> is absent.</summary>
    public const string EnvironmentVariable = "LEDGER_STORE";

    /// <summary>Whether this is a PostgreSQL database.</summary>
    public bool IsPostgres => ConnectionString is not null;

    /// <summary>For messages: the SQLite file's full path, or the server and database (never the password).</summary>
    public string Description =>
        ConnectionString is { } cs ? PostgresConnection.Describe(cs) : "SQLite file " + Path.GetFullPath(SqlitePath!);

    /// <summary>What to pass back as <c>--store</c> in hints: a PostgreSQL store with its password hidden
    /// (<c>***</c>).</summary>
    public string Argument { get; init; } = "";

    /// <summary>Whether the location came from <c>LEDGER_STORE</c> (hints then need no <c>--store</c>).</summary>
    public bool FromEnvironment { get; init; }

    /// <summary>Whether <see cref="Argument"/> hides a password (<c>***</c>).</summary>
    public bool HidesPassword { get; init; }

    /// <summary>Resolves the location, or explains why it cannot be used.</summary>
    public static Checked<StoreLocation> Resolve(string? option)
    {
        var spec = string.IsNullOrWhiteSpace(option) ? Environment.GetEnvironmentVariable(EnvironmentVariable) : option;
        if (string.IsNullOrWhiteSpace(spec))
            return Checked.Valid(new StoreLocation(DefaultFile, null) { Argument = DefaultFile });
        var fromEnvironment = string.IsNullOrWhiteSpace(option);
        // sqlite: names a file whatever the path holds (a ';' or 'Host=' in a file name included)
        if (!spec.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) && PostgresConnection.IsPostgres(spec))
        {
            try
            {
                return Checked.Valid(
                    new StoreLocation(null, PostgresConnection.Normalize(spec))
                    {
                        Argument = "'" + PostgresConnection.Mask(spec) + "'",
                        FromEnvironment = fromEnvironment,
                        HidesPassword = PostgresConnection.Mask(spec) != spec,
                    }
                );
            }
            catch (FormatException e)
            {
                return Checked.Invalid<StoreLocation>(e.Message);
            }
        }
        var path = spec.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) ? spec["sqlite:".Length..] : spec;
        return path.Length == 0
            ? Checked.Invalid<StoreLocation>("sqlite: needs a file path, e.g. sqlite:ledger.db")
            : Checked.Valid(new StoreLocation(path, null) { Argument = path, FromEnvironment = fromEnvironment });
    }
}
