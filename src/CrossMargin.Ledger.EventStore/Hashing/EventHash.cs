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
        var canonical = new StringBuilder(canonicalData.Length + 512)
            .Append("{\"data\":")
            .Append(canonicalData)
            .Append(",\"eventId\":")
            .Append(Newtonsoft.Json.JsonConvert.ToString(eventId.ToString("D")))
            .Append(",\"metadata\":")
            .Append(CanonicalMetadata(metadata))
            .Append(",\"prevHash\":")
            .Append(Newtonsoft.Json.JsonConvert.ToString(prevHash.Hex))
            .Append(",\"stream\":")
            .Append(Newtonsoft.Json.JsonConvert.ToString(stream))
            .Append(",\"streamVersion\":")
            .Append(streamVersion.ToString(CultureInfo.InvariantCulture))
            .Append(",\"type\":")
            .Append(Newtonsoft.Json.JsonConvert.ToString(type))
            .Append('}')
            .ToString();
        return Digest.OfUtf8(canonical);
    }

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
