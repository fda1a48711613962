using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.EventStore.Port;

namespace CrossMargin.Ledger.Application.Pipeline;

/// <summary>What happened to a command.</summary>
public abstract record CommandOutcome
{
    private CommandOutcome() { }

    /// <summary>Appended (or, when <paramref name="Duplicate"/>, appended by an earlier send of the same command id).</summary>
    public sealed record Accepted(IReadOnlyList<StoredEvent> Events, bool Duplicate) : CommandOutcome;

    /// <summary>Refused by a rule; nothing was appended.</summary>
    public sealed record Rejected(Rejection Rejection) : CommandOutcome;
}
