using System.Globalization;
using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.EventStore.Port;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace CrossMargin.Ledger.Application.Apply;

/// <summary>
/// The answer to one input line: the contract <c>ledger apply</c> prints as one JSON object per line (docs/cli.md),
/// and the one a service host answers per command. <see cref="ToJson"/> is that JSON; <see cref="ToJsonText"/> its
/// text.
/// </summary>
public abstract record LineResult
{
    private LineResult(int line) => Line = line;

    /// <summary>The 1-based input line.</summary>
    public int Line { get; }

    /// <summary>The command appended these events (or, when <paramref name="Duplicate"/>, an earlier send of its id
    /// did).</summary>
    public sealed record Accepted(int Line, IReadOnlyList<EventRecord> Events, bool Duplicate) : LineResult(Line);

    /// <summary>A rule refused the command; nothing was appended (a duplicate is the first answer, not decided
    /// again).</summary>
    public sealed record Rejected(int Line, RejectionCode Code, string Message, bool Duplicate) : LineResult(Line);

    /// <summary>
    /// The line is not a command (its JSON, schema or values), or it reuses a command id for another content
    /// (<see cref="MalformedReason.IdConflict"/>): nothing of it was appended and the run stops there.
    /// </summary>
    public sealed record Malformed(int Line, MalformedReason Reason, string Problem) : LineResult(Line);

    /// <summary>The answer to a command's outcome.</summary>
    public static LineResult Of(int line, CommandOutcome outcome) =>
        outcome switch
        {
            CommandOutcome.Accepted a => new Accepted(line, [.. a.Events.Select(EventRecord.Of)], a.Duplicate),
            CommandOutcome.Rejected r => new Rejected(line, r.Rejection.Code, r.Rejection.Message, r.Duplicate),
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "an outcome this contract lacks"),
        };

    /// <summary>
    /// The line's JSON as <c>apply</c> prints it: <see cref="ToJson"/> without layout, the same text, written by
    /// streaming rather than through a tree (an accepted line's events are most of what <c>apply</c> spends after the
    /// store). Each event's data is copied token by token through the same Json.NET reader and writer the tree uses;
    /// data the tree would read differently (a key given twice, which it resolves to the last value; a comment; text
    /// after the object) is left to the tree, which says what it always said. A property test holds the two to the
    /// same text.
    /// </summary>
    public string ToJsonText()
    {
        if (this is not Accepted accepted)
            return ToJson().ToString(Formatting.None);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var json = new JsonTextWriter(text) { Formatting = Formatting.None })
        {
            json.WriteStartObject();
            json.WritePropertyName("line");
            json.WriteValue(accepted.Line);
            json.WritePropertyName("status");
            json.WriteValue("accepted");
            json.WritePropertyName("events");
            json.WriteStartArray();
            foreach (var e in accepted.Events)
                if (!Written(e, json))
                    return ToJson().ToString(Formatting.None);
            json.WriteEndArray();
            if (accepted.Duplicate)
            {
                json.WritePropertyName("duplicate");
                json.WriteValue(true);
            }
            json.WriteEndObject();
        }
        return text.ToString();
    }

    /// <summary>Whether the event's object was written; not when the data is not what the tree would read the same way,
    /// or not JSON at all (the tree then refuses it as it always did).</summary>
    private static bool Written(EventRecord e, JsonWriter json)
    {
        try
        {
            return e.TryWriteJson(json);
        }
        catch (JsonReaderException)
        {
            return false;
        }
    }

    /// <summary>The JSON object printed for the line.</summary>
    public JObject ToJson()
    {
        var json = this switch
        {
            Accepted a => new JObject
            {
                ["line"] = a.Line,
                ["status"] = "accepted",
                ["events"] = new JArray(a.Events.Select(e => e.ToJson())),
            },
            Rejected r => new JObject
            {
                ["line"] = r.Line,
                ["status"] = "rejected",
                ["code"] = r.Code.ToString(),
                ["message"] = r.Message,
            },
            Malformed m => new JObject
            {
                ["line"] = m.Line,
                ["status"] = "malformed",
                ["message"] = $"line {m.Line}: {m.Problem}",
            },
            _ => throw new InvalidOperationException($"unknown line result {this}"),
        };
        if (this is Accepted { Duplicate: true } or Rejected { Duplicate: true })
            json["duplicate"] = true;
        return json;
    }
}

/// <summary>Why a line was not run.</summary>
public enum MalformedReason
{
    /// <summary>Not a command: JSON syntax, schema or a value.</summary>
    NotACommand,

    /// <summary>A command id already recorded (or earlier in the input) with another content.</summary>
    IdConflict,
}

/// <summary>A stored event as <c>apply</c> and <c>history</c> print it: position, stream, version, wire type and
/// data.</summary>
public sealed record EventRecord(long GlobalPosition, string Stream, long StreamVersion, string Type, string Data)
{
    /// <summary>The record of a stored event.</summary>
    public static EventRecord Of(StoredEvent e) => new(e.GlobalPosition, e.Stream, e.StreamVersion, e.Type, e.Data);

    /// <summary>The JSON object: the data embedded as JSON, not as a string.</summary>
    public JObject ToJson() =>
        new()
        {
            ["globalPosition"] = GlobalPosition,
            ["stream"] = Stream,
            ["streamVersion"] = StreamVersion,
            ["type"] = Type,
            ["data"] = JObject.Parse(Data),
        };

    /// <summary>
    /// Writes <see cref="ToJson"/>'s object to <paramref name="json"/>, copying the data token by token as
    /// <c>JObject.Parse</c> reads it; false, with the writer left unusable, where the tree would read the data
    /// differently or refuse it (see <see cref="LineResult.ToJsonText"/>).
    /// </summary>
    internal bool TryWriteJson(JsonWriter json)
    {
        json.WriteStartObject();
        json.WritePropertyName("globalPosition");
        json.WriteValue(GlobalPosition);
        json.WritePropertyName("stream");
        json.WriteValue(Stream);
        json.WritePropertyName("streamVersion");
        json.WriteValue(StreamVersion);
        json.WritePropertyName("type");
        json.WriteValue(Type);
        json.WritePropertyName("data");
        using var reader = new JsonTextReader(new StringReader(Data));
        if (!reader.Read() || reader.TokenType != JsonToken.StartObject)
            return false;
        var names = new Stack<HashSet<string>>();
        do
        {
            switch (reader.TokenType)
            {
                case JsonToken.StartObject:
                    names.Push(new HashSet<string>(StringComparer.Ordinal));
                    json.WriteStartObject();
                    break;
                case JsonToken.EndObject:
                    names.Pop();
                    json.WriteEndObject();
                    break;
                case JsonToken.StartArray:
                    json.WriteStartArray();
                    break;
                case JsonToken.EndArray:
                    json.WriteEndArray();
                    break;
                case JsonToken.PropertyName:
                    var name = (string)reader.Value!;
                    if (!names.Peek().Add(name))
                        return false;
                    json.WritePropertyName(name);
                    break;
                case JsonToken.Integer or JsonToken.Float or JsonToken.String or JsonToken.Boolean or JsonToken.Date:
                    json.WriteValue(reader.Value);
                    break;
                case JsonToken.Null:
                    json.WriteNull();
                    break;
                default:
                    // comments, raw values, bytes, constructors: the tree's reading is the reference
                    return false;
            }
        } while (names.Count > 0 && reader.Read());
        if (names.Count > 0 || reader.Read())
            return false;
        json.WriteEndObject();
        return true;
    }
}
