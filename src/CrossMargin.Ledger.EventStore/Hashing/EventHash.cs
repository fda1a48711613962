using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CrossMargin.Ledger.EventStore.Port;

namespace CrossMargin.Ledger.EventStore.Hashing;

/// <summary>
/// The two chains of design §6. An event's hash is SHA-256 over the UTF-8 of the canonical JSON of
/// <c>{data, eventId, metadata, prevHash, stream, streamVersion, type}</c> — everything stored except the
/// global position, which a concurrent store assigns only at commit. The seal chain covers the global
/// order: <c>seal_n = SHA-256(seal_{n−1} ‖ hash_n)</c> over the raw 32-byte digests, with
/// <see cref="Digest.Genesis"/> before the first event. Every hash is a <see cref="Digest"/>.
/// </summary>
public static class EventHash
{
    /// <summary>The hash of an event from its stored fields.</summary>
    public static Digest Compute(
        Guid eventId,
        string stream,
        long streamVersion,
        string type,
        string data,
        EventMetadata metadata,
        Digest prevHash
    ) => OfCanonical(eventId, stream, streamVersion, type, CanonicalJson.Of(data), metadata, prevHash);

    /// <summary>The hash of an event whose data's canonical text is <paramref name="canonicalData"/>.</summary>
    internal static Digest OfCanonical(
        Guid eventId,
        string stream,
        long streamVersion,
        string type,
        string canonicalData,
        EventMetadata metadata,
        Digest prevHash
    )
    {
        // the canonical text's UTF-8, written piece by piece into one buffer (the pieces meet at ASCII, so their
        // UTF-8 is the whole text's); stream and type as Json.NET quotes them
        var metadataText = CanonicalMetadata(metadata);
        var id = eventId.ToString("D");
        var prev = prevHash.Hex;
        var streamText = Quoted(stream);
        var typeText = Quoted(type);
        var utf8 = Encoding.UTF8;
        var bound =
            utf8.GetMaxByteCount(canonicalData.Length)
            + utf8.GetMaxByteCount(metadataText.Length)
            + utf8.GetMaxByteCount(streamText.Length)
            + utf8.GetMaxByteCount(typeText.Length)
            + id.Length
            + prev.Length
            + 128;
        var buffer = ArrayPool<byte>.Shared.Rent(bound);
        try
        {
            var span = buffer.AsSpan();
            var n = Put(span, 0, "{\"data\":");
            n = Put(span, n, canonicalData);
            n = Put(span, n, ",\"eventId\":\"");
            n = Put(span, n, id);
            n = Put(span, n, "\",\"metadata\":");
            n = Put(span, n, metadataText);
            n = Put(span, n, ",\"prevHash\":\"");
            n = Put(span, n, prev);
            n = Put(span, n, "\",\"stream\":");
            n = Put(span, n, streamText);
            n = Put(span, n, ",\"streamVersion\":");
            // the bound leaves room for the literals and any long; a failure here would be a bug, never a shorter text
            if (!streamVersion.TryFormat(span[n..], out var digits, default, CultureInfo.InvariantCulture))
                throw new InvalidOperationException("the canonical text outgrew its buffer");
            n += digits;
            n = Put(span, n, ",\"type\":");
            n = Put(span, n, typeText);
            n = Put(span, n, "}");
            return Digest.Of(span[..n]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int Put(Span<byte> buffer, int at, ReadOnlySpan<char> text) =>
        at + Encoding.UTF8.GetBytes(text, buffer[at..]);

    // what Json.NET escapes in a string: the quote, the backslash, controls, U+0085, U+2028, U+2029
    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        "\"\\\u0085\u2028\u2029" + new string([.. Enumerable.Range(0, 0x20).Select(c => (char)c)])
    );

    /// <summary>A string as Json.NET writes it: quoted as it is when nothing in it is escaped.</summary>
    private static string Quoted(string text) =>
        text.AsSpan().ContainsAny(Escaped) ? Newtonsoft.Json.JsonConvert.ToString(text) : $"\"{text}\"";

    // the events of one command share their metadata, so its canonical text is kept for the next event (per thread)
    [ThreadStatic]
    private static (EventMetadata Metadata, string Canonical)? lastMetadata;

    private static string CanonicalMetadata(EventMetadata metadata)
    {
        if (lastMetadata is { } last && last.Metadata == metadata)
            return last.Canonical;
        var canonical = CanonicalMetadataOf(metadata);
        lastMetadata = (metadata, canonical);
        return canonical;
    }

    /// <summary>The canonical JSON of the metadata's serialised form, written field by field in key order (a test
    /// holds it to <c>CanonicalJson.Of(LedgerJson.Serialize(metadata))</c>).</summary>
    internal static string CanonicalMetadataOf(EventMetadata metadata) =>
        CanonicalJson.OfSortedStrings(
            ("actor", metadata.Actor),
            ("causationId", metadata.CausationId),
            ("commandId", metadata.CommandId),
            ("correlationId", metadata.CorrelationId),
            ("recordedAt", metadata.RecordedAt)
        );

    /// <summary>The hash a stored event should carry.</summary>
    public static Digest Compute(StoredEvent e) =>
        Compute(e.EventId, e.Stream, e.StreamVersion, e.Type, e.Data, e.Metadata, e.PrevHash);

    /// <summary><c>SHA-256(previousSeal ‖ hash)</c> over the raw digests.</summary>
    public static Digest Seal(Digest previousSeal, Digest hash)
    {
        Span<byte> buffer = stackalloc byte[64];
        previousSeal.CopyTo(buffer[..32]);
        hash.CopyTo(buffer[32..]);
        return Digest.Of(buffer);
    }

    /// <summary>
    /// A deterministic event id: the command id and the event's index within the command, hashed into
    /// a version-8 UUID. Re-running the same command log yields the same ids on every store.
    /// </summary>
    public static Guid EventId(string commandId, int index)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(commandId + "/" + index.ToString(CultureInfo.InvariantCulture)), digest);
        var bytes = digest[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>SHA-256 of a command's canonical JSON, for idempotency checks.</summary>
    public static Digest Payload(string canonicalCommandJson) => Digest.OfUtf8(canonicalCommandJson);
}
