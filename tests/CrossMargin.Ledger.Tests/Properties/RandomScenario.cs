using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Liquidation;

namespace CrossMargin.Ledger.Tests.Properties;

/// <summary>
/// Random command sequences over two instruments, one collateral asset and four accounts, drawn from a
/// seed (property tests print the seed on failure). Quantities and prices sit on step and tick most of
/// the time and off them sometimes, so accepted and rejected paths both run; crashes, squeezes and
/// policy changes drive liquidations, insurance-fund payouts, ADL and socialised loss.
/// </summary>
public static class RandomScenario
{
    private static readonly string[] Accounts = ["alice", "bob", "carol", "dave"];
    private static readonly string[] Symbols = [Samples.BtcUsdt, Samples.EthUsdt];

    public static IReadOnlyList<LedgerCommand> Generate(int seed, int length)
    {
        var random = new Random(seed);
        var marks = new Dictionary<string, decimal>
        {
            [Samples.BtcUsdt] = 60_000m,
            [Samples.EthUsdt] = 3_000m,
            [Samples.Btc] = 60_000m,
        };
        var commands = new List<LedgerCommand>
        {
            Samples.ListBtcUsdt(),
            Samples.ListEthUsdt(),
            Samples.ListBtcCollateral(),
            new UpdatePrice(Samples.BtcUsdt, 60_000m),
            new UpdatePrice(Samples.EthUsdt, 3_000m),
            new UpdatePrice(Samples.Btc, 60_000m),
        };
        for (var i = 0; i < length; i++)
        {
            var account = Accounts[random.Next(Accounts.Length)];
            var symbol = Symbols[random.Next(Symbols.Length)];
            var step = symbol == Samples.BtcUsdt ? 0.001m : 0.01m;
            var tick = symbol == Samples.BtcUsdt ? 0.1m : 0.01m;
            var price = decimal.Round(marks[symbol] * (1m + random.Next(-300, 301) / 10_000m) / tick) * tick;
            commands.Add(
                random.Next(15) switch
                {
                    // a crash or a squeeze
                    12 => Move(symbol, random.Next(2) == 0 ? -random.Next(800, 2_000) : random.Next(800, 2_000)),
                    13 => new SetLiquidationPolicy(
                        random.Next(0, 3) / 10m,
                        random.Next(2) == 0 ? DeficitPolicy.Adl : DeficitPolicy.Socialize
                    ),
                    0 or 1 => new Deposit(
                        account,
                        random.Next(4) == 0 ? Samples.Btc : Samples.Usdt,
                        random.Next(1, 20_000) / (random.Next(4) == 0 ? 1000m : 1m)
                    ),
                    2 => new Withdraw(
                        account,
                        random.Next(4) == 0 ? Samples.Btc : Samples.Usdt,
                        random.Next(1, 10_000)
                    ),
                    3 => new SetLeverage(account, symbol, random.Next(1, 130)),
                    4 or 5 or 6 => new OpenPosition(
                        account,
                        symbol,
                        random.Next(2) == 0 ? Side.Long : Side.Short,
                        random.Next(1, 3_000) * step,
                        price
                    ),
                    7 => new ClosePosition(
                        account,
                        symbol,
                        price,
                        random.Next(3) == 0 ? null : random.Next(1, 1_000) * step
                    ),
                    8 or 9 => Move(symbol, random.Next(-500, 501)),
                    10 => Move(Samples.Btc, random.Next(-500, 501)),
                    _ => new FundInsurance(Samples.Usdt, random.Next(1, 1_000)),
                }
            );
        }
        return commands;

        UpdatePrice Move(string s, int basisPoints)
        {
            var t = s == Samples.EthUsdt ? 0.01m : 0.1m;
            marks[s] = Math.Max(t, decimal.Round(marks[s] * (1m + basisPoints / 10_000m) / t) * t);
            return new UpdatePrice(s, marks[s]);
        }
    }
}
