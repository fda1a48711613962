using System.Collections.Immutable;
using CrossMargin.Ledger.EventStore.Hashing;

namespace CrossMargin.Ledger.EventStore.Port;

/// <summary>
/// The stream version an append expects: a version the stream must be at (<see cref="NoStream"/>, 0, when it must
/// not exist yet), or <see cref="Any"/>, which skips the check.
/// </summary>
public readonly record struct ExpectedVersion
{
    private const long AnyVersion = -1;

    private ExpectedVersion(long version) => Version = version;

    /// <summary>The version the stream must be at; −1 for <see cref="Any"/>.</summary>
    public long Version { get; }

    /// <summary>Append whatever the stream's version (used for the credit-only fee account).</summary>
    public static ExpectedVersion Any { get; } = new(AnyVersion);

    /// <summary>The stream must not exist yet.</summary>
    public static ExpectedVersion NoStream { get; } = new(0);

    /// <summary>The stream must be at <paramref name="version"/> (0: not exist yet).</summary>
    /// <exception cref="ArgumentOutOfRangeException">a negative version.</exception>
    public static ExpectedVersion At(long version) =>
        version >= 0
            ? new(version)
            : throw new ArgumentOutOfRangeException(nameof(version), version, "versions start at 0");

    /// <summary>A version number is the version expected (<see cref="At"/>).</summary>
    public static implicit operator ExpectedVersion(long version) => At(version);

    /// <summary>Whether a stream at <paramref name="head"/> may take the append.</summary>
    public bool Allows(long head) => Version == AnyVersion || Version == head;

    /// <inheritdoc />
    public override string ToString() =>
        Version == AnyVersion ? "any" : Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The events of one command, appended atomically or not at all. <see cref="PayloadHash"/> identifies
/// the command's content, so a resend with the same <see cref="Metadata"/>.CommandId but another
/// content is refused rather than answered with the first result.
/// </summary>
public sealed record AppendRequest(
    EventMetadata Metadata,
    Digest PayloadHash,
    ImmutableArray<NewEvent> Events,
    ImmutableDictionary<string, ExpectedVersion> ExpectedVersions
);

/// <summary>What an append did: the stored events, and whether they were stored by an earlier send of the same
/// command.</summary>
public sealed record AppendResult(IReadOnlyList<StoredEvent> Events, bool Duplicate);
