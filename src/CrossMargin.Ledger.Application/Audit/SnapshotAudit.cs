using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Snapshots;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Application.Audit;

/// <summary>What <see cref="SnapshotAudit"/> found: the position of the snapshot it checked (null when there was
/// none) and, when it does not hold, why.</summary>
public sealed record SnapshotAuditReport(long? Position, string? Problem)
{
    /// <summary>Whether the latest snapshot (if any) is the replay's state, byte for byte.</summary>
    public bool Holds => Problem is null;
}

/// <summary>
/// <c>verify</c>'s check of the latest snapshot (design §9): the log is replayed up to the snapshot's position and
/// the replayed state's canonical form must be the snapshot's bytes, one for one, under its hash and the log's seal
/// there. A snapshot that passes is what a store may start from; one that does not would make a store start from a
/// state the log does not give, so it is reported (the log itself is untouched; deleting the snapshot repairs it).
/// </summary>
public static class SnapshotAudit
{
    /// <summary>Checks the latest snapshot of <paramref name="store"/>, if it keeps any.</summary>
    public static async Task<SnapshotAuditReport> RunAsync(IEventStore store, CancellationToken cancellationToken)
    {
        if (store is not ISnapshotStore snapshots)
            return new(null, null);
        const string Repair = "; `ledger snapshot --delete` removes it (the log is not affected)";
        StateSnapshot? latest;
        try
        {
            latest = await snapshots.LatestSnapshotAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException e)
        {
            return new(null, $"the latest snapshot cannot be read: {e.Message}{Repair}");
        }
        if (latest is null)
            return new(null, null);
        if (await snapshots.SealAtAsync(latest.Position, cancellationToken).ConfigureAwait(false) is not { } seal)
            return new(latest.Position, $"the snapshot at position {latest.Position} is beyond the log{Repair}");
        var state = LedgerState.Initial;
        var streams = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var e in store.ReadTextsAsync(0, latest.Position, cancellationToken).ConfigureAwait(false))
        {
            state = LedgerEvolution.Evolve(state, EventTypeRegistry.Deserialize(e));
            streams[e.Stream] = e.StreamVersion;
        }
        var replayed = StateSnapshot.Take(state, streams, latest.Position, seal);
        // byte for byte; where they first differ is named by the part of the replay's form that holds the byte
        if (!latest.Bytes.Span.SequenceEqual(replayed.Bytes.Span))
        {
            var at = latest.Bytes.Span.CommonPrefixLength(replayed.Bytes.Span);
            var part = StateSnapshot.PartAt(replayed.Bytes.Span, at);
            return new(
                latest.Position,
                $"the snapshot at position {latest.Position} is not the state a replay of the log gives (they differ "
                    + $"from byte {at} of its {latest.Bytes.Length}, in "
                    + $"{part} of the replay's {replayed.Bytes.Length}){Repair}"
            );
        }
        if (latest.StateHash != replayed.StateHash)
            return new(
                latest.Position,
                $"the snapshot at position {latest.Position} is stored under the hash {latest.StateHash}, not its "
                    + $"bytes' {replayed.StateHash}{Repair}"
            );
        // and a session reading it gets that state back: written again, it is the same bytes
        try
        {
            var (restored, streamsThere) = latest.Restore();
            if (
                !StateSnapshot
                    .Take(restored, streamsThere, latest.Position, seal)
                    .Bytes.Span.SequenceEqual(latest.Bytes.Span)
            )
                return new(
                    latest.Position,
                    $"the snapshot at position {latest.Position} does not read back as the state it holds{Repair}"
                );
        }
        catch (InvalidDataException e)
        {
            return new(latest.Position, e.Message + Repair);
        }
        return new(latest.Position, null);
    }
}
