using System.Collections.Immutable;
using CrossMargin.Ledger.Application.Input;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Application.Pipeline;

/// <summary>
/// The command pipeline. A group of commands runs in one writer's turn (<see cref="IWriteTurn"/>): catch the
/// folded state up with everything committed, answer each known command id with its first outcome, decide each
/// new command (a price command together with the liquidation cascade it causes) on the state its
/// predecessors leave, record every rejection of a command that carries an id, append the accepted ones, and
/// commit once. No other writer can append between the read and the commit, so no decision is taken on a
/// state that has since moved. The state is a cache of the fold: what this session appends is folded in
/// as it is decided, what others appended is read at the start of the next turn.
/// One session serves one caller at a time.
/// </summary>
public sealed class LedgerSession(IEventStore store, TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, long> versions = new(StringComparer.Ordinal);
    private LedgerState state = LedgerState.Initial;
    private long position;

    /// <summary>The store this session writes to.</summary>
    public IEventStore Store => store;

    /// <summary>Decides and appends one command, or answers it with the first outcome of its command id.</summary>
    /// <exception cref="IdempotencyConflictException">the command id was used for another command.</exception>
    /// <exception cref="ArgumentException">the context's command id is not a valid id (<see
    /// cref="CommandIds"/>).</exception>
    public async Task<CommandOutcome> ExecuteAsync(
        LedgerCommand command,
        CommandContext context,
        CancellationToken cancellationToken = default
    )
    {
        try
        {
            return (await ExecuteManyAsync([(command, context)], cancellationToken).ConfigureAwait(false))[0];
        }
        catch (CommandsPartlyAppliedException partly) when (partly.Completed.Count == 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(partly.InnerException!);
            throw;
        }
    }

    /// <summary>
    /// Decides and appends several commands in order, in one writer's turn committed once: each is decided on
    /// the state its predecessors leave, a command id seen before (in the store or earlier in the group) is
    /// answered with its first outcome. When the group fails for another reason (nothing of it is then
    /// committed), its commands run again one turn each, so the failure is located at its command and the
    /// commands before it are committed and reported.
    /// </summary>
    /// <exception cref="CommandsPartlyAppliedException">
    /// a command failed, or reused an id for another content (<see cref="IdempotencyConflictException"/>), after
    /// others were decided; <see cref="CommandsPartlyAppliedException.Completed"/> holds their outcomes, all committed.
    /// </exception>
    public async Task<IReadOnlyList<CommandOutcome>> ExecuteManyAsync(
        IReadOnlyList<(LedgerCommand Command, CommandContext Context)> commands,
        CancellationToken cancellationToken = default
    )
    {
        foreach (var (_, context) in commands)
            if (context.CommandId is { } id && CommandIds.Problem(id) is { } problem)
                throw new ArgumentException($"commandId {problem}", nameof(commands));
        if (commands.Count == 0)
            return [];
        try
        {
            return await TurnAsync(commands, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
            when (commands.Count > 1
                && e
                    is not (
                        OperationCanceledException
                        or CommandsPartlyAppliedException
                        or StoreBusyException
                        or CommitOutcomeUnknownException
                    )
            )
        {
            // nothing of the group was committed: run its commands one turn each to commit those before the failure
        }
        var one = new List<CommandOutcome>(commands.Count);
        foreach (var item in commands)
        {
            try
            {
                one.Add((await TurnAsync([item], cancellationToken).ConfigureAwait(false))[0]);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new CommandsPartlyAppliedException(
                    one,
                    e is CommandsPartlyAppliedException inner ? inner.InnerException! : e
                );
            }
        }
        return one;
    }

    /// <summary>
    /// One writer's turn over <paramref name="commands"/>. A reused id with another content ends the group there:
    /// the commands before it are committed and <see cref="CommandsPartlyAppliedException"/> carries their outcomes.
    /// </summary>
    private async Task<IReadOnlyList<CommandOutcome>> TurnAsync(
        IReadOnlyList<(LedgerCommand Command, CommandContext Context)> commands,
        CancellationToken cancellationToken
    )
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var turn = await store.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var e in turn.ReadAfterAsync(position, cancellationToken).ConfigureAwait(false))
                Fold(e, EventTypeRegistry.Deserialize(e.Type, e.Data));
            var local = state;
            var localVersions = new Dictionary<string, long>(versions, StringComparer.Ordinal);
            var start = position;
            var outcomes = new List<CommandOutcome?>(commands.Count);
            var repeats = new Dictionary<int, int>();
            var requests = new List<(int Index, AppendRequest Request)>();
            var rejections = new List<(int Index, CommandRejection Rejection)>();
            var inGroup = new Dictionary<string, (Digest PayloadHash, int Index)>(StringComparer.Ordinal);
            Exception? stop = null;
            for (var i = 0; i < commands.Count && stop is null; i++)
            {
                var (command, context) = commands[i];
                var payload = CommandPayload.Canonical(command);
                var payloadHash = EventHash.Payload(payload);
                if (context.CommandId is { } id)
                {
                    if (inGroup.TryGetValue(id, out var earlier))
                    {
                        if (earlier.PayloadHash != payloadHash)
                            stop = new IdempotencyConflictException(id);
                        else
                        {
                            repeats[i] = earlier.Index;
                            outcomes.Add(null);
                        }
                        continue;
                    }
                    if (await turn.FindCommandAsync(id, cancellationToken).ConfigureAwait(false) is { } recorded)
                    {
                        if (!CommandPayload.IsHashOf(recorded.PayloadHash, command, payloadHash))
                            stop = new IdempotencyConflictException(id);
                        else
                            outcomes.Add(
                                recorded.Rejection is { } r
                                    ? new CommandOutcome.Rejected(Recorded(r), Duplicate: true)
                                    : new CommandOutcome.Accepted(recorded.Events, Duplicate: true)
                            );
                        continue;
                    }
                    inGroup[id] = (payloadHash, i);
                }
                var ran = LedgerRuntime.Run(local, command);
                if (ran.Decision is Decision.Rejected rejected)
                {
                    outcomes.Add(new CommandOutcome.Rejected(rejected.Rejection));
                    if (context.CommandId is { } rid)
                        rejections.Add(
                            (
                                i,
                                new CommandRejection(
                                    rid,
                                    payloadHash,
                                    payload,
                                    rejected.Rejection.Code.ToString(),
                                    rejected.Rejection.Message,
                                    DecidedAt: 0
                                )
                            )
                        );
                    continue;
                }
                var emitted = ((Decision.Accepted)ran.Decision).Events;
                requests.Add(
                    (
                        i,
                        Request(
                            Metadata(context.CommandId ?? Guid.NewGuid().ToString("D"), context),
                            payloadHash,
                            emitted,
                            localVersions
                        )
                    )
                );
                local = ran.State;
                foreach (var e in emitted)
                    localVersions[e.Stream] = localVersions.GetValueOrDefault(e.Stream) + 1;
                outcomes.Add(null);
            }
            var results =
                requests.Count == 0
                    ? []
                    : await turn.AppendAsync([.. requests.Select(r => r.Request)], cancellationToken)
                        .ConfigureAwait(false);
            foreach (var (index, rejection) in rejections)
            {
                // decided on the state after the last event appended before it in the group
                var decidedAt = start;
                for (var r = 0; r < requests.Count && requests[r].Index < index; r++)
                    if (results[r].Events.Count > 0)
                        decidedAt = results[r].Events[^1].GlobalPosition;
                await turn.RecordRejectionAsync(rejection with { DecidedAt = decidedAt }, cancellationToken)
                    .ConfigureAwait(false);
            }
            try
            {
                // never cancelled half-way: once the commit is sent its outcome is the store's, not ours
                await turn.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not StoreBusyException)
            {
                throw new CommitOutcomeUnknownException(e);
            }

            state = local;
            for (var r = 0; r < requests.Count; r++)
            {
                outcomes[requests[r].Index] = new CommandOutcome.Accepted(results[r].Events, Duplicate: false);
                foreach (var e in results[r].Events)
                {
                    versions[e.Stream] = e.StreamVersion;
                    position = e.GlobalPosition;
                }
            }
            foreach (var (index, first) in repeats)
                outcomes[index] = outcomes[first] switch
                {
                    CommandOutcome.Accepted a => a with { Duplicate = true },
                    CommandOutcome.Rejected r => r with { Duplicate = true },
                    var other => other,
                };
            var done = outcomes.Select(o => o!).ToList();
            return stop is null ? done : throw new CommandsPartlyAppliedException(done, stop);
        }
        finally
        {
            gate.Release();
        }
    }

    private static Rejection Recorded(CommandRejection r) =>
        new(
            Rejection.CodeOf(r.Code)
                ?? throw new StoreDamagedException(
                    $"command '{r.CommandId}' is recorded as rejected with the unknown code '{r.Code}'"
                ),
            r.Message
        );

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
        new(
            commandId,
            context.CorrelationId ?? commandId,
            context.CausationId ?? commandId,
            context.Actor ?? "anonymous",
            context.At ?? RecordedAt.Of(clock.GetUtcNow()).ToString()
        );

    /// <summary>The append of decided events, each written stream expected at the version <paramref name="known"/>
    /// holds (the credit-only fee account at any).</summary>
    private static AppendRequest Request(
        EventMetadata metadata,
        Digest payloadHash,
        IReadOnlyList<Emitted> emitted,
        Dictionary<string, long> known
    ) =>
        new(
            metadata,
            payloadHash,
            [.. emitted.Select(e => Serialize(e))],
            emitted
                .Select(e => e.Stream)
                .Distinct()
                .ToImmutableDictionary(
                    s => s,
                    s =>
                        s == Streams.FeeAccount ? ExpectedVersion.Any
                        : known.TryGetValue(s, out var version) ? ExpectedVersion.At(version)
                        : ExpectedVersion.NoStream,
                    StringComparer.Ordinal
                )
        );

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
