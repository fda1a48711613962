using CrossMargin.Ledger.EventStore.Hashing;

namespace CrossMargin.Ledger.EventStore.Port;

/// <summary>An event to append: its wire type and JSON data (from <see
/// cref="Json.EventTypeRegistry.Serialize"/>, or made by <see cref="Of"/>).</summary>
public sealed record NewEvent(string Stream, string Type, string Data)
{
    // the canonical text of the data it was made with, when Of wrote both: a `with` that changes Data leaves it behind
    private readonly string? canonical;
    private readonly string? canonicalOf;

    /// <summary>The event <paramref name="event"/> of <paramref name="stream"/>, its data written as
    /// <see cref="Json.EventTypeRegistry.Serialize"/> writes it, with the canonical text its hash is taken over written
    /// in the same pass (<see cref="Json.CompiledWriter"/>), so the append does not parse the data again to sort its
    /// keys.</summary>
    public static NewEvent Of(string stream, global::CrossMargin.Ledger.Events.ILedgerEvent @event)
    {
        var type = Json.EventTypeRegistry.NameOf(@event.GetType());
        return Json.CompiledWriter.TryWrite(@event, out var data, out var canonical)
            ? new NewEvent(stream, type, data, canonical)
            : new NewEvent(stream, type, Json.LedgerJson.Serialize(@event));
    }

    private NewEvent(string stream, string type, string data, string canonical)
        : this(stream, type, data)
    {
        this.canonical = canonical;
        canonicalOf = data;
    }

    /// <summary>The canonical JSON of <see cref="Data"/> (<see cref="CanonicalJson.Of(string)"/>).</summary>
    internal string CanonicalData =>
        canonical is not null && ReferenceEquals(canonicalOf, Data) ? canonical : CanonicalJson.Of(Data);

    /// <summary>Equal when stream, type and data are (how it was made does not count).</summary>
    public bool Equals(NewEvent? other) =>
        other is not null && Stream == other.Stream && Type == other.Type && Data == other.Data;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Stream, Type, Data);
}

/// <summary>
/// An event as stored. <see cref="StreamVersion"/> counts from 1 within its stream;
/// <see cref="GlobalPosition"/> counts from 1 over the whole log, gap-free, in commit order.
/// <see cref="PrevHash"/> is the hash of the previous event of the stream (<see cref="Digest.Genesis"/> for the first);
/// <see cref="Hash"/> is SHA-256 over the canonical form (<see cref="Hashing.EventHash"/>).
/// </summary>
public sealed record StoredEvent(
    Guid EventId,
    string Stream,
    long StreamVersion,
    long GlobalPosition,
    string Type,
    string Data,
    EventMetadata Metadata,
    Digest PrevHash,
    Digest Hash
);

/// <summary>One link of the seal chain: <c>seal_n = SHA-256(seal_{n−1} ‖ hash_n)</c> over the global order.</summary>
public sealed record Seal(long GlobalPosition, Digest Value);

/// <summary>
/// An event as a fold reads it: where it stands (position, stream and version, command) and its stored type and
/// data, without its id, metadata or hashes. Replays, snapshots and projections read the log this way
/// (<see cref="IEventStore.ReadTextsAsync"/>); <c>verify</c> reads whole <see cref="StoredEvent"/>s and checks every
/// hash.
/// <para>
/// A store may hand over the data as the UTF-8 bytes it holds (<see cref="DataUtf8"/>): a fold decodes them as they
/// are (<see cref="Json.EventTypeRegistry.Deserialize(EventText)"/>), where a string would be made from them only to
/// be turned back into UTF-8 for the decoder. <see cref="Data"/> is then made when asked for.
/// </para>
/// </summary>
public sealed record EventText(
    long GlobalPosition,
    string Stream,
    long StreamVersion,
    string CommandId,
    string Type,
    string Data
)
{
    // the data as text: given, or made from dataUtf8 once asked for (a race makes it twice, equal)
    private string? data = Data;

    // the data's UTF-8 bytes, when the store read them so
    private readonly byte[]? dataUtf8;

    /// <summary>An event whose data the store read as its UTF-8 bytes <paramref name="dataUtf8"/> (kept, not
    /// copied).</summary>
    public EventText(
        long globalPosition,
        string stream,
        long streamVersion,
        string commandId,
        string type,
        byte[] dataUtf8
    )
        : this(globalPosition, stream, streamVersion, commandId, type, Data: null!) => this.dataUtf8 = dataUtf8;

    /// <summary>The stored JSON data.</summary>
    public string Data
    {
        get => data ??= System.Text.Encoding.UTF8.GetString(dataUtf8!);
        init => (data, dataUtf8) = (value, null);
    }

    /// <summary>The data's UTF-8 bytes as the store read them, or empty when it read a string (see
    /// <see cref="HasDataUtf8"/>).</summary>
    public ReadOnlySpan<byte> DataUtf8 => dataUtf8;

    /// <summary>Whether the store read the data as UTF-8 bytes (<see cref="DataUtf8"/>).</summary>
    public bool HasDataUtf8 => dataUtf8 is not null;

    /// <summary>The fold's part of a stored event.</summary>
    public static EventText Of(StoredEvent e) =>
        new(e.GlobalPosition, e.Stream, e.StreamVersion, e.Metadata.CommandId, e.Type, e.Data);

    /// <summary>Equal when every part is, the data as text (whether a store read it as text or bytes does not
    /// count).</summary>
    public bool Equals(EventText? other) =>
        other is not null
        && GlobalPosition == other.GlobalPosition
        && Stream == other.Stream
        && StreamVersion == other.StreamVersion
        && CommandId == other.CommandId
        && Type == other.Type
        && Data == other.Data;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(GlobalPosition, Stream, StreamVersion, CommandId, Type);

    // printed as before the data could be bytes: equal events print alike, whichever way their store read them
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(
            System.Globalization.CultureInfo.InvariantCulture,
            $"GlobalPosition = {GlobalPosition}, Stream = {Stream}, StreamVersion = {StreamVersion}, "
                + $"CommandId = {CommandId}, Type = {Type}, Data = {Data}"
        );
        return true;
    }
}
