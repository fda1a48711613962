using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Margin;

namespace CrossMargin.Ledger.Tests.Properties;

/// <summary>A canonical text of a whole ledger state (immutable dictionaries compare by reference).</summary>
public static class Fingerprint
{
    public static string Of(LedgerState state) =>
        LedgerJson.Serialize(
            new
            {
                marks = state.Market.Instruments.Select(i => new
                {
                    i.Key,
                    i.Value.Mark,
                    taker = i.Value.Spec.TakerFeeRate,
                }),
                index = state.Market.Collateral.Select(c => new { c.Key, c.Value.IndexPrice }),
                accounts = state.Accounts.Values.Select(a => MarginCalculator.Compute(a, state.Market)),
                insurance = state.InsuranceFund,
                fees = state.FeeAccount,
                flows = state.Flows,
            }
        );
}
