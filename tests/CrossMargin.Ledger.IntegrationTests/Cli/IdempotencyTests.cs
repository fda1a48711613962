namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>
/// Every outcome of a command with an id is its answer for good: accepted or rejected, a resend gets the first
/// result and appends nothing, whatever the ledger's state has become. Ids are validated. On both stores,
/// through the real program.
/// </summary>
public sealed class IdempotencyTests : TempDatabaseTest
{
    private static readonly string Listing =
        """{"type":"list-instrument","symbol":"BTCUSDT","base":"BTC","quote":"USDT","tiers":[{"floor":0,"""
        + """ "mmr":"0.004","maxLeverage":125}],"takerFeeRate":"0","liquidationFeeRate":"0.002","""
        + """ "quantityStep":"0.001","tickSize":"0.1"}""";

    private string Store(bool postgres) => postgres ? Database.ConnectionString : Directory.File("ids.db");

    private async Task<LedgerProcess.Result> Apply(bool postgres, string input) =>
        await LedgerProcess.Run(Directory.Path, input, "apply", "--store", Store(postgres), "-");

    private async Task<long> Head(bool postgres)
    {
        var verify = await LedgerProcess.Run(Directory.Path, null, "verify", "--store", Store(postgres));
        Assert.That(verify.ExitCode, Is.EqualTo(0), verify.Out + verify.Error);
        return long.Parse(
            System.Text.RegularExpressions.Regex.Match(verify.Out, @"(\d+) events").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture
        );
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_rejected_command_is_answered_with_its_first_rejection_even_when_it_would_now_pass(bool postgres)
    {
        var first = await Apply(
            postgres,
            """{"commandId":"w-1","type":"withdraw","account":"a","asset":"USDT","amount":"100"}"""
        );
        Assert.That(first.ExitCode, Is.EqualTo(2));
        Assert.That(
            first.Lines[0],
            Does.Contain("\"status\":\"rejected\"").And.Contain("InsufficientBalance").And.Not.Contain("duplicate")
        );

        var deposit = await Apply(
            postgres,
            """{"commandId":"d-1","type":"deposit","account":"a","asset":"USDT","amount":"1000"}"""
        );
        Assert.That(deposit.ExitCode, Is.EqualTo(0));
        var head = await Head(postgres);

        var resend = await Apply(
            postgres,
            """{"commandId":"w-1","type":"withdraw","account":"a","asset":"USDT","amount":"100"}"""
        );
        Assert.That(
            resend.Lines[0],
            Does.Contain("\"status\":\"rejected\"").And.Contain("InsufficientBalance").And.Contain("\"duplicate\":true")
        );
        Assert.That(resend.ExitCode, Is.EqualTo(2));
        Assert.That(await Head(postgres), Is.EqualTo(head), "a resend appends nothing");

        var changed = await Apply(
            postgres,
            """{"commandId":"w-1","type":"withdraw","account":"a","asset":"USDT","amount":"50"}"""
        );
        Assert.That(changed.ExitCode, Is.EqualTo(1));
        Assert.That(
            changed.Lines[0],
            Does.Contain("\"status\":\"malformed\"").And.Contain("already used for a different command")
        );
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Running_a_file_again_after_a_complete_run_appends_nothing(bool postgres)
    {
        var lines = string.Join(
            '\n',
            new[]
            {
                $$"""{"commandId":"l-0",{{Listing[1..]}}""",
                """{"commandId":"p-0","type":"update-price","symbol":"BTCUSDT","price":"60000"}""",
            }.Concat(
                Enumerable
                    .Range(1, 30)
                    .SelectMany(i =>
                        new[]
                        {
                            $$"""{"commandId":"d-{{i}}","type":"deposit","account":"a{{i % 5}}","asset":"USDT","""
                                + $$""" "amount":"{{i * 100}}"}""",
                            // half of these are rejected the first time and would pass the second time
                            $$"""{"commandId":"w-{{i}}","type":"withdraw","account":"a{{(i + 1) % 5}}","""
                                + $$""" "asset":"USDT","amount":"{{i * 90}}"}""",
                            $$"""{"commandId":"o-{{i}}","type":"open-position","account":"a{{i % 5}}","""
                                + $$""" "symbol":"BTCUSDT","side":"{{(i % 2 == 0 ? "long" : "short")}}","""
                                + $$""" "quantity":"0.01","price":"60000"}""",
                        }
                    )
            )
        );
        var first = await Apply(postgres, lines);
        Assert.That(first.ExitCode, Is.EqualTo(2), first.Error);
        Assert.That(first.Lines.Count(l => l.Contains("\"rejected\"", StringComparison.Ordinal)), Is.GreaterThan(3));
        var head = await Head(postgres);

        var again = await Apply(postgres, lines);
        Assert.That(await Head(postgres), Is.EqualTo(head), "the second run appends nothing");
        Assert.That(again.Lines, Has.Length.EqualTo(first.Lines.Length));
        for (var i = 0; i < first.Lines.Length; i++)
            Assert.That(
                again.Lines[i],
                Is.EqualTo(first.Lines[i].Insert(first.Lines[i].Length - 1, ",\"duplicate\":true")),
                $"line {i + 1} is answered with its first result"
            );
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_line_repeating_an_id_of_its_own_group_is_answered_from_it(bool postgres)
    {
        var result = await Apply(
            postgres,
            """
            {"commandId":"x","type":"deposit","account":"a","asset":"USDT","amount":"5"}
            {"commandId":"x","type":"deposit","account":"a","asset":"USDT","amount":"5"}
            {"commandId":"y","type":"withdraw","account":"a","asset":"USDT","amount":"9"}
            {"commandId":"y","type":"withdraw","account":"a","asset":"USDT","amount":"9"}
            {"commandId":"x","type":"deposit","account":"a","asset":"USDT","amount":"6"}
            {"type":"deposit","account":"a","asset":"USDT","amount":"7"}
            """
        );
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Lines, Has.Length.EqualTo(5));
        Assert.That(result.Lines[1], Does.Contain("\"accepted\"").And.Contain("\"duplicate\":true"));
        Assert.That(result.Lines[2], Does.Contain("\"rejected\"").And.Not.Contain("duplicate"));
        Assert.That(result.Lines[3], Does.Contain("\"rejected\"").And.Contain("\"duplicate\":true"));
        Assert.That(
            result.Lines[4],
            Does.StartWith("""{"line":5,"status":"malformed","message":"line 5: command id 'x' was already used""")
        );
        Assert.That(await Head(postgres), Is.EqualTo(1), "one deposit; nothing after the reused id");
    }

    [TestCase("", "commandId must not be empty")]
    [TestCase("\\ud800", "commandId is not well-formed Unicode (a lone surrogate escape)")]
    [TestCase("x\\udfff", "commandId is not well-formed Unicode (a lone surrogate escape)")]
    [TestCase("a\\u0007", "commandId contains a control character (U+0007) at character 2")]
    [TestCase("actor:x", "actor has 129 characters, more than the 128 allowed")]
    public async Task Malformed_ids_are_refused_naming_the_field(string id, string message)
    {
        var envelope =
            id == "actor:x"
                ? $$"""
                    "actor":"{{new string('x', 129)}}"
                    """
                : $$"""
                    "commandId":"{{id}}"
                    """;
        var result = await Apply(
            false,
            $$"""{{{envelope.Trim()}},"type":"deposit","account":"a","asset":"USDT","amount":"5"}"""
        );
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(
            result.Lines[0],
            Is.EqualTo($$"""{"line":1,"status":"malformed","message":"line 1: {{message}}"}""")
        );
        Assert.That(await Head(false), Is.EqualTo(0));
    }

    [Test]
    public async Task Two_lone_surrogate_ids_never_collapse_into_one()
    {
        // before ids were checked both became U+FFFD: the second deposit was answered as the first's duplicate
        var result = await Apply(
            false,
            """
            {"commandId":"\ud800","type":"deposit","account":"a","asset":"USDT","amount":"5"}
            """
        );
        Assert.That(result.Lines[0], Does.Contain("malformed").And.Contain("lone surrogate"));
        var other = await Apply(
            false,
            """
            {"commandId":"\udbff","type":"deposit","account":"a","asset":"USDT","amount":"6"}
            """
        );
        Assert.That(other.Lines[0], Does.Contain("malformed").And.Contain("lone surrogate"));
        Assert.That(await Head(false), Is.EqualTo(0));
    }

    [Test]
    public async Task A_writer_sees_its_own_appends_across_an_unused_sequence_number()
    {
        var listed = await Apply(true, """{"type":"deposit","account":"seed","asset":"USDT","amount":"1"}""");
        Assert.That(listed.ExitCode, Is.EqualTo(0));
        // a sequence number taken and never used, as a killed writer leaves it
        await Database.ExecuteAsync("SELECT nextval('ledger.mt_events_sequence')");
        var result = await Apply(
            true,
            """
            {"commandId":"s-1","type":"deposit","account":"a","asset":"USDT","amount":"100"}
            {"commandId":"s-2","type":"withdraw","account":"a","asset":"USDT","amount":"60"}
            {"commandId":"s-3","type":"withdraw","account":"a","asset":"USDT","amount":"40"}
            """
        );
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Out);
        // and the same across processes: the next one sees the last one's appends at once
        var next = await Apply(true, """{"type":"deposit","account":"a","asset":"USDT","amount":"1"}""");
        await Database.ExecuteAsync("SELECT nextval('ledger.mt_events_sequence')");
        var after = await Apply(true, """{"type":"withdraw","account":"a","asset":"USDT","amount":"1"}""");
        Assert.That(after.ExitCode, Is.EqualTo(0), after.Out);
    }
}
