using System.Collections.Immutable;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Ledger;
using static CrossMargin.Ledger.Tests.Samples;

namespace CrossMargin.Ledger.Tests.Deciders;

/// <summary>
/// A state keeps the positions opened and closed since its holders index was merged beside it, and merges them on
/// demand or after a thousand (design §9): whenever it is asked and however the changes were merged, the index holds
/// exactly the accounts with a position, and a state is a value: its successors' changes never reach it.
/// </summary>
public sealed class HolderChangesTests
{
    private static readonly string[] Symbols = [BtcUsdt, EthUsdt];

    private static LedgerState Market() =>
        Apply(
            LedgerState.Initial,
            ListBtcUsdt(takerFee: 0m),
            ListEthUsdt(),
            new UpdatePrice(BtcUsdt, 60_000m),
            new UpdatePrice(EthUsdt, 3_000m)
        );

    /// <summary>Alice long 0.1 BTCUSDT, Bob funded and flat.</summary>
    private static LedgerState AliceLongBobFlat() =>
        Apply(
            Market(),
            new Deposit(Alice, Usdt, 100_000m),
            new Deposit(Bob, Usdt, 100_000m),
            new OpenPosition(Alice, BtcUsdt, Side.Long, 0.1m, 60_000m)
        );

    [Test]
    public void The_index_holds_exactly_the_accounts_with_a_position_however_its_changes_were_merged()
    {
        var random = new Random(11);
        var ids = Enumerable.Range(0, 40).Select(i => $"acct-{i:D2}").ToArray();
        var state = Apply(Market(), [.. ids.Select(id => new Deposit(id, Usdt, 1_000_000m))]);
        var model = Symbols.ToDictionary(s => s, _ => new SortedSet<string>(StringComparer.Ordinal));
        var asked = 0;
        // 3 000 opens and closes: the changes pass the merge threshold twice, and the index is asked part-way
        for (var step = 0; step < 3_000; step++)
        {
            var id = ids[random.Next(ids.Length)];
            var symbol = Symbols[random.Next(2)];
            var price = symbol == BtcUsdt ? 60_000m : 3_000m;
            var holds = model[symbol].Contains(id);
            LedgerCommand command = holds
                ? new ClosePosition(id, symbol, price)
                : new OpenPosition(id, symbol, random.Next(2) == 0 ? Side.Long : Side.Short, 0.1m, price);
            state = Apply(state, command);
            if (holds)
                model[symbol].Remove(id);
            else
                model[symbol].Add(id);
            if (random.Next(9) != 0)
                continue;
            asked++;
            foreach (var s in Symbols)
            {
                Assert.That(state.HoldersOf(s).Select(a => a.Value), Is.EqualTo(model[s]), $"{s} at step {step}");
                var positions = state
                    .Accounts.Values.Where(a => a.Positions.ContainsKey(s))
                    .Select(a => a.Id.Value)
                    .ToList();
                Assert.That(positions, Is.EqualTo(model[s]), $"the positions of {s} at step {step}");
            }
        }
        Assert.That(asked, Is.GreaterThan(250));
        foreach (var s in Symbols)
            Assert.That(state.Holders[s].Select(a => a.Value), Is.EqualTo(model[s]));
        Assert.That(state.Holders.Keys.Select(k => k.Value).Order(), Is.EqualTo(Symbols.Order()));
        Assert.That(Invariants.Violations(state), Is.Empty);
    }

    [Test]
    public void A_state_never_sees_the_positions_its_successors_opened_or_closed()
    {
        var start = AliceLongBobFlat();
        var forks = Enumerable
            .Range(0, 20)
            .Select(i =>
                i % 2 == 0
                    ? Apply(start, new OpenPosition(Bob, BtcUsdt, Side.Short, 0.1m, 60_000m))
                    : Apply(start, new ClosePosition(Alice, BtcUsdt, 60_000m))
            )
            .ToList();
        for (var i = 0; i < forks.Count; i++)
            Assert.That(
                forks[i].HoldersOf(BtcUsdt).Select(a => a.Value),
                Is.EqualTo(i % 2 == 0 ? new[] { Alice, Bob } : []),
                $"fork {i}"
            );
        Assert.That(start.HoldersOf(BtcUsdt).Select(a => a.Value), Is.EqualTo(new[] { Alice }));
        // a state asked before its successors were made, then one of them: each answers for itself
        var asked = Apply(start, new OpenPosition(Bob, EthUsdt, Side.Long, 1m, 3_000m));
        Assert.That(asked.HoldersOf(EthUsdt).Select(a => a.Value), Is.EqualTo(new[] { Bob }));
        var next = Apply(asked, new ClosePosition(Bob, EthUsdt, 3_000m));
        Assert.That(next.HoldersOf(EthUsdt), Is.Empty);
        Assert.That(asked.HoldersOf(EthUsdt).Select(a => a.Value), Is.EqualTo(new[] { Bob }));
    }

    [Test]
    public void Threads_reading_one_state_at_once_read_the_same_index()
    {
        for (var round = 0; round < 50; round++)
        {
            var ids = Enumerable.Range(0, 8).Select(i => $"acct-{round}-{i}").ToArray();
            var state = Apply(
                Market(),
                [
                    .. ids.Select(id => new Deposit(id, Usdt, 100_000m)),
                    .. ids.Select(id => new OpenPosition(id, BtcUsdt, Side.Long, 0.1m, 60_000m)),
                ]
            );
            var seen = new System.Collections.Concurrent.ConcurrentBag<
                ImmutableDictionary<Symbol, ImmutableSortedSet<AccountId>>
            >();
            Parallel.For(0, 8, _ => seen.Add(state.Holders));
            Assert.That(seen.Distinct().Count(), Is.EqualTo(1), "one merged index, kept");
            Assert.That(seen.First()[BtcUsdt].Select(a => a.Value), Is.EqualTo(ids.Order(StringComparer.Ordinal)));
        }
    }

    [Test]
    public void An_index_set_whole_replaces_the_changes_kept_beside_the_old_one()
    {
        var state = AliceLongBobFlat();
        var replaced = state with
        {
            Holders = ImmutableDictionary<Symbol, ImmutableSortedSet<AccountId>>.Empty.Add(EthUsdt, [(AccountId)Bob]),
        };
        Assert.That(replaced.HoldersOf(BtcUsdt), Is.Empty);
        Assert.That(replaced.HoldersOf(EthUsdt).Select(a => a.Value), Is.EqualTo(new[] { Bob }));
        // and a change after it lands on the new index
        var after = Apply(replaced, new OpenPosition(Bob, BtcUsdt, Side.Short, 0.1m, 60_000m));
        Assert.That(after.HoldersOf(BtcUsdt).Select(a => a.Value), Is.EqualTo(new[] { Bob }));
        Assert.That(after.HoldersOf(EthUsdt).Select(a => a.Value), Is.EqualTo(new[] { Bob }));
    }
}
