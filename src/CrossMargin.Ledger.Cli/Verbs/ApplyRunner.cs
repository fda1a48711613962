using CrossMargin.Ledger.Application.Input;
using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.Application.Requests;
using CrossMargin.Ledger.Cli.Output;
using CrossMargin.Ledger.EventStore.Port;
using Mediator;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary>Exit codes of <c>ledger apply</c>; part of the CLI contract.</summary>
public static class ApplyExit
{
    /// <summary>Every line was accepted.</summary>
    public const int Accepted = 0;

    /// <summary>Input was malformed: the line and the reason were printed, the line appended nothing, earlier lines
    /// stay.</summary>
    public const int Malformed = 1;

    /// <summary>All lines were well-formed, some were rejected by a rule.</summary>
    public const int SomeRejected = 2;
}

/// <summary>Applies JSON Lines commands in order and prints one JSON object per line.</summary>
public static class ApplyRunner
{
    /// <summary>The outcome of one line.</summary>
    public sealed record LineResult(int Line, JObject Json, CommandOutcome? Outcome);

    /// <summary>
    /// How many consecutive well-formed lines are decided in one writer's turn and committed together (one
    /// transaction, one sync to disk), when the input has them ready; a line that is the last one available
    /// is never held back waiting for more.
    /// </summary>
    public const int GroupSize = 100;

    /// <summary>
    /// Runs every line; stops at the first malformed one (the lines before it stay applied). Blank lines are
    /// skipped but counted. Each line's result is printed as soon as its group is committed, the lines before a
    /// failure included. A reused command id with another content is reported as malformed at its line.
    /// </summary>
    public static async Task<int> RunAsync(
        IMediator mediator,
        TextReader input,
        TextWriter output,
        CancellationToken cancellationToken,
        Action<LineResult>? observe = null
    )
    {
        var rejected = false;
        var number = 0;
        var group = new List<(int Number, ParsedLine Parsed)>(GroupSize);
        async Task Emit(LineResult result)
        {
            await output.WriteLineAsync(result.Json.ToString(Formatting.None)).ConfigureAwait(false);
            observe?.Invoke(result);
            rejected |= result.Outcome is CommandOutcome.Rejected;
        }
        // false when a line of the group reused a command id for another content (reported as malformed)
        async Task<bool> Flush()
        {
            if (group.Count == 0)
                return true;
            IReadOnlyList<CommandOutcome> outcomes;
            try
            {
                outcomes = await mediator
                    .Send(
                        new ExecuteCommands([.. group.Select(g => (g.Parsed.Command!, g.Parsed.Context))]),
                        cancellationToken
                    )
                    .ConfigureAwait(false);
            }
            catch (CommandsPartlyAppliedException partly)
            {
                // every committed line is reported before the failure
                for (var i = 0; i < partly.Completed.Count; i++)
                    await Emit(
                            new LineResult(
                                group[i].Number,
                                Json(group[i].Number, partly.Completed[i]),
                                partly.Completed[i]
                            )
                        )
                        .ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (partly.InnerException is IdempotencyConflictException conflict)
                {
                    var at = group[partly.Completed.Count].Number;
                    await Emit(Malformed(at, conflict.Message)).ConfigureAwait(false);
                    group.Clear();
                    return false;
                }
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(partly.InnerException!);
                throw;
            }
            catch (IdempotencyConflictException conflict)
            {
                await Emit(Malformed(group[0].Number, conflict.Message)).ConfigureAwait(false);
                group.Clear();
                return false;
            }
            for (var i = 0; i < group.Count; i++)
                await Emit(new LineResult(group[i].Number, Json(group[i].Number, outcomes[i]), outcomes[i]))
                    .ConfigureAwait(false);
            group.Clear();
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                var parsed = CommandLineParser.Parse(line);
                if (parsed.Command is null)
                {
                    if (!await Flush().ConfigureAwait(false))
                        return ApplyExit.Malformed;
                    await Emit(Malformed(number, parsed.Error!)).ConfigureAwait(false);
                    return ApplyExit.Malformed;
                }
                group.Add((number, parsed));
            }
            if ((group.Count == GroupSize || NothingBuffered(input)) && !await Flush().ConfigureAwait(false))
                return ApplyExit.Malformed;
        }
        if (!await Flush().ConfigureAwait(false))
            return ApplyExit.Malformed;
        return rejected ? ApplyExit.SomeRejected : ApplyExit.Accepted;
    }

    /// <summary>
    /// Whether a stream reader has no further input at hand: its buffer is used up and its last read returned
    /// less than it asked for (a terminal or a pipe waiting for its writer). Then the lines so far are run
    /// rather than held for a group that may not come soon. Other readers (a string) always have the rest.
    /// </summary>
    private static bool NothingBuffered(TextReader input) => input is StreamReader reader && reader.Peek() < 0;

    private static LineResult Malformed(int number, string message) =>
        new(
            number,
            new JObject
            {
                ["line"] = number,
                ["status"] = "malformed",
                ["message"] = $"line {number}: {message}",
            },
            null
        );

    private static JObject Json(int number, CommandOutcome outcome)
    {
        var json = outcome switch
        {
            CommandOutcome.Accepted a => new JObject
            {
                ["line"] = number,
                ["status"] = "accepted",
                ["events"] = new JArray(a.Events.Select(LedgerOutput.Event)),
            },
            CommandOutcome.Rejected r => new JObject
            {
                ["line"] = number,
                ["status"] = "rejected",
                ["code"] = r.Rejection.Code.ToString(),
                ["message"] = r.Rejection.Message,
            },
            _ => throw new InvalidOperationException($"unknown outcome {outcome}"),
        };
        if (outcome is CommandOutcome.Accepted { Duplicate: true } or CommandOutcome.Rejected { Duplicate: true })
            json["duplicate"] = true;
        return json;
    }

    /// <summary>Parses and executes one line.</summary>
    public static async Task<LineResult> ApplyLineAsync(
        IMediator mediator,
        int number,
        string line,
        CancellationToken cancellationToken
    )
    {
        var parsed = CommandLineParser.Parse(line);
        if (parsed.Command is null)
            return Malformed(number, parsed.Error!);
        try
        {
            var outcome = await mediator
                .Send(new ExecuteCommand(parsed.Command, parsed.Context), cancellationToken)
                .ConfigureAwait(false);
            return new LineResult(number, Json(number, outcome), outcome);
        }
        catch (IdempotencyConflictException e)
        {
            return Malformed(number, e.Message);
        }
    }
}
