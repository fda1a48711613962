using CrossMargin.Ledger.Application.Queries;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.Liquidation;

namespace CrossMargin.Ledger.Application.Audit;

/// <summary>Runs <see cref="ReexecutionAudit"/> over a store, comparing events by stream, wire type and canonical
/// JSON.</summary>
public static class Reexecution
{
    /// <summary>Audits the whole log.</summary>
    public static async Task<ReexecutionReport> RunAsync(
        IEventStore store,
        CancellationToken cancellationToken = default
    ) =>
        ReexecutionAudit.Run(
            await LedgerReplay.LogAsync(store, null, cancellationToken).ConfigureAwait(false),
            Describe
        );

    /// <summary>An event as compared: <c>{stream} {wire type} {data}</c>.</summary>
    public static string Describe(string stream, ILedgerEvent e)
    {
        var (type, data) = EventTypeRegistry.Serialize(e);
        return $"{stream} {type} {data}";
    }
}
