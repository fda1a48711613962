using System.Net;
using System.Text;

namespace CrossMargin.Ledger.Cli.Output;

/// <summary>
/// <c>ledger stress --out DIR</c>: the report as files people pass around: <c>report.html</c> (the text summary, every
/// chart and every table), <c>report.json</c>, one CSV per table and the charts as PNG. The directory is created
/// when missing; files of an earlier report with the same names are replaced.
/// </summary>
internal static class StressReportFiles
{
    /// <summary>Writes the files; their paths, the HTML report first.</summary>
    public static IReadOnlyList<string> Write(string directory, StressResult result)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        var charts = StressCharts.Save(result, directory);
        var tables = result.Tables();
        foreach (var table in tables)
        {
            var csv = Path.Combine(directory, table.Name + ".csv");
            File.WriteAllText(csv, StressTables.Csv(table));
            written.Add(csv);
        }
        var json = Path.Combine(directory, "report.json");
        File.WriteAllText(json, result.Json() + "\n");
        written.Add(json);
        written.AddRange(charts.Select(c => c.Path));
        var html = Path.Combine(directory, "report.html");
        File.WriteAllText(html, Html(result, charts.Select(c => c.Chart).ToList(), tables));
        written.Insert(0, html);
        return written;
    }

    private static string Html(StressResult result, List<StressChart> charts, IReadOnlyList<StressTable> tables)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<title>CrossMargin.Ledger stress report</title>\n<style>\n")
            .Append(
                "body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:2em auto;max-width:72em;color:#222}\n"
            )
            .Append("pre{background:#f6f6f6;padding:1em;white-space:pre-wrap}\n")
            .Append("table{border-collapse:collapse;font-size:0.85em;margin-bottom:2em}\n")
            .Append("th,td{border:1px solid #ccc;padding:0.2em 0.5em;text-align:right}\n")
            .Append("th{background:#eee}\nfigure{margin:1.5em 0}\nimg{max-width:100%}\n")
            .Append("</style>\n</head>\n<body>\n<h1>Stress report</h1>\n")
            .Append(
                $"<p>On {E(result.Source)}. A what-if on a copy of the state: nothing was appended to the log.</p>\n"
            )
            .Append("<h2>Summary</h2>\n<pre>")
            .Append(E(result.Text()))
            .Append("</pre>\n");
        if (charts.Count > 0)
            sb.Append("<h2>Charts</h2>\n");
        foreach (var chart in charts)
            sb.Append($"<figure><img src=\"{E(chart.File)}\" alt=\"{E(chart.Caption)}\">")
                .Append($"<figcaption>{E(chart.Caption)}</figcaption></figure>\n");
        foreach (var table in tables)
        {
            sb.Append($"<h2>Table: {E(table.Name)}</h2>\n<p><a href=\"{E(table.Name)}.csv\">{E(table.Name)}.csv</a>");
            // a Monte Carlo study's paths can number a million: the page shows the first thousand, the CSV has all
            const int shown = 1_000;
            if (table.Rows.Count > shown)
                sb.Append($" (all {table.Rows.Count:N0} rows; the first {shown:N0} below)");
            sb.Append("</p>\n<table>\n<tr>");
            foreach (var column in table.Columns)
                sb.Append($"<th>{E(column)}</th>");
            sb.Append("</tr>\n");
            foreach (var row in table.Rows.Take(shown))
            {
                sb.Append("<tr>");
                foreach (var cell in row)
                    sb.Append($"<td>{E(cell)}</td>");
                sb.Append("</tr>\n");
            }
            sb.Append("</table>\n");
        }
        sb.Append("<p><a href=\"report.json\">report.json</a> holds every figure as a decimal string.</p>\n")
            .Append("</body>\n</html>\n");
        return sb.ToString();
    }
}
