using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Margin;

namespace CrossMargin.Ledger.Application.Queries;

/// <summary>An account event with the account's margin state right after it.</summary>
public sealed record AccountHistoryEntry(StoredEvent Event, AccountMargin MarginAfter);

/// <summary>
/// Reads the log and folds it: the venue as of any global position, an account's history. A full fold
/// costs one pass over the log up to the position asked (measured in docs/benchmarks.md).
/// </summary>
public static class LedgerReplay
{
    /// <summary>The state after the event at <paramref name="at"/> (the head when null), and the position it
    /// reflects.</summary>
    public static async Task<(LedgerState State, long Position)> StateAtAsync(
        IEventStore store,
        long? at = null,
        CancellationToken cancellationToken = default
    )
    {
        var state = LedgerState.Initial;
        long position = 0;
        await foreach (var e in DecodedLog.ReadAheadAsync(store, 0, at, cancellationToken).ConfigureAwait(false))
        {
            state = LedgerEvolution.Evolve(state, e.Event);
            position = e.Stored.GlobalPosition;
        }
        return (state, position);
    }

    /// <summary>The log up to <paramref name="at"/> (all of it when null) as <see cref="LoggedEvent"/>s, deserialized,
    /// in global order.</summary>
    public static async Task<IReadOnlyList<LoggedEvent>> LogAsync(
        IEventStore store,
        long? at = null,
        CancellationToken cancellationToken = default
    )
    {
        var log = new List<LoggedEvent>();
        await foreach (
            var e in EventTypeRegistry.ReadLoggedAsync(store, 0, at, cancellationToken).ConfigureAwait(false)
        )
            log.Add(e);
        return log;
    }

    /// <summary>Every event of the account's stream, in order, with its margin state after the event.</summary>
    public static async Task<IReadOnlyList<AccountHistoryEntry>> AccountHistoryAsync(
        IEventStore store,
        AccountId account,
        CancellationToken cancellationToken = default
    )
    {
        var stream = Streams.Account(account);
        var state = LedgerState.Initial;
        var entries = new List<AccountHistoryEntry>();
        await foreach (var e in store.ReadAllAsync(0, null, cancellationToken).ConfigureAwait(false))
        {
            state = LedgerEvolution.Evolve(state, EventTypeRegistry.Deserialize(e.Type, e.Data));
            if (e.Stream == stream)
                entries.Add(new AccountHistoryEntry(e, MarginCalculator.Compute(state.Account(account), state.Market)));
        }
        return entries;
    }
}
