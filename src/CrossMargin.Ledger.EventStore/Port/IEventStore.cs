using CrossMargin.Ledger.EventStore.Hashing;

namespace CrossMargin.Ledger.EventStore.Port;

/// <summary>
/// The event-store port (design §6). Every adapter gives the same observable behaviour, checked by one
/// contract suite: atomic append per command with expected-version checks, idempotency by command id,
/// schema validation before anything is written, the per-stream hash chain and the global seal chain,
/// gap-free global positions in commit order, one writer's turn at a time.
/// </summary>
public interface IEventStore : IAsyncDisposable
{
    /// <summary>
    /// Appends the command's events atomically and records its id, even when it has no events (an
    /// accepted idempotent repeat). A command id seen before returns the first result with
    /// <see cref="AppendResult.Duplicate"/> set and appends nothing.
    /// </summary>
    /// <exception cref="WrongExpectedVersionException">a stream is not at its expected version.</exception>
    /// <exception cref="IdempotencyConflictException">the command id was used for another content.</exception>
    /// <exception cref="EventSchemaViolationException">an event does not match its schema.</exception>
    Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// The first outcome recorded under <paramref name="commandId"/> (its events, possibly none, or its
    /// rejection), or null when the id is new.
    /// </summary>
    /// <exception cref="IdempotencyConflictException">the id was used with another <paramref
    /// name="payloadHash"/>.</exception>
    Task<RecordedCommand?> FindCommandAsync(
        string commandId,
        Digest payloadHash,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// Takes the writer's turn (<see cref="IWriteTurn"/>), waiting while another writer holds it. The
    /// pipeline reads, decides and appends inside one turn, so no decision is taken on a state another
    /// writer has since moved.
    /// </summary>
    Task<IWriteTurn> BeginWriteAsync(CancellationToken cancellationToken = default);

    /// <summary>A stream's events with version above <paramref name="afterVersion"/>, in order.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(
        string stream,
        long afterVersion = 0,
        CancellationToken cancellationToken = default
    );

    /// <summary>All events with global position above <paramref name="afterPosition"/> and at most <paramref
    /// name="toPosition"/>, in global order.</summary>
    IAsyncEnumerable<StoredEvent> ReadAllAsync(
        long afterPosition = 0,
        long? toPosition = null,
        CancellationToken cancellationToken = default
    );

    /// <summary>The events of <see cref="ReadAllAsync"/> as folds read them (<see cref="EventText"/>). A store may
    /// read less for this than for whole events; by default it reads whole events.</summary>
    IAsyncEnumerable<EventText> ReadTextsAsync(
        long afterPosition = 0,
        long? toPosition = null,
        CancellationToken cancellationToken = default
    ) => ReadAllAsync(afterPosition, toPosition, cancellationToken).Select(EventText.Of);

    /// <summary>The seal chain from the start, in global order.</summary>
    IAsyncEnumerable<Seal> ReadSealsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether the seal chain is written by a follower after the append (PostgreSQL) rather than in the
    /// append's own transaction (SQLite, in memory). Only then may the newest events lack a seal.
    /// </summary>
    bool SealsFollowAppends => false;

    /// <summary>
    /// Whether global positions run 1, 2, 3… without a gap (SQLite, in memory). PostgreSQL's sequence skips the
    /// numbers of failed appends, so there only the order is checked.
    /// </summary>
    bool PositionsAreGapFree => true;

    /// <summary>The global position of the last committed event (0 for an empty log).</summary>
    Task<long> HeadAsync(CancellationToken cancellationToken = default);
}
