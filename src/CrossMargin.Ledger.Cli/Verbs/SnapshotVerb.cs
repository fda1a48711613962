using System.CommandLine;
using CrossMargin.Ledger.Application.Requests;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary><c>ledger snapshot [--delete]</c>.</summary>
public static class SnapshotVerb
{
    /// <summary>The verb.</summary>
    public static Command Create(Option<string?> store)
    {
        var delete = new Option<bool>("--delete")
        {
            Description = "delete every snapshot instead (the log is not touched; the next start replays it all)",
        };
        var command = new Command(
            "snapshot",
            "Write a snapshot of the folded state at the log's head, so the next process replays only what follows "
                + "(writers also take one every 100 000 events and when they stop); `verify` checks the latest"
        )
        {
            delete,
        };
        command.SetAction(
            async (parse, ct) =>
            {
                await using var host = await Cli.OpenAsync(parse, store, ct).ConfigureAwait(false);
                if (host is null)
                    return ExitCodes.Invalid;
                try
                {
                    if (parse.GetValue(delete))
                    {
                        var deleted = await host.Mediator.Send(new DeleteSnapshots(), ct).ConfigureAwait(false);
                        Console.WriteLine($"deleted {deleted} snapshot(s)");
                        return ExitCodes.Ok;
                    }
                    var position = await host.Mediator.Send(new TakeSnapshot(), ct).ConfigureAwait(false);
                    Console.WriteLine(
                        position is { } at
                            ? $"snapshot written at global position {at}"
                            : "the log is empty: no snapshot"
                    );
                    return ExitCodes.Ok;
                }
                catch (Exception e) when (e is NotSupportedException or InvalidOperationException)
                {
                    return Cli.Fail(e.Message);
                }
            }
        );
        return command;
    }
}
