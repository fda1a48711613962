using System.Collections.Immutable;
using CrossMargin.Ledger.Accounts;

namespace CrossMargin.Ledger.Tests.Deciders;

/// <summary>
/// An account's balances, positions and leverage live in <see cref="SmallSortedDictionary{TKey, TValue}"/>, which
/// replaced <see cref="ImmutableSortedDictionary{TKey, TValue}"/>. The fold's results, their order and the scales of
/// their decimals depend on its semantics, so random sequences of the fold's operations run on both and must agree
/// at every step: the same entries in the same order with the same bits, and the same answer from every lookup.
/// </summary>
public sealed class SmallSortedDictionaryTests
{
    private static readonly Asset[] Assets = ["USDT", "BTC", "ETH", "USDC", "SOL", "ADA", "ZZZ"];

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public void Random_operations_agree_with_the_sorted_tree_step_by_step(int seed)
    {
        var random = new Random(seed);
        for (var run = 0; run < 250; run++)
        {
            var tree = ImmutableSortedDictionary<Asset, decimal>.Empty;
            var small = SmallSortedDictionary.Empty<Asset, decimal>();
            for (var step = 0; step < 40; step++)
            {
                var key = Assets[random.Next(Assets.Length)];
                if (random.Next(4) == 0)
                {
                    tree = tree.Remove(key);
                    small = small.Remove(key);
                }
                else
                {
                    // values drawn from few numbers at several scales, so equal values of another scale recur
                    var value = random.Next(3) switch
                    {
                        0 => 1.5m,
                        1 => 1.50m,
                        _ => new decimal(random.Next(-3, 4), 0, 0, false, (byte)random.Next(0, 3)),
                    };
                    tree = tree.SetItem(key, value);
                    small = small.SetItem(key, value);
                }
                AssertSame(tree, small, $"seed {seed}, run {run}, step {step}");
            }
        }
    }

    [Test]
    public void Setting_an_equal_value_keeps_the_one_held_with_its_scale()
    {
        var held = SmallSortedDictionary.Empty<Asset, decimal>().SetItem("USDT", 1.50m);
        var again = held.SetItem("USDT", 1.5m);
        Assert.Multiple(() =>
        {
            Assert.That(again, Is.EqualTo(held), "the same map");
            Assert.That(again["USDT"].ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo("1.50"));
            Assert.That(held.SetItem("USDT", 2m), Is.Not.EqualTo(held), "a changed map is another map");
            Assert.That(held.Remove("BTC"), Is.EqualTo(held), "removing what is not there changes nothing");
            Assert.That(held.Remove("USDT").IsEmpty, Is.True);
            Assert.That(held.Remove("USDT"), Is.EqualTo(SmallSortedDictionary.Empty<Asset, decimal>()));
        });
    }

    [Test]
    public void Lookups_of_what_is_not_there()
    {
        var map = SmallSortedDictionary.Of<Asset, decimal>([new("USDT", 5m), new("BTC", 1m)]);
        Assert.Multiple(() =>
        {
            Assert.That(map.Keys, Is.EqualTo(new Asset[] { "BTC", "USDT" }), "in key order");
            Assert.That(map.GetValueOrDefault("ETH"), Is.EqualTo(0m));
            Assert.That(map.GetValueOrDefault("ETH", 7m), Is.EqualTo(7m));
            Assert.That(map.ContainsKey("ETH"), Is.False);
            Assert.That(() => map["ETH"], Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("ETH"));
            Assert.That(
                () => SmallSortedDictionary.Of<Asset, decimal>([new("BTC", 1m), new("BTC", 2m)]),
                Throws.ArgumentException.With.Message.Contains("BTC")
            );
        });
    }

    private static void AssertSame(
        ImmutableSortedDictionary<Asset, decimal> tree,
        SmallSortedDictionary<Asset, decimal> small,
        string where
    )
    {
        var expected = tree.Select(e => (e.Key.Value, decimal.GetBits(e.Value))).ToList();
        var walked = new List<(string, int[])>();
        foreach (var (key, value) in small)
            walked.Add((key.Value, decimal.GetBits(value)));
        Assert.That(walked, Is.EqualTo(expected), where);
        Assert.That(small.Select(e => (e.Key.Value, decimal.GetBits(e.Value))), Is.EqualTo(expected), where);
        Assert.That(small.Count, Is.EqualTo(tree.Count), where);
        Assert.That(small.IsEmpty, Is.EqualTo(tree.IsEmpty), where);
        foreach (var asset in Assets)
        {
            Assert.That(small.TryGetValue(asset, out var s), Is.EqualTo(tree.TryGetValue(asset, out var t)), where);
            Assert.That(decimal.GetBits(s), Is.EqualTo(decimal.GetBits(t)), where);
        }
    }
}
