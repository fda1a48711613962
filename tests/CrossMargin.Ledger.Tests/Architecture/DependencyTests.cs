using System.Reflection;
using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.Ledger;

namespace CrossMargin.Ledger.Tests.Architecture;

/// <summary>Dependencies point inward: nothing above the store port sees Marten, Npgsql or SQLite.</summary>
public sealed class DependencyTests
{
    private static readonly string[] StorePackages =
    [
        "Marten",
        "Npgsql",
        "Microsoft.Data.Sqlite",
        "SQLitePCLRaw",
        "Weasel",
        "JasperFx",
    ];

    private static readonly Assembly Core = typeof(LedgerRuntime).Assembly;
    private static readonly Assembly Port = typeof(IEventStore).Assembly;
    private static readonly Assembly Application = typeof(LedgerSession).Assembly;

    [Test]
    public void The_core_the_port_and_the_application_reference_no_store_package()
    {
        foreach (var assembly in new[] { Core, Port, Application })
        {
            var referenced = assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
            Assert.That(
                referenced.Where(r => StorePackages.Any(p => r.StartsWith(p, StringComparison.Ordinal))),
                Is.Empty,
                assembly.GetName().Name
            );
            Assert.That(
                referenced.Where(r => r.StartsWith("CrossMargin.Ledger.", StringComparison.Ordinal)),
                Has.None.Contains("Sqlite")
                    .And.None.Contains("Postgres")
                    .And.None.Contains("Hosting")
                    .And.None.Contains("Cli"),
                assembly.GetName().Name
            );
        }
        Assert.That(
            Core.GetReferencedAssemblies().Select(a => a.Name),
            Has.None.StartsWith("CrossMargin.Ledger."),
            "the core references no project"
        );
    }

    [Test]
    public void The_pure_unit_tests_run_without_any_store_package_beside_them()
    {
        var beside = Directory
            .GetFiles(AppContext.BaseDirectory, "*.dll")
            .Select(Path.GetFileNameWithoutExtension)
            .ToList();
        Assert.That(beside, Has.Some.EqualTo("CrossMargin.Ledger.Application"), "the directory is the test output");
        Assert.That(beside.Where(f => StorePackages.Any(p => f!.StartsWith(p, StringComparison.Ordinal))), Is.Empty);
    }
}
