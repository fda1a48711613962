using System.CommandLine;
using CrossMargin.Ledger.Application.Requests;
using CrossMargin.Ledger.Cli.Output;
using Newtonsoft.Json;
using Spectre.Console;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary><c>ledger account ID [--at GLOBAL_POSITION] [--json]</c>.</summary>
public static class AccountVerb
{
    /// <summary>The verb.</summary>
    public static Command Create(Option<string?> store)
    {
        var id = new Argument<string>("id") { Description = "account id" };
        var at = new Option<long?>("--at") { Description = "global position to look at (default: the head)" };
        var json = new Option<bool>("--json") { Description = "print JSON (decimals as strings, unrounded)" };
        var command = new Command(
            "account",
            "Print an account's margin state: balances, equity, MM, IM, free collateral, margin ratio, positions "
                + "with liquidation and bankruptcy prices"
        )
        {
            id,
            at,
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
                var result = await host
                    .Mediator.Send(new GetAccountMargin(account, parse.GetValue(at)), ct)
                    .ConfigureAwait(false);
                if (result is null)
                    return Cli.Fail(
                        $"--at {parse.GetValue(at)} is not a global position of this log (0 to "
                            + $"{await host.Store.HeadAsync(ct).ConfigureAwait(false)})"
                    );
                if (!result.Known)
                    return Cli.Fail($"account '{account}' has no events at global position {result.GlobalPosition}");
                if (parse.GetValue(json))
                    Console.WriteLine(
                        LedgerOutput.Margin(result.Margin, result.GlobalPosition).ToString(Formatting.Indented)
                    );
                else
                    MarginTables.Write(AnsiConsole.Console, result.Margin, result.GlobalPosition);
                return ExitCodes.Ok;
            }
        );
        return command;
    }
}
