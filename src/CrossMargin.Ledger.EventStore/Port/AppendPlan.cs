using System.Collections.Immutable;
using CrossMargin.Ledger.EventStore.Hashing;

namespace CrossMargin.Ledger.EventStore.Port;

/// <summary>The head of a stream: its version (0 when new) and the hash of its last event.</summary>
public readonly record struct StreamHead(long Version, Digest LastHash)
{
    /// <summary>A stream with no events.</summary>
    public static readonly StreamHead New = new(0, Digest.Genesis);
}

/// <summary>
/// Turns an append request into stored events and seals, given the heads the store holds under its
/// write lock: checks every expected version, numbers the events, links both chains. Stores differ in
/// how they lock and persist, never in what they store.
/// </summary>
public static class AppendPlan
{
    /// <summary>The events and seals to persist, in global order.</summary>
    /// <exception cref="WrongExpectedVersionException">a stream is not at its expected version.</exception>
    public static (ImmutableArray<StoredEvent> Events, ImmutableArray<Seal> Seals) Build(
        AppendRequest request,
        Func<string, StreamHead> headOf,
        long globalHead,
        Digest lastSeal
    )
    {
        var heads = new Dictionary<string, StreamHead>(StringComparer.Ordinal);
        foreach (var stream in request.Events.Select(e => e.Stream).Distinct())
        {
            var head = headOf(stream);
            if (request.ExpectedVersions.TryGetValue(stream, out var expected) && !expected.Allows(head.Version))
                throw new WrongExpectedVersionException(stream, expected.Version, head.Version);
            heads[stream] = head;
        }
        var events = ImmutableArray.CreateBuilder<StoredEvent>(request.Events.Length);
        var seals = ImmutableArray.CreateBuilder<Seal>(request.Events.Length);
        var seal = lastSeal;
        for (var i = 0; i < request.Events.Length; i++)
        {
            var e = request.Events[i];
            var head = heads[e.Stream];
            var id = EventHash.EventId(request.Metadata.CommandId, i);
            var version = head.Version + 1;
            var hash = EventHash.OfCanonical(
                id,
                e.Stream,
                version,
                e.Type,
                e.CanonicalData,
                request.Metadata,
                head.LastHash
            );
            var position = globalHead + i + 1;
            events.Add(
                new StoredEvent(id, e.Stream, version, position, e.Type, e.Data, request.Metadata, head.LastHash, hash)
            );
            seal = EventHash.Seal(seal, hash);
            seals.Add(new Seal(position, seal));
            heads[e.Stream] = new StreamHead(version, hash);
        }
        return (events.MoveToImmutable(), seals.MoveToImmutable());
    }
}
