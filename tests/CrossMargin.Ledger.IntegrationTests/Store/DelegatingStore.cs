using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Port;

namespace CrossMargin.Ledger.IntegrationTests.Store;

/// <summary>A real store that tests watch or break: every member goes to the inner store unless a test overrides
/// it; each writer's turn goes through <see cref="Wrap"/>.</summary>
public abstract class DelegatingStore(IEventStore inner) : IEventStore
{
    public virtual Task<AppendResult> AppendAsync(
        AppendRequest request,
        CancellationToken cancellationToken = default
    ) => inner.AppendAsync(request, cancellationToken);

    public Task<RecordedCommand?> FindCommandAsync(
        string commandId,
        Digest payloadHash,
        CancellationToken cancellationToken = default
    ) => inner.FindCommandAsync(commandId, payloadHash, cancellationToken);

    public virtual async Task<IWriteTurn> BeginWriteAsync(CancellationToken cancellationToken = default) =>
        Wrap(await inner.BeginWriteAsync(cancellationToken));

    /// <summary>The turn the store hands out for the inner store's turn.</summary>
    protected abstract IWriteTurn Wrap(IWriteTurn turn);

    public Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(
        string stream,
        long afterVersion = 0,
        CancellationToken cancellationToken = default
    ) => inner.ReadStreamAsync(stream, afterVersion, cancellationToken);

    public IAsyncEnumerable<StoredEvent> ReadAllAsync(
        long afterPosition = 0,
        long? toPosition = null,
        CancellationToken cancellationToken = default
    ) => inner.ReadAllAsync(afterPosition, toPosition, cancellationToken);

    public IAsyncEnumerable<Seal> ReadSealsAsync(CancellationToken cancellationToken = default) =>
        inner.ReadSealsAsync(cancellationToken);

    public Task<long> HeadAsync(CancellationToken cancellationToken = default) => inner.HeadAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return inner.DisposeAsync();
    }
}

/// <summary>A writer's turn that goes to the inner turn unless a test overrides a member.</summary>
public class DelegatingTurn(IWriteTurn inner) : IWriteTurn
{
    public IAsyncEnumerable<StoredEvent> ReadAfterAsync(
        long afterPosition,
        CancellationToken cancellationToken = default
    ) => inner.ReadAfterAsync(afterPosition, cancellationToken);

    public Task<RecordedCommand?> FindCommandAsync(string commandId, CancellationToken cancellationToken = default) =>
        inner.FindCommandAsync(commandId, cancellationToken);

    public virtual Task<IReadOnlyList<AppendResult>> AppendAsync(
        IReadOnlyList<AppendRequest> requests,
        CancellationToken cancellationToken = default
    ) => inner.AppendAsync(requests, cancellationToken);

    public virtual Task RecordRejectionAsync(
        CommandRejection rejection,
        CancellationToken cancellationToken = default
    ) => inner.RecordRejectionAsync(rejection, cancellationToken);

    public virtual Task CommitAsync(CancellationToken cancellationToken = default) =>
        inner.CommitAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return inner.DisposeAsync();
    }
}
