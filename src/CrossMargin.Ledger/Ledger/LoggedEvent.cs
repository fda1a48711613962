using CrossMargin.Ledger.Events;

namespace CrossMargin.Ledger.Ledger;

/// <summary>An event with where it stands in the log: what projections fold over.</summary>
public sealed record LoggedEvent(long GlobalPosition, string Stream, string CommandId, ILedgerEvent Event);
