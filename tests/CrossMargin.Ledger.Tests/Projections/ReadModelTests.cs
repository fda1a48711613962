using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Projections;
using CrossMargin.Ledger.Tests.Properties;
using FsCheck;
using FsCheck.Fluent;
using static CrossMargin.Ledger.Tests.Samples;

namespace CrossMargin.Ledger.Tests.Projections;

public sealed class ReadModelTests
{
    /// <summary>Decides (with the engine's reactions) and logs every command.</summary>
    internal static List<LoggedEvent> Log(IEnumerable<LedgerCommand> commands)
    {
        var state = LedgerState.Initial;
        var log = new List<LoggedEvent>();
        var n = 0;
        foreach (var c in commands)
        {
            n++;
            var ran = LedgerRuntime.Run(state, c);
            if (ran.Decision is not Decision.Accepted accepted)
                continue;
            foreach (var e in accepted.Events)
                log.Add(new LoggedEvent(log.Count + 1, e.Stream, "c" + n, e.Event));
            state = ran.State;
        }
        return log;
    }

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property Every_event_balances_and_the_journal_agrees_with_the_fold() =>
        Prop.ForAll(
            Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(30, 200)).ToArbitrary(),
            s =>
            {
                var log = Log(RandomScenario.Generate(s.Item1, s.Item2));
                var balanced = log.All(e =>
                    Journal.Postings(e).GroupBy(p => p.Asset).All(g => g.Sum(p => p.Amount) == 0m)
                );
                var state = log.Aggregate(LedgerState.Initial, (st, e) => LedgerEvolution.Evolve(st, e.Event));
                var ledger = log.SelectMany(Journal.Postings)
                    .GroupBy(p => (p.LedgerAccount, p.Asset))
                    .ToDictionary(g => g.Key, g => g.Sum(p => p.Amount));
                var accountsAgree = state
                    .Accounts.Values.SelectMany(a => a.Balances.Select(b => (a.Id, b.Key, b.Value)))
                    .All(b => ledger.GetValueOrDefault((Journal.AccountOf(b.Id), b.Key.Value)) == b.Value);
                var fundAgrees = state.InsuranceFund.All(f =>
                    ledger.GetValueOrDefault((Streams.InsuranceFund, f.Key.Value)) == f.Value
                );
                var feesAgree = state.FeeAccount.All(f =>
                    ledger.GetValueOrDefault((Streams.FeeAccount, f.Key.Value)) == f.Value
                );
                return balanced && accountsAgree && fundAgrees && feesAgree;
            }
        );

    [Test]
    public void The_trial_balance_totals_zero_per_asset()
    {
        var result = ReadModels.Query("trial-balance", Log(RandomScenario.Generate(11, 300)), new QueryOptions());
        var totals = result.Rows.Where(r => r[0] == "total").ToArray();
        Assert.That(totals, Is.Not.Empty);
        Assert.That(totals.Select(r => r[2]), Has.All.EqualTo("0"));
    }

    [Test]
    public void The_ladder_lists_a_long_at_the_first_level_at_or_below_its_liquidation_price()
    {
        // alice long 2 at 60 000 with 10 000 and 20×, mark 58 000: liquidation price 55 251.256…
        // (MarginCalculatorTests)
        var log = Log([
            ListBtcUsdt(takerFee: 0m),
            new UpdatePrice(BtcUsdt, 60_000m),
            new Deposit(Alice, Usdt, 10_000m),
            new SetLeverage(Alice, BtcUsdt, 20m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 2m, 60_000m),
            new UpdatePrice(BtcUsdt, 58_000m),
        ]);
        var ladder = ReadModels.Query(
            "liquidation-ladder",
            log,
            new QueryOptions(Symbol: BtcUsdt, LadderLevels: 6, LadderStep: 0.01m)
        );
        var down = ladder.Rows.Where(r => r[1] == "down").Select(r => (r[2], r[3], r[5])).ToArray();
        // levels 58 000 × (1 − k/100): 57 420, 56 840, 56 260, 55 680, 55 100, 54 520 — alice from 55 100 on, 2 × level
        Assert.That(
            down,
            Is.EqualTo(
                new (string?, string?, string?)[]
                {
                    ("57420", "0", "0"),
                    ("56840", "0", "0"),
                    ("56260", "0", "0"),
                    ("55680", "0", "0"),
                    ("55100", "1", "110200"),
                    ("54520", "1", "109040"),
                }
            )
        );
        Assert.That(ladder.Rows.Where(r => r[1] == "up").Select(r => r[3]), Has.All.EqualTo("0"), "no shorts");
    }

    [Test]
    public void At_risk_and_distribution_place_accounts_by_margin_ratio()
    {
        var log = Log([
            ListBtcUsdt(takerFee: 0m),
            new UpdatePrice(BtcUsdt, 60_000m),
            new Deposit(Alice, Usdt, 10_000m),
            new SetLeverage(Alice, BtcUsdt, 20m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 2m, 60_000m),
            new Deposit(Bob, Usdt, 100_000m),
            new OpenPosition(Bob, BtcUsdt, Side.Short, 0.1m, 60_000m),
            new UpdatePrice(BtcUsdt, 58_000m),
        ]);
        // alice: 530 / 6 000 = 0.0883…; bob: 23.2 / 100 200 — both in [0, 0.1); none at risk at 0.8, alice at 0.05
        var bands = ReadModels.Query("margin-distribution", log, new QueryOptions());
        Assert.That(bands.Rows[0][1], Is.EqualTo("2"));
        Assert.That(ReadModels.Query("at-risk", log, new QueryOptions()).Rows, Is.Empty);
        Assert.That(
            ReadModels.Query("at-risk", log, new QueryOptions(AtRiskThreshold: 0.05m)).Rows.Select(r => r[0]),
            Is.EqualTo(new[] { Alice })
        );
    }

    [Test]
    public void Exposure_sums_open_interest_per_side()
    {
        var log = Log([
            ListBtcUsdt(takerFee: 0m),
            new UpdatePrice(BtcUsdt, 60_000m),
            new Deposit(Alice, Usdt, 10_000m),
            new Deposit(Bob, Usdt, 10_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.5m, 60_000m),
            new OpenPosition(Bob, BtcUsdt, Side.Short, 0.2m, 60_000m),
        ]);
        var row = ReadModels.Query("exposure", log, new QueryOptions()).Rows.Single();
        Assert.That(row, Is.EqualTo(new[] { BtcUsdt, "60000", "0.5", "0.2", "30000", "12000", "1", "1" }));
    }

    [Test]
    public void Unknown_names_and_missing_options_are_explained()
    {
        Assert.That(
            () => ReadModels.Query("balance-sheet", [], new QueryOptions()),
            Throws.ArgumentException.With.Message.Contains("unknown read model 'balance-sheet'")
        );
        Assert.That(
            () => ReadModels.Query("liquidation-ladder", [], new QueryOptions()),
            Throws.ArgumentException.With.Message.Contains("needs --symbol")
        );
        Assert.That(
            () => ReadModels.Query("account-timeline", [], new QueryOptions()),
            Throws.ArgumentException.With.Message.Contains("needs --account")
        );
    }
}
