using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.EventStore.Port;
using Newtonsoft.Json.Linq;

namespace CrossMargin.Ledger.Application.Apply;

/// <summary>
/// The answer to one input line: the contract <c>ledger apply</c> prints as one JSON object per line (docs/cli.md),
/// and the one a service host answers per command. <see cref="ToJson"/> is that JSON.
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
}
