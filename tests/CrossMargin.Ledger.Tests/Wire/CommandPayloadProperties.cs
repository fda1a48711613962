using CrossMargin.Ledger.Application.Input;
using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.Parameters;
using CrossMargin.Ledger.Tests.Properties;
using Newtonsoft.Json.Linq;

namespace CrossMargin.Ledger.Tests.Wire;

/// <summary>
/// A command's payload, the text its id's hash is recorded over, written by the compiled writer: it must be the text
/// the payload has always been, Json.NET's tree of the command (<c>JObject.FromObject</c>) with a null
/// <c>limits</c> left out, made canonical. Otherwise a resend of a recorded command would stop matching its hash.
/// </summary>
public sealed class CommandPayloadProperties
{
    [Test]
    public void Every_command_type_is_written_by_the_compiled_writer_as_its_payload_always_was()
    {
        foreach (var command in Samples.OneOfEachCommand())
        {
            // the engine's own command carries its caps as maps, which the writer leaves to Json.NET
            Assert.That(
                CompiledWriter.TryWriteCanonical(command, ["limits"], out _),
                Is.EqualTo(command is not LiquidateAccount),
                () => $"{command.GetType().Name} written by the compiled writer"
            );
            Assert.That(CommandPayload.Canonical(command), Is.EqualTo(AsAlways(command)), command.GetType().Name);
        }
    }

    [Test]
    public void The_commands_of_random_venues_have_the_payloads_they_always_had()
    {
        var commands = Enumerable
            .Range(0, 40)
            .SelectMany(seed => VenueScenario.Generate(seed, 60).Concat(RandomScenario.Generate(seed, 60)))
            .ToList();
        Assert.That(commands.Select(c => c.GetType()).Distinct().Count(), Is.GreaterThan(8), "command types drawn");
        foreach (var command in commands)
            Assert.That(CommandPayload.Canonical(command), Is.EqualTo(AsAlways(command)), command.ToString());
    }

    [Test]
    public void A_listing_with_limits_and_one_without_keep_their_payloads()
    {
        // limits were added after payloads were first recorded: left out when absent, written when given
        var listing = (ListInstrument)Samples.OneOfEachCommand()[0];
        Assert.That(listing.Limits, Is.Null);
        Assert.That(CommandPayload.Canonical(listing), Does.Not.Contain("limits"));
        var limited = listing with { Limits = new InstrumentLimitsInput(MaxQuantity: 100m) };
        Assert.That(CommandPayload.Canonical(limited), Does.Contain("\"limits\":{"));
        Assert.That(CommandPayload.Canonical(limited), Is.EqualTo(AsAlways(limited)));
    }

    [Test]
    public void Every_field_of_listings_keeps_its_payload()
    {
        var full = new ListInstrument(
            "BTCUSDT",
            "BTC",
            "USDT",
            [new RiskTierInput(0m, 0.004m, 125m), new RiskTierInput(50_000m, 0.005m, 100m, 50.000m)],
            0.0004m,
            0.005m,
            0.001m,
            0.1m,
            new InstrumentLimitsInput(2, 1_000_000m, 1_000m, 1_000_000_000m, 0.05m)
        );
        var collateral = new ListCollateral(
            "BTC",
            [new CollateralRatioTier(0m, 0.95m), new CollateralRatioTier(1_000_000m, 0.90m)],
            new AssetLimitsInput(8, 10_000_000m, 21_000_000m)
        );
        // the list types a parsed input line holds, not only arrays
        var parsed = CommandLineParser
            .Parse(
                "{\"type\":\"list-instrument\",\"symbol\":\"ETHUSDT\",\"base\":\"ETH\",\"quote\":\"USDT\","
                    + "\"tiers\":[{\"floor\":0,"
                    + "\"mmr\":\"0.005\",\"maxLeverage\":100,\"maintenanceAmount\":\"0\"}],\"takerFeeRate\":\"0.0005\","
                    + "\"liquidationFeeRate\":\"0.005\",\"quantityStep\":\"0.01\",\"tickSize\":\"0.01\","
                    + "\"limits\":{\"pricePrecision\":2}}"
            )
            .Command;
        Assert.That(parsed, Is.Not.Null);
        foreach (var command in new LedgerCommand[] { full, collateral, parsed! })
        {
            Assert.That(CompiledWriter.TryWriteCanonical(command, ["limits"], out _), Is.True, command.ToString());
            Assert.That(CommandPayload.Canonical(command), Is.EqualTo(AsAlways(command)), command.ToString());
        }
        // the text itself, pinned: a change to the ledger's JSON dialect would move the writer and the oracle above
        // together, and every recorded payload hash with them
        Assert.That(CommandPayload.Canonical(full), Is.EqualTo(FullListingPayload));
    }

    private const string FullListingPayload =
        "{\"command\":\"list-instrument.v1\",\"data\":{\"base\":\"BTC\","
        + "\"limits\":{\"maxPositionNotional\":\"1000000000\",\"maxPrice\":\"1000000\",\"maxQuantity\":\"1000\","
        + "\"priceBand\":\"0.05\",\"pricePrecision\":2},\"liquidationFeeRate\":\"0.005\",\"quantityStep\":\"0.001\","
        + "\"quote\":\"USDT\",\"symbol\":\"BTCUSDT\",\"takerFeeRate\":\"0.0004\",\"tickSize\":\"0.1\","
        + "\"tiers\":[{\"floor\":\"0\",\"maintenanceAmount\":null,\"maxLeverage\":\"125\",\"mmr\":\"0.004\"},"
        + "{\"floor\":\"50000\",\"maintenanceAmount\":\"50\",\"maxLeverage\":\"100\",\"mmr\":\"0.005\"}]}}";

    [Test]
    public void Odd_texts_in_a_command_are_written_as_json_net_writes_them()
    {
        // ids are checked where a command is decided, not when it is made: a payload of any text stays Json.NET's
        foreach (var text in new[] { "é\u2028\"\\", "\u0001", "x\ny", "a\u0085b", "plain" })
        {
            var command = new Deposit(text, "USDT", 1.5m);
            Assert.That(CommandPayload.Canonical(command), Is.EqualTo(AsAlways(command)), text);
        }
        // a lone surrogate is left to Json.NET, whose text it keeps
        var surrogate = new Deposit("x\uD800", "USDT", 1m);
        Assert.That(CompiledWriter.TryWriteCanonical(surrogate, ["limits"], out _), Is.False);
        Assert.That(CommandPayload.Canonical(surrogate), Is.EqualTo(AsAlways(surrogate)));
    }

    /// <summary>The payload as every release wrote it: Json.NET's tree of the command, a null <c>limits</c> removed,
    /// in canonical form under the command's wire name.</summary>
    private static string AsAlways(LedgerCommand command)
    {
        var data = JObject.FromObject(command, LedgerJson.Serializer);
        if (data["limits"] is { Type: JTokenType.Null })
            data.Remove("limits");
        return CanonicalJson.Of(new JObject { ["command"] = WireNames.Of(command), ["data"] = data });
    }
}
