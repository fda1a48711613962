using System.Text.RegularExpressions;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.EventStore.Json;
using Newtonsoft.Json;

namespace CrossMargin.Ledger.Tests.Words;

/// <summary>Account ids, symbols and assets are parsed once, at the edge, into types that are always valid.</summary>
public sealed class IdentifierTests
{
    [TestCase("alice")]
    [TestCase("A")]
    [TestCase("acct-1_x.y:z")]
    [TestCase("0123456789012345678901234567890123456789012345678901234567890123")]
    public void An_account_id_takes_the_documented_alphabet(string text) =>
        Assert.That(AccountId.Parse(text).Value.Value, Is.EqualTo(text));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("-alice")]
    [TestCase("al ice")]
    [TestCase("alice\n")]
    [TestCase("ålice")]
    [TestCase("01234567890123456789012345678901234567890123456789012345678901234")]
    public void Anything_else_is_not_an_account_id_and_the_problem_names_the_rule(string? text)
    {
        var parsed = AccountId.Parse(text);
        Assert.That(parsed.IsValid, Is.False);
        Assert.That(parsed.Problem, Is.EqualTo($"account '{text}' must match [A-Za-z0-9][A-Za-z0-9_.:-]{{0,63}}"));
    }

    [TestCase("BTCUSDT")]
    [TestCase("1000PEPEUSDT")]
    [TestCase("ABCDEFGHIJKLMNOPQRST")]
    public void A_symbol_or_an_asset_is_two_to_twenty_capitals_or_digits(string text)
    {
        Assert.That(Symbol.Parse(text).Value.Value, Is.EqualTo(text));
        Assert.That(Asset.Parse(text).Value.Value, Is.EqualTo(text));
    }

    [TestCase("B")]
    [TestCase("btcusdt")]
    [TestCase("BTC-USDT")]
    [TestCase("BTCUSDT\n")]
    [TestCase("ABCDEFGHIJKLMNOPQRSTU")]
    public void A_malformed_symbol_or_asset_is_refused_with_the_field_named(string text)
    {
        Assert.That(
            Symbol.Parse(text, "instrument").Problem,
            Is.EqualTo($"instrument '{text}' must be 2 to 20 of A-Z and 0-9")
        );
        Assert.That(Asset.Parse(text).IsValid, Is.False);
    }

    [Test]
    public void A_literal_is_checked_never_trusted()
    {
        Assert.That(
            () => (AccountId)"no spaces",
            Throws.ArgumentException.With.Message.Contains("account 'no spaces'")
        );
        Assert.That(() => (Symbol)"btc", Throws.ArgumentException.With.Message.Contains("symbol 'btc'"));
        Assert.That(() => (Asset)"usdt", Throws.ArgumentException.With.Message.Contains("asset 'usdt'"));
    }

    [Test]
    public void Ids_order_ordinally_whatever_the_culture()
    {
        AccountId[] ids = ["b", "B", "a", "x_", "A", "a1", "a-1", "Z9"];
        var expected = ids.Select(id => id.Value).Order(StringComparer.Ordinal).ToList();
        Assert.That(ids.Order().Select(id => id.Value), Is.EqualTo(expected));
        Assert.That((AccountId)"B" < "a" && (Symbol)"ETH" > "BTC" && (Asset)"USDT" >= "USDT", Is.True);
    }

    [Test]
    public void Ids_compare_equate_and_hash_as_their_text_does()
    {
        // ids compare by a key of their first ten characters unless it ties (design §9): drawn so that many share a
        // prefix of ten or more (long ids differing late), many are one character longer than another (a prefix of
        // it), and stored ids end in the newline an earlier release let through
        const string alphabet = "-.0123456789:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
        const string first = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var random = new Random(23);
        var texts = new List<string> { "a", "A", "0", "z", "a\n", "z\n", "0123456789", "0123456789a", "0123456789\n" };
        string Draw(int length)
        {
            var chars = new char[length];
            chars[0] = first[random.Next(first.Length)];
            for (var c = 1; c < length; c++)
                chars[c] = alphabet[random.Next(alphabet.Length)];
            return new string(chars);
        }
        for (var i = 0; i < 4_000; i++)
        {
            var text = Draw(random.Next(1, 30));
            texts.Add(text);
            texts.Add(text.Length < 64 ? text + alphabet[random.Next(alphabet.Length)] : text);
            texts.Add(text.Length > 1 ? text[..^1] + alphabet[random.Next(alphabet.Length)] : text);
            texts.Add(text + "\n");
        }
        var ids = texts.Select(t => AccountId.ParseStored(t).Value).ToArray();
        var copies = texts.Select(t => AccountId.ParseStored(new string(t.AsSpan())).Value).ToArray();
        Assert.That(ids.Select(id => id.Value), Is.EqualTo(texts), "every drawn text is an id");
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.That(ids[i], Is.EqualTo(copies[i]));
            Assert.That(ids[i].GetHashCode(), Is.EqualTo(copies[i].GetHashCode()), () => $"hash of '{texts[i]}'");
            for (var k = 1; k <= 3; k++)
            {
                // each against its neighbours in drawing order (a prefix, a longer id, a late difference) and one at
                // random
                var j = k == 3 ? random.Next(ids.Length) : (i + k) % ids.Length;
                var expected = Math.Sign(string.CompareOrdinal(texts[i], texts[j]));
                var pair = $"'{texts[i]}' and '{texts[j]}'";
                Assert.That(Math.Sign(ids[i].CompareTo(copies[j])), Is.EqualTo(expected), pair);
                Assert.That(ids[i] == copies[j], Is.EqualTo(expected == 0), pair);
            }
        }
        Assert.That(
            ids.Order().Select(id => id.Value),
            Is.EqualTo(texts.Order(StringComparer.Ordinal)),
            "sorted as ordinal text"
        );
        Assert.That(default(AccountId).CompareTo("0"), Is.Negative, "the empty default first");
    }

    [Test]
    public void On_the_wire_an_id_is_the_plain_string()
    {
        var e = new FundsDeposited("alice", "USDT", 1.5m, 1.5m);
        var json = LedgerJson.Serialize(e);
        Assert.That(json, Does.Contain("\"account\":\"alice\"").And.Contain("\"asset\":\"USDT\""));
        Assert.That(JsonConvert.DeserializeObject<FundsDeposited>(json, LedgerJson.Settings), Is.EqualTo(e));
    }

    [TestCase("""{"account":"al ice","asset":"USDT","amount":1,"balanceAfter":1}""", "account: account 'al ice'")]
    [TestCase("""{"account":"alice","asset":"usdt","amount":1,"balanceAfter":1}""", "asset: asset 'usdt'")]
    [TestCase("""{"account":7,"asset":"USDT","amount":1,"balanceAfter":1}""", "account: expected a string")]
    public void Stored_text_that_is_not_an_id_fails_with_its_path_and_the_rule(string json, string message) =>
        Assert.That(
            () => JsonConvert.DeserializeObject<FundsDeposited>(json, LedgerJson.Settings),
            Throws.InstanceOf<JsonSerializationException>().With.Message.Contains(message)
        );

    [Test]
    public void A_log_keeps_an_id_an_earlier_release_let_through_with_a_final_newline()
    {
        // 0.1.0 checked ids with a regex ending in $, which also matches before a final newline: such an id may be in
        // a log, and the log must still read; a new command is held to the whole-text rule
        const string json = """{"account":"alice\n","asset":"USDT\n","amount":1,"balanceAfter":1}""";
        var e = JsonConvert.DeserializeObject<FundsDeposited>(json, LedgerJson.Settings)!;
        Assert.That((e.Account.Value, e.Asset.Value), Is.EqualTo(("alice\n", "USDT\n")));
        Assert.That(LedgerJson.Serialize(e), Does.Contain("\"account\":\"alice\\n\""));
        Assert.That(AccountId.Parse("alice\n").IsValid, Is.False);
        Assert.That(AccountId.ParseStored("alice\n\n").IsValid, Is.False, "one newline, as $ allowed, no more");
        Assert.That(Symbol.ParseStored("\nBTC").IsValid, Is.False);
    }

    [Test]
    public void The_checks_accept_exactly_what_the_documented_patterns_match()
    {
        // the patterns the types document, as regular expressions: the oracle for the span checks
        var account = new Regex(@"\A[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}\z", RegexOptions.CultureInvariant);
        var symbol = new Regex(@"\A[A-Z0-9]{2,20}\z", RegexOptions.CultureInvariant);
        // a symbol's alphabet, an account's, and the rest: letters outside ASCII, a NUL, a newline, a slash, a space
        string[] alphabets = ["ABCXYZ0189", "AZaz09_.:-", "/ \n\u00e5\u0130\u212a\u0000az"];
        var random = new Random(11);
        var texts = new List<string> { "", "a", "A", "_", "-", new('a', 64), new('a', 65), new('A', 20), new('A', 21) };
        for (var i = 0; i < 50_000; i++)
        {
            var chars = new char[random.Next(0, i % 4 == 0 ? 70 : 24)];
            var main = alphabets[i % 2];
            for (var c = 0; c < chars.Length; c++)
                chars[c] = random.Next(40) switch
                {
                    0 => alphabets[2][random.Next(alphabets[2].Length)],
                    1 => (char)random.Next(32, 127),
                    _ => main[random.Next(main.Length)],
                };
            texts.Add(new string(chars));
        }
        var (accounts, symbols) = (0, 0);
        foreach (var text in texts)
        {
            Assert.That(AccountId.Parse(text).IsValid, Is.EqualTo(account.IsMatch(text)), () => $"account '{text}'");
            Assert.That(Symbol.Parse(text).IsValid, Is.EqualTo(symbol.IsMatch(text)), () => $"symbol '{text}'");
            Assert.That(Asset.Parse(text).IsValid, Is.EqualTo(symbol.IsMatch(text)), () => $"asset '{text}'");
            accounts += account.IsMatch(text) ? 1 : 0;
            symbols += symbol.IsMatch(text) ? 1 : 0;
        }
        Assert.That(accounts, Is.GreaterThan(5_000), "account ids drawn");
        Assert.That(symbols, Is.GreaterThan(5_000), "symbols drawn");
    }
}
