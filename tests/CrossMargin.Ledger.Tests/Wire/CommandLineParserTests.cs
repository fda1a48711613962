using CrossMargin.Ledger.Application.Input;
using CrossMargin.Ledger.Commands;

namespace CrossMargin.Ledger.Tests.Wire;

public sealed class CommandLineParserTests
{
    [Test]
    public void Decimals_may_be_strings_or_numbers_and_are_exact()
    {
        var parsed = CommandLineParser.Parse(
            """{"type":"open-position","account":"alice","symbol":"BTCUSDT","side":"short","quantity":0.1,"""
                + """ "price":"60000.10"}"""
        );
        Assert.That(parsed.Error, Is.Null);
        Assert.That(parsed.Command, Is.EqualTo(new OpenPosition("alice", "BTCUSDT", Side.Short, 0.1m, 60_000.1m)));
    }

    [Test]
    public void The_envelope_is_optional_and_times_are_normalised_to_utc()
    {
        var parsed = CommandLineParser.Parse(
            """{"type":"deposit","account":"a","asset":"USDT","amount":"1","commandId":"c-1","""
                + """ "at":"2026-01-02T03:04:05+00:00","actor":"ops"}"""
        );
        Assert.That(parsed.Context, Is.EqualTo(new CommandContext("c-1", "2026-01-02T03:04:05.0000000Z", "ops")));
    }

    [Test]
    public void Listing_limits_left_out_take_their_defaults_and_the_payload_of_a_listing_without_them_is_unchanged()
    {
        const string Listing =
            """{"type":"list-instrument","symbol":"BTCUSDT","base":"BTC","quote":"USDT","tiers":[{"floor":0,"""
            + """ "mmr":"0.004","maxLeverage":125}],"takerFeeRate":"0.0004","liquidationFeeRate":"0.005","""
            + """ "quantityStep":"0.001","tickSize":"0.1"}""";
        var plain = (ListInstrument)CommandLineParser.Parse(Listing).Command!;
        Assert.That(plain.Limits, Is.Null, "a new listing gets the defaults, a change keeps the instrument's");
        // a listing recorded before limits existed hashed {"command","data"} without a limits key: a resend still
        // matches
        Assert.That(Application.Pipeline.CommandPayload.Canonical(plain), Does.Not.Contain("limits"));

        var partial = (ListInstrument)
            CommandLineParser
                .Parse(
                    Listing.Replace(
                        "\"tickSize\":\"0.1\"",
                        "\"tickSize\":\"0.1\",\"limits\":{\"maxPrice\":\"70000\",\"priceBand\":\"0.05\"}",
                        StringComparison.Ordinal
                    )
                )
                .Command!;
        // the fields left out are filled by the decider: from the defaults for a new listing, from the instrument's for
        // a change
        Assert.That(
            partial.Limits,
            Is.EqualTo(new CrossMargin.Ledger.Parameters.InstrumentLimitsInput(MaxPrice: 70_000m, PriceBand: 0.05m))
        );
        Assert.That(Application.Pipeline.CommandPayload.Canonical(partial), Does.Contain("\"limits\""));
    }

    [TestCase("""{"type":"deposit","account":"a","asset":"USDT"}""", "amount: required field is missing")]
    [TestCase(
        """{"type":"deposit","account":"a","asset":"USDT","amount":"1","ammount":"2"}""",
        "ammount: unknown field"
    )]
    [TestCase("""{"type":"deposit","account":"a","asset":"USDT","amount":"ten"}""", "amount: not a decimal number")]
    [TestCase("""{"type":"deposit","account":"a","asset":"USDT","amount":true}""", "amount")]
    [TestCase(
        """{"type":"open-position","account":"a","symbol":"BTCUSDT","side":"up","quantity":"1","price":"1"}""",
        "side: not one of the allowed values"
    )]
    [TestCase("""{"type":"teleport"}""", "unknown type 'teleport'")]
    [TestCase("""{"account":"a"}""", "missing string field 'type'")]
    [TestCase("""{"type":"deposit",""", "invalid JSON")]
    [TestCase("""[1,2]""", "one JSON object")]
    [TestCase(
        """{"type":"deposit","account":"a","asset":"USDT","amount":0.10000000000000000000000000001}""",
        "more precision than a decimal holds"
    )]
    [TestCase(
        """{"type":"deposit","account":"a","asset":"USDT","amount":"1","at":"2026-01-02T03:04:05+02:00"}""",
        "at: '2026-01-02T03:04:05+02:00' is not a UTC timestamp of the form"
    )]
    [TestCase("""{"type":"deposit","type":"withdraw","account":"a","asset":"USDT","amount":"1"}""", "type")]
    public void Malformed_lines_say_what_and_where(string line, string message)
    {
        var parsed = CommandLineParser.Parse(line);
        Assert.That(parsed.Command, Is.Null);
        Assert.That(parsed.Error, Does.Contain(message));
    }

    // the grammar exactly as documented: each of these passed before it was tightened
    [TestCase("""{"type":"deposit","account":"a","asset":"USDT","amount":"00001"}""", "amount: not a decimal number")]
    [TestCase(
        """{"type":"deposit","account":"a","asset":"USDT","amount":"1\n"}""",
        "amount contains a control character (U+000A) at character 2"
    )]
    [TestCase("""{"type":"deposit","account":"a","asset":"USDT","amount":"+1"}""", "amount: not a decimal number")]
    [TestCase("""{"type":"deposit","account":"a","asset":"USDT","amount":" 1"}""", "amount: not a decimal number")]
    [TestCase(
        """{"type":"deposit","account":"a","asset":"USDT","amount":"1","at":"2026-01-02 03:04:05Z"}""",
        "at: '2026-01-02 03:04:05Z' is not a UTC timestamp"
    )]
    [TestCase(
        """{"type":"deposit","account":"a","asset":"USDT","amount":"1","at":"01/02/2026 03:04:05Z"}""",
        "at: '01/02/2026 03:04:05Z' is not a UTC timestamp"
    )]
    [TestCase(
        """{"type":"deposit","account":"a","asset":"USDT","amount":"1","at":"2026-01-02T03:04:05.123456789Z"}""",
        "at most 7 fractional digits"
    )]
    [TestCase(
        """{"type":"deposit","account":"a","asset":"USDT","amount":"1","at":"2026-01-02T03:04Z"}""",
        "is not a UTC timestamp"
    )]
    [TestCase(
        """{"type":"deposit","account":"a","asset":"USDT","amount":"1","at":"2026-02-30T03:04:05Z"}""",
        "is not a UTC timestamp"
    )]
    [TestCase("""{"type":"deposit","account":"","asset":"USDT","amount":"1"}""", "account must not be empty")]
    [TestCase(
        """{"type":"deposit","account":"a\u0000","asset":"USDT","amount":"1"}""",
        "account contains a control character (U+0000) at character 2"
    )]
    [TestCase(
        """{"type":"deposit","account":"a","asset":"USDT","amount":0.10000000000000000000000000001}""",
        "amount: '0.10000000000000000000000000001' has more precision"
    )]
    public void The_grammar_is_exactly_the_documented_one(string line, string message) =>
        Malformed_lines_say_what_and_where(line, message);

    [Test]
    public void Exact_numbers_in_exponent_form_are_accepted()
    {
        var parsed = CommandLineParser.Parse("""{"type":"deposit","account":"a","asset":"USDT","amount":1e28}""");
        Assert.That(parsed.Error, Is.Null);
        Assert.That(((Deposit)parsed.Command!).Amount, Is.EqualTo(10_000_000_000_000_000_000_000_000_000m));
        Assert.That(
            (
                (Deposit)
                    CommandLineParser
                        .Parse("""{"type":"deposit","account":"a","asset":"USDT","amount":"2.5E-4"}""")
                        .Command!
            ).Amount,
            Is.EqualTo(0.00025m)
        );
    }

    [Test]
    public void Sizes_are_bounded_and_named()
    {
        var tiers = string.Join(
            ',',
            Enumerable.Range(0, 65).Select(i => $$"""{"floor":{{i * 1000}},"mmr":"0.004","maxLeverage":125}""")
        );
        var listing = CommandLineParser.Parse(
            $$"""{"type":"list-instrument","symbol":"X","base":"X","quote":"USDT","tiers":[{{tiers}}],"""
                + $$""" "takerFeeRate":"0","liquidationFeeRate":"0","quantityStep":"1","tickSize":"1"}"""
        );
        Assert.That(listing.Error, Is.EqualTo("tiers: has 65 items, more than the 64 allowed"));
        var account = CommandLineParser.Parse(
            $$"""{"type":"deposit","account":"{{new string('x', 129)}}","asset":"USDT","amount":"1"}"""
        );
        Assert.That(account.Error, Is.EqualTo("account has 129 characters, more than the 128 allowed"));
        var line =
            $$"""{"type":"deposit","account":"a","asset":"USDT","amount":"1","""
            + $$""" "actor":"{{new string('x', 2_000_000)}}"}""";
        Assert.That(
            CommandLineParser.Parse(line).Error,
            Is.EqualTo($"the line has {line.Length} characters, more than the 1048576 allowed")
        );
        var time = CommandLineParser.Parse(
            """{"type":"deposit","account":"a","asset":"USDT","amount":"1","at":"2026-01-02T03:04:05.1234567Z"}"""
        );
        Assert.That(time.Context.At, Is.EqualTo("2026-01-02T03:04:05.1234567Z"), "seven digits are kept, none dropped");
    }
}
