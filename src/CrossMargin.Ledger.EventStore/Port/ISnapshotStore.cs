using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Snapshots;

namespace CrossMargin.Ledger.EventStore.Port;

/// <summary>
/// A store that keeps snapshots of the folded state beside its log (design §9). Snapshots are an optimisation:
/// deleting them changes nothing but how long opening the store takes.
/// </summary>
public interface ISnapshotStore
{
    /// <summary>The snapshot at the highest position, or null when there is none.</summary>
    Task<StateSnapshot?> LatestSnapshotAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a snapshot and keeps only the <see cref="SnapshotsKept"/> latest. Snapshots are written at the log's
    /// head, so one stored beyond the new one can only be from a log that was longer (or from elsewhere): it is
    /// dropped, or it would stay the latest and every start would ignore it and replay the whole log.
    /// </summary>
    Task SaveSnapshotAsync(StateSnapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>Deletes every snapshot; returns how many there were.</summary>
    Task<int> DeleteSnapshotsAsync(CancellationToken cancellationToken = default);

    /// <summary>The seal of the log at <paramref name="position"/>, or null when the log does not reach it.</summary>
    Task<Digest?> SealAtAsync(long position, CancellationToken cancellationToken = default);

    /// <summary>How many snapshots a store keeps: the latest, and the one before it.</summary>
    const int SnapshotsKept = 2;
}
