using CrossMargin.Ledger.Application.Input;

namespace CrossMargin.Ledger.Tests.Wire;

/// <summary>One pattern writes every recorded time, and reads back what it wrote.</summary>
public sealed class RecordedAtTests
{
    [TestCase("2026-01-02T03:04:05Z", "2026-01-02T03:04:05.0000000Z")]
    [TestCase("2026-01-02T03:04:05.5Z", "2026-01-02T03:04:05.5000000Z")]
    [TestCase("2026-01-02T03:04:05.1234567+00:00", "2026-01-02T03:04:05.1234567Z")]
    public void Input_forms_read_into_the_one_recorded_form(string input, string recorded)
    {
        var parsed = RecordedAt.Parse(input);
        Assert.That(parsed.Value.ToString(), Is.EqualTo(recorded));
        Assert.That(RecordedAt.Parse(recorded).Value, Is.EqualTo(parsed.Value), "the recorded form reads back");
    }

    [Test]
    public void An_instant_in_any_offset_is_recorded_in_utc() =>
        Assert.That(
            RecordedAt.Of(new DateTimeOffset(2026, 1, 2, 5, 4, 5, TimeSpan.FromHours(2))).ToString(),
            Is.EqualTo("2026-01-02T03:04:05.0000000Z")
        );

    [TestCase("2026-01-02T03:04:05.12345678Z")]
    [TestCase("2026-01-02T03:04:05+02:00")]
    [TestCase("2026-13-02T03:04:05Z")]
    [TestCase("2026-01-02T03:04:05")]
    public void Anything_else_is_refused_with_the_form_named(string input) =>
        Assert.That(RecordedAt.Parse(input).Problem, Does.Contain("is not a UTC timestamp of the form"));
}
