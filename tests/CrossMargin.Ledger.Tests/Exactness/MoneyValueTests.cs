using CrossMargin.Ledger.Arithmetic;

namespace CrossMargin.Ledger.Tests.Exactness;

/// <summary>
/// <see cref="Money"/> and <see cref="Price"/> carry the ledger's scale: a raw figure becomes money only through a
/// named rounding, input that claims to be money or a price is refused when it does not fit. Expected values were
/// computed with Python's <c>decimal</c> (quantize to 1E-8 with ROUND_FLOOR / ROUND_CEILING), not with this code.
/// </summary>
public sealed class MoneyValueTests
{
    [TestCase("1234567890.123456789", "1234567890.12345678", "1234567890.12345679")]
    [TestCase("-1234567890.123456789", "-1234567890.12345679", "-1234567890.12345678")]
    [TestCase("0.000000001", "0", "0.00000001")]
    [TestCase("-0.000000001", "-0.00000001", "0")]
    [TestCase("999999999.999999995", "999999999.99999999", "1000000000")]
    [TestCase("12.5", "12.5", "12.5")]
    public void Credits_round_down_and_debits_round_up_to_the_unit(string raw, string credit, string debit)
    {
        var value = decimal.Parse(raw, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(
            (decimal)Money.Credit(value),
            Is.EqualTo(decimal.Parse(credit, System.Globalization.CultureInfo.InvariantCulture))
        );
        Assert.That(
            (decimal)Money.Debit(value),
            Is.EqualTo(decimal.Parse(debit, System.Globalization.CultureInfo.InvariantCulture))
        );
        Assert.That(Money.BankruptcyCredit(value), Is.EqualTo(Money.Debit(value)));
        Assert.That(Money.IsWhole(Money.Credit(value)) && Money.IsWhole(Money.Debit(value)), Is.True);
    }

    [Test]
    public void Input_with_more_places_than_the_scale_is_refused_never_rounded()
    {
        Assert.That(Money.Exact(1_000_000_000.00000001m).Value.Amount, Is.EqualTo(1_000_000_000.00000001m));
        var refused = Money.Exact(0.000000001m, "deposit");
        Assert.That(refused.IsValid, Is.False);
        Assert.That(refused.Problem, Is.EqualTo("deposit 0.000000001 has more than 8 decimal places"));
    }

    [Test]
    public void Sums_and_differences_of_money_are_exact_at_whale_and_dust_sizes()
    {
        var whale = Money.Exact(999_999_999.99999999m).Value;
        var dust = Money.Unit;
        Assert.That((decimal)(whale + dust), Is.EqualTo(1_000_000_000m));
        Assert.That((decimal)(whale + dust - whale), Is.EqualTo(0.00000001m));
        Assert.That((decimal)-(whale - dust), Is.EqualTo(-999_999_999.99999998m));
        Assert.That(Money.Zero < dust && whale > dust && whale >= dust && dust <= whale && Money.Unit == dust, Is.True);
        Assert.That(Money.Credit(2.000000005m).ToString(), Is.EqualTo("2"));
    }

    [TestCase("60000.12345678", true, null)]
    [TestCase("0.00000001", true, null)]
    [TestCase("60000.123456789", false, "mark 60000.123456789 has more than 8 decimal places")]
    [TestCase("0", false, "mark 0 must be positive")]
    [TestCase("-1", false, "mark -1 must be positive")]
    public void A_price_is_positive_with_at_most_eight_places(string text, bool valid, string? problem)
    {
        var value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var price = Price.Exact(value, "mark");
        Assert.That(price.IsValid, Is.EqualTo(valid));
        if (valid)
            Assert.That((decimal)price.Value, Is.EqualTo(value));
        else
            Assert.That(price.Problem, Is.EqualTo(problem));
    }

    [Test]
    public void A_derived_price_rounds_down_and_is_none_below_the_least_price()
    {
        Assert.That(Price.FloorOf(100m * 0.999999999m)?.Value, Is.EqualTo(99.9999999m));
        Assert.That(Price.FloorOf(0.00000001m * 0.95m), Is.Null);
        Assert.That(Price.FloorOf(-5m), Is.Null);
        Assert.That(Price.Unit.Value, Is.EqualTo(0.00000001m));
    }
}
