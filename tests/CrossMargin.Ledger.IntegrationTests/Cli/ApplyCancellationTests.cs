using CrossMargin.Ledger.Application.Apply;
using CrossMargin.Ledger.Cli.Verbs;
using CrossMargin.Ledger.EventStore.InMemory;
using CrossMargin.Ledger.Hosting;

namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>A Ctrl+C after a group committed still lets every result of that group be printed.</summary>
public sealed class ApplyCancellationTests
{
    [Test]
    public async Task Every_result_of_a_committed_group_is_printed_though_cancellation_came_meanwhile()
    {
        await using var host = LedgerHost.Over(new InMemoryEventStore());
        using var cancel = new CancellationTokenSource();
        var lines = string.Join(
            '\n',
            Enumerable
                .Range(1, 3)
                .Select(i => $$"""{"type":"deposit","account":"a{{i}}","asset":"USDT","amount":"1"}""")
        );
        var output = new StringWriter();
        var summary = await LineApplier.RunAsync(
            host.Mediator,
            new StringReader(lines),
            async result =>
            {
                // the interrupt arrives while the group's results are being printed
                await cancel.CancelAsync();
                await ApplyVerb.Print(output, result);
            },
            cancel.Token
        );
        Assert.That(summary, Is.EqualTo(ApplySummary.AllAccepted));
        Assert.That(
            output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..9]),
            Is.EqualTo(new[] { """{"line":1""", """{"line":2""", """{"line":3""" })
        );
    }
}
