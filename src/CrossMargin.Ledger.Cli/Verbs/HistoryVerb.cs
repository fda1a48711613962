using System.CommandLine;
using CrossMargin.Ledger.Application.Requests;
using CrossMargin.Ledger.Cli.Output;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Spectre.Console;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary><c>ledger history ID [--json]</c>.</summary>
public static class HistoryVerb
{
    /// <summary>The verb.</summary>
    public static Command Create(Option<string?> store)
    {
        var id = new Argument<string>("id") { Description = "account id" };
        var json = new Option<bool>("--json")
        {
            Description =
                "print a JSON array: each event with its global position, metadata, hashes and the margin state "
                + "after it",
        };
        var command = new Command("history", "Print an account's events in order with the margin state after each")
        {
            id,
            json,
        };
        command.SetAction(
            async (parse, ct) =>
            {
                if (!AccountId.Parse(parse.GetValue(id)).Is(out var account, out var problem))
                    return Cli.Fail(problem);
                await using var host = await Cli.OpenAsync(parse, store, ct, readOnly: true).ConfigureAwait(false);
                if (host is null)
                    return ExitCodes.Invalid;
                var entries = await host.Mediator.Send(new GetAccountHistory(account), ct).ConfigureAwait(false);
                if (entries.Count == 0)
                    return Cli.Fail($"account '{account}' has no events");
                if (parse.GetValue(json))
                {
                    var array = new JArray(
                        entries.Select(e =>
                        {
                            var o = LedgerOutput.AuditedEvent(e.Event);
                            o["marginAfter"] = LedgerOutput.Margin(e.MarginAfter, e.Event.GlobalPosition);
                            return o;
                        })
                    );
                    Console.WriteLine(array.ToString(Formatting.Indented));
                    return ExitCodes.Ok;
                }
                var table = new Table()
                    .Title($"history of [bold]{Markup.Escape(account.Value)}[/]")
                    .AddColumns("position", "event", "equity", "MM", "IM", "free", "margin ratio", "liquidatable");
                foreach (var e in entries)
                {
                    var m = e.MarginAfter;
                    table.AddRow(
                        e.Event.GlobalPosition.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Markup.Escape(e.Event.Type),
                        D(m.Equity),
                        D(m.MaintenanceMargin),
                        D(m.InitialMargin),
                        D(m.FreeCollateral),
                        m.MarginRatio is { } r ? D(r) : "n/a",
                        m.Liquidatable ? "yes" : "no"
                    );
                }
                AnsiConsole.Write(table);
                return ExitCodes.Ok;
            }
        );
        return command;
    }

    private static string D(decimal d) => LedgerOutput.Text(d);
}
