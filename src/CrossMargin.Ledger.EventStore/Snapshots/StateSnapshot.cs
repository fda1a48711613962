using System.Globalization;
using System.Text;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.EventStore.Snapshots;

/// <summary>
/// A checkpoint of the replayed state (design §9, "snapshots"): the state a replay of the log holds after the event at
/// <see cref="Position"/>, written in its canonical binary form (<see cref="Bytes"/>: a fixed order, every decimal as
/// its four words, so it reads back bit for bit, scale and all), the hash of those bytes, and the seal of the log at
/// that position, which ties the snapshot to the one log it was folded from. The engine's caches (trigger index, ADL
/// book) are not part of it: they are rebuilt as after any replay. A snapshot is an optimisation: opening a store loads
/// the latest one and replays the tail, and one that fails any check is ignored (the store replays from the start).
/// <para>
/// The form is binary because a fresh process spends its start restoring it: from the canonical JSON of format 1 a
/// venue's 100 000 accounts cost tokens, decimals parsed from their digits and names transcoded, and the bytes restore
/// in about two thirds of the time with two thirds of the allocations, from 14 MB where the text was 20
/// (docs/data-formats.md has the layout, docs/benchmarks.md the figures).
/// </para>
/// </summary>
public sealed record StateSnapshot
{
    /// <summary>A snapshot of the canonical form <paramref name="bytes"/> (kept, not copied).</summary>
    public StateSnapshot(long position, Digest seal, Digest stateHash, ReadOnlyMemory<byte> bytes)
    {
        Position = position;
        Seal = seal;
        StateHash = stateHash;
        Bytes = bytes;
    }

    /// <summary>The position of the last event folded into the state.</summary>
    public long Position { get; init; }

    /// <summary>The log's seal at <see cref="Position"/>.</summary>
    public Digest Seal { get; init; }

    /// <summary>The hash the snapshot was stored under: that of its bytes when it is intact.</summary>
    public Digest StateHash { get; init; }

    /// <summary>The canonical form, as hashed and stored.</summary>
    public ReadOnlyMemory<byte> Bytes { get; init; }

    /// <summary>Equal when the positions, seals, hashes and bytes are.</summary>
    public bool Equals(StateSnapshot? other) =>
        other is not null
        && Position == other.Position
        && Seal == other.Seal
        && StateHash == other.StateHash
        && Bytes.Span.SequenceEqual(other.Bytes.Span);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Position, Seal, StateHash);

    // the form is megabytes on a venue: a snapshot prints what identifies it
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(
            CultureInfo.InvariantCulture,
            $"Position = {Position}, Seal = {Seal}, StateHash = {StateHash}, Bytes = {Bytes.Length} bytes"
        );
        return true;
    }

    /// <summary>The version of the canonical form; a snapshot of another version is ignored, never read. Format 1
    /// was canonical JSON.</summary>
    public const int Format = 2;

    /// <summary>The first bytes of every snapshot of this form.</summary>
    private static ReadOnlySpan<byte> Magic => "CMLSNAP\0"u8;

    /// <summary>The snapshot of <paramref name="state"/>, the state after the event at <paramref name="position"/>,
    /// whose seal is <paramref name="seal"/>; <paramref name="streams"/> holds each stream's version there.</summary>
    /// <exception cref="InvalidOperationException">the state is a what-if, or its holders index names an account it
    /// does not hold.</exception>
    public static StateSnapshot Take(
        LedgerState state,
        IReadOnlyDictionary<string, long> streams,
        long position,
        Digest seal
    )
    {
        var bytes = SnapshotWriter.Write(state, streams, position, seal);
        return new StateSnapshot(position, seal, Digest.Of(bytes), bytes);
    }

    /// <summary>
    /// The state and stream versions the snapshot holds, after checking its hash, its format and that it names its own
    /// position and seal.
    /// </summary>
    /// <exception cref="InvalidDataException">the snapshot fails a check; the message says which.</exception>
    public (LedgerState State, IReadOnlyDictionary<string, long> Streams) Restore()
    {
        if (Digest.Of(Bytes.Span) != StateHash)
            throw new InvalidDataException($"the snapshot at position {Position} does not match its hash");
        try
        {
            return SnapshotReader.Read(Bytes.Span, Position, Seal);
        }
        catch (Exception e)
            when (e is InvalidOperationException or FormatException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"the snapshot at position {Position} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// What the byte at <paramref name="offset"/> of a snapshot's canonical form belongs to (the header, the market,
    /// an account by its id, the totals, an instrument's holders, the stream versions), for a report that two
    /// snapshots differ there; the bytes are read only as far as that.
    /// </summary>
    public static string PartAt(ReadOnlySpan<byte> bytes, long offset)
    {
        try
        {
            return SnapshotReader.PartAt(bytes, offset);
        }
        catch (Exception e)
            when (e is FormatException or ArgumentException or OverflowException or InvalidOperationException)
        {
            return "a part that cannot be read";
        }
    }

    /// <summary>The header both the writer and the reader check: the magic, the format, the position and the
    /// seal.</summary>
    internal static void WriteHeader(SnapshotBytes bytes, long position, Digest seal)
    {
        bytes.Raw(Magic);
        bytes.Int32(Format);
        bytes.Int64(position);
        Span<byte> raw = stackalloc byte[32];
        seal.CopyTo(raw);
        bytes.Raw(raw);
    }

    internal static void ReadHeader(ref SnapshotSpan bytes, long position, Digest seal)
    {
        if (!bytes.Raw(Magic.Length).SequenceEqual(Magic))
            throw new FormatException("the snapshot does not start with the form's magic bytes");
        var format = bytes.Int32();
        if (format != Format)
            throw new FormatException($"the snapshot has format {format}, not {Format}");
        Span<byte> expected = stackalloc byte[32];
        seal.CopyTo(expected);
        if (bytes.Int64() != position || !bytes.Raw(32).SequenceEqual(expected))
            throw new FormatException($"the snapshot stored at position {position} names another position or seal");
    }
}
