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
/// the replayed state's canonical form must be the snapshot's text, byte for byte, under its hash and the log's seal
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
        // byte for byte; the texts are decoded only to show where they differ
        if (!replayed.Utf8.Span.SequenceEqual(latest.Utf8.Span))
        {
            // the replay's text is all the writer's own characters: bytes that differ decode to another text, invalid
            // ones to U+FFFD, which it never holds
            var at = 0;
            while (at < Math.Min(replayed.Text.Length, latest.Text.Length) && replayed.Text[at] == latest.Text[at])
                at++;
            return new(
                latest.Position,
                $"the snapshot at position {latest.Position} is not the state a replay of the log gives (they differ "
                    + $"from character {at}: the snapshot has "
                    + $"'{Excerpt(latest.Text, at)}', the replay '{Excerpt(replayed.Text, at)}'){Repair}"
            );
        }
        if (latest.StateHash != replayed.StateHash)
            return new(
                latest.Position,
                $"the snapshot at position {latest.Position} is stored under the hash {latest.StateHash}, not its "
                    + $"text's {replayed.StateHash}{Repair}"
            );
        // and a session reading it gets that state back: written again, it is the same text
        try
        {
            var (restored, streamsThere) = latest.Restore();
            if (
                !StateSnapshot
                    .Take(restored, streamsThere, latest.Position, seal)
                    .Utf8.Span.SequenceEqual(latest.Utf8.Span)
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

    private static string Excerpt(string text, int at) =>
        at >= text.Length ? "(end)" : text.Substring(at, Math.Min(40, text.Length - at));
}
