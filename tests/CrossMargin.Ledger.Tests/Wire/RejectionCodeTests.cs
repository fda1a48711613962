using System.Text.RegularExpressions;
using CrossMargin.Ledger.Commands;

namespace CrossMargin.Ledger.Tests.Wire;

/// <summary>Rejection codes are a contract: documented, fixed in number, read back by name only.</summary>
public sealed partial class RejectionCodeTests
{
    [Test]
    public void Every_code_is_documented_in_the_cli_reference_and_nothing_else_is()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CrossMargin.Ledger.sln")))
            root = root.Parent;
        Assert.That(root, Is.Not.Null, "the repository root holds the solution");
        var reference = File.ReadAllText(Path.Combine(root!.FullName, "docs", "cli.md"));
        var table = reference[reference.IndexOf("Rejection codes", StringComparison.Ordinal)..];
        table = table[
            ..table.IndexOf("\n\n", table.IndexOf("| code |", StringComparison.Ordinal), StringComparison.Ordinal)
        ];
        // the first cell of each row names one or more codes
        var documented = table
            .Split('\n')
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(line => CodeCell().Matches(line.Split('|')[1]).Select(m => m.Groups[1].Value))
            .ToList();
        Assert.That(documented, Is.EquivalentTo(Enum.GetNames<RejectionCode>()));
    }

    [Test]
    public void Numbers_are_fixed_and_never_reused()
    {
        var numbers = Enum.GetValues<RejectionCode>().Select(c => (int)c).ToList();
        Assert.That(numbers, Is.Unique);
        Assert.That(numbers, Is.EqualTo(Enumerable.Range(1, numbers.Count)), "a new code takes the next number");
        Assert.That((int)RejectionCode.InsufficientBalance, Is.EqualTo(6));
        Assert.That((int)RejectionCode.PriceOutsideBand, Is.EqualTo(22));
    }

    [TestCase("InsufficientBalance", RejectionCode.InsufficientBalance)]
    [TestCase("PriceOutsideBand", RejectionCode.PriceOutsideBand)]
    public void A_recorded_code_reads_back_by_its_name(string recorded, RejectionCode code) =>
        Assert.That(Rejection.CodeOf(recorded), Is.EqualTo(code));

    [TestCase("6")]
    [TestCase("insufficientBalance")]
    [TestCase("InsufficientBalance ")]
    [TestCase("Unheard")]
    [TestCase("")]
    public void Anything_else_is_no_code(string recorded) => Assert.That(Rejection.CodeOf(recorded), Is.Null);

    [GeneratedRegex("`([A-Za-z]+)`")]
    private static partial Regex CodeCell();
}
