using System.CommandLine;
using CrossMargin.Ledger.Application.Requests;
using CrossMargin.Ledger.Cli.Output;
using CrossMargin.Ledger.Projections;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Spectre.Console;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary><c>ledger query NAME [--at GLOBAL_POSITION] [--json|--csv]</c>: a read model as of any position.</summary>
public static class QueryVerb
{
    /// <summary>The verb.</summary>
    public static Command Create(Option<string?> store)
    {
        var name = new Argument<string>("name")
        {
            Description = "one of: " + string.Join(", ", ReadModels.Catalog.Keys.Order(StringComparer.Ordinal)),
        };
        name.AcceptOnlyFromAmong([.. ReadModels.Catalog.Keys.Order(StringComparer.Ordinal)]);
        var at = new Option<long?>("--at") { Description = "global position to answer for (default: the head)" };
        var json = new Option<bool>("--json") { Description = "print {name, globalPosition, rows:[{column: value}]}" };
        var csv = new Option<bool>("--csv") { Description = "print CSV with a header line (RFC 4180)" };
        var account = new Option<string?>("--account")
        {
            Description = "account-timeline: the account; journal: a ledger account such as account:alice",
        };
        var symbol = new Option<string?>("--symbol") { Description = "liquidation-ladder: the instrument" };
        var threshold = new Option<decimal>("--threshold")
        {
            Description = "at-risk: the margin ratio from which an account is listed",
            DefaultValueFactory = _ => 0.8m,
        };
        var levels = new Option<int>("--levels")
        {
            Description = "liquidation-ladder: price levels each way",
            DefaultValueFactory = _ => 20,
        };
        var step = new Option<decimal>("--step")
        {
            Description = "liquidation-ladder: distance between levels as a fraction of the mark",
            DefaultValueFactory = _ => 0.01m,
        };
        var command = new Command(
            "query",
            "Print a read model (journal, trial balance, exposure, margin distribution, at-risk list, insurance "
                + "fund, liquidations, ADL, liquidation ladder, account timeline) as of any global position"
        )
        {
            name,
            at,
            json,
            csv,
            account,
            symbol,
            threshold,
            levels,
            step,
        };
        command.SetAction(
            async (parse, ct) =>
            {
                if (parse.GetValue(json) && parse.GetValue(csv))
                    return Cli.Fail("--json and --csv exclude each other");
                if (parse.GetValue(levels) is < 1 or > 1000)
                    return Cli.Fail("--levels must be between 1 and 1000");
                if (parse.GetValue(step) is <= 0m or >= 1m)
                    return Cli.Fail("--step must be in (0, 1)");
                await using var host = await Cli.OpenAsync(parse, store, ct, readOnly: true).ConfigureAwait(false);
                if (host is null)
                    return ExitCodes.Invalid;
                var options = new QueryOptions(
                    parse.GetValue(account),
                    parse.GetValue(symbol),
                    parse.GetValue(threshold),
                    parse.GetValue(levels),
                    parse.GetValue(step)
                );
                QueryResult? result;
                try
                {
                    result = await host
                        .Mediator.Send(new QueryReadModel(parse.GetValue(name)!, parse.GetValue(at), options), ct)
                        .ConfigureAwait(false);
                }
                catch (ArgumentException e)
                {
                    return Cli.Fail(e.Message);
                }
                if (result is null)
                    return Cli.Fail(
                        $"--at {parse.GetValue(at)} is not a global position of this log (0 to "
                            + $"{await host.Store.HeadAsync(ct).ConfigureAwait(false)})"
                    );
                if (parse.GetValue(json))
                    Console.WriteLine(Json(result).ToString(Formatting.Indented));
                else if (parse.GetValue(csv))
                    Console.Write(Csv(result));
                else
                    Table(result);
                return ExitCodes.Ok;
            }
        );
        return command;
    }

    /// <summary>The JSON form.</summary>
    public static JObject Json(QueryResult r) =>
        new()
        {
            ["name"] = r.Name,
            ["globalPosition"] = r.GlobalPosition,
            ["rows"] = new JArray(
                r.Rows.Select(row => new JObject(r.Columns.Select((c, i) => new JProperty(c, row[i]))))
            ),
        };

    /// <summary>The CSV form: a header line, then one line per row; fields quoted when they hold a comma, quote or line
    /// break.</summary>
    public static string Csv(QueryResult r) => CsvText.Of(r.Columns, r.Rows.Select(row => row.Select(v => v ?? "")));

    /// <summary>The table form.</summary>
    public static void Table(QueryResult r)
    {
        var table = new Table().Title($"{Markup.Escape(r.Name)} at global position {r.GlobalPosition}");
        foreach (var c in r.Columns)
            table.AddColumn(Markup.Escape(c));
        foreach (var row in r.Rows)
            table.AddRow([.. row.Select(v => Markup.Escape(v ?? "—"))]);
        AnsiConsole.Write(table);
    }
}
