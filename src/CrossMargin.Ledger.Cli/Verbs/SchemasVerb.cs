using System.CommandLine;
using CrossMargin.Ledger.Application.Input;
using CrossMargin.Ledger.EventStore.Schemas;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary><c>ledger schemas --out DIR</c>: writes the JSON Schemas of every event and command.</summary>
public static class SchemasVerb
{
    /// <summary>The files the schemas directory holds, by relative path, with their text.</summary>
    public static IReadOnlyDictionary<string, string> Files() =>
        EventSchemas
            .All.Select(p => ($"events/{p.Key}.schema.json", p.Value.ToJson()))
            .Concat(CommandTypes.All.Select(p => ($"commands/{p.Key}.schema.json", p.Value.ToJson())))
            .ToDictionary(p => p.Item1, p => p.Item2.ReplaceLineEndings("\n") + "\n", StringComparer.Ordinal);

    /// <summary>The verb.</summary>
    public static Command Create()
    {
        var output = new Option<string>("--out")
        {
            Description = "directory to write into",
            DefaultValueFactory = _ => "schemas",
        };
        var command = new Command(
            "schemas",
            "Write the JSON Schema of every event type (schemas/events) and input command type (schemas/commands)"
        )
        {
            output,
        };
        command.SetAction(parse =>
        {
            var root = parse.GetValue(output)!;
            foreach (var (path, text) in Files())
            {
                var full = Path.Combine(root, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, text);
            }
            Console.WriteLine($"wrote {Files().Count} schemas under {root}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
