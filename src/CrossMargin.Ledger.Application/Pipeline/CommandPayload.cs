using System.Collections.Frozen;
using System.Reflection;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Json;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace CrossMargin.Ledger.Application.Pipeline;

/// <summary>
/// The content of a command, without its envelope (id, time, actor): what must match for a resend
/// with the same command id to count as the same command. It is canonical JSON of
/// <c>{"command": wire name, "data": fields}</c>, so a CLR rename never changes it.
/// </summary>
public static class CommandPayload
{
    /// <summary>
    /// Fields added to commands after commands were first recorded: left out of the payload when absent, so a
    /// resend of a command recorded before they existed still matches its stored payload hash.
    /// </summary>
    private static readonly string[] AddedOptional = ["limits"];

    /// <summary>
    /// The names releases up to 0.1.0 wrote in payloads (and hashed) before commands had wire names. Frozen:
    /// a command recorded then is still recognised on resend, and its recorded rejection still reads.
    /// </summary>
    private static readonly FrozenDictionary<string, string> NamesBeforeWireNames = new Dictionary<string, string>
    {
        ["list-instrument.v1"] = "ListInstrument",
        ["list-collateral.v1"] = "ListCollateral",
        ["deposit.v1"] = "Deposit",
        ["withdraw.v1"] = "Withdraw",
        ["set-leverage.v1"] = "SetLeverage",
        ["open-position.v1"] = "OpenPosition",
        ["close-position.v1"] = "ClosePosition",
        ["update-price.v1"] = "UpdatePrice",
        ["fund-insurance.v1"] = "FundInsurance",
        ["set-liquidation-policy.v1"] = "SetLiquidationPolicy",
        ["set-instrument-liquidation.v1"] = "SetInstrumentLiquidation",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, Type> CommandTypes = typeof(LedgerCommand)
        .Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(LedgerCommand)) && !t.IsAbstract)
        .SelectMany(t => Names(t).Select(name => (name, t)))
        .ToFrozenDictionary(x => x.name, x => x.t, StringComparer.Ordinal);

    private static IEnumerable<string> Names(Type command)
    {
        var name =
            command.GetCustomAttribute<WireNameAttribute>()?.Name
            ?? throw new InvalidOperationException($"{command.Name} has no wire name");
        yield return name;
        if (NamesBeforeWireNames.TryGetValue(name, out var before))
            yield return before;
    }

    /// <summary>The command a canonical payload (<see cref="Canonical"/>) holds, as recorded with a
    /// rejection.</summary>
    /// <exception cref="FormatException">the text is not a command payload.</exception>
    public static LedgerCommand Parse(string canonical)
    {
        try
        {
            var json = JObject.Parse(canonical);
            if (
                json["command"] is not JValue { Type: JTokenType.String } name
                || !CommandTypes.TryGetValue((string)name.Value!, out var type)
            )
                throw new FormatException("the payload names no known command");
            if (json["data"] is not JObject data)
                throw new FormatException("the payload has no data object");
            return (LedgerCommand)data.ToObject(type, LedgerJson.Serializer)!;
        }
        catch (Newtonsoft.Json.JsonException e)
        {
            throw new FormatException($"the payload does not read as a command: {e.Message}", e);
        }
    }

    /// <summary>Canonical JSON of <c>{"command": wire name, "data": fields}</c>.</summary>
    public static string Canonical(LedgerCommand command) => CanonicalAs(WireNames.Of(command), command);

    /// <summary>
    /// Whether <paramref name="recordedHash"/>, stored with a command id, is the hash of <paramref name="command"/>'s
    /// payload: as this release writes it, or as a release before command wire names wrote it.
    /// </summary>
    public static bool IsHashOf(Digest recordedHash, LedgerCommand command, Digest payloadHash) =>
        recordedHash == payloadHash
        || (
            NamesBeforeWireNames.TryGetValue(WireNames.Of(command), out var before)
            && recordedHash == EventHash.Payload(CanonicalAs(before, command))
        );

    private static string CanonicalAs(string name, LedgerCommand command)
    {
        // the fields written straight to their canonical text; Json.NET's tree for whatever the writer declines
        if (CompiledWriter.TryWriteCanonical(command, AddedOptional, out var fields))
            return $"{{\"command\":{JsonConvert.ToString(name)},\"data\":{fields}}}";
        var data = JObject.FromObject(command, LedgerJson.Serializer);
        foreach (var field in AddedOptional)
            if (data[field] is { Type: JTokenType.Null })
                data.Remove(field);
        return CanonicalJson.Of(new JObject { ["command"] = name, ["data"] = data });
    }
}
