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
    public void The_stress_library_sees_the_core_alone_so_a_what_if_cannot_reach_a_log()
    {
        var referenced = typeof(CrossMargin.Ledger.Stress.StressEngine)
            .Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => !n.StartsWith("System.", StringComparison.Ordinal) && n != "System")
            .Order(StringComparer.Ordinal);
        Assert.That(referenced, Is.EqualTo(new[] { "CrossMargin.Ledger" }));
        // and it takes a state, never a store or a session: no public member names a type of another assembly
        var foreign = typeof(CrossMargin.Ledger.Stress.StressEngine)
            .Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .SelectMany(m =>
                m switch
                {
                    MethodInfo method => method.GetParameters().Select(p => p.ParameterType).Append(method.ReturnType),
                    PropertyInfo property => [property.PropertyType],
                    _ => [],
                }
            )
            .Select(t => t.Assembly.GetName().Name!)
            .Where(n =>
                n.StartsWith("CrossMargin.Ledger.", StringComparison.Ordinal) && n != "CrossMargin.Ledger.Stress"
            )
            .Distinct();
        Assert.That(foreign, Is.Empty);
    }

    [Test]
    public void The_simulation_sees_the_stress_library_and_the_core_alone()
    {
        var referenced = typeof(CrossMargin.Ledger.Stress.Simulation.MonteCarlo)
            .Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("CrossMargin.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        Assert.That(referenced, Is.EqualTo(new[] { "CrossMargin.Ledger", "CrossMargin.Ledger.Stress" }));
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
