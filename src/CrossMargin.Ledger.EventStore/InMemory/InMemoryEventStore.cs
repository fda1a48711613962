using System.Runtime.CompilerServices;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Schemas;
using CrossMargin.Ledger.EventStore.Snapshots;

namespace CrossMargin.Ledger.EventStore.InMemory;

/// <summary>
/// The event store in a process's memory: for tests, benchmarks and what-if runs. Same contract as the
/// durable stores; one writer's turn at a time, and a turn that is not committed leaves nothing behind. A turn
/// writes into the log as it goes; readers outside it see only what was committed (<c>committed</c>, and no
/// command id the open turn recorded).
/// </summary>
public sealed class InMemoryEventStore : IEventStore, ISnapshotStore
{
    private readonly SortedList<long, StateSnapshot> snapshots = [];
    private readonly SemaphoreSlim writer = new(1, 1);
    private readonly Lock gate = new();
    private readonly List<StoredEvent> log = [];
    private readonly List<Seal> seals = [];
    private readonly Dictionary<string, List<StoredEvent>> streams = new(StringComparer.Ordinal);
    private readonly Dictionary<
        string,
        (Digest PayloadHash, long First, int Count, CommandRejection? Rejection)
    > commands = new(StringComparer.Ordinal);
    private readonly HashSet<string> pending = new(StringComparer.Ordinal);
    private int committed;
    private int committedSeals;

    /// <inheritdoc />
    public Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken = default) =>
        Port.PlainAppends.AppendAloneAsync(this, request, cancellationToken);

    /// <inheritdoc />
    public Task<RecordedCommand?> FindCommandAsync(
        string commandId,
        Digest payloadHash,
        CancellationToken cancellationToken = default
    )
    {
        RecordedCommand? seen;
        lock (gate)
            seen = pending.Contains(commandId) ? null : Find(commandId);
        if (seen is not null && seen.PayloadHash != payloadHash)
            throw new IdempotencyConflictException(commandId);
        return Task.FromResult(seen);
    }

    private RecordedCommand? Find(string commandId)
    {
        lock (gate)
            return commands.TryGetValue(commandId, out var seen)
                ? new RecordedCommand(
                    commandId,
                    seen.PayloadHash,
                    seen.Count == 0 ? [] : log.GetRange((int)seen.First - 1, seen.Count),
                    seen.Rejection
                )
                : null;
    }

    /// <inheritdoc />
    public async Task<IWriteTurn> BeginWriteAsync(CancellationToken cancellationToken = default)
    {
        await writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (gate)
            return new Turn(this, log.Count, seals.Count);
    }

    private StreamHead Head(string stream) =>
        streams.TryGetValue(stream, out var list) ? new StreamHead(list.Count, list[^1].Hash) : StreamHead.New;

    /// <summary>Appends straight into the log; <see cref="DisposeAsync"/> without a commit cuts everything it
    /// added.</summary>
    private sealed class Turn(InMemoryEventStore store, int logMark, int sealMark) : IWriteTurn
    {
        private readonly List<string> recorded = [];
        private bool ended;

        public async IAsyncEnumerable<StoredEvent> ReadAfterAsync(
            long afterPosition,
            [EnumeratorCancellation] CancellationToken cancellationToken = default
        )
        {
            StoredEvent[] page;
            lock (store.gate)
                page = [.. store.log.Skip((int)Math.Min(afterPosition, store.log.Count))];
            foreach (var e in page)
                yield return e;
            await Task.CompletedTask.ConfigureAwait(false);
        }

        public Task<RecordedCommand?> FindCommandAsync(
            string commandId,
            CancellationToken cancellationToken = default
        ) => Task.FromResult(store.Find(commandId));

        public Task<IReadOnlyList<AppendResult>> AppendAsync(
            IReadOnlyList<AppendRequest> requests,
            CancellationToken cancellationToken = default
        )
        {
            foreach (var request in requests)
                EventSchemas.Validate(request.Events);
            var results = new List<AppendResult>(requests.Count);
            lock (store.gate)
            {
                foreach (var request in requests)
                {
                    if (store.commands.ContainsKey(request.Metadata.CommandId))
                        throw new CommandAlreadyRecordedException(request.Metadata.CommandId);
                    var (events, newSeals) = AppendPlan.Build(
                        request,
                        store.Head,
                        store.log.Count,
                        store.seals.Count == 0 ? Digest.Genesis : store.seals[^1].Value
                    );
                    foreach (var e in events)
                    {
                        store.log.Add(e);
                        if (!store.streams.TryGetValue(e.Stream, out var list))
                            store.streams[e.Stream] = list = [];
                        list.Add(e);
                    }
                    store.seals.AddRange(newSeals);
                    store.commands[request.Metadata.CommandId] = (
                        request.PayloadHash,
                        store.log.Count - events.Length + 1,
                        events.Length,
                        null
                    );
                    store.pending.Add(request.Metadata.CommandId);
                    recorded.Add(request.Metadata.CommandId);
                    results.Add(new AppendResult(events, Duplicate: false));
                }
            }
            return Task.FromResult<IReadOnlyList<AppendResult>>(results);
        }

        public Task RecordRejectionAsync(CommandRejection rejection, CancellationToken cancellationToken = default)
        {
            lock (store.gate)
            {
                if (
                    !store.commands.TryAdd(
                        rejection.CommandId,
                        (rejection.PayloadHash, store.log.Count + 1, 0, rejection)
                    )
                )
                    throw new CommandAlreadyRecordedException(rejection.CommandId);
                store.pending.Add(rejection.CommandId);
                recorded.Add(rejection.CommandId);
            }
            return Task.CompletedTask;
        }

        public Task CommitAsync(CancellationToken cancellationToken = default)
        {
            End(commit: true);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            End(commit: false);
            return ValueTask.CompletedTask;
        }

        private void End(bool commit)
        {
            if (ended)
                return;
            ended = true;
            lock (store.gate)
            {
                foreach (var id in recorded)
                    store.pending.Remove(id);
                if (commit)
                    (store.committed, store.committedSeals) = (store.log.Count, store.seals.Count);
            }
            if (!commit)
                lock (store.gate)
                {
                    for (var i = store.log.Count - 1; i >= logMark; i--)
                    {
                        var list = store.streams[store.log[i].Stream];
                        list.RemoveAt(list.Count - 1);
                        if (list.Count == 0)
                            store.streams.Remove(store.log[i].Stream);
                    }
                    store.log.RemoveRange(logMark, store.log.Count - logMark);
                    store.seals.RemoveRange(sealMark, store.seals.Count - sealMark);
                    foreach (var id in recorded)
                        store.commands.Remove(id);
                }
            store.writer.Release();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(
        string stream,
        long afterVersion = 0,
        CancellationToken cancellationToken = default
    )
    {
        lock (gate)
            return Task.FromResult<IReadOnlyList<StoredEvent>>(
                streams.TryGetValue(stream, out var list)
                    ? [.. list.Skip((int)afterVersion).Where(e => e.GlobalPosition <= committed)]
                    : []
            );
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredEvent> ReadAllAsync(
        long afterPosition = 0,
        long? toPosition = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        StoredEvent[] page;
        lock (gate)
        {
            var end = (int)Math.Min(toPosition ?? committed, committed);
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
    public async IAsyncEnumerable<Seal> ReadSealsAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        Seal[] copy;
        lock (gate)
            copy = [.. seals.Take(committedSeals)];
        foreach (var s in copy)
            yield return s;
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<long> HeadAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
            return Task.FromResult((long)committed);
    }

    /// <inheritdoc />
    public Task<StateSnapshot?> LatestSnapshotAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
            return Task.FromResult(snapshots.Count == 0 ? null : snapshots.Values[^1]);
    }

    /// <inheritdoc />
    public Task SaveSnapshotAsync(StateSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            snapshots[snapshot.Position] = snapshot;
            while (snapshots.Keys[^1] > snapshot.Position)
                snapshots.RemoveAt(snapshots.Count - 1);
            while (snapshots.Count > ISnapshotStore.SnapshotsKept)
                snapshots.RemoveAt(0);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> DeleteSnapshotsAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var count = snapshots.Count;
            snapshots.Clear();
            return Task.FromResult(count);
        }
    }

    /// <inheritdoc />
    public Task<Digest?> SealAtAsync(long position, CancellationToken cancellationToken = default)
    {
        lock (gate)
            return Task.FromResult<Digest?>(
                position >= 1 && position <= committedSeals ? seals[(int)position - 1].Value : null
            );
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        writer.Dispose();
        return ValueTask.CompletedTask;
    }
}
