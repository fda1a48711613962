using CrossMargin.Ledger.Application.Requests;
using CrossMargin.Ledger.Cli.Hosting;
using CrossMargin.Ledger.Cli.Output;
using CrossMargin.Ledger.Cli.Verbs;
using CrossMargin.Ledger.EventStore.InMemory;
using Newtonsoft.Json.Linq;
using Snapshooter.NUnit;
using Spectre.Console;

namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>The demo's whole log — data, metadata, ids and hashes — is a reviewed artefact.</summary>
public sealed class DemoLogTests
{
    private static async Task<LedgerHost> RunDemo()
    {
        var host = LedgerHost.Over(new InMemoryEventStore(), new FixedClock(DateTimeOffset.UnixEpoch));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
        Assert.That(await DemoVerb.RunAsync(host.Mediator, console, CancellationToken.None), Is.Zero);
        return host;
    }

    [Test]
    public async Task The_demo_log_is_the_same_on_every_run()
    {
        await using var host = await RunDemo();
        var log = new JArray();
        await foreach (var e in host.Store.ReadAllAsync()) log.Add(LedgerOutput.AuditedEvent(e));
        Snapshot.Match(log);
    }

    [Test]
    public async Task The_demo_ends_with_the_hand_computed_figures()
    {
        await using var host = await RunDemo();
        var alice = (await host.Mediator.Send(new GetAccountMargin("alice")))!.Margin;
        Assert.Multiple(() =>
        {
            // 20 000 − fees 48 + 30 + 11.2 − realised 2 000 (0.5 × (56 000 − 60 000))
            Assert.That(alice.Balances["USDT"], Is.EqualTo(17_910.8m));
            // 1.5 × (51 000 − 60 000) − 20 × (3 150 − 3 000)
            Assert.That(alice.UnrealizedPnl, Is.EqualTo(-16_500m));
            // BTC 76 500 × 0.005 − 50 = 332.5; ETH 63 000 × 0.005 = 315
            Assert.That(alice.MaintenanceMargin, Is.EqualTo(647.5m));
            Assert.That(alice.Liquidatable, Is.False);
        });
        var bob = (await host.Mediator.Send(new GetAccountMargin("bob")))!.Margin;
        // 0.9 BTC × 54 000 × 0.95 − 36 USDT fee
        Assert.That(bob.CollateralValue, Is.EqualTo(46_134m));
    }
}
