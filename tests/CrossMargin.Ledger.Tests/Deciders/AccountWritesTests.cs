using System.Collections.Immutable;
using CrossMargin.Ledger.Accounts;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Ledger;
using static CrossMargin.Ledger.Tests.Samples;

namespace CrossMargin.Ledger.Tests.Deciders;

/// <summary>
/// A state keeps its latest account writes beside its map and merges them a few at a time (design §9): whatever the
/// split, an account reads the same through <see cref="LedgerState.Account"/> and <see cref="LedgerState.Accounts"/>,
/// and a state is a value: its successors' writes never reach it.
/// </summary>
public sealed class AccountWritesTests
{
    [Test]
    public void Every_account_reads_as_the_deposits_left_it_however_the_writes_were_merged()
    {
        var random = new Random(5);
        var ids = Enumerable.Range(0, 30).Select(i => $"acct-{i:D2}").ToArray();
        var model = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        var state = Apply(LedgerState.Initial, ListBtcUsdt());
        var merges = 0;
        for (var step = 0; step < 600; step++)
        {
            // a few accounts written again and again, as a liquidation writes its account, and the rest at random
            var id = ids[random.Next(3) == 0 ? random.Next(ids.Length) : random.Next(3)];
            var amount = random.Next(1, 1_000) / 100m;
            var withdraw = model.GetValueOrDefault(id) > amount && random.Next(3) == 0;
            state = Apply(state, withdraw ? new Withdraw(id, Usdt, amount) : new Deposit(id, Usdt, amount));
            model[id] = model.GetValueOrDefault(id) + (withdraw ? -amount : amount);
            foreach (var (known, balance) in model)
                Assert.That(state.Account(known).Balance(Usdt), Is.EqualTo(balance), () => $"{known} at step {step}");
            // now and then the whole map, merged on demand, part-way through a run of writes
            if (random.Next(7) != 0)
                continue;
            merges++;
            Assert.That(state.Accounts.Keys.Select(k => k.Value), Is.EqualTo(model.Keys), $"ids at step {step}");
            Assert.That(state.Accounts.Values.Select(a => a.Balance(Usdt)), Is.EqualTo(model.Values));
            Assert.That(state.Accounts.Values.Select(a => a.Id), Is.EqualTo(state.Accounts.Keys));
        }
        Assert.That(merges, Is.GreaterThan(50));
        Assert.That(Invariants.Violations(state), Is.Empty);
    }

    [Test]
    public void A_state_never_sees_what_its_successors_wrote()
    {
        // seven writes kept beside the map, and the map merged with them once, before the forks: each fork's second
        // write is the ninth, which merges its list into a map of its own
        var start = Apply(
            LedgerState.Initial,
            [ListBtcUsdt(), .. Enumerable.Range(1, 7).Select(i => new Deposit(Alice, Usdt, i))]
        );
        Assert.That(start.Accounts[Alice].Balance(Usdt), Is.EqualTo(28m));
        var forks = Enumerable
            .Range(1, 20)
            .Select(i =>
                (Amount: (decimal)i, State: Apply(start, new Deposit(Alice, Usdt, i), new Deposit(Bob, Usdt, i)))
            )
            .ToList();
        foreach (var (amount, state) in forks)
        {
            Assert.That(state.Account(Alice).Balance(Usdt), Is.EqualTo(28m + amount));
            Assert.That(state.Accounts[Alice].Balance(Usdt), Is.EqualTo(28m + amount));
            Assert.That(state.Accounts[Bob].Balance(Usdt), Is.EqualTo(amount));
        }
        Assert.That(start.Account(Alice).Balance(Usdt), Is.EqualTo(28m));
        Assert.That(start.Accounts[Alice].Balance(Usdt), Is.EqualTo(28m));
        Assert.That(start.Accounts.ContainsKey(Bob), Is.False);
        Assert.That(start.Account(Bob), Is.EqualTo(AccountState.Open(Bob)));
    }

    [Test]
    public void Threads_reading_one_state_at_once_read_the_same_accounts()
    {
        // a Monte Carlo study shares its state across threads: the first to ask merges, the others read the result
        for (var round = 0; round < 50; round++)
        {
            var state = Apply(
                LedgerState.Initial,
                [ListBtcUsdt(), .. Enumerable.Range(0, 8).Select(i => new Deposit($"acct-{round}-{i}", Usdt, i + 1m))]
            );
            var seen = new System.Collections.Concurrent.ConcurrentBag<
                ImmutableSortedDictionary<AccountId, AccountState>
            >();
            Parallel.For(0, 8, _ => seen.Add(state.Accounts));
            Assert.That(seen.Distinct().Count(), Is.EqualTo(1), "one merged map, kept");
            Assert.That(seen.First().Values.Select(a => a.Balance(Usdt)), Is.EqualTo(Enumerable.Range(1, 8)));
        }
    }

    [Test]
    public void A_map_set_whole_replaces_the_writes_kept_beside_the_old_one()
    {
        var state = Apply(
            LedgerState.Initial,
            ListBtcUsdt(),
            new Deposit(Alice, Usdt, 10m),
            new Deposit(Alice, Usdt, 5m),
            new Deposit(Bob, Usdt, 7m)
        );
        var replaced = state with
        {
            Accounts = ImmutableSortedDictionary<AccountId, AccountState>.Empty.Add(
                Alice,
                AccountState.Open(Alice) with
                {
                    Balances = SmallSortedDictionary.Empty<Asset, decimal>().SetItem(Usdt, 1m),
                }
            ),
        };
        Assert.That(replaced.Account(Alice).Balance(Usdt), Is.EqualTo(1m));
        Assert.That(replaced.Account(Bob), Is.EqualTo(AccountState.Open(Bob)));
        Assert.That(replaced.Accounts.Keys, Is.EqualTo(new AccountId[] { Alice }));
        // and a write after it lands on the new map
        var after = Apply(replaced, new Deposit(Bob, Usdt, 2m));
        Assert.That(after.Accounts.Keys, Is.EqualTo(new AccountId[] { Alice, Bob }));
        Assert.That(after.Account(Alice).Balance(Usdt), Is.EqualTo(1m));
    }
}
