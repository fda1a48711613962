using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Port;

namespace CrossMargin.Ledger.Tests.Wire;

public sealed class HashingTests
{
    private static readonly EventMetadata Meta = new("c-1", "c-1", "c-1", "ops", "2026-01-01T00:00:00.0000000Z");

    [Test]
    public void Canonical_json_sorts_keys_and_drops_whitespace() =>
        Assert.That(
            CanonicalJson.Of("""{ "b": [1, {"d":"x","c":null}], "a": true }"""),
            Is.EqualTo("""{"a":true,"b":[1,{"c":null,"d":"x"}]}""")
        );

    [Test]
    public void An_event_hash_ignores_key_order_but_not_content()
    {
        var id = EventHash.EventId("c-1", 0);
        var a = EventHash.Compute(
            id,
            "account-a",
            1,
            "funds-deposited.v1",
            """{"account":"a","amount":"1"}""",
            Meta,
            Digest.Genesis
        );
        var reordered = EventHash.Compute(
            id,
            "account-a",
            1,
            "funds-deposited.v1",
            """{"amount":"1", "account":"a"}""",
            Meta,
            Digest.Genesis
        );
        var edited = EventHash.Compute(
            id,
            "account-a",
            1,
            "funds-deposited.v1",
            """{"account":"a","amount":"2"}""",
            Meta,
            Digest.Genesis
        );
        var relinked = EventHash.Compute(
            id,
            "account-a",
            1,
            "funds-deposited.v1",
            """{"account":"a","amount":"1"}""",
            Meta,
            Digest.Parse(new string('1', 64)).Value
        );
        Assert.That(reordered, Is.EqualTo(a));
        Assert.That(edited, Is.Not.EqualTo(a));
        Assert.That(relinked, Is.Not.EqualTo(a));
        Assert.That(a.Hex, Does.Match("^[0-9a-f]{64}$"));
    }

    [Test]
    public void Event_ids_are_deterministic_version_8_uuids()
    {
        var id = EventHash.EventId("c-1", 0);
        Assert.That(EventHash.EventId("c-1", 0), Is.EqualTo(id));
        Assert.That(EventHash.EventId("c-1", 1), Is.Not.EqualTo(id));
        Assert.That(id.ToString("D")[14], Is.EqualTo('8'));
    }

    [Test]
    public void A_seal_chains_the_previous_seal_and_the_hash()
    {
        var h = Digest.Parse(new string('a', 64)).Value;
        var s1 = EventHash.Seal(Digest.Genesis, h);
        Assert.That(EventHash.Seal(Digest.Genesis, h), Is.EqualTo(s1));
        Assert.That(EventHash.Seal(s1, h), Is.Not.EqualTo(s1));
        // SHA-256 of 32 zero bytes followed by 32 bytes of 0xaa
        Assert.That(
            s1.Hex,
            Is.EqualTo(
                Convert.ToHexStringLower(
                    System.Security.Cryptography.SHA256.HashData([
                        .. new byte[32],
                        .. Enumerable.Repeat((byte)0xaa, 32),
                    ])
                )
            )
        );
    }

    [Test]
    public void A_digest_is_the_sha_256_of_its_input_in_lower_case_hex()
    {
        // FIPS 180-2, appendix B.1
        Assert.That(
            Digest.OfUtf8("abc").Hex,
            Is.EqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        Assert.That(Digest.Parse(Digest.OfUtf8("abc").Hex).Value, Is.EqualTo(Digest.OfUtf8("abc")));
        Assert.That(Digest.Genesis.Hex, Is.EqualTo(new string('0', 64)));
        Assert.That(default(Digest), Is.EqualTo(Digest.Genesis));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")]
    [TestCase("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a")]
    [TestCase("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015adz")]
    [TestCase("zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public void Text_that_is_not_64_lower_case_hex_digits_is_not_a_digest(string? text) =>
        Assert.That(
            Digest.Parse(text).Problem,
            Is.EqualTo($"'{text}' is not a SHA-256 digest (64 lower-case hex digits)")
        );
}
