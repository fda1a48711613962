using System.CommandLine;
using System.Text;

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
        var command = new Command(
            "apply",
            "Apply JSON Lines commands in order; print one JSON result per line (exit 0 all accepted, 2 some "
                + "rejected, 1 malformed input)"
        )
        {
            file,
        };
        command.SetAction(
            async (parse, ct) =>
            {
                var path = parse.GetValue(file)!;
                if (path != "-" && !File.Exists(path))
                    return Cli.Fail($"input file '{path}' does not exist");
                await using var host = await Cli.OpenAsync(parse, store, ct).ConfigureAwait(false);
                if (host is null)
                    return 1;
                using var reader =
                    path == "-"
                        ? new StreamReader(Console.OpenStandardInput(), Encoding.UTF8)
                        : new StreamReader(path, Encoding.UTF8);
                var code = await ApplyRunner.RunAsync(host.Mediator, reader, Console.Out, ct).ConfigureAwait(false);
                if (code == ApplyExit.Malformed)
                    await Console
                        .Error.WriteLineAsync("apply stopped at a malformed line; lines before it stay applied")
                        .ConfigureAwait(false);
                // the projection tables follow what was applied (on PostgreSQL: Marten's daemon, up to the high-water
                // mark)
                if (host.Projections is { } projections)
                    await projections.CatchUpAsync(ct).ConfigureAwait(false);
                return code;
            }
        );
        return command;
    }
}
