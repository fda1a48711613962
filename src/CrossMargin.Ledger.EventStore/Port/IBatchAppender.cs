namespace CrossMargin.Ledger.EventStore.Port;

/// <summary>
/// A store that can append several commands in one transaction (PostgreSQL: one Marten session), for
/// throughput: one round trip and one commit for the group instead of one per command. The group is all
/// or nothing; each command keeps its own events, expected versions, idempotency record and hashes,
/// exactly as if appended one after another in the order given.
/// </summary>
public interface IBatchAppender
{
    /// <summary>Appends every request, in order, atomically.</summary>
    /// <exception cref="WrongExpectedVersionException">a stream is not at a request's expected version (nothing
    /// appended).</exception>
    /// <exception cref="CommandAlreadyRecordedException">a command id is already recorded or repeated (nothing
    /// appended; append that command alone to get its first result).</exception>
    /// <exception cref="EventSchemaViolationException">an event does not match its schema (nothing
    /// appended).</exception>
    Task<IReadOnlyList<AppendResult>> AppendBatchAsync(
        IReadOnlyList<AppendRequest> requests,
        CancellationToken cancellationToken = default
    );
}
