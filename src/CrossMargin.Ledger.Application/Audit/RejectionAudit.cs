using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Application.Audit;

/// <summary>What deciding the recorded rejections again found: how many agree, or the first that does not.</summary>
public sealed record RejectionAuditReport(int Checked, string? Problem)
{
    /// <summary>Whether every recorded rejection is what the rules decide at its position.</summary>
    public bool Agrees => Problem is null;
}

/// <summary>
/// Decides every recorded rejection (<see cref="CommandRejection"/>) again, on the state the log had at its
/// recorded position, and requires the same rule and message. A rejection record is answered to every resend of
/// its id and holds no event, so the chains cannot vouch for it: one forged for a command that was never sent,
/// or whose content the rules would accept, is found here.
/// </summary>
public static class RejectionAudit
{
    /// <summary>Audits the store's rejection records (none on a store that keeps no records).</summary>
    public static async Task<RejectionAuditReport> RunAsync(
        IEventStore store,
        CancellationToken cancellationToken = default
    )
    {
        if (store is not IStoreRecords records)
            return new RejectionAuditReport(0, null);
        var rejections = new List<CommandRejection>();
        await foreach (var r in records.ReadCommandRecordsAsync(cancellationToken).ConfigureAwait(false))
            if (r.Rejection is { } rejection)
                rejections.Add(rejection);
        rejections.Sort(
            (a, b) =>
                a.DecidedAt != b.DecidedAt
                    ? a.DecidedAt.CompareTo(b.DecidedAt)
                    : string.CompareOrdinal(a.CommandId, b.CommandId)
        );
        if (rejections.Count == 0)
            return new RejectionAuditReport(0, null);

        var state = LedgerState.Initial;
        var next = 0;
        string? Check(CommandRejection r)
        {
            Commands.LedgerCommand command;
            try
            {
                command = CommandPayload.Parse(r.Payload);
            }
            catch (FormatException e)
            {
                return $"the rejection of command '{r.CommandId}' at global position {r.DecidedAt}: {e.Message}";
            }
            return LedgerRuntime.Run(state, command).Decision switch
            {
                Decision.Rejected again
                    when again.Rejection.Code.ToString() == r.Code && again.Rejection.Message == r.Message => null,
                Decision.Rejected again =>
                    $"command '{r.CommandId}' is recorded as rejected at global position {r.DecidedAt} ({r.Code}: "
                        + $"{r.Message}), "
                        + $"but the rules reject it there with {again.Rejection.Code}: {again.Rejection.Message}",
                _ => $"command '{r.CommandId}' is recorded as rejected at global position {r.DecidedAt} ({r.Code}: "
                    + $"{r.Message}), but the rules accept it there: the record was forged or altered",
            };
        }
        await foreach (var e in store.ReadAllAsync(0, null, cancellationToken).ConfigureAwait(false))
        {
            while (next < rejections.Count && rejections[next].DecidedAt < e.GlobalPosition)
                if (Check(rejections[next++]) is { } problem)
                    return new RejectionAuditReport(next - 1, problem);
            state = LedgerEvolution.Evolve(state, EventTypeRegistry.Deserialize(e.Type, e.Data));
        }
        while (next < rejections.Count)
            if (Check(rejections[next++]) is { } problem)
                return new RejectionAuditReport(next - 1, problem);
        return new RejectionAuditReport(rejections.Count, null);
    }
}
