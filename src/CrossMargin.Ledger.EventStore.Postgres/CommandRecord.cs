namespace CrossMargin.Ledger.EventStore.Postgres;

/// <summary>
/// A Marten document per recorded command: its id, the hash of its content, and either how many events it
/// appended (their ids follow from the command id, <see cref="Hashing.EventHash.EventId"/>) or, for a rejected
/// command, its rule, its content and the position it was decided at. Inserted in the same transaction as the
/// events, so a command is recorded exactly when its events are; a second insert of the same id fails.
/// Documents written before rejections were recorded have no rejection fields: they are accepted commands.
/// </summary>
public sealed class CommandRecord
{
    /// <summary>The command id.</summary>
    public string Id { get; set; } = "";

    /// <summary>SHA-256 of the command's canonical JSON.</summary>
    public string PayloadHash { get; set; } = "";

    /// <summary>How many events it appended (0 for an accepted command without events, and for a rejected
    /// one).</summary>
    public int EventCount { get; set; }

    /// <summary>The rejection code, for a rejected command.</summary>
    public string? RejectionCode { get; set; }

    /// <summary>The rejection message, for a rejected command.</summary>
    public string? RejectionMessage { get; set; }

    /// <summary>The canonical JSON of a rejected command.</summary>
    public string? Payload { get; set; }

    /// <summary>The global position of the state a rejected command was decided on.</summary>
    public long? DecidedAt { get; set; }
}
