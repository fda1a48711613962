using System.CommandLine;
using CrossMargin.Ledger.Application.Apply;
using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.Application.Requests;
using CrossMargin.Ledger.Cli.Demo;
using CrossMargin.Ledger.Cli.Output;
using CrossMargin.Ledger.Hosting;
using Mediator;
using Spectre.Console;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary><c>ledger demo</c>: the README's first command.</summary>
public static class DemoVerb
{
    /// <summary>The file the demo recreates when no store is named.</summary>
    public const string DefaultFile = "demo.db";

    /// <summary>The verb.</summary>
    public static Command Create(Option<string?> store)
    {
        var command = new Command(
            "demo",
            $"Run the built-in multi-account scenario on a fresh SQLite file ({DefaultFile}, recreated each run; or "
                + $"an empty --store) and explain what happened"
        );
        command.SetAction(
            async (parse, ct) =>
            {
                var explicitStore =
                    parse.GetValue(store) ?? Environment.GetEnvironmentVariable(StoreLocation.EnvironmentVariable);
                var resolved = StoreLocation.Resolve(
                    parse.GetValue(store) ?? (explicitStore is null ? DefaultFile : null)
                );
                if (resolved.Problem is { } error)
                    return Cli.Fail(error);
                var location = resolved.Value;
                if (explicitStore is null)
                    EventStore.Sqlite.SqliteEventStore.Delete(location.SqlitePath!);
                LedgerHost host;
                try
                {
                    host = await LedgerHost.OpenAsync(location, ct).ConfigureAwait(false);
                }
                catch (InvalidOperationException e)
                {
                    return Cli.Fail(e.Message);
                }
                await using (host)
                {
                    if (await host.Store.HeadAsync(ct).ConfigureAwait(false) is var head and > 0)
                        return Cli.Fail($"the demo needs an empty store; {location.Description} holds {head} events");
                    AnsiConsole.MarkupLine(
                        $"[bold]CrossMargin.Ledger demo[/] on {Markup.Escape(location.Description)}"
                    );
                    var code = await RunAsync(host.Mediator, AnsiConsole.Console, ct).ConfigureAwait(false);
                    if (host.Projections is { } projections)
                        AnsiConsole.MarkupLine(
                            "projection tables and regulator views up to date at global position "
                                + $"{await projections.CatchUpAsync(ct).ConfigureAwait(false)}"
                        );
                    // never the password: from LEDGER_STORE the hints need no --store; otherwise it is shown masked
                    var at = location.FromEnvironment ? "" : " --store " + Markup.Escape(location.Argument);
                    AnsiConsole.MarkupLine(
                        $"Next: [bold]ledger account alice{at}[/], [bold]ledger history alice --json{at}[/], "
                            + $"[bold]ledger verify{at}[/], [bold]ledger projections show exposure{at}[/]."
                            + (
                                location.HidesPassword && !location.FromEnvironment
                                    ? " (put your password where *** stands)"
                                    : ""
                            )
                    );
                    return code;
                }
            }
        );
        return command;
    }

    /// <summary>Applies every step, narrates outcomes, prints each account and verifies the chains.</summary>
    public static async Task<int> RunAsync(IMediator mediator, IAnsiConsole console, CancellationToken ct)
    {
        var number = 0;
        foreach (var step in DemoScript.Steps)
        {
            number++;
            var result = await LineApplier.ApplyLineAsync(mediator, number, step.Line, ct).ConfigureAwait(false);
            var outcome = result.Outcome switch
            {
                CommandOutcome.Accepted { Duplicate: true } a =>
                    $"[grey]already recorded at {string.Join(", ", a.Events.Select(e => e.GlobalPosition))} — "
                        + $"nothing appended[/]",
                CommandOutcome.Accepted a when a.Events.Count == 0 => "[grey]accepted, nothing to change[/]",
                CommandOutcome.Accepted a => "[green]"
                    + Markup.Escape(string.Join(", ", a.Events.Select(e => $"#{e.GlobalPosition} {e.Type}")))
                    + "[/]",
                CommandOutcome.Rejected r =>
                    $"[yellow]rejected {r.Rejection.Code}[/]: {Markup.Escape(r.Rejection.Message)}",
                _ => $"[red]{Markup.Escape(result.Result.ToJson().ToString())}[/]",
            };
            console.MarkupLine($"{number,2}. {Markup.Escape(step.Note)}\n    → {outcome}");
            if (result.Outcome is null)
                return ExitCodes.Invalid;
        }
        foreach (var account in DemoScript.Accounts)
        {
            var margin = await mediator.Send(new GetAccountMargin(account), ct).ConfigureAwait(false);
            console.WriteLine();
            MarginTables.Write(console, margin!.Margin, margin.GlobalPosition);
        }
        var liquidations = await mediator.Send(new GetLiquidations(), ct).ConfigureAwait(false);
        if (liquidations.FirstOrDefault(l => l.Id == DemoScript.ExplainedLiquidation) is { } explained)
        {
            console.WriteLine();
            console.MarkupLine($"[bold]ledger explain {DemoScript.ExplainedLiquidation}[/]");
            ExplainReport.Write(console, explained);
        }
        var chains = await mediator.Send(new VerifyChains(), ct).ConfigureAwait(false);
        console.WriteLine();
        console.MarkupLine(
            chains.Intact
                ? $"[green]hash chain and seal chain verified[/] over {chains.EventsChecked} events"
                : $"[red]chain broken at {chains.BrokenAt}[/]: {Markup.Escape(chains.Problem!)}"
        );
        var audit = await mediator.Send(new Reexecute(), ct).ConfigureAwait(false);
        console.MarkupLine(
            audit.Agrees
                ? $"[green]re-execution agrees[/]: {audit.DerivedEvents} derived events of "
                    + $"{audit.Liquidations} liquidations re-derived from the inputs"
                : $"[red]re-execution diverges at {audit.DivergedAt}[/]"
        );
        return chains.Intact && audit.Agrees ? ExitCodes.Ok : ExitCodes.Invalid;
    }
}
