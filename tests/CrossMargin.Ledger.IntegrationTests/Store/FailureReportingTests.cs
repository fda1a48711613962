using CrossMargin.Ledger.Application.Apply;
using CrossMargin.Ledger.Cli.Verbs;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Sqlite;
using CrossMargin.Ledger.Hosting;

namespace CrossMargin.Ledger.IntegrationTests.Store;

/// <summary>When an append fails part-way through a group of lines, every line committed before it is still
/// reported.</summary>
public sealed class FailureReportingTests
{
    /// <summary>A real SQLite store whose appends fail the way a full disk does once they reach one account's
    /// stream.</summary>
    private sealed class FailingAt(IEventStore inner, string stream) : DelegatingStore(inner)
    {
        private IReadOnlyList<AppendRequest> Check(IReadOnlyList<AppendRequest> requests) =>
            requests.Any(r => r.Events.Any(e => e.Stream == stream)) ? throw new IOException("disk full") : requests;

        public override async Task<AppendResult> AppendAsync(
            AppendRequest request,
            CancellationToken cancellationToken = default
        ) => await base.AppendAsync(Check([request])[0], cancellationToken);

        protected override IWriteTurn Wrap(IWriteTurn turn) => new Turn(this, turn);

        private sealed class Turn(FailingAt owner, IWriteTurn inner) : DelegatingTurn(inner)
        {
            public override Task<IReadOnlyList<AppendResult>> AppendAsync(
                IReadOnlyList<AppendRequest> requests,
                CancellationToken cancellationToken = default
            ) => base.AppendAsync(owner.Check(requests), cancellationToken);
        }
    }

    [Test]
    public async Task A_failure_inside_a_group_still_reports_every_line_committed_before_it()
    {
        using var directory = new TempDirectory();
        var path = directory.File("partial.db");
        var lines = string.Join(
            '\n',
            Enumerable
                .Range(1, 10)
                .Select(i => $$"""{"type":"deposit","account":"a{{i}}","asset":"USDT","amount":"{{i}}"}""")
        );
        var output = new StringWriter();
        await using (
            var host = LedgerHost.Over(
                new FailingAt(await SqliteEventStore.OpenAsync(path), "account-a7"),
                new FixedClock(DateTimeOffset.UnixEpoch)
            )
        )
        {
            // ten lines form one group, which fails as a whole (nothing committed); run again one by one, the 7th fails
            Assert.That(
                async () =>
                    await LineApplier.RunAsync(
                        host.Mediator,
                        new StringReader(lines),
                        r => ApplyVerb.Print(output, r),
                        CancellationToken.None
                    ),
                Throws.TypeOf<IOException>().With.Message.EqualTo("disk full")
            );
        }
        var reported = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(reported, Has.Length.EqualTo(6));
        Assert.That(
            reported.Select(
                (l, i) =>
                    l.StartsWith(
                        $$"""{"line":{{i + 1}},"status":"accepted","events":[{"globalPosition":{{i + 1}},""",
                        StringComparison.Ordinal
                    )
            ),
            Has.All.True
        );
        await using var store = await SqliteEventStore.OpenAsync(path);
        Assert.That(await store.HeadAsync(), Is.EqualTo(6), "exactly the reported lines are in the file");
    }
}
