using System.CommandLine;
using System.Text;
using CrossMargin.Ledger.Application.Apply;
using CrossMargin.Ledger.Application.Pipeline;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary><c>ledger apply FILE|-</c>.</summary>
public static class ApplyVerb
{
    /// <summary>The verb.</summary>
    public static Command Create(Option<string?> store)
    {
        var file = new Argument<string>("file")
        {
            Description = "JSON Lines file of commands, or - for standard input",
        };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Most commands one commit (one transaction, one sync to disk) carries",
            DefaultValueFactory = _ => WriterOptions.Default.MaxBatch,
        };
        var batchWait = new Option<int>("--batch-wait-ms")
        {
            Description = "How long the writer waits, once a command has arrived, for more to share its commit",
            DefaultValueFactory = _ => (int)WriterOptions.Default.MaxWait.TotalMilliseconds,
        };
        var command = new Command(
            "apply",
            "Apply JSON Lines commands in order; print one JSON result per line (exit 0 all accepted, 2 some "
                + "rejected, 1 malformed input)"
        )
        {
            file,
            batchSize,
            batchWait,
        };
        command.SetAction(
            async (parse, ct) =>
            {
                var path = parse.GetValue(file)!;
                if (path != "-" && !File.Exists(path))
                    return Cli.Fail($"input file '{path}' does not exist");
                var writer = new WriterOptions(
                    parse.GetValue(batchSize),
                    TimeSpan.FromMilliseconds(parse.GetValue(batchWait))
                );
                if (writer.Problem is { } problem)
                    return Cli.Fail(problem);
                await using var host = await Cli.OpenAsync(parse, store, ct, writer: writer).ConfigureAwait(false);
                if (host is null)
                    return ExitCodes.Invalid;
                using var reader =
                    path == "-"
                        ? new StreamReader(Console.OpenStandardInput(), Encoding.UTF8)
                        : new StreamReader(path, Encoding.UTF8);
                var output = Console.Out;
                var summary = await LineApplier
                    .RunAsync(host.Mediator, reader, result => Print(output, result), ct)
                    .ConfigureAwait(false);
                if (summary == ApplySummary.StoppedAtMalformed)
                    await Console
                        .Error.WriteLineAsync("apply stopped at a malformed line; lines before it stay applied")
                        .ConfigureAwait(false);
                // the projection tables follow what was applied (on PostgreSQL: Marten's daemon, up to the high-water
                // mark)
                if (host.Projections is { } projections)
                    await projections.CatchUpAsync(ct).ConfigureAwait(false);
                return ExitCodes.Of(summary);
            }
        );
        return command;
    }

    /// <summary>
    /// Prints one result as one JSON line, at once: a reader of the output sees each group as it commits. Never
    /// cancelled: a result handed out is committed, and a Ctrl+C must not keep the rest of its group from being
    /// printed before the program says that everything printed is committed.
    /// </summary>
    internal static async Task Print(TextWriter output, LineResult result)
    {
        await output.WriteLineAsync(result.ToJsonText()).ConfigureAwait(false);
        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
