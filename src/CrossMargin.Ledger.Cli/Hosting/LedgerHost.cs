using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Sqlite;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace CrossMargin.Ledger.Cli.Hosting;

/// <summary>
/// The composition root: a store, the session on it and the source-generated mediator. Verbs send
/// requests through <see cref="Mediator"/>; nothing else wires handlers.
/// </summary>
public sealed class LedgerHost : IAsyncDisposable
{
    private readonly ServiceProvider services;

    private LedgerHost(IEventStore store, TimeProvider clock)
    {
        Store = store;
        services = new ServiceCollection()
            .AddSingleton(store)
            .AddSingleton(clock)
            .AddSingleton<LedgerSession>()
            .AddMediator((MediatorOptions options) => options.ServiceLifetime = ServiceLifetime.Singleton)
            .BuildServiceProvider();
        Mediator = services.GetRequiredService<IMediator>();
    }

    /// <summary>The store requests run against.</summary>
    public IEventStore Store { get; }

    /// <summary>Sends commands and queries to their handlers.</summary>
    public IMediator Mediator { get; }

    /// <summary>A host over any store (tests, the in-memory benchmark).</summary>
    public static LedgerHost Over(IEventStore store, TimeProvider? clock = null) => new(store, clock ?? TimeProvider.System);

    /// <summary>A host over the store the location names.</summary>
    public static async Task<LedgerHost> OpenAsync(StoreLocation location, CancellationToken cancellationToken) =>
        new(await SqliteEventStore.OpenAsync(location.SqlitePath, cancellationToken).ConfigureAwait(false), TimeProvider.System);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync().ConfigureAwait(false);
        await Store.DisposeAsync().ConfigureAwait(false);
    }
}
