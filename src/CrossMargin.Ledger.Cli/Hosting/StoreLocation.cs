namespace CrossMargin.Ledger.Cli.Hosting;

/// <summary>
/// Where the log lives, from <c>--store</c>, else <c>LEDGER_STORE</c>, else <c>ledger.db</c> in the working
/// directory. <c>sqlite:PATH</c> or a bare path names a SQLite file; a PostgreSQL connection string
/// (<c>Host=…</c> or <c>postgres://…</c>) is recognised and refused with a clear message until the
/// PostgreSQL adapter ships.
/// </summary>
public sealed record StoreLocation(string SqlitePath)
{
    /// <summary>The file used when nothing is said.</summary>
    public const string DefaultFile = "ledger.db";

    /// <summary>The environment variable read when <c>--store</c> is absent.</summary>
    public const string EnvironmentVariable = "LEDGER_STORE";

    /// <summary>Resolves the location, or explains why it cannot be used.</summary>
    public static StoreLocation Resolve(string? option, out string? error)
    {
        error = null;
        var spec = string.IsNullOrWhiteSpace(option) ? Environment.GetEnvironmentVariable(EnvironmentVariable) : option;
        if (string.IsNullOrWhiteSpace(spec)) return new StoreLocation(DefaultFile);
        if (spec.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || spec.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            error = "PostgreSQL stores are not supported by this build yet; use sqlite:PATH";
            return new StoreLocation(DefaultFile);
        }
        var path = spec.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) ? spec["sqlite:".Length..] : spec;
        if (path.Length == 0) error = "sqlite: needs a file path, e.g. sqlite:ledger.db";
        return new StoreLocation(path);
    }
}
