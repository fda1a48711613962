using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Postgres;
using CrossMargin.Ledger.EventStore.Projections;
using CrossMargin.Ledger.EventStore.Sqlite;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace CrossMargin.Ledger.Hosting;

/// <summary>
/// The composition root: a store, the session on it, its single writer and the source-generated mediator. Verbs
/// send requests through <see cref="Mediator"/>; nothing else wires handlers. Disposing the host lets the writer
/// commit what it was given before the store closes.
/// </summary>
public sealed class LedgerHost : IAsyncDisposable
{
    private readonly ServiceProvider services;

    private readonly bool leaveOpen;

    private LedgerHost(
        IEventStore store,
        TimeProvider clock,
        IProjectionStore? projections = null,
        bool leaveOpen = false,
        WriterOptions? writer = null,
        SnapshotPolicy? snapshots = null
    )
    {
        this.leaveOpen = leaveOpen;
        Store = store;
        Projections = projections;
        services = new ServiceCollection()
            .AddSingleton(store)
            .AddSingleton(clock)
            .AddSingleton(snapshots ?? SnapshotPolicy.Default)
            .AddSingleton<LedgerSession>()
            .AddSingleton(writer ?? WriterOptions.Default)
            .AddSingleton<LedgerWriter>()
            .AddMediator((MediatorOptions options) => options.ServiceLifetime = ServiceLifetime.Singleton)
            .BuildServiceProvider();
        Mediator = services.GetRequiredService<IMediator>();
    }

    /// <summary>The store requests run against.</summary>
    public IEventStore Store { get; }

    /// <summary>The projection tables of the store (none for a store without tables, e.g. in memory).</summary>
    public IProjectionStore? Projections { get; }

    /// <summary>Sends commands and queries to their handlers.</summary>
    public IMediator Mediator { get; }

    /// <summary>A host over any store (tests, the in-memory benchmark); it disposes the store unless <paramref
    /// name="leaveOpen"/>.</summary>
    public static LedgerHost Over(
        IEventStore store,
        TimeProvider? clock = null,
        IProjectionStore? projections = null,
        bool leaveOpen = false,
        WriterOptions? writer = null,
        SnapshotPolicy? snapshots = null
    ) => new(store, clock ?? TimeProvider.System, projections, leaveOpen, writer, snapshots);

    /// <summary>
    /// A host over the store the location names. <paramref name="readOnly"/> opens an existing store for
    /// reading only (no creation, migration, follower or projection table), as every verb that only reads does.
    /// </summary>
    public static async Task<LedgerHost> OpenAsync(
        StoreLocation location,
        CancellationToken cancellationToken,
        bool readOnly = false,
        WriterOptions? writer = null
    )
    {
        if (readOnly)
            return location.ConnectionString is { } reading
                ? new(
                    await MartenEventStore.OpenReadOnlyAsync(reading, cancellationToken).ConfigureAwait(false),
                    TimeProvider.System
                )
                : new(
                    await SqliteEventStore
                        .OpenReadOnlyAsync(location.SqlitePath!, cancellationToken)
                        .ConfigureAwait(false),
                    TimeProvider.System
                );
        if (location.ConnectionString is { } connection)
        {
            var marten = await MartenProjections.OpenAsync(connection, cancellationToken).ConfigureAwait(false);
            return new(marten, TimeProvider.System, new MartenProjections(marten), writer: writer);
        }
        var sqlite = await SqliteEventStore.OpenAsync(location.SqlitePath!, cancellationToken).ConfigureAwait(false);
        return new(sqlite, TimeProvider.System, new SqliteProjections(sqlite), writer: writer);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync().ConfigureAwait(false);
        if (!leaveOpen)
            await Store.DisposeAsync().ConfigureAwait(false);
    }
}
