using System.Diagnostics;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Postgres;
using CrossMargin.Ledger.EventStore.Sqlite;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Margin;

namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>
/// Several <c>ledger apply</c> processes write one store at once: one moves the mark up and down, the others
/// withdraw from accounts whose free collateral the mark decides. Read back in log order, no accepted
/// withdrawal may leave its account with negative free collateral (the withdrawal rule), which holds only if
/// every decision was taken on the state the log holds when it is appended.
/// </summary>
public sealed class ConcurrentWriterTests : TempDatabaseTest
{
    private const int Accounts = 4;
    private const int Withdrawers = 3;
    private const int WithdrawalsEach = 40;
    private const int Marks = 60;

    private static readonly string Setup = string.Join(
        '\n',
        new[]
        {
            """{"type":"list-instrument","symbol":"BTCUSDT","base":"BTC","quote":"USDT","tiers":[{"floor":0,"""
                + """ "mmr":"0.004","maxLeverage":125}],"takerFeeRate":"0","liquidationFeeRate":"0.002","""
                + """ "quantityStep":"0.001","tickSize":"0.1"}""",
            """{"type":"update-price","symbol":"BTCUSDT","price":"60000"}""",
        }.Concat(
            Enumerable
                .Range(1, Accounts)
                .SelectMany(a =>
                    new[]
                    {
                        $$"""{"type":"deposit","account":"w{{a}}","asset":"USDT","amount":"20000"}""",
                        $$"""{"type":"set-leverage","account":"w{{a}}","symbol":"BTCUSDT","leverage":"20"}""",
                        $$"""{"type":"open-position","account":"w{{a}}","symbol":"BTCUSDT","side":"long","""
                            + $$""" "quantity":"1","price":"60000"}""",
                    }
                )
        )
    );

    [Test]
    public async Task Concurrent_sqlite_writers_never_accept_a_withdrawal_on_a_moved_mark() =>
        await RaceAsync(
            Directory.File("race.db"),
            async () => await SqliteEventStore.OpenAsync(Directory.File("race.db"))
        );

    [Test]
    public async Task Concurrent_postgres_writers_never_accept_a_withdrawal_on_a_moved_mark() =>
        await RaceAsync(
            Database.ConnectionString,
            async () => await MartenEventStore.OpenAsync(Database.ConnectionString)
        );

    private async Task RaceAsync(string store, Func<Task<IEventStore>> open)
    {
        var setup = await LedgerProcess.Run(Directory.Path, Setup, "apply", "--store", store, "-");
        Assert.That(setup.ExitCode, Is.EqualTo(0), setup.Out + setup.Error);

        var marks = Enumerable
            .Range(0, Marks)
            .Select(i => $$"""{"type":"update-price","symbol":"BTCUSDT","price":"{{(i % 2 == 0 ? 50000 : 60000)}}"}""");
        var withdrawals = Enumerable
            .Range(1, Withdrawers)
            .Select(w =>
                Enumerable
                    .Range(0, WithdrawalsEach)
                    .Select(i =>
                        $$"""{"type":"withdraw","account":"w{{(i + w) % Accounts + 1}}","asset":"USDT","""
                        + $$""" "amount":"700"}"""
                    )
            );
        var writing = Task.WhenAll(new[] { marks }.Concat(withdrawals).Select(lines => Trickle(store, lines)));
        // verify reads one committed state while the writers run: it must never report a live ledger damaged
        var verifies = new List<LedgerProcess.Result>();
        while (!writing.IsCompleted)
            verifies.Add(await LedgerProcess.Run(Directory.Path, null, "verify", "--store", store));
        var runs = await writing;
        Assert.That(verifies, Is.Not.Empty);
        foreach (var verify in verifies)
            Assert.That(verify.ExitCode, Is.Zero, verify.Out + verify.Error);
        foreach (var run in runs)
        {
            Assert.That(run.ExitCode, Is.EqualTo(0).Or.EqualTo(2), run.Error);
            Assert.That(run.Error, Does.Not.Contain("   at "), "no stack trace");
        }
        var withdrawalResults = runs.Skip(1).SelectMany(r => r.Lines).ToArray();
        Assert.That(withdrawalResults, Has.Length.EqualTo(Withdrawers * WithdrawalsEach), "every line answered");
        Assert.That(
            withdrawalResults.Count(l => l.Contains("\"accepted\"", StringComparison.Ordinal)),
            Is.GreaterThan(10)
        );
        // the accounts run out: withdrawals are refused for free collateral, or for balance once a liquidation took it
        Assert.That(
            withdrawalResults.Count(l => l.Contains("\"rejected\"", StringComparison.Ordinal)),
            Is.GreaterThan(0),
            "the rules were reached"
        );

        await using var reader = await open();
        var state = LedgerState.Initial;
        var checkedWithdrawals = 0;
        await foreach (var stored in reader.ReadAllAsync())
        {
            var e = EventTypeRegistry.Deserialize(stored.Type, stored.Data);
            state = LedgerEvolution.Evolve(state, e);
            if (e is not FundsWithdrawn w)
                continue;
            var free = MarginCalculator.Compute(state.Account(w.Account), state.Market).FreeCollateral;
            Assert.That(
                free,
                Is.GreaterThanOrEqualTo(0m),
                $"withdrawal at position {stored.GlobalPosition} left {w.Account} with free collateral {free}"
            );
            checkedWithdrawals++;
        }
        Assert.That(
            checkedWithdrawals,
            Is.EqualTo(withdrawalResults.Count(l => l.Contains("\"accepted\"", StringComparison.Ordinal)))
        );
    }

    /// <summary>Runs <c>apply</c> with its input written a line at a time, so each line is decided in a turn of its
    /// own.</summary>
    private async Task<LedgerProcess.Result> Trickle(string store, IEnumerable<string> lines)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Directory.Path,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["exec", LedgerProcess.Dll, "apply", "--store", store, "-"])
            start.ArgumentList.Add(a);
        start.Environment.Remove("LEDGER_STORE");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        foreach (var line in lines)
        {
            await process.StandardInput.WriteLineAsync(line);
            await process.StandardInput.FlushAsync();
            await Task.Delay(3);
        }
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new LedgerProcess.Result(process.ExitCode, await stdout, await stderr);
    }
}
