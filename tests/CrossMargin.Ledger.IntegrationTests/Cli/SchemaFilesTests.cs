using CrossMargin.Ledger.Cli.Verbs;

namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>The published schemas under <c>schemas/</c> are exactly what the types generate.</summary>
public sealed class SchemaFilesTests
{
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CrossMargin.Ledger.sln")))
                return dir.FullName;
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    [Test]
    public void Schema_files_are_not_stale()
    {
        var root = Path.Combine(RepositoryRoot(), "schemas");
        var expected = SchemasVerb.Files();
        var actual = Directory
            .GetFiles(root, "*.schema.json", SearchOption.AllDirectories)
            .ToDictionary(
                f => Path.GetRelativePath(root, f).Replace('\\', '/'),
                File.ReadAllText,
                StringComparer.Ordinal
            );
        const string fix = "regenerate with: dotnet run --project src/CrossMargin.Ledger.Cli -- schemas --out schemas";
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys), fix);
        foreach (var (path, text) in expected)
            Assert.That(actual[path], Is.EqualTo(text), $"{path} is stale; {fix}");
    }

    [Test]
    public void Every_event_and_command_type_has_a_schema_file() =>
        Assert.That(
            SchemasVerb.Files().Keys,
            Has.Some.StartsWith("events/trade-filled.v1").And.Some.StartsWith("commands/open-position")
        );
}
