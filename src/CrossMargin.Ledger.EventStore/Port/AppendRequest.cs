using System.Collections.Immutable;

namespace CrossMargin.Ledger.EventStore.Port;

/// <summary>The stream version an append expects; <see cref="Any"/> skips the check.</summary>
public static class ExpectedVersion
{
    /// <summary>Append whatever the stream's version (used for the credit-only fee account).</summary>
    public const long Any = -1;

    /// <summary>The stream must not exist yet.</summary>
    public const long NoStream = 0;
}

/// <summary>
/// The events of one command, appended atomically or not at all. <see cref="PayloadHash"/> identifies
/// the command's content, so a resend with the same <see cref="Metadata"/>.CommandId but another
/// content is refused rather than answered with the first result.
/// </summary>
public sealed record AppendRequest(
    EventMetadata Metadata,
    string PayloadHash,
    ImmutableArray<NewEvent> Events,
    ImmutableDictionary<string, long> ExpectedVersions
);

/// <summary>What an append did: the stored events, and whether they were stored by an earlier send of the same
/// command.</summary>
public sealed record AppendResult(IReadOnlyList<StoredEvent> Events, bool Duplicate);
