using CrossMargin.Ledger.EventStore.Hashing;

namespace CrossMargin.Ledger.EventStore.Port;

/// <summary>
/// What a durable store keeps beside the events, for <c>verify</c> to hold against them: the command records
/// that answer resends, the stream heads appends start from, and events the store hides from its own readers.
/// None of it is hashed, so each must be checked against the events, which are.
/// </summary>
public interface IStoreRecords
{
    /// <summary>Every command record, accepted and rejected.</summary>
    IAsyncEnumerable<CommandRecordRow> ReadCommandRecordsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every recorded stream head: the version and, where the store keeps it, the last event's hash.</summary>
    IAsyncEnumerable<StreamHeadRow> ReadStreamHeadsAsync(CancellationToken cancellationToken = default);

    /// <summary>The global positions of events the store hides from its own readers (PostgreSQL: archived by
    /// Marten).</summary>
    IAsyncEnumerable<long> ReadHiddenEventsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Where a store whose seals follow the appends (<see cref="IEventStore.SealsFollowAppends"/>) has recorded its
    /// seal follower's progress: every event up to it must carry a seal, events after it are merely not sealed yet.
    /// Null on a store that seals in the append itself.
    /// </summary>
    Task<long?> SealedThroughAsync(CancellationToken cancellationToken = default) => Task.FromResult<long?>(null);
}

/// <summary>
/// A command record as stored: an accepted command with its events' positions (where the store records them)
/// and count, or a rejected one.
/// </summary>
public sealed record CommandRecordRow(
    string CommandId,
    Digest PayloadHash,
    long? First,
    long? Last,
    int EventCount,
    CommandRejection? Rejection
);

/// <summary>A stream head as stored; <paramref name="LastHash"/> is null where the store keeps only the
/// version.</summary>
public sealed record StreamHeadRow(string Stream, long Version, Digest? LastHash);

/// <summary>
/// A store that keeps a copy of each signed anchor (<c>ledger anchor</c>) for its regulator views. The copy is
/// a convenience, not the proof: the operator's own anchor file, outside the database, is what
/// <c>verify --anchor</c> trusts.
/// </summary>
public interface IAnchorTable
{
    /// <summary>Records an anchor: its position, seal, time, public key, signature and the whole signed line.</summary>
    Task RecordAnchorAsync(
        long globalPosition,
        Digest seal,
        string anchoredAt,
        string publicKey,
        string signature,
        string line,
        CancellationToken cancellationToken = default
    );
}

/// <summary>
/// A store that can hold its reads to one committed state: between <see cref="BeginSnapshotAsync"/> and the
/// disposal of what it returns, every read (events, seals, records, heads) sees the same state, whatever
/// writers commit meanwhile. <c>verify</c> reads inside one, so a live ledger is never reported damaged because
/// its seals were read before an append and its events after.
/// </summary>
public interface ISnapshotReads
{
    /// <summary>Opens the snapshot; reads see it until the returned object is disposed.</summary>
    Task<IAsyncDisposable> BeginSnapshotAsync(CancellationToken cancellationToken = default);
}
