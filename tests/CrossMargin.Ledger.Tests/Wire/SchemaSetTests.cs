using CrossMargin.Ledger.Application.Input;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Schemas;
using NJsonSchema;

namespace CrossMargin.Ledger.Tests.Wire;

public sealed class SchemaSetTests
{
    private static readonly string[] Names = ["a", "b", "c"];

    private const string Document = """{"type":"object","properties":{"x":{"type":"string"}},"required":["x"]}""";

    /// <summary>A set over <see cref="Names"/> whose schemas are <see cref="Document"/>, each generation recorded in
    /// <paramref name="generated"/>.</summary>
    private static SchemaSet Recording(
        List<string> generated,
        Func<string, bool> compiled,
        Func<string, string?>? published = null
    ) =>
        new(
            Names,
            n =>
            {
                lock (generated)
                    generated.Add(n);
                return JsonSchema.FromJsonAsync(Document).Result;
            },
            compiled,
            published
        );

    [Test]
    public void A_schema_is_generated_the_first_time_it_is_asked_for_and_once()
    {
        var generated = new List<string>();
        var set = Recording(generated, n => n != "c");
        Assert.That(generated, Is.Empty, "nothing before the first use");
        Parallel.For(0, 16, _ => Assert.That(set.Check("b"), Is.Not.Null));
        Assert.That(generated, Is.EqualTo(new[] { "b" }), "with no published document, the check compiles the schema");
        Assert.That(set.Check("c"), Is.Null, "a name not compiled has no check");
        Assert.That(set.All.Keys, Is.EquivalentTo(Names));
        Assert.That(generated, Is.EquivalentTo(Names), "All generates the rest, each once");
        Assert.That(set.Contains("d"), Is.False);
        Assert.Throws<KeyNotFoundException>(() => _ = set.Check("d"));
        Assert.Throws<KeyNotFoundException>(() => _ = set.Schema("d"));
    }

    [Test]
    public void A_check_made_from_the_published_document_generates_nothing()
    {
        var generated = new List<string>();
        var set = Recording(
            generated,
            _ => true,
            n => n == "c" ? null : Document.Replace("\"x\"", $"\"{n}\"", StringComparison.Ordinal)
        );
        Parallel.For(0, 16, _ => Assert.That(set.Check("a"), Is.Not.Null));
        Assert.That(set.Check("a")!.CertainlyValid("""{"a":"1"}"""), Is.True, "the published document's rules");
        Assert.That(set.Check("a")!.CertainlyValid("""{"x":"1"}"""), Is.False);
        Assert.That(generated, Is.Empty, "no schema generated for a check that has its document");
        Assert.That(set.Schema("b").Properties.Keys, Is.EqualTo(new[] { "x" }), "the schema itself is still generated");
        Assert.That(generated, Is.EqualTo(new[] { "b" }));
        Assert.That(set.Check("c"), Is.Not.Null, "no document: the generated schema is compiled");
        Assert.That(generated, Is.EqualTo(new[] { "b", "c" }));
    }

    [Test]
    public void Every_schema_is_embedded_as_the_text_its_type_generates()
    {
        var events = typeof(EventSchemas).Assembly;
        foreach (var name in EventTypeRegistry.Names)
            Assert.That(
                SchemaSet.Embedded(events, "events", name),
                Is.EqualTo(EventSchemas.Of(name).ToJson().ReplaceLineEndings("\n") + "\n"),
                $"events/{name}: regenerate with `ledger schemas --out schemas`"
            );
        var commands = typeof(CommandTypes).Assembly;
        foreach (var name in CommandTypes.ByName.Keys)
            Assert.That(
                SchemaSet.Embedded(commands, "commands", name),
                Is.EqualTo(CommandTypes.Schema(name).ToJson().ReplaceLineEndings("\n") + "\n"),
                $"commands/{name}: regenerate with `ledger schemas --out schemas`"
            );
        Assert.That(SchemaSet.Embedded(events, "events", "no-such-event.v1"), Is.Null);
    }

    [Test]
    public void The_ledgers_checks_are_made_from_the_published_documents()
    {
        Assert.That(EventTypeRegistry.Names.Where(n => !EventSchemas.IsPublished(n)), Is.Empty);
        Assert.That(CommandTypes.ByName.Keys.Where(n => !CommandTypes.IsPublished(n)), Is.Empty);
        Assert.Throws<KeyNotFoundException>(() => EventSchemas.IsPublished("no-such-event.v1"));
    }
}
