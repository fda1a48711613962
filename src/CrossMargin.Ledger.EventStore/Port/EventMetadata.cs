namespace CrossMargin.Ledger.EventStore.Port;

/// <summary>
/// Who asked for an event and why: the command that produced it, the conversation it belongs to
/// (<see cref="CorrelationId"/>), the message that caused it (<see cref="CausationId"/>), the actor and
/// the time it was recorded (ISO-8601 UTC text, exactly as hashed, e.g. <c>2026-01-01T00:00:00.0000000Z</c>).
/// </summary>
public sealed record EventMetadata(
    string CommandId,
    string CorrelationId,
    string CausationId,
    string Actor,
    string RecordedAt
);
