using CrossMargin.Ledger.Application.Requests;
using CrossMargin.Ledger.Cli.Output;
using CrossMargin.Ledger.Cli.Verbs;
using CrossMargin.Ledger.EventStore.InMemory;
using CrossMargin.Ledger.Hosting;
using CrossMargin.Ledger.Liquidation;
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
        await foreach (var e in host.Store.ReadAllAsync())
            log.Add(LedgerOutput.AuditedEvent(e));
        Snapshot.Match(log);
    }

    [Test]
    public async Task The_demo_reaches_the_hand_computed_figures_before_the_crash()
    {
        await using var host = await RunDemo();
        // global position 30: BTCUSDT at 51 000, before Alice closes ETH and the crash
        var alice = (await host.Mediator.Send(new GetAccountMargin("alice", At: 30)))!.Margin;
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
        var bob = (await host.Mediator.Send(new GetAccountMargin("bob", At: 30)))!.Margin;
        // 0.9 BTC × 54 000 × 0.95 − 36 USDT fee
        Assert.That(bob.CollateralValue, Is.EqualTo(46_134m));
    }

    [Test]
    public async Task The_crash_liquidates_alice_through_the_fund_and_adl_and_steps_dave_down()
    {
        await using var host = await RunDemo();
        var reports = await host.Mediator.Send(new GetLiquidations());
        Assert.That(
            reports.Select(r => (r.Id, r.Outcome)),
            Is.EqualTo(new[] { ("alice#1", "bankrupt"), ("dave#1", "completed:healthy") })
        );
        var alice = reports[0];
        Assert.That(alice.Fund.Single().Change.Delta, Is.Negative, "the insurance fund paid part of alice's deficit");
        Assert.That(
            alice.Deleveraged.Select(d => d.Adl.Account).Distinct(),
            Is.EqualTo(new AccountId[] { "bob" }),
            "bob, short BTC, took the rest"
        );
        // the step-down to bracket 2 could not restore E > MM × 1.05 even without a fee; the one to bracket 1 could, in
        // one step
        Assert.That(
            reports[1].Steps.Select(s => (s.Step.Rule, s.Step.TierBefore, s.Step.TierAfter)),
            Is.EqualTo(new[] { (StepRule.TierStepDown, 3, (int?)1) })
        );
        // alice (equity < 0 in bracket 2) could not be restored by any step-down: her position was closed, fund first,
        // ADL for the rest
        Assert.That(
            alice.Steps.Select(s => s.Step.Rule).Distinct(),
            Is.EqualTo(new[] { StepRule.CloseStepDownCannotRestore })
        );
        var dave = (await host.Mediator.Send(new GetAccountMargin("dave")))!.Margin;
        Assert.That(dave.Liquidatable, Is.False);
        Assert.That((await host.Mediator.Send(new Reexecute())).Agrees);
    }

    [Test]
    public async Task The_explain_report_is_what_auditors_read()
    {
        await using var host = await RunDemo();
        var report = (await host.Mediator.Send(new GetLiquidations("alice"))).Single();
        var text = new StringWriter();
        var console = AnsiConsole.Create(
            new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(text),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
            }
        );
        console.Profile.Width = 120;
        ExplainReport.Write(console, report);
        Snapshot.Match(
            new JObject
            {
                ["text"] = new JArray(text.ToString().Split('\n').Select(l => l.TrimEnd())),
                ["json"] = LiquidationOutput.Full(report),
            }
        );
    }
}
