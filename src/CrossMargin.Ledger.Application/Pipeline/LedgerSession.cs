using System.Collections.Immutable;
using CrossMargin.Ledger.Application.Input;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Application.Pipeline;

/// <summary>
/// The command pipeline: catch the folded state up with the log, answer a known command id with its
/// first result, decide (a price command together with the liquidation cascade it causes), append with
/// every written stream's expected version, and on a concurrency conflict catch up and decide again. The state is a cache of the fold: events this session appends
/// are folded straight in, events others appended are read before the next decision.
/// One session serves one caller at a time.
/// </summary>
public sealed class LedgerSession(IEventStore store, TimeProvider clock) : IDisposable
{
    /// <summary>How often a command is re-decided after losing a race before the conflict is reported.</summary>
    public const int MaxAttempts = 8;

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, long> versions = new(StringComparer.Ordinal);
    private LedgerState state = LedgerState.Initial;
    private long position;

    /// <summary>The store this session writes to.</summary>
    public IEventStore Store => store;

    /// <summary>Decides and appends one command.</summary>
    /// <exception cref="WrongExpectedVersionException">still conflicting after <see cref="MaxAttempts"/> tries.</exception>
    /// <exception cref="IdempotencyConflictException">the command id was used for another command.</exception>
    public async Task<CommandOutcome> ExecuteAsync(LedgerCommand command, CommandContext context, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var commandId = context.CommandId ?? Guid.NewGuid().ToString("D");
            var payloadHash = EventHash.Payload(CommandPayload.Canonical(command));
            if (context.CommandId is not null && await store.FindCommandAsync(commandId, payloadHash, cancellationToken).ConfigureAwait(false) is { } earlier)
                return new CommandOutcome.Accepted(earlier, Duplicate: true);
            var metadata = Metadata(commandId, context);
            for (var attempt = 1; ; attempt++)
            {
                await CatchUpAsync(cancellationToken).ConfigureAwait(false);
                var decision = LedgerDecider.DecideAndReact(command, state);
                if (decision is Decision.Rejected rejected) return new CommandOutcome.Rejected(rejected.Rejection);
                var emitted = ((Decision.Accepted)decision).Events;
                var request = Request(metadata, payloadHash, emitted, versions);
                try
                {
                    var result = await store.AppendAsync(request, cancellationToken).ConfigureAwait(false);
                    if (!result.Duplicate && result.Events.Count > 0 && result.Events[0].GlobalPosition == position + 1)
                        for (var i = 0; i < result.Events.Count; i++) Fold(result.Events[i], emitted[i].Event);
                    return new CommandOutcome.Accepted(result.Events, result.Duplicate);
                }
                catch (WrongExpectedVersionException) when (attempt < MaxAttempts)
                {
                    // another writer moved a stream: the loop catches up and decides on fresh state
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Decides and appends several commands in order. On a store that appends a group in one transaction
    /// (<see cref="IBatchAppender"/>: PostgreSQL) each command is decided on the state its predecessors in
    /// the group leave, and the group is appended at once; if the group loses a race or holds a known
    /// command id, its commands run one by one instead, with the usual retries. Elsewhere they always do.
    /// </summary>
    /// <exception cref="CommandsPartlyAppliedException">run one by one, a command failed after others were decided.</exception>
    public async Task<IReadOnlyList<CommandOutcome>> ExecuteManyAsync(IReadOnlyList<(LedgerCommand Command, CommandContext Context)> commands, CancellationToken cancellationToken = default)
    {
        if (store is IBatchAppender batcher && commands.Count > 1 && await TryBatchAsync(batcher, commands, cancellationToken).ConfigureAwait(false) is { } outcomes)
            return outcomes;
        var one = new List<CommandOutcome>(commands.Count);
        foreach (var (command, context) in commands)
        {
            try
            {
                one.Add(await ExecuteAsync(command, context, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (one.Count > 0 && e is not OperationCanceledException)
            {
                // the earlier commands are committed: their outcomes must not be lost with this failure
                throw new CommandsPartlyAppliedException(one, e);
            }
        }
        return one;
    }

    private async Task<IReadOnlyList<CommandOutcome>?> TryBatchAsync(IBatchAppender batcher, IReadOnlyList<(LedgerCommand Command, CommandContext Context)> commands, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
            var local = state;
            var localVersions = new Dictionary<string, long>(versions, StringComparer.Ordinal);
            var outcomes = new CommandOutcome?[commands.Count];
            var requests = new List<(int Index, AppendRequest Request, IReadOnlyList<Emitted> Emitted)>();
            for (var i = 0; i < commands.Count; i++)
            {
                var (command, context) = commands[i];
                var commandId = context.CommandId ?? Guid.NewGuid().ToString("D");
                var payloadHash = EventHash.Payload(CommandPayload.Canonical(command));
                var decision = LedgerDecider.DecideAndReact(command, local);
                if (decision is Decision.Rejected rejected)
                {
                    outcomes[i] = new CommandOutcome.Rejected(rejected.Rejection);
                    continue;
                }
                var emitted = ((Decision.Accepted)decision).Events;
                requests.Add((i, Request(Metadata(commandId, context), payloadHash, emitted, localVersions), emitted));
                foreach (var e in emitted)
                {
                    local = LedgerEvolution.Evolve(local, e.Event);
                    localVersions[e.Stream] = localVersions.GetValueOrDefault(e.Stream) + 1;
                }
            }
            if (requests.Count == 0) return [.. outcomes.Select(o => o!)];
            IReadOnlyList<AppendResult> results;
            try
            {
                results = await batcher.AppendBatchAsync([.. requests.Select(r => r.Request)], cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WrongExpectedVersionException or CommandAlreadyRecordedException)
            {
                return null; // one by one: each is then answered from its first result or decided afresh
            }
            for (var r = 0; r < requests.Count; r++)
            {
                outcomes[requests[r].Index] = new CommandOutcome.Accepted(results[r].Events, Duplicate: false);
                if (results[r].Events.Count > 0 && results[r].Events[0].GlobalPosition == position + 1)
                    for (var k = 0; k < results[r].Events.Count; k++) Fold(results[r].Events[k], requests[r].Emitted[k].Event);
            }
            return [.. outcomes.Select(o => o!)];
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The state folded up to the log's head.</summary>
    public async Task<LedgerState> CurrentAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
            return state;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Releases the session's lock; the store belongs to the caller.</summary>
    public void Dispose() => gate.Dispose();

    private EventMetadata Metadata(string commandId, CommandContext context) =>
        new(commandId, context.CorrelationId ?? commandId, context.CausationId ?? commandId,
            context.Actor ?? "anonymous", context.At ?? CommandLineParser.Format(clock.GetUtcNow()));

    /// <summary>The append of decided events, each written stream expected at the version <paramref name="known"/> holds (the credit-only fee account at any).</summary>
    private static AppendRequest Request(EventMetadata metadata, string payloadHash, IReadOnlyList<Emitted> emitted, IReadOnlyDictionary<string, long> known) =>
        new(metadata, payloadHash, [.. emitted.Select(e => Serialize(e))],
            emitted.Select(e => e.Stream).Distinct().ToImmutableDictionary(
                s => s, s => s == Streams.FeeAccount ? ExpectedVersion.Any : known.GetValueOrDefault(s, ExpectedVersion.NoStream), StringComparer.Ordinal));

    private static NewEvent Serialize(Emitted e)
    {
        var (type, data) = EventTypeRegistry.Serialize(e.Event);
        return new NewEvent(e.Stream, type, data);
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        await foreach (var e in store.ReadAllAsync(position, null, cancellationToken).ConfigureAwait(false))
            Fold(e, EventTypeRegistry.Deserialize(e.Type, e.Data));
    }

    private void Fold(StoredEvent stored, Events.ILedgerEvent @event)
    {
        state = LedgerEvolution.Evolve(state, @event);
        versions[stored.Stream] = stored.StreamVersion;
        position = stored.GlobalPosition;
    }
}
