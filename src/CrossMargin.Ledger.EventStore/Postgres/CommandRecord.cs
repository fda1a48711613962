namespace CrossMargin.Ledger.EventStore.Postgres;

/// <summary>
/// A Marten document per accepted command: its id, the hash of its content and how many events it
/// appended (their ids follow from the command id, <see cref="Hashing.EventHash.EventId"/>). Inserted in the same transaction as the events, so a
/// command is recorded exactly when its events are; a second insert of the same id fails.
/// </summary>
public sealed class CommandRecord
{
    /// <summary>The command id.</summary>
    public string Id { get; set; } = "";

    /// <summary>SHA-256 of the command's canonical JSON.</summary>
    public string PayloadHash { get; set; } = "";

    /// <summary>How many events it appended (0 for an accepted command without events).</summary>
    public int EventCount { get; set; }
}
