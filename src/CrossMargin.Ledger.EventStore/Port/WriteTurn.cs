using CrossMargin.Ledger.EventStore.Hashing;

namespace CrossMargin.Ledger.EventStore.Port;

/// <summary>
/// A writer's turn at the log: while it is held no other writer, in this process or another, can append
/// or record a command, so a decision taken on what the turn reads is still true when the turn appends
/// (serialisable decisions). SQLite holds its write lock (<c>BEGIN IMMEDIATE</c>) for the turn;
/// PostgreSQL a transaction-scoped advisory lock. Everything the turn appends or records becomes
/// durable together at <see cref="CommitAsync"/>; disposing an uncommitted turn rolls it back.
/// </summary>
public interface IWriteTurn : IAsyncDisposable
{
    /// <summary>
    /// Every event committed after <paramref name="afterPosition"/>, in global order. Complete: no other
    /// writer is in flight, so a gap in the positions is a number no append will ever fill.
    /// </summary>
    IAsyncEnumerable<StoredEvent> ReadAfterAsync(long afterPosition, CancellationToken cancellationToken = default);

    /// <summary>The first outcome recorded under <paramref name="commandId"/>, or null when the id is new.</summary>
    /// <exception cref="StoreDamagedException">events carry the id but no record does.</exception>
    Task<RecordedCommand?> FindCommandAsync(string commandId, CancellationToken cancellationToken = default);

    /// <summary>Appends each request in order, each with its expected versions checked and its command
    /// recorded.</summary>
    /// <exception cref="WrongExpectedVersionException">a stream is not at a request's expected version.</exception>
    /// <exception cref="CommandAlreadyRecordedException">a command id is already recorded or repeated.</exception>
    /// <exception cref="EventSchemaViolationException">an event does not match its schema.</exception>
    Task<IReadOnlyList<AppendResult>> AppendAsync(
        IReadOnlyList<AppendRequest> requests,
        CancellationToken cancellationToken = default
    );

    /// <summary>Records a rejected command under its id, so a resend is answered with the same rejection.</summary>
    /// <exception cref="CommandAlreadyRecordedException">the id is already recorded.</exception>
    Task RecordRejectionAsync(CommandRejection rejection, CancellationToken cancellationToken = default);

    /// <summary>Makes everything appended and recorded in the turn durable, and ends the turn.</summary>
    Task CommitAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// A command refused by a rule, as recorded under its id: the content (<paramref name="Payload"/>, canonical
/// JSON, and its hash), the rule's code and message, and <paramref name="DecidedAt"/>, the global position
/// of the state it was decided on, so an auditor can decide it again there (<c>verify --reexecute</c>).
/// </summary>
public sealed record CommandRejection(
    string CommandId,
    Digest PayloadHash,
    string Payload,
    string Code,
    string Message,
    long DecidedAt
);

/// <summary>
/// The first outcome of a command id: the events it appended (none for an accepted command without
/// events) or, when <see cref="Rejection"/> is set, the rule that refused it.
/// </summary>
public sealed record RecordedCommand(
    string CommandId,
    Digest PayloadHash,
    IReadOnlyList<StoredEvent> Events,
    CommandRejection? Rejection
);

/// <summary>
/// The store contradicts itself (a record, a stream head or a seal disagrees with the events): nothing
/// was written. <c>ledger verify</c> locates the damage.
/// </summary>
public sealed class StoreDamagedException(string message)
    : Exception($"{message}; the store is damaged, run `ledger verify` to locate it");

/// <summary>A plain append (<see cref="IEventStore.AppendAsync"/>) as every store does it: one command in a turn of its
/// own.</summary>
public static class PlainAppends
{
    /// <summary>
    /// Takes <paramref name="store"/>'s turn, answers a recorded command id with its first result, else appends
    /// <paramref name="request"/> and commits.
    /// </summary>
    public static async Task<AppendResult> AppendAloneAsync(
        IEventStore store,
        AppendRequest request,
        CancellationToken cancellationToken
    )
    {
        await using var turn = await store.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        if (
            await turn.FindCommandAsync(request.Metadata.CommandId, cancellationToken).ConfigureAwait(false) is { } seen
        )
            return Answer(request, seen);
        var result = (await turn.AppendAsync([request], cancellationToken).ConfigureAwait(false))[0];
        await turn.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// The first result of <paramref name="seen"/>, marked duplicate.
    /// </summary>
    /// <exception cref="IdempotencyConflictException">the id was recorded for another content.</exception>
    /// <exception cref="CommandAlreadyRecordedException">the id was recorded as rejected: an append cannot answer with
    /// a rejection.</exception>
    public static AppendResult Answer(AppendRequest request, RecordedCommand seen)
    {
        if (seen.PayloadHash != request.PayloadHash)
            throw new IdempotencyConflictException(request.Metadata.CommandId);
        if (seen.Rejection is not null)
            throw new CommandAlreadyRecordedException(request.Metadata.CommandId);
        return new AppendResult(seen.Events, Duplicate: true);
    }
}
