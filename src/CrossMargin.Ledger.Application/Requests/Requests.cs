using CrossMargin.Ledger.Application.Audit;
using CrossMargin.Ledger.Application.Input;
using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.Application.Queries;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Liquidation;
using CrossMargin.Ledger.Margin;
using CrossMargin.Ledger.Projections;
using CrossMargin.Ledger.Stress;
using Mediator;

namespace CrossMargin.Ledger.Application.Requests;

/// <summary>Decide and append one command.</summary>
public sealed record ExecuteCommand(LedgerCommand Command, CommandContext Context) : ICommand<CommandOutcome>;

/// <summary>Decides and appends several commands in order, as one group where the store allows (<see
/// cref="Pipeline.LedgerSession.ExecuteManyAsync"/>).</summary>
public sealed record ExecuteCommands(IReadOnlyList<(LedgerCommand Command, CommandContext Context)> Commands)
    : ICommand<IReadOnlyList<CommandOutcome>>;

/// <summary>
/// Decide and append one command through the store's single writer (<see cref="LedgerWriter"/>), which commits it
/// together with whatever else is submitted meanwhile; answered once its commit is durable. Commands of one <paramref
/// name="Sequence"/> run in order and stop at the first that fails.
/// </summary>
public sealed record SubmitCommand(LedgerCommand Command, CommandContext Context, WriteSequence? Sequence = null)
    : ICommand<CommandOutcome>;

/// <summary>Write a snapshot of the state at the log's head; answers its position (null for an empty
/// log).</summary>
public sealed record TakeSnapshot : ICommand<long?>;

/// <summary>Delete every snapshot; answers how many there were.</summary>
public sealed record DeleteSnapshots : ICommand<int>;

/// <summary>An account's margin state as of a global position (the head when null); null when the position is past the
/// head.</summary>
public sealed record GetAccountMargin(AccountId Account, long? At = null) : IQuery<AccountMarginAt?>;

/// <summary>The margin state and the global position it reflects.</summary>
public sealed record AccountMarginAt(AccountMargin Margin, long GlobalPosition, bool Known);

/// <summary>An account's events with the margin state after each.</summary>
public sealed record GetAccountHistory(AccountId Account) : IQuery<IReadOnlyList<AccountHistoryEntry>>;

/// <summary>Check the per-stream hash chain and the seal chain.</summary>
public sealed record VerifyChains : IQuery<ChainReport>;

/// <summary>Replay the inputs through the liquidation engine and compare with the recorded derived events.</summary>
public sealed record Reexecute : IQuery<ReexecutionReport>;

/// <summary>Every liquidation, or one account's, with all its steps.</summary>
public sealed record GetLiquidations(AccountId? Account = null) : IQuery<IReadOnlyList<LiquidationReport>>;

/// <summary>A read model (see <see cref="ReadModels.Catalog"/>) as of a global position (the head when null); null when
/// the position is past the head.</summary>
public sealed record QueryReadModel(string Name, long? At, QueryOptions Options) : IQuery<QueryResult?>;

/// <summary>
/// A what-if on a copy of the venue's state at the head (or as of global position <paramref name="At"/>): the
/// stress lab (design §8). Null when <paramref name="At"/> is outside the log. Nothing is appended: the stress
/// library has no path to a store.
/// </summary>
public sealed record RunStress(StressScenario Scenario, long? At = null) : IQuery<StressAnswer?>;

/// <summary>A stress run's report (or why the scenario cannot run) and the global position of the state it ran
/// on.</summary>
public sealed record StressAnswer(Checked<StressReport> Report, long GlobalPosition);

/// <summary>The contagion threshold (<see cref="ContagionSearch"/>) on the state at the head or as of
/// <paramref name="At"/>; null when <paramref name="At"/> is outside the log.</summary>
public sealed record FindContagionThreshold(ThresholdSearch Search, long? At = null) : IQuery<ThresholdAnswer?>;

/// <summary>A threshold search's bracket (or why it cannot run) and the position of the state it ran on.</summary>
public sealed record ThresholdAnswer(Checked<ContagionThreshold> Threshold, long GlobalPosition);

/// <summary>
/// The venue's state at the head (or as of global position <paramref name="At"/>) for the stress lab's studies (maps,
/// comparisons, Monte Carlo), which run on it in memory; null when <paramref name="At"/> is outside the log. The state
/// is a value: nothing done to it reaches the store.
/// </summary>
public sealed record GetVenueState(long? At = null) : IQuery<VenueStateAt?>;

/// <summary>A venue state and the global position it stands at.</summary>
public sealed record VenueStateAt(LedgerState State, long GlobalPosition);

/// <summary>Handles the ledger's requests against one <see cref="LedgerSession"/> and its writer.</summary>
public sealed class LedgerHandlers(LedgerSession session, LedgerWriter writer)
    : ICommandHandler<ExecuteCommand, CommandOutcome>,
        ICommandHandler<SubmitCommand, CommandOutcome>,
        ICommandHandler<TakeSnapshot, long?>,
        ICommandHandler<DeleteSnapshots, int>,
        ICommandHandler<ExecuteCommands, IReadOnlyList<CommandOutcome>>,
        IQueryHandler<GetAccountMargin, AccountMarginAt?>,
        IQueryHandler<GetAccountHistory, IReadOnlyList<AccountHistoryEntry>>,
        IQueryHandler<VerifyChains, ChainReport>,
        IQueryHandler<Reexecute, ReexecutionReport>,
        IQueryHandler<GetLiquidations, IReadOnlyList<LiquidationReport>>,
        IQueryHandler<QueryReadModel, QueryResult?>,
        IQueryHandler<RunStress, StressAnswer?>,
        IQueryHandler<FindContagionThreshold, ThresholdAnswer?>,
        IQueryHandler<GetVenueState, VenueStateAt?>
{
    /// <inheritdoc />
    public async ValueTask<VenueStateAt?> Handle(GetVenueState query, CancellationToken cancellationToken) =>
        await StateAtAsync(query.At, cancellationToken).ConfigureAwait(false) is { } at
            ? new VenueStateAt(at.State, at.Position)
            : null;

    /// <inheritdoc />
    public async ValueTask<ThresholdAnswer?> Handle(
        FindContagionThreshold query,
        CancellationToken cancellationToken
    ) =>
        await StateAtAsync(query.At, cancellationToken).ConfigureAwait(false) is { } at
            ? new ThresholdAnswer(ContagionSearch.Find(at.State, query.Search), at.Position)
            : null;

    /// <summary>The state at the head (the session's) or as of <paramref name="at"/> (a replay), with its position;
    /// null when <paramref name="at"/> is outside the log.</summary>
    private async Task<(LedgerState State, long Position)?> StateAtAsync(long? at, CancellationToken cancellationToken)
    {
        var head = await session.Store.HeadAsync(cancellationToken).ConfigureAwait(false);
        if (at is { } n && (n < 0 || n > head))
            return null;
        return at is null
            ? (await session.CurrentAsync(cancellationToken).ConfigureAwait(false), head)
            : await LedgerReplay.StateAtAsync(session.Store, at, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<StressAnswer?> Handle(RunStress query, CancellationToken cancellationToken) =>
        await StateAtAsync(query.At, cancellationToken).ConfigureAwait(false) is { } at
            ? new StressAnswer(StressEngine.Run(at.State, query.Scenario), at.Position)
            : null;

    /// <inheritdoc />
    public async ValueTask<QueryResult?> Handle(QueryReadModel query, CancellationToken cancellationToken)
    {
        var head = await session.Store.HeadAsync(cancellationToken).ConfigureAwait(false);
        if (query.At is { } at && (at < 0 || at > head))
            return null;
        var log = await LedgerReplay.LogAsync(session.Store, query.At, cancellationToken).ConfigureAwait(false);
        return ReadModels.Query(query.Name, log, query.Options) with { GlobalPosition = query.At ?? head };
    }

    /// <inheritdoc />
    public async ValueTask<ReexecutionReport> Handle(Reexecute query, CancellationToken cancellationToken) =>
        await Reexecution.RunAsync(session.Store, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<LiquidationReport>> Handle(
        GetLiquidations query,
        CancellationToken cancellationToken
    )
    {
        var reports = LiquidationReports.Build(
            await LedgerReplay.LogAsync(session.Store, null, cancellationToken).ConfigureAwait(false)
        );
        return query.Account is null ? reports : [.. reports.Where(r => r.Account == query.Account)];
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<CommandOutcome>> Handle(
        ExecuteCommands command,
        CancellationToken cancellationToken
    ) => await session.ExecuteManyAsync(command.Commands, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<long?> Handle(TakeSnapshot command, CancellationToken cancellationToken) =>
        await session.SnapshotNowAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<int> Handle(DeleteSnapshots command, CancellationToken cancellationToken) =>
        session.Store is ISnapshotStore snapshots
            ? await snapshots.DeleteSnapshotsAsync(cancellationToken).ConfigureAwait(false)
            : throw new NotSupportedException("this store keeps no snapshots");

    /// <inheritdoc />
    public async ValueTask<CommandOutcome> Handle(SubmitCommand command, CancellationToken cancellationToken) =>
        await writer
            .SubmitAsync(command.Command, command.Context, command.Sequence, cancellationToken)
            .ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<CommandOutcome> Handle(ExecuteCommand command, CancellationToken cancellationToken) =>
        await session.ExecuteAsync(command.Command, command.Context, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<AccountMarginAt?> Handle(GetAccountMargin query, CancellationToken cancellationToken)
    {
        if (await StateAtAsync(query.At, cancellationToken).ConfigureAwait(false) is not { } at)
            return null;
        return new AccountMarginAt(
            MarginCalculator.Compute(at.State.Account(query.Account), at.State.Market),
            at.Position,
            at.State.Accounts.ContainsKey(query.Account)
        );
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AccountHistoryEntry>> Handle(
        GetAccountHistory query,
        CancellationToken cancellationToken
    ) => await LedgerReplay.AccountHistoryAsync(session.Store, query.Account, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<ChainReport> Handle(VerifyChains query, CancellationToken cancellationToken) =>
        await ChainVerifier.VerifyAsync(session.Store, cancellationToken).ConfigureAwait(false);
}
