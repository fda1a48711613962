using System.CommandLine;
using CrossMargin.Ledger.Application.Requests;
using CrossMargin.Ledger.Cli.Output;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Spectre.Console;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary><c>ledger liquidations [--account ID] [--json]</c> and <c>ledger explain LIQUIDATION_ID
/// [--json]</c>.</summary>
public static class LiquidationVerbs
{
    /// <summary>The list verb.</summary>
    public static Command List(Option<string?> store)
    {
        var account = new Option<string?>("--account") { Description = "only this account's liquidations" };
        var json = new Option<bool>("--json") { Description = "print a JSON array" };
        var command = new Command(
            "liquidations",
            "List liquidations: trigger, outcome, steps, notional, fees, insurance-fund delta"
        )
        {
            account,
            json,
        };
        command.SetAction(
            async (parse, ct) =>
            {
                AccountId? only = null;
                if (parse.GetValue(account) is { } text)
                {
                    if (!AccountId.Parse(text).Is(out var id, out var problem))
                        return Cli.Fail(problem);
                    only = id;
                }
                await using var host = await Cli.OpenAsync(parse, store, ct, readOnly: true).ConfigureAwait(false);
                if (host is null)
                    return ExitCodes.Invalid;
                var reports = await host.Mediator.Send(new GetLiquidations(only), ct).ConfigureAwait(false);
                if (parse.GetValue(json))
                {
                    Console.WriteLine(
                        new JArray(reports.Select(LiquidationOutput.Summary)).ToString(Formatting.Indented)
                    );
                    return ExitCodes.Ok;
                }
                var table = new Table().AddColumns(
                    "id",
                    "account",
                    "trigger",
                    "at",
                    "outcome",
                    "steps",
                    "notional",
                    "IF Δ",
                    "equity before → after"
                );
                foreach (var r in reports)
                    table.AddRow(
                        Markup.Escape(r.Id),
                        Markup.Escape(r.Account.Value),
                        Markup.Escape($"{r.Triggered.TriggerSymbol} {D(r.Triggered.TriggerPrice)}"),
                        r.TriggerPosition.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        r.Outcome,
                        r.Steps.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        D(r.LiquidatedNotional),
                        D(r.Steps.Sum(s => s.Step.InsuranceFundDelta)),
                        $"{D(r.Triggered.Equity)} → {(LiquidationOutput.EquityAfter(r) is { } e ? D(e) : "?")}"
                    );
                AnsiConsole.Write(table);
                return ExitCodes.Ok;
            }
        );
        return command;
    }

    /// <summary>The explain verb.</summary>
    public static Command Explain(Option<string?> store)
    {
        var id = new Argument<string>("liquidation-id")
        {
            Description = "a liquidation id, e.g. alice#1 (see ledger liquidations)",
        };
        var json = new Option<bool>("--json") { Description = "print every recorded event of the liquidation as JSON" };
        var command = new Command(
            "explain",
            "Explain one liquidation in words and tables: trigger, inputs, brackets, steps, fees, insurance fund, "
                + "ADL, outcome"
        )
        {
            id,
            json,
        };
        command.SetAction(
            async (parse, ct) =>
            {
                await using var host = await Cli.OpenAsync(parse, store, ct, readOnly: true).ConfigureAwait(false);
                if (host is null)
                    return ExitCodes.Invalid;
                var wanted = parse.GetValue(id)!;
                var reports = await host.Mediator.Send(new GetLiquidations(), ct).ConfigureAwait(false);
                if (reports.FirstOrDefault(r => r.Id == wanted) is not { } report)
                    return Cli.Fail(
                        $"no liquidation '{wanted}'; ids look like alice#1 (ledger liquidations lists them)"
                    );
                if (parse.GetValue(json))
                    Console.WriteLine(LiquidationOutput.Full(report).ToString(Formatting.Indented));
                else
                    ExplainReport.Write(AnsiConsole.Console, report);
                return ExitCodes.Ok;
            }
        );
        return command;
    }

    private static string D(decimal d) => LedgerOutput.Text(d);
}
