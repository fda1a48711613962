using System.Collections.Immutable;
using CrossMargin.Ledger.Application.Input;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Snapshots;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;

namespace CrossMargin.Ledger.Application.Pipeline;

/// <summary>
/// The command pipeline. A group of commands runs in one writer's turn (<see cref="IWriteTurn"/>): catch the
/// folded state up with everything committed, answer each known command id with its first outcome, decide each
/// new command (a price command together with the liquidation cascade it causes) on the state its
/// predecessors leave, record every rejection of a command that carries an id, append the accepted ones, and
/// commit once. No other writer can append between the read and the commit, so no decision is taken on a
/// state that has since moved. The state is a cache of the fold: what this session appends is folded in
/// as it is decided, what others appended is read at the start of the next turn. The first read starts from the
/// store's latest snapshot when it has one that checks out (design §9), and the session writes one every <see
/// cref="SnapshotPolicy.Every"/> events and when its writer stops. One session serves one caller at a time.
/// </summary>
public sealed class LedgerSession(IEventStore store, TimeProvider clock, SnapshotPolicy? snapshots = null) : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private Dictionary<string, long> versions = new(StringComparer.Ordinal);
    private readonly SnapshotPolicy policy = snapshots ?? SnapshotPolicy.Default;
    private LedgerState state = LedgerState.Initial;
    private long position;
    private bool opened;

    // whether the state is exactly what a replay holds: true until the session folds events it decided itself
    private bool replayExact = true;

    // whether this session has appended anything: only a writer checkpoints when it closes
    private bool appended;
    private long snapshotAt;
    private Task? saving;

    // the trigger index a writer's session builds on another thread, and the state it is built for (design §9)
    private Task<TriggerIndex>? indexing;
    private LedgerState indexedFor = LedgerState.Initial;

    // a build that failed leaves the index to the engine, which builds it at the next trigger and reports what fails
    private bool indexFailed;

    /// <summary>The position of the snapshot this session started from, or null when it replayed the whole
    /// log.</summary>
    public long? SnapshotLoadedAt { get; private set; }

    /// <summary>How many groups a turn stored as <see cref="DecideAhead"/> had decided them, without deciding them
    /// again (design §9).</summary>
    public long GroupsDecidedAhead => Interlocked.Read(ref groupsDecidedAhead);

    private long groupsDecidedAhead;

    /// <summary>How many snapshots this session has written.</summary>
    public int SnapshotsWritten { get; private set; }

    /// <summary>Why the latest snapshot was ignored or not written, if it was; never a failure of a
    /// command.</summary>
    public string? SnapshotProblem { get; private set; }

    /// <summary>The store this session writes to.</summary>
    public IEventStore Store => store;

    /// <summary>
    /// From how many accounts a writer builds its trigger index on another thread (design §9): the first time the
    /// session decides, its state is marked <see cref="TriggerIndex.FullScan"/> and the index is built for it beside
    /// the writer; until it is ready, each price is decided by evaluating every exposed account (the same events,
    /// tested), and the first turn after it is ready brings it up to date (<see cref="TriggerIndex.CaughtUp"/>) and
    /// carries it from then on. Below this many accounts the engine builds the index at the first trigger, as it takes
    /// a few milliseconds; <see cref="int.MaxValue"/> always leaves it to the engine. 10 000 by default.
    /// </summary>
    public int IndexInBackgroundFrom { get; init; } = 10_000;

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
        var prepared = new List<PreparedCommand>(commands.Count);
        foreach (var (command, context) in commands)
        {
            try
            {
                prepared.Add(PreparedCommand.Of(command, context));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // as if it had failed in its turn: the commands before it run, and are reported with it
                var done = await ExecutePreparedAsync(prepared, cancellationToken).ConfigureAwait(false);
                throw new CommandsPartlyAppliedException([.. done], e);
            }
        }
        return await ExecutePreparedAsync(prepared, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What <see cref="ExecuteManyAsync"/> does, for commands whose payload their submitter has
    /// taken. <paramref name="ahead"/>, when given, is the group as <see cref="DecideAhead"/> decided it before the
    /// turn: used when it still holds (see <see cref="TurnAsync"/>), else the group is decided again.</summary>
    internal async Task<IReadOnlyList<CommandOutcome>> ExecutePreparedAsync(
        IReadOnlyList<PreparedCommand> commands,
        CancellationToken cancellationToken,
        DecidedGroup? ahead = null
    )
    {
        if (commands.Count == 0)
            return [];
        try
        {
            return await TurnAsync(commands, ahead, cancellationToken).ConfigureAwait(false);
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
                one.Add((await TurnAsync([item], null, cancellationToken).ConfigureAwait(false))[0]);
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
    /// Whether <see cref="DecideAhead"/> can be worth calling: the session has begun reading the log (before that its
    /// state is the empty one, and a group decided on it would only be decided again; while the first read is under
    /// way the turn's check catches the same).
    /// </summary>
    internal bool CanDecideAhead =>
        Volatile.Read(ref opened)
        // a large state without an index would have the engine build it on the writer's loop: its turn starts the
        // build beside it instead
        && Committed is var committed
        && (committed.Triggers is not null || committed.Accounts.Count < IndexInBackgroundFrom);

    /// <summary>The state as of the session's last turn; a basis for <see cref="DecideAhead"/>.</summary>
    internal LedgerState Committed => Volatile.Read(ref state);

    /// <summary>
    /// Decides <paramref name="commands"/> on <paramref name="basis"/> outside any turn, as a turn would if every
    /// command id were new to the store: what a single writer does with one group while the group before it is
    /// being stored (design §9). Nothing is read from or written to the store, nor folded into the session; only the
    /// clock is read, for the times and generated ids of accepted commands (taken now, not at the turn). The turn
    /// that stores the group uses it only when its state is still <paramref name="basis"/> itself (nothing else was
    /// appended, the group before committed as it was decided) and none of the ids is recorded; otherwise it decides
    /// the group again, so an answer never depends on whether the group was decided ahead.
    /// </summary>
    internal DecidedGroup DecideAhead(LedgerState basis, IReadOnlyList<PreparedCommand> commands)
    {
        // no lookup ever waits, so the decision is complete when the call returns
        return DecideAsync(basis, commands, NothingRecorded, CancellationToken.None).GetAwaiter().GetResult();
    }

    private static readonly Func<string, CancellationToken, Task<RecordedCommand?>> NothingRecorded = (_, _) =>
        Task.FromResult<RecordedCommand?>(null);

    /// <summary>
    /// A group of commands decided on <see cref="Basis"/>, nothing of it appended yet: each command's outcome where
    /// it is already known (a repeat's is filled in after the commit), the events of each accepted command with its
    /// metadata, each rejection of a command with an id, the state after the group, the ids it took to be new, and
    /// the reuse of an id that ended the group early.
    /// </summary>
    internal sealed record DecidedGroup(
        LedgerState Basis,
        IReadOnlyList<PreparedCommand> Commands,
        LedgerState After,
        List<CommandOutcome?> Outcomes,
        Dictionary<int, int> Repeats,
        List<(int Index, EventMetadata Metadata, Digest PayloadHash, ImmutableArray<NewEvent> Events)> Accepted,
        List<(int Index, CommandRejection Rejection)> Rejections,
        List<string> NewIds,
        Exception? Stop
    );

    /// <summary>
    /// Decides each command on the state its predecessors leave, from <paramref name="basis"/>; a command id is
    /// looked up with <paramref name="find"/> unless it came earlier in the group. Stops at an id reused for another
    /// content.
    /// </summary>
    private async Task<DecidedGroup> DecideAsync(
        LedgerState basis,
        IReadOnlyList<PreparedCommand> commands,
        Func<string, CancellationToken, Task<RecordedCommand?>> find,
        CancellationToken cancellationToken
    )
    {
        var local = basis;
        var outcomes = new List<CommandOutcome?>(commands.Count);
        var repeats = new Dictionary<int, int>();
        var accepted = new List<(int, EventMetadata, Digest, ImmutableArray<NewEvent>)>();
        var rejections = new List<(int Index, CommandRejection Rejection)>();
        var newIds = new List<string>();
        var inGroup = new Dictionary<string, (Digest PayloadHash, int Index)>(StringComparer.Ordinal);
        Exception? stop = null;
        for (var i = 0; i < commands.Count && stop is null; i++)
        {
            var (command, context, payload, payloadHash) = commands[i];
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
                if (await find(id, cancellationToken).ConfigureAwait(false) is { } recorded)
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
                newIds.Add(id);
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
            // serialised here, so that a group decided ahead leaves the turn only the store's work
            var emitted = ((Decision.Accepted)ran.Decision).Events;
            accepted.Add((i, Metadata(context), payloadHash, [.. emitted.Select(e => NewEvent.Of(e.Stream, e.Event))]));
            local = ran.State;
            outcomes.Add(null);
        }
        return new DecidedGroup(basis, commands, local, outcomes, repeats, accepted, rejections, newIds, stop);
    }

    /// <summary>
    /// One writer's turn over <paramref name="commands"/>, using <paramref name="ahead"/> when it was decided on the
    /// very state the turn finds and none of its ids is recorded. A reused id with another content ends the group
    /// there: the commands before it are committed and <see cref="CommandsPartlyAppliedException"/> carries their
    /// outcomes.
    /// </summary>
    private async Task<IReadOnlyList<CommandOutcome>> TurnAsync(
        IReadOnlyList<PreparedCommand> commands,
        DecidedGroup? ahead,
        CancellationToken cancellationToken
    )
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var turn = await store.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var e in turn.ReadAfterAsync(position, cancellationToken).ConfigureAwait(false))
                Fold(EventText.Of(e));
            // a group decided ahead on the state before the index arrived is decided again, once
            IndexInBackground();
            var decidedAhead =
                ahead is not null
                && ReferenceEquals(ahead.Commands, commands)
                && ReferenceEquals(ahead.Basis, state)
                && await NoneRecordedAsync(turn, ahead.NewIds, cancellationToken).ConfigureAwait(false);
            var group = decidedAhead
                ? ahead!
                : await DecideAsync(state, commands, turn.FindCommandAsync, cancellationToken).ConfigureAwait(false);
            // the versions the group's own events move, over the committed ones (never copied: a venue has a stream
            // per account)
            var localVersions = new Dictionary<string, long>(StringComparer.Ordinal);
            long VersionOf(string stream) =>
                localVersions.TryGetValue(stream, out var moved) ? moved : versions.GetValueOrDefault(stream, -1);
            var start = position;
            var requests = new List<AppendRequest>(group.Accepted.Count);
            foreach (var (_, metadata, payloadHash, events) in group.Accepted)
            {
                requests.Add(Request(metadata, payloadHash, events, VersionOf));
                foreach (var e in events)
                    localVersions[e.Stream] = Math.Max(VersionOf(e.Stream), 0) + 1;
            }
            var results =
                requests.Count == 0 ? [] : await turn.AppendAsync(requests, cancellationToken).ConfigureAwait(false);
            foreach (var (index, rejection) in group.Rejections)
            {
                // decided on the state after the last event appended before it in the group
                var decidedAt = start;
                for (var r = 0; r < requests.Count && group.Accepted[r].Index < index; r++)
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

            Volatile.Write(ref state, group.After);
            if (decidedAhead)
                Interlocked.Increment(ref groupsDecidedAhead);
            replayExact &= requests.Count == 0;
            appended |= requests.Count > 0;
            var outcomes = group.Outcomes;
            for (var r = 0; r < requests.Count; r++)
            {
                outcomes[group.Accepted[r].Index] = new CommandOutcome.Accepted(results[r].Events, Duplicate: false);
                foreach (var e in results[r].Events)
                {
                    versions[e.Stream] = e.StreamVersion;
                    position = e.GlobalPosition;
                }
            }
            CheckpointIfDue();
            foreach (var (index, first) in group.Repeats)
                outcomes[index] = outcomes[first] switch
                {
                    CommandOutcome.Accepted a => a with { Duplicate = true },
                    CommandOutcome.Rejected r => r with { Duplicate = true },
                    var other => other,
                };
            var done = outcomes.Select(o => o!).ToList();
            return group.Stop is null ? done : throw new CommandsPartlyAppliedException(done, group.Stop);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Whether none of <paramref name="ids"/> is recorded in the store.</summary>
    private static async Task<bool> NoneRecordedAsync(
        IWriteTurn turn,
        List<string> ids,
        CancellationToken cancellationToken
    )
    {
        foreach (var id in ids)
            if (await turn.FindCommandAsync(id, cancellationToken).ConfigureAwait(false) is not null)
                return false;
        return true;
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
            Install();
            // the full scan's mark is the writer's own: a query or a study on the state builds what it needs
            return state.Triggers is { IsFullScan: true } ? state with { Triggers = null } : state;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// The state the session's next command is decided on, as a writer's turn finds it: caught up with the log, and
    /// carrying the trigger index, or <see cref="TriggerIndex.FullScan"/> while the index is built on another thread
    /// (<see cref="IndexInBackgroundFrom"/>). What a fresh process can decide on as soon as it has read the log.
    /// </summary>
    public async Task<LedgerState> DecidingStateAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
            IndexInBackground();
            return state;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Starts building the trigger index on another thread when the state has none and at least <see
    /// cref="IndexInBackgroundFrom"/> accounts, marking the state <see cref="TriggerIndex.FullScan"/> meanwhile; once
    /// the build has ended, carries its index brought up to date (<see cref="Install"/>). Called inside the gate.
    /// </summary>
    private void IndexInBackground()
    {
        Install();
        if (
            indexing is not null
            || indexFailed
            || state.Triggers is not null
            || state.Accounts.Count < IndexInBackgroundFrom
        )
            return;
        var basis = state;
        indexedFor = basis;
        indexing = Task.Run(() => IndexBuilder(basis));
        Volatile.Write(ref state, basis with { Triggers = TriggerIndex.FullScan });
    }

    /// <summary>
    /// When the background build has ended, the state carries its index brought up to date; when the build or the
    /// catch-up failed, no index (the engine builds it at the next trigger and reports what fails there); when the
    /// catch-up found a state not reached from the one built for, no index either, and the next turn builds again.
    /// Called inside the gate.
    /// </summary>
    private void Install()
    {
        if (indexing is not { IsCompleted: true } running)
            return;
        indexing = null;
        TriggerIndex? caughtUp = null;
        try
        {
            caughtUp = running.GetAwaiter().GetResult().CaughtUp(indexedFor, state);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            indexFailed = true;
        }
        finally
        {
            // whatever happened, the mark goes: the index, or none for the engine to build (out of memory included)
            indexedFor = LedgerState.Initial;
            Volatile.Write(ref state, state with { Triggers = caughtUp });
        }
    }

    /// <summary>The build the session runs beside it: <see cref="TriggerIndex.Build"/>; a test holds it back to decide
    /// by full scan for as long as it needs.</summary>
    internal Func<LedgerState, TriggerIndex> IndexBuilder { get; init; } = TriggerIndex.Build;

    /// <summary>Releases the session's lock; the store belongs to the caller.</summary>
    public void Dispose() => gate.Dispose();

    /// <summary>
    /// A command's metadata. A command without an id gets a version-7 UUID from the session's clock: ids made in
    /// one run sort by time, so SQLite adds each to the end of its indexes (the <c>commands</c> table, the events'
    /// <c>command_id</c>) instead of into a random page that each commit must write again (design §9).
    /// </summary>
    private EventMetadata Metadata(CommandContext context)
    {
        var now = clock.GetUtcNow();
        var commandId = context.CommandId ?? Guid.CreateVersion7(Max(now, DateTimeOffset.UnixEpoch)).ToString("D");
        return new(
            commandId,
            context.CorrelationId ?? commandId,
            context.CausationId ?? commandId,
            context.Actor ?? "anonymous",
            context.At ?? RecordedAt.Of(now).ToString()
        );
    }

    // a clock before 1970 cannot stamp a version-7 UUID; its ids still differ in their 74 random bits
    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>The append of decided events, each written stream expected at the version <paramref name="known"/>
    /// gives (negative for a stream without events; the credit-only fee account at any).</summary>
    private static AppendRequest Request(
        EventMetadata metadata,
        Digest payloadHash,
        ImmutableArray<NewEvent> events,
        Func<string, long> known
    ) =>
        new(
            metadata,
            payloadHash,
            events,
            events
                .Select(e => e.Stream)
                .Distinct()
                .ToImmutableDictionary(
                    s => s,
                    s =>
                        s == Streams.FeeAccount ? ExpectedVersion.Any
                        : known(s) is var version and >= 0 ? ExpectedVersion.At(version)
                        : ExpectedVersion.NoStream,
                    StringComparer.Ordinal
                )
        );

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        await foreach (
            var e in DecodedLog.ReadAheadAsync(store, position, null, cancellationToken).ConfigureAwait(false)
        )
            Fold(e.Stored, e.Event);
    }

    /// <summary>
    /// The first time the session reads the log: start from the store's latest snapshot (design §9) when it holds
    /// one that checks out (its hash, its format, and the log's seal at its position), so only the tail is replayed.
    /// A snapshot that fails a check is ignored, and <see cref="SnapshotProblem"/> says why: the full replay gives
    /// the same state, only later. Runs outside any writer's turn (reading the snapshot takes the store's turn).
    /// </summary>
    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        if (opened)
            return;
        opened = true;
        if (store is not ISnapshotStore snapshots || position != 0 || policy.Every == 0)
            return;
        if (
            await RestoreLatestAsync(snapshots, long.MaxValue, cancellationToken).ConfigureAwait(false)
            is not { } latest
        )
            return;
        state = latest.State;
        // a venue's snapshot names 100 000 streams: the restored map is this session's own, so it is kept, not copied
        if (latest.Streams is Dictionary<string, long> restored && restored.Comparer == StringComparer.Ordinal)
            versions = restored;
        else
            foreach (var (stream, version) in latest.Streams)
                versions[stream] = version;
        position = latest.Position;
        snapshotAt = latest.Position;
        SnapshotLoadedAt = latest.Position;
    }

    /// <summary>
    /// The store's latest snapshot, restored, when it lies at or below <paramref name="atMost"/> and checks out: its
    /// hash, its format, its own position and seal, and the log's seal at its position. Anything else (no snapshot,
    /// one from another log, a damaged row, a text that cannot be read) is null, and <see cref="SnapshotProblem"/>
    /// says why when there was a snapshot: a snapshot is an optimisation, never a reason to fail.
    /// </summary>
    private async Task<(
        long Position,
        LedgerState State,
        IReadOnlyDictionary<string, long> Streams
    )?> RestoreLatestAsync(ISnapshotStore snapshots, long atMost, CancellationToken cancellationToken)
    {
        try
        {
            var latest = await snapshots.LatestSnapshotAsync(cancellationToken).ConfigureAwait(false);
            if (latest is null || latest.Position > atMost)
                return null;
            var seal = await snapshots.SealAtAsync(latest.Position, cancellationToken).ConfigureAwait(false);
            if (seal != latest.Seal)
            {
                SnapshotProblem = seal is null
                    ? $"the snapshot at position {latest.Position} is beyond the log; it was ignored"
                    : $"the snapshot at position {latest.Position} was taken from another log (its seal differs); "
                        + "it was ignored";
                return null;
            }
            var (restored, streams) = latest.Restore();
            return (latest.Position, restored, streams);
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
        {
            SnapshotProblem = $"{e.Message}; it was ignored";
            return null;
        }
    }

    /// <summary>
    /// After a commit: once <see cref="SnapshotPolicy.Every"/> events have been appended since the last snapshot,
    /// take one at the new head in the background, unless one is still being written.
    /// </summary>
    private void CheckpointIfDue()
    {
        if (policy.Every == 0 || position - snapshotAt < policy.Every || saving is { IsCompleted: false })
            return;
        var at = position;
        snapshotAt = at;
        saving = Task.Run(() => SaveAsync(at));
    }

    /// <summary>
    /// Waits for a snapshot being written; with <paramref name="closing"/>, a session that has appended also takes one
    /// at the head when at least <see cref="SnapshotPolicy.OnClose"/> events were appended since the last (a clean
    /// shutdown; a session that only read never writes one). A failure to write
    /// a snapshot never fails the caller: <see cref="SnapshotProblem"/> says what happened.
    /// </summary>
    public async Task CheckpointAsync(bool closing, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (saving is { } running)
                await running.ConfigureAwait(false);
            if (!closing || !appended || policy.Every == 0 || position - snapshotAt < Math.Max(1, policy.OnClose))
                return;
            // a session that appended folded its own decisions: the snapshot is folded from the stored events
            snapshotAt = position;
            await SaveAsync(position).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Catches up with the log and writes a snapshot at its head (<c>ledger snapshot</c>); returns its position, or
    /// null when the log is empty.
    /// </summary>
    /// <exception cref="NotSupportedException">the store keeps no snapshots.</exception>
    /// <exception cref="InvalidOperationException">the snapshot could not be written; the message says why.</exception>
    public async Task<long?> SnapshotNowAsync(CancellationToken cancellationToken = default)
    {
        if (store is not ISnapshotStore)
            throw new NotSupportedException("this store keeps no snapshots");
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
            if (saving is { } running)
                await running.ConfigureAwait(false);
            if (position == 0)
                return null;
            snapshotAt = position;
            return await SaveAsync(position, replayExact ? (state, versions) : null).ConfigureAwait(false)
                ? position
                : throw new InvalidOperationException(SnapshotProblem);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Writes the snapshot at <paramref name="at"/>: the state a replay holds there, folded from the latest snapshot
    /// below it (or from the start) over the events the store returns. Not the session's own state: that one was
    /// folded from events as they were decided, whose decimals can carry scales the stored text does not (−3.80
    /// where the log says −3.8), and a snapshot must be exactly what a replay gives. A session that has only
    /// replayed (<paramref name="replayed"/>: its state and stream versions at <paramref name="at"/>) is taken as it
    /// is.
    /// </summary>
    private async Task<bool> SaveAsync(
        long at,
        (LedgerState State, IReadOnlyDictionary<string, long> Streams)? replayed = null
    )
    {
        if (store is not ISnapshotStore snapshots)
            return false;
        try
        {
            LedgerState state;
            IReadOnlyDictionary<string, long> streams;
            if (replayed is { } given)
                (state, streams) = given;
            else
            {
                // from the latest snapshot that checks out, else from the start
                var from = await RestoreLatestAsync(snapshots, at, CancellationToken.None).ConfigureAwait(false);
                if (from?.Position == at)
                    return true;
                var folded = from?.State ?? LedgerState.Initial;
                var versionsThere = new Dictionary<string, long>(
                    from?.Streams ?? new Dictionary<string, long>(),
                    StringComparer.Ordinal
                );
                await foreach (var e in store.ReadTextsAsync(from?.Position ?? 0, at).ConfigureAwait(false))
                {
                    folded = LedgerEvolution.Evolve(folded, EventTypeRegistry.Deserialize(e));
                    versionsThere[e.Stream] = e.StreamVersion;
                }
                (state, streams) = (folded, versionsThere);
            }
            var seal =
                await snapshots.SealAtAsync(at).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"the log has no seal at position {at}");
            await snapshots.SaveSnapshotAsync(StateSnapshot.Take(state, streams, at, seal)).ConfigureAwait(false);
            SnapshotsWritten++;
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            SnapshotProblem = $"the snapshot at position {at} was not written: {e.Message}";
            return false;
        }
    }

    private void Fold(EventText stored) => Fold(stored, EventTypeRegistry.Deserialize(stored));

    private void Fold(EventText stored, Events.ILedgerEvent e)
    {
        state = LedgerEvolution.Evolve(state, e);
        versions[stored.Stream] = stored.StreamVersion;
        position = stored.GlobalPosition;
    }
}

/// <summary>
/// A command with its payload (<see cref="CommandPayload.Canonical"/>) and the payload's hash, which depend on the
/// command alone: a submitter takes them on its own thread, so the single writer only decides and appends.
/// </summary>
internal readonly record struct PreparedCommand(
    LedgerCommand Command,
    CommandContext Context,
    string Payload,
    Digest PayloadHash
)
{
    public static PreparedCommand Of(LedgerCommand command, CommandContext context)
    {
        var payload = CommandPayload.Canonical(command);
        return new(command, context, payload, EventHash.Payload(payload));
    }
}

/// <summary>When a session checkpoints its folded state (design §9).</summary>
/// <param name="Every">a snapshot once this many events were appended since the last; 0 turns snapshots off (none is
/// read or written).</param>
/// <param name="OnClose">at a clean shutdown, a snapshot when at least this many events were appended since the
/// last.</param>
public sealed record SnapshotPolicy(long Every, long OnClose)
{
    /// <summary>Every 100 000 events, and at shutdown after 1 000.</summary>
    public static SnapshotPolicy Default { get; } = new(100_000, 1_000);

    /// <summary>No snapshot read or written.</summary>
    public static SnapshotPolicy Off { get; } = new(0, 0);
}
