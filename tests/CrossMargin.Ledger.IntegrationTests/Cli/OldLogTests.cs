using Newtonsoft.Json.Linq;

namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>
/// Logs written by an earlier release (Fixtures/OldLogs, README there) open, verify and replay to the state
/// that release recorded; their liquidations were decided under liquidation rules v1, which re-execution
/// reports instead of comparing; a new command on such a log is decided and re-executed under the current rules.
/// </summary>
public sealed class OldLogTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "OldLogs", name);

    private static string CopyOf(TempDirectory dir, string name)
    {
        var path = dir.File(name);
        File.Copy(Fixture(name), path);
        return path;
    }

    // events, old triggers, command ids and streams (counted in the fixture with SQL: distinct command_id and stream of
    // events)
    [TestCase("demo", 51, 8, 29, 10)]
    [TestCase("liquidations", 112, 18, 64, 18)]
    public async Task An_old_log_opens_verifies_and_replays_to_the_state_it_recorded(
        string name,
        int events,
        int oldTriggers,
        int commands,
        int streams
    )
    {
        using var dir = new TempDirectory();
        var db = CopyOf(dir, name + ".db");

        var verify = await LedgerProcess.Run(dir.Path, null, "verify", "--reexecute", "--store", db);
        Assert.That(verify.ExitCode, Is.Zero, verify.Out + verify.Error);
        Assert.That(
            verify.Lines[0],
            Is.EqualTo(
                $"OK: {events} events and {events} seals verified, {commands} command records and {streams} stream "
                    + $"heads match them; conservation holds at global position {events}"
            )
        );
        Assert.That(
            verify.Lines[1],
            Does.StartWith(
                "OK: re-execution re-derived all 0 derived events of 0 liquidation(s) from 0 price and parameter events"
            )
        );
        Assert.That(
            verify.Lines[2],
            Does.StartWith($"NOT RE-EXECUTED: {oldTriggers} price and parameter events with ")
                .And.Contain("decided under liquidation rules v1; this build executes v2 only")
        );

        var trial = await LedgerProcess.Run(dir.Path, null, "query", "trial-balance", "--json", "--store", db);
        Assert.That(trial.ExitCode, Is.Zero, trial.Error);
        var recordedRows = JObject.Parse(await File.ReadAllTextAsync(Fixture(name + ".trial-balance.json")))["rows"]!;
        Assert.That(
            JObject.Parse(trial.Out)["rows"]!.ToString(),
            Is.EqualTo(recordedRows.ToString()),
            "every ledger account holds what the old release recorded"
        );

        var recorded = JObject.Parse(await File.ReadAllTextAsync(Fixture(name + ".accounts.json")));
        foreach (var (account, want) in recorded)
        {
            var shown = await LedgerProcess.Run(dir.Path, null, "account", account, "--json", "--store", db);
            Assert.That(shown.ExitCode, Is.Zero, shown.Error);
            var got = JObject.Parse(shown.Out);
            Assert.That(got["balances"]!.ToString(), Is.EqualTo(want!["balances"]!.ToString()), account);
            var positions = new JArray(
                got["positions"]!.Select(p => new JObject
                {
                    ["symbol"] = p["symbol"],
                    ["size"] = p["size"],
                    ["entryPrice"] = p["entryPrice"],
                })
            );
            Assert.That(positions.ToString(), Is.EqualTo(want["positions"]!.ToString()), account);
        }

        var liquidations = await LedgerProcess.Run(dir.Path, null, "liquidations", "--json", "--store", db);
        Assert.That(liquidations.ExitCode, Is.Zero, liquidations.Error);
    }

    [Test]
    public async Task A_resend_of_every_command_the_old_release_recorded_is_still_recognised()
    {
        using var dir = new TempDirectory();
        var db = CopyOf(dir, "liquidations.db");
        var input = await File.ReadAllTextAsync(Fixture("liquidations.jsonl"));
        var resend = await LedgerProcess.Run(dir.Path, input, "apply", "-", "--store", db);
        // the stored payload hashes still match: listings (which gained optional limits) included; the one
        // command that release rejected is decided afresh and rejected again
        Assert.That(resend.Lines, Has.Length.EqualTo(input.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length));
        Assert.That(
            resend.Lines.Count(l => l.Contains("\"duplicate\":true", StringComparison.Ordinal)),
            Is.EqualTo(resend.Lines.Length - 1),
            resend.Out
        );
        var verify = await LedgerProcess.Run(dir.Path, null, "verify", "--store", db);
        Assert.That(verify.Lines[0], Does.StartWith("OK: 112 events"), "nothing was appended");
    }

    [Test]
    public async Task Commands_and_rejections_recorded_under_clr_names_are_still_recognised_on_resend()
    {
        // commands.db was written by the release at a624362, whose payload hashes and recorded rejection payloads
        // named each command by its CLR type ("Deposit"); commands now have wire names ("deposit.v1")
        using var dir = new TempDirectory();
        var db = CopyOf(dir, "commands.db");
        var verify = await LedgerProcess.Run(dir.Path, null, "verify", "--reexecute", "--store", db);
        Assert.That(verify.ExitCode, Is.Zero, verify.Out + verify.Error);
        Assert.That(
            verify.Lines,
            Is.EqualTo(
                new[]
                {
                    "OK: 35 events and 35 seals verified, 31 command records and 9 stream heads match them; "
                        + "conservation holds at global position 35",
                    "OK: re-execution re-derived all 6 derived events of 1 liquidation(s) from 7 price and parameter "
                        + "events",
                    "OK: 7 recorded rejection(s) decided again at their positions, each rejected by the same rule",
                }
            )
        );

        var input = await File.ReadAllLinesAsync(Fixture("commands.jsonl"));
        var recorded = await File.ReadAllLinesAsync(Fixture("commands.out.jsonl"));
        var resend = await LedgerProcess.Run(dir.Path, string.Join('\n', input) + "\n", "apply", "-", "--store", db);
        Assert.That(resend.Lines, Has.Length.EqualTo(input.Length), resend.Out + resend.Error);
        for (var i = 0; i < input.Length; i++)
        {
            if (JObject.Parse(input[i])["commandId"] is null)
                continue; // decided afresh: it has no key to be recognised by
            var got = JObject.Parse(resend.Lines[i]);
            Assert.That((bool?)got["duplicate"], Is.True, resend.Lines[i]);
            got.Remove("duplicate");
            Assert.That(
                got.ToString(Newtonsoft.Json.Formatting.None),
                Is.EqualTo(recorded[i]),
                "the first answer, as recorded"
            );
        }
    }

    [Test]
    public async Task The_log_the_old_release_could_not_read_back_opens_now()
    {
        using var dir = new TempDirectory();
        var db = CopyOf(dir, "unreadable.db");
        var verify = await LedgerProcess.Run(dir.Path, null, "verify", "--store", db);
        Assert.That(
            verify.Lines[0],
            Is.EqualTo(
                "OK: 106 events and 106 seals verified, 61 command records and 17 stream heads match them; "
                    + "conservation holds at global position 106"
            ),
            verify.Error
        );
        var whale = await LedgerProcess.Run(dir.Path, null, "account", "whale", "--json", "--store", db);
        Assert.That(whale.ExitCode, Is.Zero, whale.Error);
        Assert.That(
            (string?)JObject.Parse(whale.Out)["balances"]!["USDT"],
            Is.EqualTo("20005313.957756440150568103707"),
            "29 significant digits, read exactly"
        );
        var query = await LedgerProcess.Run(dir.Path, null, "query", "insurance-fund", "--store", db);
        Assert.That(query.ExitCode, Is.Zero, query.Error);
    }

    [Test]
    public async Task A_new_price_on_an_old_log_is_decided_and_re_executed_under_the_current_rules()
    {
        using var dir = new TempDirectory();
        var db = CopyOf(dir, "liquidations.db");
        // eve is long 35 ETH at 3 000 on 0.8 BTC (index 51 000, 95 %) and −1 022.30 USDT: at 1 930 her equity
        // 0.8 × 51 000 × 0.95 − 1 022.30 − 35 × 1 070 ≈ 287.70 is below MM 35 × 1 930 × 0.005 = 337.75
        var apply = await LedgerProcess.Run(
            dir.Path,
            """{"type":"update-price","symbol":"ETHUSDT","price":"1930"}""" + "\n",
            "apply",
            "-",
            "--store",
            db
        );
        Assert.That(apply.ExitCode, Is.Zero, apply.Out + apply.Error);
        Assert.That(
            apply.Out,
            Does.Contain("\"type\":\"mark-price-updated.v2\"")
                .And.Contain("\"rulesVersion\":2")
                .And.Contain("\"liquidationId\":\"eve#1\"")
                .And.Contain("\"triggerType\":\"mark-price-updated.v2\"")
        );

        var verify = await LedgerProcess.Run(dir.Path, null, "verify", "--reexecute", "--store", db);
        Assert.That(verify.ExitCode, Is.Zero, verify.Out + verify.Error);
        Assert.That(
            verify.Lines[1],
            Does.Match(
                @"^OK: re-execution re-derived all [1-9][0-9]* derived events of [1-9][0-9]* liquidation\(s\) from 1 "
                    + @"price and parameter events$"
            )
        );
        Assert.That(verify.Lines[2], Does.StartWith("NOT RE-EXECUTED: 18 price and parameter events"));
    }
}
