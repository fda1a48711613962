using System.Text;

namespace CrossMargin.Ledger.Cli.Output;

/// <summary>CSV as the CLI writes it (RFC 4180): a header line, then one line per row, each ending in a line feed;
/// a field is quoted when it holds a comma, a quote or a line break, its quotes doubled.</summary>
internal static class CsvText
{
    /// <summary>The CSV text of <paramref name="columns"/> and <paramref name="rows"/>.</summary>
    public static string Of(IEnumerable<string> columns, IEnumerable<IEnumerable<string>> rows)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', columns.Select(Field)).Append('\n');
        foreach (var row in rows)
            sb.AppendJoin(',', row.Select(Field)).Append('\n');
        return sb.ToString();
    }

    private static string Field(string v) =>
        v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
}
