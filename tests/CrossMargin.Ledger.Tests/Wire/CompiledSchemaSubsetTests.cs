using CrossMargin.Ledger.EventStore.Schemas;
using NJsonSchema;

namespace CrossMargin.Ledger.Tests.Wire;

/// <summary>
/// The compiled check reads a schema document itself: what is outside the subset it knows is left to NJsonSchema
/// (the compile gives null), and inside it each verdict it is sure of is NJsonSchema's verdict on the same document.
/// </summary>
public sealed class CompiledSchemaSubsetTests
{
    [TestCase("""{"type":"string","minLength":1}""", TestName = "a keyword outside the subset")]
    [TestCase("""{"allOf":[{"type":"string"}]}""", TestName = "allOf")]
    [TestCase("""{"anyOf":[{"type":"null"},{"type":"string"}]}""", TestName = "anyOf")]
    [TestCase("""{"oneOf":[{"type":"string"},{"type":"number"}]}""", TestName = "a oneOf that is not null-or")]
    [TestCase("""{"type":"string","oneOf":[{"type":"null"},{"type":"string"}]}""", TestName = "null-or beside a type")]
    [TestCase("""{"type":"strin"}""", TestName = "an unknown type name")]
    [TestCase("""{"type":["string",3]}""", TestName = "a type list holding a number")]
    [TestCase(
        """{"type":"object","additionalProperties":{"type":"string"}}""",
        TestName = "additionalProperties as a schema"
    )]
    [TestCase("""{"type":"string","format":"date-time"}""", TestName = "a format on a string")]
    [TestCase("""{"format":"int32"}""", TestName = "a format without a type")]
    [TestCase("""{"enum":[1,2]}""", TestName = "an enum of numbers")]
    [TestCase("""{"enum":["a",null]}""", TestName = "an enum holding null")]
    [TestCase("""{"type":"object","required":["a"]}""", TestName = "a required property not declared")]
    [TestCase(
        """{"type":"object","properties":{"a":{"type":"string"},"a":{"type":"number"}}}""",
        TestName = "a property declared twice"
    )]
    [TestCase("""{"type":"string","type":"number"}""", TestName = "a keyword given twice")]
    [TestCase("""{"type":"array","items":[{"type":"string"}]}""", TestName = "items as a list")]
    [TestCase("""{"type":"string","pattern":"("}""", TestName = "a pattern .NET cannot read")]
    [TestCase(
        """{"properties":{"a":{"$ref":"#/definitions/X","description":"d"}},"definitions":{"X":{}}}""",
        TestName = "a reference with a keyword beside it"
    )]
    [TestCase(
        """{"type":"object","properties":{"a":{"$ref":"#/properties/b"}},"definitions":{"b":{}}}""",
        TestName = "a reference outside the definitions"
    )]
    [TestCase(
        """{"type":"object","properties":{"a":{"$ref":"#/definitions/Y"}},"definitions":{"X":{"type":"string"}}}""",
        TestName = "a reference to nothing"
    )]
    [TestCase(
        """{"type":"object","properties":{"a":{"type":"object","definitions":{}}}}""",
        TestName = "definitions below the root"
    )]
    [TestCase(
        """{"type":"object","properties":{"a":{"$schema":"http://json-schema.org/draft-04/schema#"}}}""",
        TestName = "$schema below the root"
    )]
    [TestCase("""{"type":"string","x-nullable":true}""", TestName = "x-nullable")]
    [TestCase(
        """{"properties":{"a":{"$ref":"#/definitions/A%42"}},"definitions":{"A%42":{},"AB":{"type":"string"}}}""",
        TestName = "a reference NJsonSchema would unescape"
    )]
    [TestCase(
        """{"properties":{"a":{"$ref":"#/definitions/X"}},"definitions":{"X":{},"X":{"type":"string"}}}""",
        TestName = "a definition given twice"
    )]
    [TestCase(
        """
            {"properties":{"a":{"$ref":"#/definitions/X"}},
              "definitions":{"X":{"oneOf":[{"type":"null"},{"$ref":"#/definitions/X"}]}}}
            """,
        TestName = "a null-or that refers to itself"
    )]
    [TestCase(
        """{"type":"object","properties":{"a\ud800":{"type":"string"}}}""",
        TestName = "a lone surrogate in a name"
    )]
    [TestCase("""[{"type":"string"}]""", TestName = "not an object")]
    [TestCase("""{"type":"string" """, TestName = "not JSON")]
    public void A_document_outside_the_subset_is_left_to_njsonschema(string document) =>
        Assert.That(CompiledSchema.Compile(document), Is.Null);

    [Test]
    public void A_document_that_is_not_valid_utf16_is_left_to_njsonschema() =>
        // a lone surrogate in the text itself, not escaped: System.Text.Json refuses it with an ArgumentException
        Assert.That(CompiledSchema.Compile("{\"type\":\"string\",\"description\":\"\ud800\"}"), Is.Null);

    [Test]
    public void Nesting_deeper_than_the_reader_takes_is_left_to_njsonschema()
    {
        string Nested(int levels) =>
            string.Concat(Enumerable.Repeat("""{"type":"array","items":""", levels))
            + """{"type":"string"}"""
            + new string('}', levels);
        Assert.That(CompiledSchema.Compile(Nested(20)), Is.Not.Null, "twenty levels compile");
        Assert.That(CompiledSchema.Compile(Nested(40)), Is.Null, "forty do not");
    }

    private const string Decimal = SchemaGeneration.DecimalPattern;

    // a tree: a node with a nullable child of its own type, a list of words and a nullable amount
    private static readonly string Tree = """
        {
          "$schema": "http://json-schema.org/draft-04/schema#",
          "title": "tree",
          "type": "object",
          "additionalProperties": false,
          "required": ["root"],
          "properties": {"root": {"$ref": "#/definitions/Node"}},
          "definitions": {
            "Node": {
              "type": "object",
              "description": "a node",
              "additionalProperties": false,
              "required": ["side", "amount", "words", "count", "child"],
              "properties": {
                "side": {"type": "string", "x-enumNames": ["Long", "Short"], "enum": ["long", "short"]},
                "amount": {"type": ["null", "string"], "pattern": "DECIMAL"},
                "words": {"type": "array", "items": {"type": "string"}},
                "count": {"type": "integer", "format": "int32"},
                "child": {"oneOf": [{"type": "null"}, {"$ref": "#/definitions/Node"}]}
              }
            }
          }
        }
        """.Replace("DECIMAL", Decimal.Replace("\\", "\\\\", StringComparison.Ordinal), StringComparison.Ordinal);

    [TestCase("""{"root":{"side":"long","amount":"1.5","words":[],"count":1,"child":null}}""", true)]
    [TestCase(
        """
            {"root":{"side":"short","amount":null,"words":["a"],"count":-2,
              "child":{"side":"long","amount":"0","words":[],"count":0,"child":null}}}
            """,
        true
    )]
    [TestCase("""{"root":{"side":"up","amount":"1","words":[],"count":1,"child":null}}""", false)]
    [TestCase("""{"root":{"side":"long","amount":"1.","words":[],"count":1,"child":null}}""", false)]
    [TestCase("""{"root":{"side":"long","amount":"1","words":[3],"count":1,"child":null}}""", false)]
    [TestCase("""{"root":{"side":"long","amount":"1","words":[],"count":1.5,"child":null}}""", false)]
    [TestCase("""{"root":{"side":"long","amount":"1","words":[],"count":1}}""", false)]
    [TestCase("""{"root":{"side":"long","amount":"1","words":[],"count":1,"child":{"side":"long"}}}""", false)]
    [TestCase("""{"root":{"side":"long","amount":"1","words":[],"count":1,"child":5}}""", false)]
    [TestCase("""{"root":null}""", false)]
    [TestCase("""{"root":{"side":"long","amount":"1","words":[],"count":1,"child":null},"extra":1}""", false)]
    public void A_document_inside_the_subset_is_confirmed_where_njsonschema_finds_it_valid(string data, bool valid)
    {
        var check = CompiledSchema.Compile(Tree) ?? throw new AssertionException("the tree did not compile");
        var violations = JsonSchema.FromJsonAsync(Tree).Result.Validate(data);
        Assert.That(violations, valid ? Is.Empty : Is.Not.Empty, "NJsonSchema's verdict");
        Assert.That(check.CertainlyValid(data), Is.EqualTo(valid), "the compiled check's");
    }
}
