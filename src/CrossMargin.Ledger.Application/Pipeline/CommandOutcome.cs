using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.EventStore.Port;

namespace CrossMargin.Ledger.Application.Pipeline;

/// <summary>What happened to a command.</summary>
public abstract record CommandOutcome
{
    private CommandOutcome() { }

    /// <summary>Appended (or, when <paramref name="Duplicate"/>, appended by an earlier send of the same command
    /// id).</summary>
    public sealed record Accepted(IReadOnlyList<StoredEvent> Events, bool Duplicate) : CommandOutcome;

    /// <summary>
    /// Refused by a rule; nothing was appended (or, when <paramref name="Duplicate"/>, refused when the same
    /// command id was first sent: a resend is answered with the first outcome, never decided again).
    /// </summary>
    public sealed record Rejected(Rejection Rejection, bool Duplicate = false) : CommandOutcome;
}

/// <summary>
/// A group of commands run one by one failed part-way: <see cref="Completed"/> holds the outcomes of the
/// commands before the failing one (appended or rejected; nothing of the failing one or after it was
/// appended), so a caller can still report every committed command before it reports the failure.
/// </summary>
public sealed class CommandsPartlyAppliedException(IReadOnlyList<CommandOutcome> completed, Exception failure)
    : Exception($"{completed.Count} command(s) of the group were decided before one failed: {failure.Message}", failure)
{
    /// <summary>The outcomes of the commands before the failure, in order.</summary>
    public IReadOnlyList<CommandOutcome> Completed { get; } = completed;
}
