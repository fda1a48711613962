using CrossMargin.Ledger.Application.Input;
using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.Application.Requests;
using CrossMargin.Ledger.EventStore.Port;
using Mediator;

namespace CrossMargin.Ledger.Application.Apply;

/// <summary>How a run of input lines ended.</summary>
public enum ApplySummary
{
    /// <summary>Every command was accepted.</summary>
    AllAccepted,

    /// <summary>Every line was a command; some were rejected by a rule.</summary>
    SomeRejected,

    /// <summary>The run stopped at a malformed line; the lines before it stay applied.</summary>
    StoppedAtMalformed,
}

/// <summary>
/// The batching policy of applying JSON Lines: consecutive well-formed lines are decided in one writer's turn and
/// committed together, up to <see cref="GroupSize"/>, and a line that is the last one available is never held back
/// waiting for more. Each result is handed out as soon as its group is committed. Store failures are exceptions
/// (the caller reports them); everything a line can be is a <see cref="LineResult"/>.
/// </summary>
public static class LineApplier
{
    /// <summary>How many lines are committed together at most (one transaction, one sync to disk).</summary>
    public const int GroupSize = 100;

    /// <summary>
    /// Runs every line; stops at the first malformed one. Blank lines are skipped but counted. When a group fails
    /// part-way, every result committed before the failure is handed out before the exception propagates.
    /// </summary>
    public static async Task<ApplySummary> RunAsync(
        IMediator mediator,
        TextReader input,
        Func<LineResult, Task> answer,
        CancellationToken cancellationToken
    )
    {
        var rejected = false;
        var number = 0;
        var group = new List<(int Number, ParsedLine Parsed)>(GroupSize);
        async Task Answer(LineResult result)
        {
            rejected |= result is LineResult.Rejected;
            await answer(result).ConfigureAwait(false);
        }
        // false when a line of the group reused a command id for another content (answered as malformed)
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
                for (var i = 0; i < partly.Completed.Count; i++)
                    await Answer(LineResult.Of(group[i].Number, partly.Completed[i])).ConfigureAwait(false);
                if (partly.InnerException is IdempotencyConflictException conflict)
                {
                    await Answer(Conflict(group[partly.Completed.Count].Number, conflict)).ConfigureAwait(false);
                    group.Clear();
                    return false;
                }
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(partly.InnerException!);
                throw;
            }
            catch (IdempotencyConflictException conflict)
            {
                await Answer(Conflict(group[0].Number, conflict)).ConfigureAwait(false);
                group.Clear();
                return false;
            }
            for (var i = 0; i < group.Count; i++)
                await Answer(LineResult.Of(group[i].Number, outcomes[i])).ConfigureAwait(false);
            group.Clear();
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
                    if (await Flush().ConfigureAwait(false))
                        await Answer(NotACommand(number, parsed.Error!)).ConfigureAwait(false);
                    return ApplySummary.StoppedAtMalformed;
                }
                group.Add((number, parsed));
            }
            if ((group.Count == GroupSize || NothingBuffered(input)) && !await Flush().ConfigureAwait(false))
                return ApplySummary.StoppedAtMalformed;
        }
        if (!await Flush().ConfigureAwait(false))
            return ApplySummary.StoppedAtMalformed;
        return rejected ? ApplySummary.SomeRejected : ApplySummary.AllAccepted;
    }

    /// <summary>Parses and runs one line in a turn of its own.</summary>
    public static async Task<(LineResult Result, CommandOutcome? Outcome)> ApplyLineAsync(
        IMediator mediator,
        int number,
        string line,
        CancellationToken cancellationToken
    )
    {
        var parsed = CommandLineParser.Parse(line);
        if (parsed.Command is null)
            return (NotACommand(number, parsed.Error!), null);
        try
        {
            var outcome = await mediator
                .Send(new ExecuteCommand(parsed.Command, parsed.Context), cancellationToken)
                .ConfigureAwait(false);
            return (LineResult.Of(number, outcome), outcome);
        }
        catch (IdempotencyConflictException e)
        {
            return (Conflict(number, e), null);
        }
    }

    /// <summary>
    /// Whether a stream reader has no further input at hand: its buffer is used up and its last read returned
    /// less than it asked for (a terminal or a pipe waiting for its writer). Then the lines so far are run
    /// rather than held for a group that may not come soon. Other readers (a string) always have the rest.
    /// </summary>
    private static bool NothingBuffered(TextReader input) => input is StreamReader reader && reader.Peek() < 0;

    private static LineResult.Malformed NotACommand(int number, string problem) =>
        new(number, MalformedReason.NotACommand, problem);

    private static LineResult.Malformed Conflict(int number, IdempotencyConflictException conflict) =>
        new(number, MalformedReason.IdConflict, conflict.Message);
}
