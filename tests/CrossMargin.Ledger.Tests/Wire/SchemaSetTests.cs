using CrossMargin.Ledger.EventStore.Schemas;
using NJsonSchema;

namespace CrossMargin.Ledger.Tests.Wire;

public sealed class SchemaSetTests
{
    private static readonly string[] Names = ["a", "b", "c"];

    [Test]
    public void A_schema_is_generated_the_first_time_it_is_asked_for_and_once()
    {
        var generated = new List<string>();
        var set = new SchemaSet(
            Names,
            n =>
            {
                lock (generated)
                    generated.Add(n);
                return JsonSchema
                    .FromJsonAsync("""{"type":"object","properties":{"x":{"type":"string"}},"required":["x"]}""")
                    .Result;
            },
            n => n != "c"
        );
        Assert.That(generated, Is.Empty, "nothing before the first use");
        Parallel.For(0, 16, _ => Assert.That(set["b"].Check, Is.Not.Null));
        Assert.That(generated, Is.EqualTo(new[] { "b" }));
        Assert.That(set["c"].Check, Is.Null, "a name not compiled has no check");
        Assert.That(set.All.Keys, Is.EquivalentTo(Names));
        Assert.That(generated, Is.EquivalentTo(Names), "All generates the rest, each once");
        Assert.That(set.Contains("d"), Is.False);
        Assert.Throws<KeyNotFoundException>(() => _ = set["d"]);
    }
}
