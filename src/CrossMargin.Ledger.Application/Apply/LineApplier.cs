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
/// Applying JSON Lines through the store's single writer (<see cref="LedgerWriter"/>): each well-formed line is
/// submitted as it is read, as one <see cref="WriteSequence"/>, so the writer commits as many lines per transaction
/// as arrive while it writes the previous commit (up to its batch size), and the lines keep their order. Results are
/// handed out in line order, each once its commit is durable; when the input has nothing more at hand (a terminal, a
/// pipe waiting for its writer), every line read so far is answered before the next read. Store failures are
/// exceptions (the caller reports them); everything a line can be is a <see cref="LineResult"/>.
/// </summary>
public static class LineApplier
{
    /// <summary>How many lines may wait for their commit at once; the reader waits for the oldest beyond
    /// that.</summary>
    public const int MaxInFlight = 4096;

    /// <summary>
    /// Runs every line; stops at the first malformed one, or at a line whose command id was used for another content
    /// (answered as malformed; no line after it runs). Blank lines are skipped but counted. Cancelling stops the
    /// reading: lines already submitted are committed and answered before the cancellation propagates. When a line
    /// fails, every result committed before it is handed out before the exception propagates.
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
        var sequence = new WriteSequence();
        var inFlight = new Queue<(int Number, Task<CommandOutcome> Outcome)>();
        async Task Answer(LineResult result)
        {
            rejected |= result is LineResult.Rejected;
            await answer(result).ConfigureAwait(false);
        }
        // the lines after a failed one: the writer skips them; wait for each, so nothing is left running
        async Task Abandon()
        {
            while (inFlight.TryDequeue(out var rest))
                await ((Task)rest.Outcome).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        // answers lines in order while at least `keep` remain in flight, or while the oldest is already committed;
        // false when a line reused a command id for another content (answered as malformed)
        async Task<bool> Settle(int keep)
        {
            while (inFlight.Count > keep || inFlight.Count > 0 && inFlight.Peek().Outcome.IsCompleted)
            {
                var (line, task) = inFlight.Dequeue();
                CommandOutcome outcome;
                try
                {
                    outcome = await task.ConfigureAwait(false);
                }
                catch (IdempotencyConflictException conflict)
                {
                    await Answer(Conflict(line, conflict)).ConfigureAwait(false);
                    await Abandon().ConfigureAwait(false);
                    return false;
                }
                catch
                {
                    await Abandon().ConfigureAwait(false);
                    throw;
                }
                await Answer(LineResult.Of(line, outcome)).ConfigureAwait(false);
            }
            return true;
        }
        try
        {
            while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                number++;
                if (!string.IsNullOrWhiteSpace(line))
                {
                    var parsed = CommandLineParser.Parse(line);
                    if (parsed.Command is null)
                    {
                        if (await Settle(keep: 0).ConfigureAwait(false))
                            await Answer(NotACommand(number, parsed.Error!)).ConfigureAwait(false);
                        return ApplySummary.StoppedAtMalformed;
                    }
                    // never cancelled once handed over: a submitted line is committed and answered
                    inFlight.Enqueue(
                        (
                            number,
                            mediator
                                .Send(
                                    new SubmitCommand(parsed.Command, parsed.Context, sequence),
                                    CancellationToken.None
                                )
                                .AsTask()
                        )
                    );
                }
                var keep = NothingBuffered(input) ? 0 : MaxInFlight - 1;
                if (!await Settle(keep).ConfigureAwait(false))
                    return ApplySummary.StoppedAtMalformed;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Settle(keep: 0).ConfigureAwait(false);
            throw;
        }
        if (!await Settle(keep: 0).ConfigureAwait(false))
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
