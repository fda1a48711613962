using System.CommandLine;
using CrossMargin.Ledger.Cli.Verbs;

var store = new Option<string?>("--store")
{
    Description =
        "where the log lives: sqlite:PATH or a file path, or PostgreSQL as Host=…;Database=… or "
        + "postgres://user:password@host:port/database (default: $LEDGER_STORE, else ledger.db)",
    Recursive = true,
};
var debug = new Option<bool>("--debug")
{
    Description = "on a failure, print the stack trace as well as the message",
    Recursive = true,
};
var root = new RootCommand("CrossMargin.Ledger — an event-sourced cross-margin ledger") { store, debug };
root.Subcommands.Add(DemoVerb.Create(store));
root.Subcommands.Add(ApplyVerb.Create(store));
root.Subcommands.Add(AccountVerb.Create(store));
root.Subcommands.Add(HistoryVerb.Create(store));
root.Subcommands.Add(VerifyVerb.Create(store));
root.Subcommands.Add(SnapshotVerb.Create(store));
root.Subcommands.Add(AnchorVerb.Create(store));
root.Subcommands.Add(LiquidationVerbs.List(store));
root.Subcommands.Add(LiquidationVerbs.Explain(store));
root.Subcommands.Add(QueryVerb.Create(store));
root.Subcommands.Add(StressVerb.Create(store));
root.Subcommands.Add(ProjectionsVerb.Create(store));
root.Subcommands.Add(ProjectionsVerb.RegulatorRole(store));
root.Subcommands.Add(BenchVerb.Create(store));
root.Subcommands.Add(SchemasVerb.Create());
var parsed = root.Parse(args);
try
{
    return await parsed
        .InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false })
        .ConfigureAwait(false);
}
catch (Exception e) when (e is not OperationCanceledException)
{
    return Failures.Report(e, parsed.GetValue(debug));
}
catch (OperationCanceledException)
{
    await Console
        .Error.WriteLineAsync("error: cancelled; every result printed before this line is committed, nothing after it")
        .ConfigureAwait(false);
    return ExitCodes.Cancelled;
}
