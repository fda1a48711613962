using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Port;

namespace CrossMargin.Ledger.EventStore.Hashing;

/// <summary>
/// The outcome of a store check: counts, or the first problem with the global position it concerns
/// (<see cref="BrokenAt"/> is null for a problem that has no position, e.g. a stream head). <see cref="Unsealed"/>
/// counts the newest events a follower has not sealed yet (only on stores whose seals follow the appends);
/// <see cref="CommandsChecked"/> and <see cref="StreamsChecked"/> the records held against the events.
/// </summary>
public sealed record ChainReport(
    long EventsChecked,
    long SealsChecked,
    long? BrokenAt,
    string? Problem,
    long Unsealed = 0
)
{
    /// <summary>Whether the chains and every record hold.</summary>
    public bool Intact => Problem is null;

    /// <summary>Command records checked against the events.</summary>
    public long CommandsChecked { get; init; }

    /// <summary>Stream heads checked against the events.</summary>
    public long StreamsChecked { get; init; }

    /// <summary>The last sealed global position (the newest <see cref="Unsealed"/> events follow it).</summary>
    public long SealedThrough { get; init; }
}

/// <summary>
/// Re-derives both chains from the stored events and compares: an edited event no longer matches its
/// hash; a deleted, inserted or reordered one breaks a stream's prev-hash link, a stream version, or the
/// seal chain, whose links name every global position in order. A row that cannot be read (a malformed id,
/// data that is not JSON, text after it, a key given twice, a float) is a problem at its position, never a
/// crash. Then what the store keeps beside the events (<see cref="IStoreRecords"/>: command records, stream
/// heads, hidden events) is held against them. The first problem is reported.
/// </summary>
public static class ChainVerifier
{
    /// <summary>Checks every event, seal and record of <paramref name="store"/>.</summary>
    public static async Task<ChainReport> VerifyAsync(IEventStore store, CancellationToken cancellationToken = default)
    {
        var seals = new List<Seal>();
        try
        {
            await foreach (var s in store.ReadSealsAsync(cancellationToken).ConfigureAwait(false))
                seals.Add(s);
        }
        catch (MalformedEventException e)
        {
            return new ChainReport(0, 0, e.Position, e.Message);
        }
        var heads = new Dictionary<string, StreamHead>(StringComparer.Ordinal);
        var commands = new Dictionary<string, (long First, long Last, int Count)>(StringComparer.Ordinal);
        var seal = Digest.Genesis;
        long previous = 0,
            events = 0,
            sealsChecked = 0,
            unsealed = 0,
            firstUnsealed = 0;
        var next = 0;
        await using (var reader = store.ReadAllAsync(0, null, cancellationToken).GetAsyncEnumerator(cancellationToken))
        {
            while (true)
            {
                StoredEvent e;
                try
                {
                    if (!await reader.MoveNextAsync().ConfigureAwait(false))
                        break;
                    e = reader.Current;
                }
                catch (MalformedEventException m)
                {
                    return new ChainReport(events, sealsChecked, m.Position, m.Message, unsealed);
                }
                events++;
                var problem = Check(store, e, previous, heads.GetValueOrDefault(e.Stream, StreamHead.New), seals, next);
                if (problem is null)
                {
                    if (next < seals.Count)
                    {
                        seal = EventHash.Seal(seal, e.Hash);
                        if (seals[next].GlobalPosition != e.GlobalPosition)
                            problem =
                                $"no seal for global position {e.GlobalPosition} (the next seal is at "
                                + $"{seals[next].GlobalPosition}): an event was inserted";
                        else if (seals[next].Value != seal)
                            problem = $"seal at {e.GlobalPosition} is {seals[next].Value}, the chain gives {seal}";
                        else
                        {
                            sealsChecked++;
                            next++;
                        }
                    }
                    else if (store.SealsFollowAppends)
                    {
                        if (unsealed++ == 0)
                            firstUnsealed = e.GlobalPosition;
                    }
                    else
                        problem = $"no seal for global position {e.GlobalPosition}";
                }
                if (problem is not null)
                    return new ChainReport(events, sealsChecked, e.GlobalPosition, problem, unsealed);
                heads[e.Stream] = new StreamHead(e.StreamVersion, e.Hash);
                previous = e.GlobalPosition;
                commands[e.Metadata.CommandId] = commands.TryGetValue(e.Metadata.CommandId, out var c)
                    ? (c.First, e.GlobalPosition, c.Count + 1)
                    : (e.GlobalPosition, e.GlobalPosition, 1);
            }
        }
        if (next < seals.Count)
            return new ChainReport(
                events,
                sealsChecked,
                seals[next].GlobalPosition,
                $"seal at {seals[next].GlobalPosition} has no event: an event was deleted",
                unsealed
            );
        var report = new ChainReport(events, sealsChecked, null, null, unsealed);
        if (store is not IStoreRecords records)
            return report;
        // seals may trail the appends, but never the follower's own record of how far it sealed: seals missing
        // before that point were deleted (a follower rewound to re-seal would write the same values again)
        var lastSealed = seals.Count == 0 ? 0 : seals[^1].GlobalPosition;
        if (
            unsealed > 0
            && await records.SealedThroughAsync(cancellationToken).ConfigureAwait(false) is { } sealedThrough
            && sealedThrough > lastSealed
        )
            return report with
            {
                BrokenAt = firstUnsealed,
                Problem =
                    $"the seal follower has sealed through global position {sealedThrough}, but the seals end at "
                    + $"{lastSealed}: seals were deleted",
            };
        return await CheckRecordsAsync(
                records,
                report with
                {
                    SealedThrough = lastSealed,
                },
                previous,
                heads,
                commands,
                store.PositionsAreGapFree,
                cancellationToken
            )
            .ConfigureAwait(false);
    }

    /// <summary>The problem with one event read in order, or null.</summary>
    private static string? Check(
        IEventStore store,
        StoredEvent e,
        long previous,
        StreamHead head,
        List<Seal> seals,
        int next
    )
    {
        if (e.GlobalPosition <= previous)
            return $"global position {e.GlobalPosition} follows {previous}: the global order was altered";
        if (next < seals.Count && seals[next].GlobalPosition < e.GlobalPosition)
            return $"global position {seals[next].GlobalPosition} has a seal but no event (the next event is at "
                + $"{e.GlobalPosition}): an event is missing";
        if (store.PositionsAreGapFree && e.GlobalPosition != previous + 1)
            return $"global position {e.GlobalPosition} follows {previous}: positions in this store have no gaps, so "
                + $"an event was removed or renumbered";
        if (e.StreamVersion != head.Version + 1)
            return $"{e.Stream} version {e.StreamVersion} follows version {head.Version}";
        if (e.PrevHash != head.LastHash)
            return $"{e.Stream} v{e.StreamVersion} links to {e.PrevHash}, the previous event of the stream hashes to "
                + $"{head.LastHash}";
        Digest actual;
        try
        {
            actual = EventHash.Compute(e);
        }
        catch (Newtonsoft.Json.JsonException j)
        {
            return $"{e.Stream} v{e.StreamVersion} ({e.Type}) data is not ledger JSON: {j.Message}";
        }
        if (actual != e.Hash)
            return $"{e.Stream} v{e.StreamVersion} ({e.Type}) content hashes to {actual}, stored hash is {e.Hash}: "
                + $"the event was altered";
        try
        {
            EventTypeRegistry.ReadStored(e.Type, e.Data);
        }
        catch (Exception x)
            when (x
                    is Newtonsoft.Json.JsonException
                        or ArgumentException
                        or KeyNotFoundException
                        or InvalidOperationException
            )
        {
            return $"{e.Stream} v{e.StreamVersion} ({e.Type}) does not read as its event type: {x.Message}";
        }
        return null;
    }

    private static async Task<ChainReport> CheckRecordsAsync(
        IStoreRecords store,
        ChainReport report,
        long head,
        Dictionary<string, StreamHead> heads,
        Dictionary<string, (long First, long Last, int Count)> commands,
        bool gapFree,
        CancellationToken ct
    )
    {
        long checkedCommands = 0,
            checkedStreams = 0;
        ChainReport Broken(long? at, string problem) =>
            report with
            {
                BrokenAt = at,
                Problem = problem,
                CommandsChecked = checkedCommands,
                StreamsChecked = checkedStreams,
            };

        await foreach (var position in store.ReadHiddenEventsAsync(ct).ConfigureAwait(false))
            return Broken(
                position,
                $"the event at global position {position} is marked archived: the store's own readers (its "
                    + $"projections) skip it"
            );

        var recorded = new HashSet<string>(StringComparer.Ordinal);
        var (commandRows, unreadable) = await ReadRecordsAsync(store.ReadCommandRecordsAsync(ct)).ConfigureAwait(false);
        if (unreadable is not null)
            return Broken(null, unreadable);
        foreach (var r in commandRows)
        {
            recorded.Add(r.CommandId);
            var events = commands.TryGetValue(r.CommandId, out var found)
                ? found
                : ((long First, long Last, int Count)?)null;
            if (r.Rejection is { } rejection)
            {
                if (events is { } e)
                    return Broken(
                        e.First,
                        $"command '{r.CommandId}' is recorded as rejected, but events from position {e.First} carry "
                            + $"its id"
                    );
                if (EventHash.Payload(rejection.Payload) != r.PayloadHash)
                    return Broken(
                        null,
                        $"the rejection record of command '{r.CommandId}' holds content that does not hash to its "
                            + $"payload hash"
                    );
                if (rejection.DecidedAt < 0 || rejection.DecidedAt > head)
                    return Broken(
                        null,
                        $"command '{r.CommandId}' is recorded as rejected at position {rejection.DecidedAt}, outside "
                            + $"the log (0–{head})"
                    );
            }
            else if (events is not { } e)
            {
                if (r.EventCount > 0)
                    return Broken(
                        r.First,
                        $"command '{r.CommandId}' is recorded with {r.EventCount} event(s), but no event carries its id"
                    );
                if (r.First is { } first && (first < 1 || first > head + 1))
                    return Broken(
                        null,
                        $"command '{r.CommandId}' is recorded as accepted without events at position {first}, "
                            + $"outside the log"
                    );
            }
            else
            {
                if (e.Count != r.EventCount)
                    return Broken(
                        e.First,
                        $"command '{r.CommandId}' is recorded with {r.EventCount} event(s), but {e.Count} carry its "
                            + $"id from position {e.First}"
                    );
                if (r.First is { } first && (first != e.First || r.Last != e.Last))
                    return Broken(
                        e.First,
                        $"command '{r.CommandId}' is recorded at positions {first}–{r.Last}, but its events are at "
                            + $"{e.First}–{e.Last}"
                    );
                if (gapFree && e.Last - e.First + 1 != e.Count)
                    return Broken(
                        e.First,
                        $"the events of command '{r.CommandId}' are not contiguous ({e.Count} between {e.First} and "
                            + $"{e.Last})"
                    );
            }
            checkedCommands++;
        }
        foreach (var (id, e) in commands)
            if (!recorded.Contains(id))
                return Broken(
                    e.First,
                    $"events from position {e.First} carry command id '{id}', which has no command record (a resend "
                        + $"would not be recognised)"
                );

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var (headRows, unreadableHead) = await ReadRecordsAsync(store.ReadStreamHeadsAsync(ct)).ConfigureAwait(false);
        if (unreadableHead is not null)
            return Broken(null, unreadableHead);
        foreach (var row in headRows)
        {
            seen.Add(row.Stream);
            if (!heads.TryGetValue(row.Stream, out var h))
                return Broken(null, $"stream {row.Stream} has a recorded head (version {row.Version}) but no events");
            if (row.Version != h.Version)
                return Broken(
                    null,
                    $"stream {row.Stream} is recorded at version {row.Version}, its last event is version {h.Version}"
                );
            if (row.LastHash is { } hash && hash != h.LastHash)
                return Broken(
                    null,
                    $"stream {row.Stream} is recorded with last hash {hash}, its last event hashes to {h.LastHash}"
                );
            checkedStreams++;
        }
        foreach (var stream in heads.Keys)
            if (!seen.Contains(stream))
                return Broken(null, $"stream {stream} has events but no recorded head");
        return report with { CommandsChecked = checkedCommands, StreamsChecked = checkedStreams };
    }

    /// <summary>The records a store keeps beside the events, or the reason one of them cannot be read.</summary>
    private static async Task<(List<T> Rows, string? Problem)> ReadRecordsAsync<T>(IAsyncEnumerable<T> records)
    {
        var rows = new List<T>();
        try
        {
            await foreach (var row in records.ConfigureAwait(false))
                rows.Add(row);
        }
        catch (MalformedRecordException m)
        {
            return ([], m.Message);
        }
        return (rows, null);
    }
}
