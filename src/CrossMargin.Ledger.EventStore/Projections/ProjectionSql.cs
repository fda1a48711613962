using System.Globalization;
using System.Text;
using CrossMargin.Ledger.Projections;

namespace CrossMargin.Ledger.EventStore.Projections;

/// <summary>The SQL dialects projection tables are written in.</summary>
public enum SqlDialect
{
    /// <summary>SQLite: decimals are stored as their exact text (SQLite has no exact numeric type).</summary>
    Sqlite,

    /// <summary>PostgreSQL: decimals are <c>numeric</c>, exact.</summary>
    Postgres,
}

/// <summary>The PostgreSQL tables the regulator views read; the PostgreSQL adapter creates them under these
/// names.</summary>
public static class PostgresTables
{
    /// <summary>The schema of the ledger's tables (Marten's events and documents, the seals, the projection
    /// tables).</summary>
    public const string Schema = "ledger";

    /// <summary>One seal per global position, written by the seal follower.</summary>
    public const string Seals = Schema + ".ledger_seals";

    /// <summary>The anchors <c>ledger anchor</c> recorded.</summary>
    public const string Anchors = Schema + ".anchors";
}

/// <summary>
/// The SQL of the projection tables, shared by both stores: DDL, upserts, whole-table replacement, the
/// shadow-table swap of a rebuild and the regulator views. Statements use positional <c>?</c> placeholders
/// (Marten's form); <see cref="Numbered"/> turns them into <c>$1…</c> for Npgsql and SQLite.
/// </summary>
public static class ProjectionSql
{
    /// <summary>The suffix of the shadow table a rebuild fills before it swaps.</summary>
    public const string ShadowSuffix = "__rebuild";

    /// <summary>The qualified name of a table.</summary>
    public static string Name(ProjectionTable table, SqlDialect dialect, string suffix = "") =>
        dialect == SqlDialect.Postgres
            ? $"{PostgresTables.Schema}.{table.Name}{suffix}"
            : $"projection_{table.Name}{suffix}";

    private static string Type(ProjectionColumn c, SqlDialect dialect) =>
        (c.Kind, dialect) switch
        {
            (ColumnKind.Whole, SqlDialect.Postgres) => "bigint",
            (ColumnKind.Exact, SqlDialect.Postgres) => "numeric",
            (ColumnKind.Whole, _) => "INTEGER",
            _ => dialect == SqlDialect.Postgres ? "text" : "TEXT",
        };

    /// <summary><c>CREATE TABLE IF NOT EXISTS</c>.</summary>
    public static string Create(ProjectionTable table, SqlDialect dialect, string suffix = "")
    {
        var columns = table.Columns.Select(c => $"{c.Name} {Type(c, dialect)}{(c.Nullable ? "" : " NOT NULL")}");
        var key = table.Columns.Take(table.KeyLength).Select(c => c.Name);
        return $"CREATE TABLE IF NOT EXISTS {Name(table, dialect, suffix)} ({string.Join(", ", columns)}, "
            + $"PRIMARY KEY ({string.Join(", ", key)}))";
    }

    /// <summary>The statements (SQL with <c>?</c> placeholders, and their values) that apply a batch's
    /// change.</summary>
    public static IEnumerable<(string Sql, object[] Values)> Apply(
        TableChange change,
        SqlDialect dialect,
        string suffix = ""
    )
    {
        var table = change.Table;
        var name = Name(table, dialect, suffix);
        if (table.Replaced)
            yield return ($"DELETE FROM {name}", []);
        var keys = string.Join(", ", table.Columns.Take(table.KeyLength).Select(c => c.Name));
        var updates = string.Join(
            ", ",
            table.Columns.Skip(table.KeyLength).Select(c => $"{c.Name} = excluded.{c.Name}")
        );
        foreach (var row in change.Rows)
        {
            var values = new List<object>(row.Length);
            var placeholders = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0)
                    placeholders.Append(", ");
                if (row[i] is not { } text)
                {
                    placeholders.Append("NULL");
                    continue;
                }
                placeholders.Append('?');
                values.Add(Value(table.Columns[i], text, dialect));
            }
            yield return (
                $"INSERT INTO {name} ({string.Join(", ", table.Columns.Select(c => c.Name))}) VALUES ({placeholders}) "
                    + (
                        updates.Length == 0
                            ? $"ON CONFLICT ({keys}) DO NOTHING"
                            : $"ON CONFLICT ({keys}) DO UPDATE SET {updates}"
                    ),
                [.. values]
            );
        }
    }

    private static object Value(ProjectionColumn column, string text, SqlDialect dialect) =>
        column.Kind switch
        {
            ColumnKind.Whole => long.Parse(text, CultureInfo.InvariantCulture),
            ColumnKind.Exact when dialect == SqlDialect.Postgres => decimal.Parse(
                text,
                NumberStyles.Number,
                CultureInfo.InvariantCulture
            ),
            _ => text,
        };

    /// <summary>Replaces <c>?</c> placeholders with <c>$1, $2…</c>.</summary>
    public static string Numbered(string sql)
    {
        var builder = new StringBuilder(sql.Length + 16);
        var n = 0;
        foreach (var ch in sql)
            if (ch == '?')
                builder.Append('$').Append(++n);
            else
                builder.Append(ch);
        return builder.ToString();
    }

    /// <summary>The select list that reads every column as text, for comparing rows across stores.</summary>
    public static string SelectText(ProjectionTable table, SqlDialect dialect, string suffix = "")
    {
        var postgres = dialect == SqlDialect.Postgres;
        var columns = table.Columns.Select(
            (c, i) => (postgres ? $"{c.Name}::text" : $"CAST({c.Name} AS TEXT)") + $" AS v{i}"
        );
        var key = table
            .Columns.Take(table.KeyLength)
            .Select(c => postgres && c.Kind == ColumnKind.Text ? c.Name + " COLLATE \"C\"" : c.Name);
        return $"SELECT {string.Join(", ", columns)} FROM {Name(table, dialect, suffix)} ORDER BY "
            + $"{string.Join(", ", key)}";
    }

    /// <summary>The statements that start a rebuild: an empty shadow table beside the live one.</summary>
    public static IEnumerable<string> FreshShadow(ProjectionTable table, SqlDialect dialect) =>
        [$"DROP TABLE IF EXISTS {Name(table, dialect, ShadowSuffix)}", Create(table, dialect, ShadowSuffix)];

    /// <summary>The statements that put a rebuilt shadow table in place of the live one, inside one
    /// transaction.</summary>
    public static IEnumerable<string> Swap(ProjectionTable table, SqlDialect dialect) =>
        [
            $"DELETE FROM {Name(table, dialect)}",
            $"INSERT INTO {Name(table, dialect)} SELECT * FROM {Name(table, dialect, ShadowSuffix)}",
            $"DROP TABLE {Name(table, dialect, ShadowSuffix)}",
        ];

    /// <summary>The margin ratio at or above which the <c>at_risk</c> view lists an account (as <c>ledger query
    /// at-risk</c>).</summary>
    public const string AtRiskThreshold = "0.8";

    /// <summary>
    /// The regulator views (documented in docs/data-formats.md): one per projection table, the at-risk list, the
    /// trial-balance totals (PostgreSQL only: SQLite cannot sum decimal text exactly) and the seal chain.
    /// PostgreSQL puts them in schema <c>regulator</c>; SQLite names them <c>regulator_*</c>.
    /// </summary>
    public static IEnumerable<string> RegulatorViews(SqlDialect dialect)
    {
        string View(string name) => dialect == SqlDialect.Postgres ? $"regulator.{name}" : $"regulator_{name}";
        string Create(string name) =>
            dialect == SqlDialect.Postgres
                ? $"CREATE OR REPLACE VIEW {View(name)} AS "
                : $"DROP VIEW IF EXISTS {View(name)}; CREATE VIEW {View(name)} AS ";
        if (dialect == SqlDialect.Postgres)
            yield return "CREATE SCHEMA IF NOT EXISTS regulator";
        foreach (var table in ProjectionTables.All)
            yield return Create(table.Name) + $"SELECT * FROM {Name(table, dialect)}";
        var ratio = dialect == SqlDialect.Postgres ? "margin_ratio" : "CAST(margin_ratio AS NUMERIC)";
        var equity = dialect == SqlDialect.Postgres ? "equity" : "CAST(equity AS NUMERIC)";
        // at stake: a position, or flat with negative equity (bad debt)
        yield return Create("at_risk")
            + $"SELECT * FROM {Name(ProjectionTables.AccountMargin, dialect)} "
            + $"WHERE (positions > 0 OR {equity} < 0) AND (margin_ratio IS NULL OR {ratio} >= {AtRiskThreshold})";
        if (dialect == SqlDialect.Postgres)
        {
            yield return Create("trial_balance_totals")
                + $"SELECT asset, sum(balance) AS total FROM {Name(ProjectionTables.TrialBalance, dialect)} GROUP BY "
                + $"asset";
            yield return Create("seal_chain") + $"SELECT global_position, seal FROM {PostgresTables.Seals}";
        }
        else
            yield return Create("seal_chain") + "SELECT global_position, seal FROM seals";
        // the latest signed anchor (ledger anchor): check its signature with the operator's public key outside the
        // database
        yield return Create("latest_anchor")
            + "SELECT global_position, seal, anchored_at, public_key, signature, line FROM "
            + (dialect == SqlDialect.Postgres ? PostgresTables.Anchors : "anchors")
            + " ORDER BY global_position DESC, anchored_at DESC LIMIT 1";
    }
}
