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
            EventHash.Genesis
        );
        var reordered = EventHash.Compute(
            id,
            "account-a",
            1,
            "funds-deposited.v1",
            """{"amount":"1", "account":"a"}""",
            Meta,
            EventHash.Genesis
        );
        var edited = EventHash.Compute(
            id,
            "account-a",
            1,
            "funds-deposited.v1",
            """{"account":"a","amount":"2"}""",
            Meta,
            EventHash.Genesis
        );
        var relinked = EventHash.Compute(
            id,
            "account-a",
            1,
            "funds-deposited.v1",
            """{"account":"a","amount":"1"}""",
            Meta,
            new string('1', 64)
        );
        Assert.That(reordered, Is.EqualTo(a));
        Assert.That(edited, Is.Not.EqualTo(a));
        Assert.That(relinked, Is.Not.EqualTo(a));
        Assert.That(a, Does.Match("^[0-9a-f]{64}$"));
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
        var h = new string('a', 64);
        var s1 = EventHash.Seal(EventHash.Genesis, h);
        Assert.That(EventHash.Seal(EventHash.Genesis, h), Is.EqualTo(s1));
        Assert.That(EventHash.Seal(s1, h), Is.Not.EqualTo(s1));
        // SHA-256 of 32 zero bytes followed by 32 bytes of 0xaa
        Assert.That(
            s1,
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
}
