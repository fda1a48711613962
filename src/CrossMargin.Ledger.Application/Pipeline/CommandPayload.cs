using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Json;
using Newtonsoft.Json.Linq;

namespace CrossMargin.Ledger.Application.Pipeline;

/// <summary>
/// The content of a command, without its envelope (id, time, actor): what must match for a resend
/// with the same command id to count as the same command.
/// </summary>
public static class CommandPayload
{
    /// <summary>
    /// Fields added to commands after commands were first recorded: left out of the payload when absent, so a
    /// resend of a command recorded before they existed still matches its stored payload hash.
    /// </summary>
    private static readonly string[] AddedOptional = ["limits"];

    private static readonly Dictionary<string, Type> CommandTypes = typeof(LedgerCommand).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(LedgerCommand)) && !t.IsAbstract)
        .ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The command a canonical payload (<see cref="Canonical"/>) holds, as recorded with a rejection.</summary>
    /// <exception cref="FormatException">the text is not a command payload.</exception>
    public static LedgerCommand Parse(string canonical)
    {
        try
        {
            var json = JObject.Parse(canonical);
            if (json["command"] is not JValue { Type: JTokenType.String } name || !CommandTypes.TryGetValue((string)name.Value!, out var type))
                throw new FormatException("the payload names no known command");
            if (json["data"] is not JObject data) throw new FormatException("the payload has no data object");
            return (LedgerCommand)data.ToObject(type, LedgerJson.Serializer)!;
        }
        catch (Newtonsoft.Json.JsonException e)
        {
            throw new FormatException($"the payload does not read as a command: {e.Message}", e);
        }
    }

    /// <summary>Canonical JSON of <c>{"command": CLR name, "data": fields}</c>.</summary>
    public static string Canonical(LedgerCommand command)
    {
        var data = JObject.FromObject(command, LedgerJson.Serializer);
        foreach (var name in AddedOptional)
            if (data[name] is { Type: JTokenType.Null }) data.Remove(name);
        return CanonicalJson.Of(new JObject { ["command"] = command.GetType().Name, ["data"] = data });
    }
}
