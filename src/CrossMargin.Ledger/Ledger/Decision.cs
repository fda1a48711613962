using System.Collections.Immutable;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;

namespace CrossMargin.Ledger.Ledger;

/// <summary>An event a decider wants appended, with the stream it belongs to.</summary>
public sealed record Emitted(string Stream, ILedgerEvent Event);

/// <summary>What a decider answers: events to append (possibly none, for an idempotent repeat) or a
/// rejection.</summary>
public abstract record Decision
{
    private Decision() { }

    /// <summary>The command holds; append these events atomically.</summary>
    public sealed record Accepted(ImmutableArray<Emitted> Events) : Decision;

    /// <summary>The command breaks a rule; append nothing.</summary>
    public sealed record Rejected(Rejection Rejection) : Decision;

    /// <summary>Accepts with the given events.</summary>
    public static Decision Accept(params Emitted[] events) => new Accepted([.. events]);
}
