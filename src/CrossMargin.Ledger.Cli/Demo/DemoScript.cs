using System.Globalization;

namespace CrossMargin.Ledger.Cli.Demo;

/// <summary>
/// The built-in scenario of <c>ledger demo</c>: four accounts on two instruments and one haircut
/// collateral asset, with tiered margin, leverage limits, fees, a partial close, a flip, price moves,
/// rejected commands and a liquidation cascade (tiered partial liquidation, an insurance-fund payout,
/// auto-deleveraging). Fixed command ids and timestamps make its log identical on every run; a
/// rerun on the same store is answered from the first run (idempotent by command id).
/// </summary>
public static class DemoScript
{
    /// <summary>One step: what it shows, and the input line.</summary>
    public sealed record DemoStep(string Note, string Line);

    private const string BtcTiers =
        """[{"floor":0,"mmr":"0.004","maxLeverage":125},{"floor":50000,"mmr":"0.005","maxLeverage":100},"""
        + """{"floor":250000,"mmr":"0.01","maxLeverage":50},{"floor":1000000,"mmr":"0.025","maxLeverage":20,"""
        + """ "maintenanceAmount":"16300"},{"floor":10000000,"mmr":"0.05","maxLeverage":10}]""";
    private const string EthTiers =
        """[{"floor":0,"mmr":"0.005","maxLeverage":100},{"floor":100000,"mmr":"0.0065","maxLeverage":75},"""
        + """{"floor":500000,"mmr":"0.01","maxLeverage":50}]""";

    private static readonly (string Note, string Body)[] Raw =
    [
        (
            "List BTCUSDT with five maintenance brackets (cum derived; bracket 4's given cum is checked)",
            $$"""{"type":"list-instrument","symbol":"BTCUSDT","base":"BTC","quote":"USDT","""
                + $$""" "tiers":{{BtcTiers}},"takerFeeRate":"0.0004","liquidationFeeRate":"0.002","""
                + $$""" "quantityStep":"0.001","""
                + $$""" "tickSize":"0.1"}"""
        ),
        (
            "List ETHUSDT with three brackets",
            $$"""{"type":"list-instrument","symbol":"ETHUSDT","base":"ETH","quote":"USDT","""
                + $$""" "tiers":{{EthTiers}},"takerFeeRate":"0.0005","liquidationFeeRate":"0.005","""
                + $$""" "quantityStep":"0.01","""
                + $$""" "tickSize":"0.01"}"""
        ),
        (
            "Accept BTC as collateral: 95 % of value up to 1 M, 90 % above",
            """{"type":"list-collateral","asset":"BTC","ratios":[{"floor":0,"ratio":"0.95"},{"floor":1000000,"""
                + """ "ratio":"0.9"}]}"""
        ),
        ("Mark BTCUSDT at 60 000", """{"type":"update-price","symbol":"BTCUSDT","price":"60000"}"""),
        ("Mark ETHUSDT at 3 000", """{"type":"update-price","symbol":"ETHUSDT","price":"3000"}"""),
        ("Index BTC (collateral) at 60 000", """{"type":"update-price","symbol":"BTC","price":"60000"}"""),
        ("Seed the insurance fund with 1 000 USDT", """{"type":"fund-insurance","asset":"USDT","amount":"1000"}"""),
        (
            "Venue policy: a liquidation stops at 5 % above maintenance; ADL when the fund runs dry",
            """{"type":"set-liquidation-policy","buffer":"0.05","deficitPolicy":"adl"}"""
        ),
        ("Alice deposits 20 000 USDT", """{"type":"deposit","account":"alice","asset":"USDT","amount":"20000"}"""),
        (
            "Bob deposits 1 BTC (counts 57 000 after the 95 % haircut)",
            """{"type":"deposit","account":"bob","asset":"BTC","amount":"1"}"""
        ),
        ("Carol deposits 8 000 USDT", """{"type":"deposit","account":"carol","asset":"USDT","amount":"8000"}"""),
        (
            "Alice picks 20× on BTCUSDT",
            """{"type":"set-leverage","account":"alice","symbol":"BTCUSDT","leverage":"20"}"""
        ),
        (
            "Alice buys 2 BTC at 60 000: notional 120 000 is in bracket 2 (0.5 %, cum 50)",
            """{"type":"open-position","account":"alice","symbol":"BTCUSDT","side":"long","quantity":"2","""
                + """ "price":"60000"}"""
        ),
        (
            "Alice sells 20 ETH at 3 000: cross margin, one equity for both",
            """{"type":"open-position","account":"alice","symbol":"ETHUSDT","side":"short","quantity":"20","""
                + """ "price":"3000"}"""
        ),
        (
            "Bob sells 1.5 BTC at default 125×: bracket 2 allows only 100× — rejected",
            """{"type":"open-position","account":"bob","symbol":"BTCUSDT","side":"short","quantity":"1.5","""
                + """ "price":"60000"}"""
        ),
        (
            "Bob lowers his leverage to 50×",
            """{"type":"set-leverage","account":"bob","symbol":"BTCUSDT","leverage":"50"}"""
        ),
        (
            "Bob sells 1.5 BTC at 60 000 against his BTC collateral",
            """{"type":"open-position","account":"bob","symbol":"BTCUSDT","side":"short","quantity":"1.5","""
                + """ "price":"60000"}"""
        ),
        (
            "Carol buys 10 ETH at 3 000",
            """{"type":"open-position","account":"carol","symbol":"ETHUSDT","side":"long","quantity":"10","""
                + """ "price":"3000"}"""
        ),
        (
            "Alice asks for 15 000 USDT back: free collateral would go negative — rejected",
            """{"type":"withdraw","account":"alice","asset":"USDT","amount":"15000"}"""
        ),
        ("BTCUSDT marks down to 56 000", """{"type":"update-price","symbol":"BTCUSDT","price":"56000"}"""),
        ("ETHUSDT marks up to 3 150", """{"type":"update-price","symbol":"ETHUSDT","price":"3150"}"""),
        (
            "Alice cuts 0.5 BTC at 56 000, realising −2 000 and paying the taker fee",
            """{"type":"close-position","account":"alice","symbol":"BTCUSDT","price":"56000","quantity":"0.5"}"""
        ),
        (
            "Carol sells 16 ETH at 3 150: closes her 10 long (+1 500) and flips to 6 short",
            """{"type":"open-position","account":"carol","symbol":"ETHUSDT","side":"short","quantity":"16","""
                + """ "price":"3150"}"""
        ),
        (
            "The BTC index falls to 54 000: Bob's collateral is worth less",
            """{"type":"update-price","symbol":"BTC","price":"54000"}"""
        ),
        ("Bob withdraws 0.1 BTC", """{"type":"withdraw","account":"bob","asset":"BTC","amount":"0.1"}"""),
        (
            "Alice resends her partial close with the same command id: answered from the log, nothing appended",
            """{"type":"close-position","account":"alice","symbol":"BTCUSDT","price":"56000","quantity":"0.5"}"""
        ),
        (
            "BTCUSDT marks down to 51 000: Alice nears her liquidation price",
            """{"type":"update-price","symbol":"BTCUSDT","price":"51000"}"""
        ),
        (
            "Alice buys back her 20 ETH at 3 150, realising −3 000",
            """{"type":"close-position","account":"alice","symbol":"ETHUSDT","price":"3150"}"""
        ),
        ("Dave deposits 25 000 USDT", """{"type":"deposit","account":"dave","asset":"USDT","amount":"25000"}"""),
        (
            "Dave picks 25× on BTCUSDT",
            """{"type":"set-leverage","account":"dave","symbol":"BTCUSDT","leverage":"25"}"""
        ),
        (
            "Dave buys 6 BTC at 51 000: notional 306 000 is in bracket 3 (1 %, cum 1 300)",
            """{"type":"open-position","account":"dave","symbol":"BTCUSDT","side":"long","quantity":"6","""
                + """ "price":"51000"}"""
        ),
        (
            "BTCUSDT crashes to 47 000: the engine liquidates every exposed account in id order against one "
                + "insurance fund",
            """{"type":"update-price","symbol":"BTCUSDT","price":"47000"}"""
        ),
    ];

    /// <summary>The steps, with command ids, timestamps and actor filled in.</summary>
    public static IReadOnlyList<DemoStep> Steps { get; } = Build();

    /// <summary>Accounts the demo reports on.</summary>
    public static IReadOnlyList<AccountId> Accounts { get; } =
    [.. new[] { "alice", "bob", "carol", "dave" }.Select(id => AccountId.Parse(id).Value)];

    /// <summary>The liquidation the demo explains at the end.</summary>
    public const string ExplainedLiquidation = "alice#1";

    private static DemoStep[] Build()
    {
        var steps = new DemoStep[Raw.Length];
        for (var i = 0; i < Raw.Length; i++)
        {
            // the resend reuses the id of the close it repeats
            var id = Raw[i].Note.StartsWith("Alice resends", StringComparison.Ordinal)
                ? IdOf(Array.FindIndex(Raw, r => r.Note.StartsWith("Alice cuts", StringComparison.Ordinal)))
                : IdOf(i);
            var at = new DateTime(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc)
                .AddMinutes(i)
                .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            steps[i] = new DemoStep(
                Raw[i].Note,
                Raw[i].Body[..^1] + $$""","commandId":"{{id}}","at":"{{at}}","actor":"demo"}"""
            );
        }
        return steps;
    }

    private static string IdOf(int index) => "demo-" + (index + 1).ToString("D3", CultureInfo.InvariantCulture);
}
