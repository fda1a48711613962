using System.Threading.Channels;
using CrossMargin.Ledger.Application.Input;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.EventStore.Port;

namespace CrossMargin.Ledger.Application.Pipeline;

/// <summary>How the <see cref="LedgerWriter"/> groups commands into commits.</summary>
/// <param name="MaxBatch">The most commands one transaction (one sync to disk) carries.</param>
/// <param name="MaxWait">How long the writer waits, once a command has arrived, for more to share its commit; it
/// never waits once <paramref name="MaxBatch"/> are at hand.</param>
public sealed record WriterOptions(int MaxBatch, TimeSpan MaxWait)
{
    /// <summary>1 000 commands, 1 ms: a lone command waits at most a millisecond; under load every commit carries
    /// whatever arrived while the one before was being written, up to 1 000.</summary>
    public static WriterOptions Default { get; } = new(1000, TimeSpan.FromMilliseconds(1));

    /// <summary>The options, or the rule they break.</summary>
    public string? Problem =>
        MaxBatch < 1 || MaxBatch > 100_000 ? $"batch size {MaxBatch} is not between 1 and 100000"
        : MaxWait < TimeSpan.Zero || MaxWait > TimeSpan.FromSeconds(10)
            ? $"batch wait {MaxWait.TotalMilliseconds} ms is not between 0 and 10000 ms"
        : null;
}

/// <summary>
/// Commands submitted together that must run in order and stop at the first that fails: once one fails (its id
/// reused for another content, a store failure, an id refused before it was queued), every command of the sequence
/// submitted after it is answered with <see cref="SkippedAfterFailureException"/> and never runs; those submitted
/// before it run as they would have. <c>apply</c> submits its lines as one sequence.
/// </summary>
public sealed class WriteSequence
{
    private long submitted;
    private long stoppedAt = long.MaxValue;

    /// <summary>Whether a command of the sequence has failed.</summary>
    public bool Stopped => Volatile.Read(ref stoppedAt) != long.MaxValue;

    /// <summary>The number of the next command submitted in the sequence (1, 2, …).</summary>
    internal long Enlist() => Interlocked.Increment(ref submitted);

    /// <summary>Command <paramref name="number"/> failed: every command submitted after it is skipped.</summary>
    internal void StopAt(long number)
    {
        var current = Volatile.Read(ref stoppedAt);
        while (number < current)
        {
            var seen = Interlocked.CompareExchange(ref stoppedAt, number, current);
            if (seen == current)
                return;
            current = seen;
        }
    }

    /// <summary>Whether command <paramref name="number"/> comes after a failed one.</summary>
    internal bool Skips(long number) => number > Volatile.Read(ref stoppedAt);
}

/// <summary>A command was not run because an earlier command of its <see cref="WriteSequence"/> failed.</summary>
public sealed class SkippedAfterFailureException()
    : Exception("not run: an earlier command of the same sequence failed");

/// <summary>
/// The single writer of a store (design §9, "one writer, group commit"). Callers submit commands from any thread;
/// one loop takes them in arrival order and decides each on the state its predecessors leave, through the session's
/// writer turn, committing up to <see cref="WriterOptions.MaxBatch"/> commands per transaction. A submission is
/// answered only after the transaction holding it is durable, so an acknowledged command survives a crash and an
/// unacknowledged one is either wholly in the log or not at all. Another process writing the same file takes the
/// store's write lock between two commits; the next commit reads what it appended, and what it decides stands only on
/// the state that includes it (a batch decided ahead on an older one is decided again).
/// </summary>
public sealed class LedgerWriter : IAsyncDisposable
{
    private readonly LedgerSession session;
    private readonly WriterOptions options;
    private readonly Channel<Pending> queue;
    private readonly Lock starting = new();
    private Task? loop;

    /// <summary>A writer over <paramref name="session"/>; its loop starts at the first submission.</summary>
    public LedgerWriter(LedgerSession session, WriterOptions options)
    {
        if (options.Problem is { } problem)
            throw new ArgumentException(problem, nameof(options));
        this.session = session;
        this.options = options;
        // a bounded queue: a submitter faster than the disk waits instead of filling memory
        queue = Channel.CreateBounded<Pending>(
            new BoundedChannelOptions(Math.Max(options.MaxBatch * 4, 64))
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            }
        );
    }

    /// <summary>The options the writer groups by.</summary>
    public WriterOptions Options => options;

    /// <summary>
    /// Queues a command and answers it once its commit is durable: its outcome, or the first outcome of its command
    /// id. Cancelling <paramref name="cancellationToken"/> withdraws a command that has not yet been taken into a
    /// commit; one already taken is answered with its outcome (unless the batch before it fails: then it is taken
    /// again, and withdrawn if cancelled by then).
    /// </summary>
    /// <exception cref="ArgumentException">the context's command id is not a valid id.</exception>
    /// <exception cref="IdempotencyConflictException">the command id was used for another command.</exception>
    /// <exception cref="SkippedAfterFailureException">an earlier command of <paramref name="sequence"/>
    /// failed.</exception>
    /// <exception cref="ObjectDisposedException">the writer is shutting down.</exception>
    public async Task<CommandOutcome> SubmitAsync(
        LedgerCommand command,
        CommandContext context,
        WriteSequence? sequence = null,
        CancellationToken cancellationToken = default
    )
    {
        var number = sequence?.Enlist() ?? 0;
        if (context.CommandId is { } id && CommandIds.Problem(id) is { } problem)
        {
            // refused before it was queued: nothing submitted after it in its sequence may run either
            sequence?.StopAt(number);
            throw new ArgumentException($"commandId {problem}", nameof(context));
        }
        PreparedCommand prepared;
        try
        {
            prepared = PreparedCommand.Of(command, context);
        }
        catch
        {
            sequence?.StopAt(number);
            throw;
        }
        var pending = new Pending(prepared, sequence, number, cancellationToken);
        Start();
        try
        {
            await queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            sequence?.StopAt(number);
            throw new ObjectDisposedException(nameof(LedgerWriter), "the writer is shutting down");
        }
        return await pending.Outcome.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Stops taking commands, commits every command already queued, waits for the loop to end, and lets the session
    /// checkpoint its state (a clean shutdown; see <see cref="LedgerSession.CheckpointAsync"/>).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        Task? running;
        lock (starting)
            running = loop;
        if (running is not null)
            await running.ConfigureAwait(false);
        // also when every command went to the session directly (the demo): it may still have a snapshot to write
        await session.CheckpointAsync(closing: true).ConfigureAwait(false);
    }

    private void Start()
    {
        if (Volatile.Read(ref loop) is not null)
            return;
        lock (starting)
            loop ??= Task.Run(RunAsync);
    }

    /// <summary>
    /// The loop. While one batch is stored (appended and committed, on another thread), the next is taken from what
    /// the queue holds; when that is a full batch, it is decided ahead on the state the stored batch leaves (<see
    /// cref="LedgerSession.DecideAhead"/>), so deciding and storing overlap, and its turn uses that decision only if
    /// it still holds. A batch that is not full waits for the stored one and takes what arrived meanwhile, as
    /// before: only a batch that nothing could have joined is cut early. When a stored batch fails, the next one
    /// waits: the failed batch's rest goes first, and everything is taken again (a later command of a stopped
    /// sequence is then skipped).
    /// </summary>
    private async Task RunAsync()
    {
        // taken from the queue but not yet stored, in order: what a failed batch left, and the batch after it
        var waiting = new List<Pending>();
        Task<List<Pending>?>? storing = null;
        LedgerSession.DecidedGroup? storingAhead = null;
        while (true)
        {
            var batch = new List<Pending>(options.MaxBatch);
            var taken = 0;
            while (taken < waiting.Count && batch.Count < options.MaxBatch)
                Take(waiting[taken++], batch);
            waiting.RemoveRange(0, taken);
            if (waiting.Count == 0)
            {
                if (storing is null)
                {
                    if (batch.Count == 0 && !await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
                        return;
                    await FillAsync(batch).ConfigureAwait(false);
                }
                else
                    // what is at hand: the batch being stored sets the pace
                    while (batch.Count < options.MaxBatch && queue.Reader.TryRead(out var next))
                        Take(next, batch);
            }
            if (storing is not null && (storingAhead is null || batch.Count < options.MaxBatch))
            {
                // the state the stored batch leaves is not known before it commits, or the batch could still grow:
                // wait, then take what arrived meanwhile and decide on what the stored batch left
                var rest = await storing.ConfigureAwait(false);
                storing = null;
                if (rest is not null)
                {
                    Requeue(waiting, rest, batch);
                    continue;
                }
                if (waiting.Count == 0)
                    await FillAsync(batch).ConfigureAwait(false);
            }
            var commands = batch.Select(p => p.Command).ToArray();
            var ahead = DecideAhead(commands, storing is null ? null : storingAhead);
            if (storing is not null)
            {
                var rest = await storing.ConfigureAwait(false);
                storing = null;
                if (rest is not null)
                {
                    Requeue(waiting, rest, batch);
                    continue;
                }
                // the stored batch was decided again in its turn (another writer appended, an id was recorded):
                // this batch was decided on a state that never was
                if (!ReferenceEquals(session.Committed, storingAhead!.After))
                    ahead = null;
            }
            if (batch.Count == 0)
                continue;
            storing = Task.Run(() => CommitAsync(batch, commands, ahead));
            storingAhead = ahead;
        }
    }

    /// <summary>After a stored batch failed: its rest runs first, then the batch taken meanwhile, both taken (and so
    /// checked for withdrawn commands and stopped sequences) and decided again.</summary>
    private static void Requeue(List<Pending> waiting, List<Pending> rest, List<Pending> batch)
    {
        waiting.AddRange(rest);
        waiting.AddRange(batch);
    }

    /// <summary>
    /// The batch decided ahead: on the state the batch being stored leaves, as it was decided ahead (<paramref
    /// name="storing"/>), or on the session's state when nothing is being stored; not at all before the session has
    /// begun reading the log, or when deciding fails (the turn then decides, and reports).
    /// </summary>
    private LedgerSession.DecidedGroup? DecideAhead(PreparedCommand[] commands, LedgerSession.DecidedGroup? storing)
    {
        if (commands.Length == 0 || !session.CanDecideAhead)
            return null;
        try
        {
            return session.DecideAhead(storing?.After ?? session.Committed, commands);
        }
        catch (Exception)
        {
            // deciding ahead is only a head start: the turn decides the batch and answers whatever goes wrong
            return null;
        }
    }

    /// <summary>Takes what the queue holds, up to a full batch, waiting up to the batch wait for more once it holds
    /// a command.</summary>
    private async Task FillAsync(List<Pending> batch)
    {
        while (batch.Count < options.MaxBatch && queue.Reader.TryRead(out var next))
            Take(next, batch);
        if (batch.Count == 0 || batch.Count >= options.MaxBatch || options.MaxWait <= TimeSpan.Zero)
            return;
        using var wait = new CancellationTokenSource(options.MaxWait);
        try
        {
            while (
                batch.Count < options.MaxBatch && await queue.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false)
            )
                while (batch.Count < options.MaxBatch && queue.Reader.TryRead(out var next))
                    Take(next, batch);
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested)
        {
            // the batch wait is over: commit what is at hand
        }
    }

    /// <summary>Adds a command to the batch, unless its caller withdrew it or its sequence has stopped.</summary>
    private static void Take(Pending pending, List<Pending> batch)
    {
        if (pending.Sequence is { } sequence && sequence.Skips(pending.Number))
            pending.Outcome.TrySetException(new SkippedAfterFailureException());
        else if (pending.Cancellation.IsCancellationRequested)
            pending.Outcome.TrySetCanceled(pending.Cancellation);
        else
            batch.Add(pending);
    }

    /// <summary>
    /// Runs one batch in one writer's turn, with the batch as decided ahead when it still holds. When a command fails
    /// after others were committed, the committed ones are answered, the failing one gets its exception, and the
    /// rest are returned to go round again (a later command of the same sequence is skipped instead); when nothing
    /// was committed, every command gets the exception. Null when the whole batch committed.
    /// </summary>
    private async Task<List<Pending>?> CommitAsync(
        List<Pending> batch,
        PreparedCommand[] commands,
        LedgerSession.DecidedGroup? ahead
    )
    {
        try
        {
            var outcomes = await session
                .ExecutePreparedAsync(commands, CancellationToken.None, ahead)
                .ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
                batch[i].Outcome.TrySetResult(outcomes[i]);
            return null;
        }
        catch (CommandsPartlyAppliedException partly)
        {
            var done = partly.Completed.Count;
            for (var i = 0; i < done; i++)
                batch[i].Outcome.TrySetResult(partly.Completed[i]);
            Fail(batch[done], partly.InnerException!);
            return [.. batch.Skip(done + 1)];
        }
        catch (Exception e)
        {
            // nothing of the batch is known to be committed (a busy store, a commit whose outcome is unknown)
            foreach (var p in batch)
                Fail(p, e);
            return [];
        }
    }

    private static void Fail(Pending pending, Exception e)
    {
        pending.Sequence?.StopAt(pending.Number);
        pending.Outcome.TrySetException(e);
    }

    private sealed record Pending(
        PreparedCommand Command,
        WriteSequence? Sequence,
        long Number,
        CancellationToken Cancellation
    )
    {
        public TaskCompletionSource<CommandOutcome> Outcome { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
