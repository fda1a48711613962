using CrossMargin.Ledger.EventStore.Port;

namespace CrossMargin.Ledger.EventStore.Hashing;

/// <summary>
/// The outcome of a chain check: counts, or the first broken link with the reason. <see cref="Unsealed"/>
/// counts the newest events a follower has not sealed yet (only on stores whose seals follow the appends).
/// </summary>
public sealed record ChainReport(long EventsChecked, long SealsChecked, long? BrokenAt, string? Problem, long Unsealed = 0)
{
    /// <summary>Whether both chains hold.</summary>
    public bool Intact => BrokenAt is null;
}

/// <summary>
/// Re-derives both chains from the stored events and compares: an edited event no longer matches its
/// hash; a deleted, inserted or reordered one breaks a stream's prev-hash link, a stream version, or the
/// seal chain, whose links name every global position in order. The first broken global position is reported.
/// </summary>
public static class ChainVerifier
{
    /// <summary>Checks every event and seal of <paramref name="store"/>.</summary>
    public static async Task<ChainReport> VerifyAsync(IEventStore store, CancellationToken cancellationToken = default)
    {
        var seals = new List<Seal>();
        await foreach (var s in store.ReadSealsAsync(cancellationToken).ConfigureAwait(false)) seals.Add(s);
        var heads = new Dictionary<string, StreamHead>(StringComparer.Ordinal);
        var seal = EventHash.Genesis;
        long previous = 0, events = 0, sealsChecked = 0, unsealed = 0;
        var next = 0;
        await foreach (var e in store.ReadAllAsync(0, null, cancellationToken).ConfigureAwait(false))
        {
            events++;
            var head = heads.GetValueOrDefault(e.Stream, StreamHead.New);
            string? problem = null;
            if (e.GlobalPosition <= previous)
                problem = $"global position {e.GlobalPosition} follows {previous}: the global order was altered";
            else if (next < seals.Count && seals[next].GlobalPosition < e.GlobalPosition)
                problem = $"global position {seals[next].GlobalPosition} has a seal but no event (the next event is at {e.GlobalPosition}): an event is missing";
            else if (e.StreamVersion != head.Version + 1)
                problem = $"{e.Stream} version {e.StreamVersion} follows version {head.Version}";
            else if (e.PrevHash != head.LastHash)
                problem = $"{e.Stream} v{e.StreamVersion} links to {e.PrevHash}, the previous event of the stream hashes to {head.LastHash}";
            else if (EventHash.Compute(e) is var actual && actual != e.Hash)
                problem = $"{e.Stream} v{e.StreamVersion} ({e.Type}) content hashes to {actual}, stored hash is {e.Hash}: the event was altered";
            else if (next < seals.Count)
            {
                seal = EventHash.Seal(seal, e.Hash);
                if (seals[next].GlobalPosition != e.GlobalPosition)
                    problem = $"no seal for global position {e.GlobalPosition} (the next seal is at {seals[next].GlobalPosition}): an event was inserted";
                else if (seals[next].Value != seal)
                    problem = $"seal at {e.GlobalPosition} is {seals[next].Value}, the chain gives {seal}";
                else
                {
                    sealsChecked++;
                    next++;
                }
            }
            else if (store.SealsFollowAppends) unsealed++;
            else problem = $"no seal for global position {e.GlobalPosition}";
            if (problem is not null) return new ChainReport(events, sealsChecked, e.GlobalPosition, problem, unsealed);
            heads[e.Stream] = new StreamHead(e.StreamVersion, e.Hash);
            previous = e.GlobalPosition;
        }
        if (next < seals.Count)
            return new ChainReport(events, sealsChecked, seals[next].GlobalPosition, $"seal at {seals[next].GlobalPosition} has no event: an event was deleted", unsealed);
        return new ChainReport(events, sealsChecked, null, null, unsealed);
    }
}
