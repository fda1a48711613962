using CrossMargin.Ledger.Application.Apply;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.Margin;
using Newtonsoft.Json.Linq;

namespace CrossMargin.Ledger.Cli.Output;

/// <summary>The JSON shapes of the CLI contract (docs/cli.md): decimals as strings, unrounded.</summary>
public static class LedgerOutput
{
    /// <summary>A stored event with its id, metadata and hashes, as <c>history</c> prints it.</summary>
    public static JObject AuditedEvent(StoredEvent e)
    {
        var json = EventRecord.Of(e).ToJson();
        json["eventId"] = e.EventId.ToString("D");
        json["metadata"] = JObject.FromObject(e.Metadata, LedgerJson.Serializer);
        json["prevHash"] = e.PrevHash.Hex;
        json["hash"] = e.Hash.Hex;
        return json;
    }

    /// <summary>The margin state of an account at a global position.</summary>
    public static JObject Margin(AccountMargin m, long globalPosition) =>
        new()
        {
            ["account"] = m.Account.Value,
            ["globalPosition"] = globalPosition,
            ["balances"] = new JObject(m.Balances.Select(b => new JProperty(b.Key.Value, Dec(b.Value)))),
            ["collateralValue"] = Dec(m.CollateralValue),
            ["unrealizedPnl"] = Dec(m.UnrealizedPnl),
            ["equity"] = Dec(m.Equity),
            ["maintenanceMargin"] = Dec(m.MaintenanceMargin),
            ["initialMargin"] = Dec(m.InitialMargin),
            ["freeCollateral"] = Dec(m.FreeCollateral),
            ["marginRatio"] = Dec(m.MarginRatio),
            ["liquidatable"] = m.Liquidatable,
            ["positions"] = new JArray(
                m.Positions.Select(p => new JObject
                {
                    ["symbol"] = p.Symbol.Value,
                    ["size"] = Dec(p.Size),
                    ["entryPrice"] = Dec(p.EntryPrice),
                    ["markPrice"] = Dec(p.MarkPrice),
                    ["notional"] = Dec(p.Notional),
                    ["tier"] = p.Tier,
                    ["mmr"] = Dec(p.Mmr),
                    ["maintenanceAmount"] = Dec(p.MaintenanceAmount),
                    ["maintenanceMargin"] = Dec(p.MaintenanceMargin),
                    ["initialMargin"] = Dec(p.InitialMargin),
                    ["leverage"] = Dec(p.Leverage),
                    ["unrealizedPnl"] = Dec(p.UnrealizedPnl),
                    ["liquidationPrice"] = Dec(p.LiquidationPrice),
                    ["bankruptcyPrice"] = Dec(p.BankruptcyPrice),
                })
            ),
        };

    /// <summary>A decimal as its canonical text, for tables and sentences.</summary>
    public static string Text(decimal value) => DecimalStringConverter.Format(value);

    /// <summary>A decimal as its canonical string; null stays null.</summary>
    public static JToken Dec(decimal? value) =>
        value is { } d ? new JValue(DecimalStringConverter.Format(d)) : JValue.CreateNull();
}
