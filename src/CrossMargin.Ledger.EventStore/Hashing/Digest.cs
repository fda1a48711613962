using System.Security.Cryptography;
using System.Text;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.EventStore.Hashing;

/// <summary>
/// A SHA-256 digest: an event's hash, a seal, a command's payload hash. Written as 64 lower-case hex digits,
/// as the log stores it; read back through <see cref="Parse"/>, so stored text that is not a digest is a
/// problem found where it is read, never a string compared by chance. A hash cannot be passed where an id or
/// a payload is meant, and two digests compare by value.
/// </summary>
public readonly record struct Digest
{
    private const int Length = 32;
    private const string Zeros = "0000000000000000000000000000000000000000000000000000000000000000";

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create(
        "0123456789abcdef"
    );

    private readonly string? hex;

    private Digest(string hex) => this.hex = hex;

    /// <summary>64 zeros: the previous hash of a stream's first event, and the seal before the first event.</summary>
    public static Digest Genesis { get; } = new(Zeros);

    /// <summary>The digest of <paramref name="bytes"/>.</summary>
    public static Digest Of(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[Length];
        SHA256.HashData(bytes, digest);
        return new Digest(Convert.ToHexStringLower(digest));
    }

    /// <summary>The digest of the UTF-8 of <paramref name="text"/>.</summary>
    public static Digest OfUtf8(string text) => Of(Encoding.UTF8.GetBytes(text));

    /// <summary>What a digest's text must be, for messages.</summary>
    public const string Rule = "a SHA-256 digest (64 lower-case hex digits)";

    /// <summary>The digest <paramref name="text"/> writes, or why it is not one.</summary>
    public static Checked<Digest> Parse(string? text) =>
        TryParse(text, out var digest) ? Checked.Valid(digest) : Checked.Invalid<Digest>($"'{text}' is not {Rule}");

    /// <summary>Whether <paramref name="text"/> is a digest's text, and the digest.</summary>
    public static bool TryParse(string? text, out Digest digest)
    {
        // every stored event is read through here (its hash and its link): a span search, not an enumerator
        var valid = text is { Length: 2 * Length } && !text.AsSpan().ContainsAnyExcept(LowerHex);
        digest = valid ? new Digest(text!) : default;
        return valid;
    }

    /// <summary>The 32 raw bytes, into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination) => Convert.FromHexString(Hex, destination, out _, out _);

    /// <summary>The 64 lower-case hex digits.</summary>
    public string Hex => hex ?? Zeros;

    /// <summary>Equal digests have equal bytes; <c>default</c> is <see cref="Genesis"/>.</summary>
    public bool Equals(Digest other) => string.Equals(Hex, other.Hex, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => string.GetHashCode(Hex, StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => Hex;
}

/// <summary>Digests as a store reads them back: text that is not one is an exception naming the column.</summary>
public static class StoredDigest
{
    /// <summary>The digest <paramref name="text"/> holds.</summary>
    /// <exception cref="FormatException">it is not a SHA-256 digest; the message names <paramref name="column"/>.
    /// </exception>
    public static Digest Read(string? text, string column) =>
        Digest.TryParse(text, out var digest)
            ? digest
            : throw new FormatException($"{column} '{text}' is not {Digest.Rule}");
}
