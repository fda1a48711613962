using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.Liquidation;
using Newtonsoft.Json.Linq;

namespace CrossMargin.Ledger.Cli.Output;

/// <summary>The JSON shapes of <c>liquidations</c> and <c>explain --json</c>.</summary>
public static class LiquidationOutput
{
    /// <summary>One line of <c>liquidations --json</c>.</summary>
    public static JObject Summary(LiquidationReport r) =>
        new()
        {
            ["liquidationId"] = r.Id,
            ["account"] = r.Account.Value,
            ["outcome"] = r.Outcome,
            ["triggerGlobalPosition"] = r.TriggerPosition,
            ["globalPosition"] = r.Position,
            ["trigger"] = new JObject
            {
                ["type"] = r.Triggered.TriggerType,
                ["symbol"] = r.Triggered.TriggerSymbol,
                ["price"] = LedgerOutput.Dec(r.Triggered.TriggerPrice),
            },
            ["steps"] = r.Steps.Length,
            ["liquidatedNotional"] = LedgerOutput.Dec(r.LiquidatedNotional),
            ["fees"] = LedgerOutput.Dec(r.Steps.Sum(s => s.Step.Fee)),
            ["insuranceFundDelta"] = LedgerOutput.Dec(r.Steps.Sum(s => s.Step.InsuranceFundDelta)),
            ["autoDeleveragedCounterparties"] = r.Deleveraged.Select(d => d.Adl.Account).Distinct().Count(),
            ["equityBefore"] = LedgerOutput.Dec(r.Triggered.Equity),
            ["equityAfter"] = LedgerOutput.Dec(EquityAfter(r)),
        };

    /// <summary>The whole report: every recorded event of the liquidation with its global position.</summary>
    public static JObject Full(LiquidationReport r)
    {
        var json = Summary(r);
        json["triggered"] = Positioned(r.Position, r.Triggered);
        json["stepsDetail"] = new JArray(r.Steps.Select(s => Positioned(s.Position, s.Step)));
        json["autoDeleveraged"] = new JArray(r.Deleveraged.Select(d => Positioned(d.Position, d.Adl)));
        json["adlHaircut"] = r.AdlHaircut is { } h
            ? new JObject
            {
                ["taken"] = LedgerOutput.Dec(h.Taken),
                ["fundLeft"] = LedgerOutput.Dec(h.FundLeft),
                ["needed"] = LedgerOutput.Dec(h.Needed),
                ["overshoot"] = LedgerOutput.Dec(h.Overshoot),
            }
            : null;
        json["socialized"] = new JArray(r.Socialized.Select(s => Positioned(s.Position, s.Loss)));
        json["insuranceFund"] = new JArray(r.Fund.Select(f => Positioned(f.Position, f.Change)));
        json["settlements"] = new JArray(r.Settlements.Select(s => Positioned(s.Position, s.Event)));
        json["end"] = r.End is { } end ? Positioned(end.Position, end.Event) : null;
        return json;
    }

    /// <summary>The account's equity when the liquidation ended.</summary>
    public static decimal? EquityAfter(LiquidationReport r) =>
        r.End?.Event switch
        {
            LiquidationCompleted c => c.Equity,
            AccountBankrupt b => b.Equity,
            _ => null,
        };

    private static JObject Positioned(long position, ILedgerEvent e)
    {
        var (type, data) = EventTypeRegistry.Serialize(e);
        return new JObject
        {
            ["globalPosition"] = position,
            ["type"] = type,
            ["data"] = JObject.Parse(data),
        };
    }
}
