using CrossMargin.Ledger.Projections;

namespace CrossMargin.Ledger.EventStore.Projections;

/// <summary>What a rebuild did: the tables it replaced and the global position they now stand at.</summary>
public sealed record RebuildResult(IReadOnlyList<string> Tables, long Position, long Events);

/// <summary>
/// The projection tables of a store (design §7): kept up with the log by a follower, rebuilt from scratch
/// on demand, read back row by row. SQLite runs them through our own runner; PostgreSQL through
/// Marten's async daemon. Both write the rows of the same pure fold (<see cref="ProjectionFold"/>).
/// </summary>
public interface IProjectionStore
{
    /// <summary>Brings every projection table up to the head of the log (the high-water mark on PostgreSQL); returns
    /// the position reached.</summary>
    Task<long> CatchUpAsync(CancellationToken cancellationToken = default);

    /// <summary>The global position the projection tables stand at.</summary>
    Task<long> PositionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Rebuilds one projection (or all when <paramref name="projection"/> is null) from the start of the log
    /// into shadow tables, then swaps them in within one transaction: readers see the old rows until the
    /// new ones are complete. A single projection is rebuilt to the position the others stand at.
    /// </summary>
    Task<RebuildResult> RebuildAsync(string? projection, CancellationToken cancellationToken = default);

    /// <summary>How many rows a table holds.</summary>
    Task<long> CountAsync(ProjectionTable table, CancellationToken cancellationToken = default);

    /// <summary>Every row of a table, each value as text (null for SQL NULL), ordered by key.</summary>
    Task<IReadOnlyList<string?[]>> ReadAsync(ProjectionTable table, CancellationToken cancellationToken = default);
}
