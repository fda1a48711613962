using CrossMargin.Ledger.EventStore.Json;

namespace CrossMargin.Ledger.Tests.Wire;

public sealed class ExactDecimalTests
{
    [TestCase("0", "0")]
    [TestCase("-12.50", "-12.5")]
    [TestCase("1e3", "1000")]
    [TestCase("2.5E-4", "0.00025")]
    [TestCase("0.1", "0.1")]
    [TestCase("79228162514264337593543950335", "79228162514264337593543950335")] // decimal.MaxValue: 29 digits, 2⁹⁶ − 1
    [TestCase("79228162514264337593543950336", null)] // 2⁹⁶: one more than the mantissa holds
    [TestCase("-7922816251426433759354395033.5", "-7922816251426433759354395033.5")]
    [TestCase("80000123.456789012345678901234", null)] // 29 digits above 2⁹⁶ − 1
    [TestCase("2000012.3456789012345678901234", "2000012.3456789012345678901234")] // 29 digits the ledger wrote once
    [TestCase("1e28", "10000000000000000000000000000")]
    [TestCase("1234567890123456789012345678", "1234567890123456789012345678")]
    [TestCase("0.0000000000000000000000000001", "0.0000000000000000000000000001")]
    [TestCase("0.00000000000000000000000000001", null)] // 29 places
    public void Parses_exactly_or_refuses(string text, string? expected)
    {
        var parsed = ExactDecimal.Parse(text);
        if (expected is null)
        {
            Assert.That(parsed.IsValid, Is.False);
            Assert.That(parsed.Problem, Does.Contain("more precision than a decimal holds exactly"));
        }
        else
            Assert.That(DecimalStringConverter.Format(parsed.Value), Is.EqualTo(expected));
    }

    [TestCase("1,5")]
    [TestCase(" 1")]
    [TestCase("+1")]
    [TestCase("NaN")]
    [TestCase("")]
    public void Refuses_what_is_not_a_decimal(string text)
    {
        var parsed = ExactDecimal.Parse(text);
        Assert.That(parsed.IsValid, Is.False);
        Assert.That(parsed.Problem, Does.Contain("is not a decimal number"));
    }
}
