using static System.FormattableString;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary>
/// A deterministic trading workload for <c>ledger bench</c>: listings, deposits into 2 000 accounts, then
/// 70 % orders at the mark (either side, so positions open, grow, shrink and flip), 20 % mark moves of up
/// to ±0.5 % and 10 % deposits. The same seed gives the same lines.
/// </summary>
public static class BenchWorkload
{
    /// <summary>Accounts the workload trades with.</summary>
    public const int Accounts = 2000;

    /// <summary><paramref name="count"/> JSON lines (at least the set-up lines).</summary>
    public static IEnumerable<string> Lines(int count, int seed)
    {
        var random = new Random(seed);
        var marks = new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            ["BTCUSDT"] = 60000m,
            ["ETHUSDT"] = 3000m,
        };
        var emitted = 0;
        foreach (var setup in Setup())
        {
            emitted++;
            yield return setup;
        }
        for (var a = 0; a < Accounts && emitted < count; a++, emitted++)
            yield return Invariant($$"""{"type":"deposit","account":"acct-{{a}}","asset":"USDT","amount":"100000"}""");
        while (emitted++ < count)
        {
            var roll = random.Next(100);
            var symbol = random.Next(2) == 0 ? "BTCUSDT" : "ETHUSDT";
            var account = random.Next(Accounts);
            if (roll < 70)
            {
                var quantity = symbol == "BTCUSDT" ? random.Next(1, 200) / 1000m : random.Next(1, 300) / 100m;
                var side = random.Next(2) == 0 ? "long" : "short";
                var (size, price) = (Invariant($"{quantity}"), Invariant($"{marks[symbol]}"));
                yield return $$"""{"type":"open-position","account":"acct-{{account}}","symbol":"{{symbol}}","""
                    + $$""" "side":"{{side}}","quantity":"{{size}}","price":"{{price}}"}""";
            }
            else if (roll < 90)
            {
                var tick = symbol == "BTCUSDT" ? 0.1m : 0.01m;
                var moved =
                    decimal.Round(
                        marks[symbol] * (1m + random.Next(-50, 51) / 10000m) / tick,
                        0,
                        MidpointRounding.ToEven
                    ) * tick;
                marks[symbol] = moved;
                yield return Invariant($$"""{"type":"update-price","symbol":"{{symbol}}","price":"{{moved}}"}""");
            }
            else
            {
                var amount = random.Next(100, 5000);
                yield return $$"""{"type":"deposit","account":"acct-{{account}}","asset":"USDT","""
                    + $$""" "amount":"{{amount}}"}""";
            }
        }
    }

    private static IEnumerable<string> Setup() =>
        [
            """{"type":"list-instrument","symbol":"BTCUSDT","base":"BTC","quote":"USDT","tiers":[{"floor":0,"""
                + """ "mmr":"0.004","maxLeverage":125},{"floor":50000,"mmr":"0.005","maxLeverage":100},"""
                + """{"floor":250000,"""
                + """ "mmr":"0.01","maxLeverage":50},{"floor":1000000,"mmr":"0.025","maxLeverage":20}],"""
                + """ "takerFeeRate":"0.0004","liquidationFeeRate":"0.005","quantityStep":"0.001","tickSize":"0.1"}""",
            """{"type":"list-instrument","symbol":"ETHUSDT","base":"ETH","quote":"USDT","tiers":[{"floor":0,"""
                + """ "mmr":"0.005","maxLeverage":100},{"floor":100000,"mmr":"0.0065","maxLeverage":75}],"""
                + """ "takerFeeRate":"0.0005","liquidationFeeRate":"0.005","quantityStep":"0.01","tickSize":"0.01"}""",
            """{"type":"update-price","symbol":"BTCUSDT","price":"60000"}""",
            """{"type":"update-price","symbol":"ETHUSDT","price":"3000"}""",
        ];
}
