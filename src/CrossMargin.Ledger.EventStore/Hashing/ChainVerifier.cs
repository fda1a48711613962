using CrossMargin.Ledger.EventStore.Port;

namespace CrossMargin.Ledger.EventStore.Hashing;

/// <summary>The outcome of a chain check: counts, or the first broken link with the reason.</summary>
public sealed record ChainReport(long EventsChecked, long SealsChecked, long? BrokenAt, string? Problem)
{
    /// <summary>Whether both chains hold.</summary>
    public bool Intact => BrokenAt is null;
}

/// <summary>
/// Re-derives both chains from the stored events and compares: an edited event no longer matches its
/// hash; a deleted, inserted or reordered one breaks a stream's prev-hash link, a stream version, the
/// gap-free global order or the seal chain. The first broken global position is reported.
/// </summary>
public static class ChainVerifier
{
    /// <summary>Checks every event and seal of <paramref name="store"/>.</summary>
    public static async Task<ChainReport> VerifyAsync(IEventStore store, CancellationToken cancellationToken = default)
    {
        var heads = new Dictionary<string, StreamHead>(StringComparer.Ordinal);
        await using var seals = store.ReadSealsAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        var seal = EventHash.Genesis;
        long expectedPosition = 0, events = 0, sealsChecked = 0;
        await foreach (var e in store.ReadAllAsync(0, null, cancellationToken).ConfigureAwait(false))
        {
            events++;
            expectedPosition++;
            var head = heads.GetValueOrDefault(e.Stream, StreamHead.New);
            string? problem = null;
            if (e.GlobalPosition != expectedPosition)
                problem = $"global position {e.GlobalPosition} follows {expectedPosition - 1}: an event is missing or was inserted";
            else if (e.StreamVersion != head.Version + 1)
                problem = $"{e.Stream} version {e.StreamVersion} follows version {head.Version}";
            else if (e.PrevHash != head.LastHash)
                problem = $"{e.Stream} v{e.StreamVersion} links to {e.PrevHash}, the previous event of the stream hashes to {head.LastHash}";
            else if (EventHash.Compute(e) is var actual && actual != e.Hash)
                problem = $"{e.Stream} v{e.StreamVersion} ({e.Type}) content hashes to {actual}, stored hash is {e.Hash}: the event was altered";
            if (problem is null)
            {
                seal = EventHash.Seal(seal, e.Hash);
                if (!await seals.MoveNextAsync().ConfigureAwait(false))
                    problem = $"no seal for global position {e.GlobalPosition}";
                else if (seals.Current.GlobalPosition != e.GlobalPosition || seals.Current.Value != seal)
                    problem = $"seal at {seals.Current.GlobalPosition} is {seals.Current.Value}, the chain gives {seal}";
                else sealsChecked++;
            }
            if (problem is not null) return new ChainReport(events, sealsChecked, e.GlobalPosition, problem);
            heads[e.Stream] = new StreamHead(e.StreamVersion, e.Hash);
        }
        if (await seals.MoveNextAsync().ConfigureAwait(false))
            return new ChainReport(events, sealsChecked, seals.Current.GlobalPosition, $"seal at {seals.Current.GlobalPosition} has no event: an event was deleted");
        return new ChainReport(events, sealsChecked, null, null);
    }
}
