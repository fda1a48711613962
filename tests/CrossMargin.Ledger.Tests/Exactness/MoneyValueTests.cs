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
        var refused = Money.Exact(0.000000001m, field: "deposit");
        Assert.That(refused.IsValid, Is.False);
        Assert.That(refused.Problem, Is.EqualTo("deposit 0.000000001 has more than 8 decimal places"));
    }

    [Test]
    public void An_asset_or_instrument_with_fewer_places_refuses_more()
    {
        Assert.That(Money.Exact(1.25m, places: 2).IsValid, Is.True);
        Assert.That(
            Money.Exact(1.255m, places: 2, "withdrawal").Problem,
            Is.EqualTo("withdrawal 1.255 has more than 2 decimal places")
        );
        Assert.That(Price.Exact(60000.5m, places: 1).IsValid, Is.True);
        Assert.That(
            Price.Exact(60000.05m, places: 1, "mark").Problem,
            Is.EqualTo("mark 60000.05 has more than 1 decimal places")
        );
        Assert.That(() => Money.Exact(1m, places: 9), Throws.TypeOf<ArgumentOutOfRangeException>());
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
        var price = Price.Exact(value, field: "mark");
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

    [TestCase("0.003", "0.001", true, null)]
    [TestCase("1000000", "0.00000001", true, null)]
    [TestCase("0.0015", "0.001", false, "quantity 0.0015 is not a multiple of the step 0.001")]
    [TestCase("0", "0.001", false, "quantity 0 must be positive")]
    public void An_order_quantity_is_a_positive_whole_number_of_steps(
        string quantity,
        string step,
        bool valid,
        string? problem
    )
    {
        var parsed = Quantity.OnStep(D(quantity), D(step));
        Assert.That(parsed.IsValid, Is.EqualTo(valid));
        if (!valid)
            Assert.That(parsed.Problem, Is.EqualTo(problem));
    }

    [Test]
    public void A_derived_quantity_rounds_to_the_step_in_the_direction_named()
    {
        // 0.0123456789 / 0.001 = 12.3456789: floor 12 steps, ceiling 13 (Python decimal, ROUND_FLOOR / ROUND_CEILING)
        Assert.That(Quantity.Floor(0.0123456789m, 0.001m).Value, Is.EqualTo(0.012m));
        Assert.That(Quantity.Ceiling(0.0123456789m, 0.001m).Value, Is.EqualTo(0.013m));
        Assert.That(Quantity.Floor(1_000_000_000m, 0.00000001m).Value, Is.EqualTo(1_000_000_000m));
        Assert.That(Quantity.Ceiling(0.000000001m, 0.00000001m).Value, Is.EqualTo(0.00000001m));
    }

    [TestCase("0.0004", true, null)]
    [TestCase("0.00000001", true, null)]
    [TestCase("0.000000001", false, "takerFeeRate must have at most 8 decimal places, not 0.000000001")]
    [TestCase("-0.01", false, "takerFeeRate -0.01 must not be negative")]
    public void A_rate_is_not_negative_with_at_most_eight_places(string rate, bool valid, string? problem)
    {
        var parsed = Rate.Exact(D(rate), "takerFeeRate");
        Assert.That(parsed.IsValid, Is.EqualTo(valid));
        if (valid)
            Assert.That(parsed.Value.Value, Is.EqualTo(D(rate)));
        else
            Assert.That(parsed.Problem, Is.EqualTo(problem));
    }

    private static decimal D(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
