using System.Collections.Immutable;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Port;

namespace CrossMargin.Ledger.IntegrationTests.Store;

/// <summary>Builds append requests from events for store tests.</summary>
public static class Appends
{
    public static EventMetadata Meta(string commandId) =>
        new(commandId, "corr-" + commandId, "cause-" + commandId, "tester", "2026-01-01T00:00:00.0000000Z");

    public static NewEvent New(string stream, ILedgerEvent e)
    {
        var (type, data) = EventTypeRegistry.Serialize(e);
        return new NewEvent(stream, type, data);
    }

    public static AppendRequest Request(
        string commandId,
        IEnumerable<(string Stream, ExpectedVersion Expected)> expected,
        params NewEvent[] events
    ) =>
        new(
            Meta(commandId),
            EventHash.Payload(commandId + string.Join("|", events.Select(e => e.Data))),
            [.. events],
            expected.ToImmutableDictionary(x => x.Stream, x => x.Expected, StringComparer.Ordinal)
        );

    public static NewEvent Deposit(string account, decimal amount, decimal after) =>
        New("account-" + account, new FundsDeposited(account, "USDT", amount, after));
}
