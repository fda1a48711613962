using CrossMargin.Ledger.Application.Input;
using CrossMargin.Ledger.Commands;

namespace CrossMargin.Ledger.Tests.Wire;

public sealed class CommandLineParserTests
{
    [Test]
    public void Decimals_may_be_strings_or_numbers_and_are_exact()
    {
        var parsed = CommandLineParser.Parse("""{"type":"open-position","account":"alice","symbol":"BTCUSDT","side":"short","quantity":0.1,"price":"60000.10"}""");
        Assert.That(parsed.Error, Is.Null);
        Assert.That(parsed.Command, Is.EqualTo(new OpenPosition("alice", "BTCUSDT", Side.Short, 0.1m, 60_000.1m)));
    }

    [Test]
    public void The_envelope_is_optional_and_times_are_normalised_to_utc()
    {
        var parsed = CommandLineParser.Parse("""{"type":"deposit","account":"a","asset":"USDT","amount":"1","commandId":"c-1","at":"2026-01-02T03:04:05+00:00","actor":"ops"}""");
        Assert.That(parsed.Context, Is.EqualTo(new CommandContext("c-1", "2026-01-02T03:04:05.0000000Z", "ops")));
    }

    [Test]
    public void Listing_limits_left_out_take_their_defaults_and_the_payload_of_a_listing_without_them_is_unchanged()
    {
        const string Listing = """{"type":"list-instrument","symbol":"BTCUSDT","base":"BTC","quote":"USDT","tiers":[{"floor":0,"mmr":"0.004","maxLeverage":125}],"takerFeeRate":"0.0004","liquidationFeeRate":"0.005","quantityStep":"0.001","tickSize":"0.1"}""";
        var plain = (ListInstrument)CommandLineParser.Parse(Listing).Command!;
        Assert.That(plain.Limits, Is.Null, "a new listing gets the defaults, a change keeps the instrument's");
        // a listing recorded before limits existed hashed {"command","data"} without a limits key: a resend still matches
        Assert.That(Application.Pipeline.CommandPayload.Canonical(plain), Does.Not.Contain("limits"));

        var partial = (ListInstrument)CommandLineParser.Parse(Listing.Replace("\"tickSize\":\"0.1\"", "\"tickSize\":\"0.1\",\"limits\":{\"maxPrice\":\"70000\",\"priceBand\":\"0.05\"}", StringComparison.Ordinal)).Command!;
        // the fields left out are filled by the decider: from the defaults for a new listing, from the instrument's for a change
        Assert.That(partial.Limits, Is.EqualTo(new CrossMargin.Ledger.Parameters.InstrumentLimitsInput(MaxPrice: 70_000m, PriceBand: 0.05m)));
        Assert.That(Application.Pipeline.CommandPayload.Canonical(partial), Does.Contain("\"limits\""));
    }

    [TestCase("""{"type":"deposit","account":"a","asset":"USDT"}""", "amount: required field is missing")]
    [TestCase("""{"type":"deposit","account":"a","asset":"USDT","amount":"1","ammount":"2"}""", "ammount: unknown field")]
    [TestCase("""{"type":"deposit","account":"a","asset":"USDT","amount":"ten"}""", "amount: not a decimal number")]
    [TestCase("""{"type":"deposit","account":"a","asset":"USDT","amount":true}""", "amount")]
    [TestCase("""{"type":"open-position","account":"a","symbol":"BTCUSDT","side":"up","quantity":"1","price":"1"}""", "side: not one of the allowed values")]
    [TestCase("""{"type":"teleport"}""", "unknown type 'teleport'")]
    [TestCase("""{"account":"a"}""", "missing string field 'type'")]
    [TestCase("""{"type":"deposit",""", "invalid JSON")]
    [TestCase("""[1,2]""", "one JSON object")]
    [TestCase("""{"type":"deposit","account":"a","asset":"USDT","amount":0.10000000000000000000000000001}""", "more precision than a decimal holds")]
    [TestCase("""{"type":"deposit","account":"a","asset":"USDT","amount":"1","at":"2026-01-02T03:04:05+02:00"}""", "at: '2026-01-02T03:04:05+02:00' is not an ISO-8601 UTC timestamp")]
    [TestCase("""{"type":"deposit","type":"withdraw","account":"a","asset":"USDT","amount":"1"}""", "type")]
    public void Malformed_lines_say_what_and_where(string line, string message)
    {
        var parsed = CommandLineParser.Parse(line);
        Assert.That(parsed.Command, Is.Null);
        Assert.That(parsed.Error, Does.Contain(message));
    }
}
