using System.Collections.Frozen;
using CrossMargin.Ledger.EventStore.Schemas;
using NJsonSchema;

namespace CrossMargin.Ledger.Application.Input;

/// <summary>The <c>type</c> names of input lines, their classes and their JSON Schemas (published under
/// <c>schemas/commands/</c>).</summary>
public static class CommandTypes
{
    /// <summary>Input type name → line class.</summary>
    public static readonly FrozenDictionary<string, Type> ByName = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["list-instrument"] = typeof(ListInstrumentLine),
        ["list-collateral"] = typeof(ListCollateralLine),
        ["deposit"] = typeof(DepositLine),
        ["withdraw"] = typeof(WithdrawLine),
        ["set-leverage"] = typeof(SetLeverageLine),
        ["open-position"] = typeof(OpenPositionLine),
        ["close-position"] = typeof(ClosePositionLine),
        ["update-price"] = typeof(UpdatePriceLine),
        ["fund-insurance"] = typeof(FundInsuranceLine),
        ["set-liquidation-policy"] = typeof(SetLiquidationPolicyLine),
        ["set-instrument-liquidation"] = typeof(SetInstrumentLiquidationLine),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly SchemaSet Set = new(
        ByName.Keys,
        n => Generate(n, ByName[n]),
        _ => true,
        n => SchemaSet.Embedded(typeof(CommandTypes).Assembly, "commands", n)
    );

    /// <summary>Every command schema by type name.</summary>
    public static IReadOnlyDictionary<string, JsonSchema> All => Set.All;

    /// <summary>The compiled check of one type name (null where a keyword is outside its subset), made from the
    /// published document the first time a line of its type is read: a line it confirms needs no other check.</summary>
    public static CompiledSchema? Check(string type) => Set.Check(type);

    /// <summary>Whether the check of one type name is made from its published document (embedded in this
    /// assembly).</summary>
    public static bool IsPublished(string type) => Set.IsPublished(type);

    /// <summary>The schema of one type name, generated the first time it is asked for: what a line the check is not
    /// sure of is validated against, with the path of each violation.</summary>
    public static JsonSchema Schema(string type) => Set.Schema(type);

    private static JsonSchema Generate(string name, Type type)
    {
        var schema = SchemaGeneration.For(type, name, decimalsMayBeNumbers: true);
        var typeProperty = schema.ActualProperties["type"];
        typeProperty.Enumeration.Clear();
        typeProperty.Enumeration.Add(name);
        return schema;
    }
}
