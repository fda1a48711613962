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

    // both hashes computed outside .NET (Python's hashlib) from the rule in data-formats: SHA-256 of the UTF-8 of
    // {"data":…,"eventId":…,"metadata":…,"prevHash":…,"stream":…,"streamVersion":…,"type":…}, strings as Json.NET
    // writes them (here a tab, a quote and U+2028 escaped, an emoji as it is)
    [TestCase("account-a", 1L, "b10a096b023fbf46f563a5f4b620ab991807aa057ba74e56c886fdb14019225f")]
    [TestCase(
        "acc\t\"\u2028\U0001F600-b",
        1234567890123L,
        "98e1bedfe3181cc42df2543dd59388809a6b451ea894a9db3008fc7ddc60cb51"
    )]
    public void An_event_hash_is_the_documented_sha_256(string stream, long version, string expected)
    {
        var id = EventHash.EventId("c-1", 0);
        Assert.That(id.ToString("D"), Is.EqualTo("46adb611-0ba9-86bb-9c24-04d431f7461c"));
        var hash = EventHash.Compute(
            id,
            stream,
            version,
            "funds-deposited.v1",
            """{"amount":"1","account":"a"}""",
            Meta,
            Digest.Genesis
        );
        Assert.That(hash.Hex, Is.EqualTo(expected));
    }

    /// <summary>
    /// The hash is written piece by piece into UTF-8; the text it covers is the one assembled as a string with
    /// Json.NET's quoting, whatever the strings hold: escapes, controls, U+0085, U+2028/9, astral characters, a lone
    /// surrogate in a name or the metadata.
    /// </summary>
    [Test]
    public void An_event_hash_covers_the_assembled_text_for_any_strings()
    {
        string[] pieces =
        [
            "a",
            "Z",
            "0",
            "-",
            "é",
            "\"",
            "\\",
            "\n",
            "\t",
            "\u0001",
            "\u001f",
            "\u007f",
            "\u0085",
            "\u2028",
            "\u2029",
            "\U0001F600",
            "\ud800",
            "\udfff",
            "/",
            "<",
            " ",
            "€",
        ];
        var random = new Random(8128);
        string Text(int max, bool loneSurrogates) =>
            string.Concat(
                Enumerable
                    .Range(0, random.Next(0, max))
                    .Select(_ => pieces[random.Next(pieces.Length)])
                    .Where(p => loneSurrogates || p is not ("\ud800" or "\udfff"))
            );
        for (var i = 0; i < 5_000; i++)
        {
            var metadata = new EventMetadata(
                Text(12, true),
                Text(6, true),
                Text(6, true),
                Text(6, true),
                Text(6, true)
            );
            var data = Newtonsoft.Json.JsonConvert.SerializeObject(
                new Dictionary<string, string> { [Text(5, false) + "k"] = Text(40, false), ["amount"] = "1.5" }
            );
            var (stream, type) = (Text(10, true), Text(10, true));
            var version = random.NextInt64(1, long.MaxValue);
            var prev = Digest.Of(BitConverter.GetBytes(i));
            var id = EventHash.EventId(metadata.CommandId, i);
            var text =
                "{\"data\":"
                + CanonicalJson.Of(data)
                + ",\"eventId\":"
                + Newtonsoft.Json.JsonConvert.ToString(id.ToString("D"))
                + ",\"metadata\":"
                + EventHash.CanonicalMetadataOf(metadata)
                + ",\"prevHash\":"
                + Newtonsoft.Json.JsonConvert.ToString(prev.Hex)
                + ",\"stream\":"
                + Newtonsoft.Json.JsonConvert.ToString(stream)
                + ",\"streamVersion\":"
                + version.ToString(System.Globalization.CultureInfo.InvariantCulture)
                + ",\"type\":"
                + Newtonsoft.Json.JsonConvert.ToString(type)
                + "}";
            Assert.That(
                EventHash.Compute(id, stream, version, type, data, metadata, prev),
                Is.EqualTo(Digest.OfUtf8(text)),
                $"case {i}: {text}"
            );
        }
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
