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
    /// <summary>Canonical JSON of <c>{"command": CLR name, "data": fields}</c>.</summary>
    public static string Canonical(LedgerCommand command) => CanonicalJson.Of(new JObject
    {
        ["command"] = command.GetType().Name,
        ["data"] = JToken.FromObject(command, LedgerJson.Serializer),
    });
}
