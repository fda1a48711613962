using System.Runtime.CompilerServices;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Schemas;

namespace CrossMargin.Ledger.EventStore.InMemory;

/// <summary>
/// The event store in a process's memory: for tests, benchmarks and what-if runs. Same contract as the
/// durable stores; one lock serialises appends.
/// </summary>
public sealed class InMemoryEventStore : IEventStore
{
    private readonly Lock gate = new();
    private readonly List<StoredEvent> log = [];
    private readonly List<Seal> seals = [];
    private readonly Dictionary<string, List<StoredEvent>> streams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string PayloadHash, long First, int Count)> commands = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken = default)
    {
        EventSchemas.Validate(request.Events);
        lock (gate)
        {
            if (commands.TryGetValue(request.Metadata.CommandId, out var seen))
            {
                if (seen.PayloadHash != request.PayloadHash) throw new IdempotencyConflictException(request.Metadata.CommandId);
                return Task.FromResult(new AppendResult(log.GetRange((int)seen.First - 1, seen.Count), Duplicate: true));
            }
            var (events, newSeals) = AppendPlan.Build(request, Head, log.Count, seals.Count == 0 ? EventHash.Genesis : seals[^1].Value);
            foreach (var e in events)
            {
                log.Add(e);
                if (!streams.TryGetValue(e.Stream, out var list)) streams[e.Stream] = list = [];
                list.Add(e);
            }
            seals.AddRange(newSeals);
            commands[request.Metadata.CommandId] = (request.PayloadHash, log.Count - events.Length + 1, events.Length);
            return Task.FromResult(new AppendResult(events, Duplicate: false));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredEvent>?> FindCommandAsync(string commandId, string payloadHash, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (!commands.TryGetValue(commandId, out var seen)) return Task.FromResult<IReadOnlyList<StoredEvent>?>(null);
            if (seen.PayloadHash != payloadHash) throw new IdempotencyConflictException(commandId);
            return Task.FromResult<IReadOnlyList<StoredEvent>?>(log.GetRange((int)seen.First - 1, seen.Count));
        }
    }

    private StreamHead Head(string stream) =>
        streams.TryGetValue(stream, out var list) ? new StreamHead(list.Count, list[^1].Hash) : StreamHead.New;

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string stream, long afterVersion = 0, CancellationToken cancellationToken = default)
    {
        lock (gate)
            return Task.FromResult<IReadOnlyList<StoredEvent>>(streams.TryGetValue(stream, out var list) ? [.. list.Skip((int)afterVersion)] : []);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredEvent> ReadAllAsync(long afterPosition = 0, long? toPosition = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoredEvent[] page;
        lock (gate)
        {
            var end = (int)Math.Min(toPosition ?? log.Count, log.Count);
            var start = (int)Math.Min(afterPosition, end);
            page = [.. log.GetRange(start, end - start)];
        }
        foreach (var e in page)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return e;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Seal> ReadSealsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Seal[] copy;
        lock (gate) copy = [.. seals];
        foreach (var s in copy) yield return s;
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<long> HeadAsync(CancellationToken cancellationToken = default)
    {
        lock (gate) return Task.FromResult((long)log.Count);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
