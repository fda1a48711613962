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

    /// <summary>Canonical JSON of <c>{"command": CLR name, "data": fields}</c>.</summary>
    public static string Canonical(LedgerCommand command)
    {
        var data = JObject.FromObject(command, LedgerJson.Serializer);
        foreach (var name in AddedOptional)
            if (data[name] is { Type: JTokenType.Null }) data.Remove(name);
        return CanonicalJson.Of(new JObject { ["command"] = command.GetType().Name, ["data"] = data });
    }
}
