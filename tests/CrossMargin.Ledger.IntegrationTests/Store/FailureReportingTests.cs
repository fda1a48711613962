using CrossMargin.Ledger.Application.Apply;
using CrossMargin.Ledger.Cli.Verbs;
using CrossMargin.Ledger.EventStore.Hashing;
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
    private sealed class FailingAt(IEventStore inner, string stream) : IEventStore
    {
        private IReadOnlyList<AppendRequest> Check(IReadOnlyList<AppendRequest> requests) =>
            requests.Any(r => r.Events.Any(e => e.Stream == stream)) ? throw new IOException("disk full") : requests;

        public async Task<AppendResult> AppendAsync(
            AppendRequest request,
            CancellationToken cancellationToken = default
        ) => await inner.AppendAsync(Check([request])[0], cancellationToken);

        public Task<RecordedCommand?> FindCommandAsync(
            string commandId,
            Digest payloadHash,
            CancellationToken cancellationToken = default
        ) => inner.FindCommandAsync(commandId, payloadHash, cancellationToken);

        public async Task<IWriteTurn> BeginWriteAsync(CancellationToken cancellationToken = default) =>
            new Turn(this, await inner.BeginWriteAsync(cancellationToken));

        private sealed class Turn(FailingAt owner, IWriteTurn inner) : IWriteTurn
        {
            public IAsyncEnumerable<StoredEvent> ReadAfterAsync(
                long afterPosition,
                CancellationToken cancellationToken = default
            ) => inner.ReadAfterAsync(afterPosition, cancellationToken);

            public Task<RecordedCommand?> FindCommandAsync(
                string commandId,
                CancellationToken cancellationToken = default
            ) => inner.FindCommandAsync(commandId, cancellationToken);

            public Task<IReadOnlyList<AppendResult>> AppendAsync(
                IReadOnlyList<AppendRequest> requests,
                CancellationToken cancellationToken = default
            ) => inner.AppendAsync(owner.Check(requests), cancellationToken);

            public Task RecordRejectionAsync(
                CommandRejection rejection,
                CancellationToken cancellationToken = default
            ) => inner.RecordRejectionAsync(rejection, cancellationToken);

            public Task CommitAsync(CancellationToken cancellationToken = default) =>
                inner.CommitAsync(cancellationToken);

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }

        public Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(
            string stream,
            long afterVersion = 0,
            CancellationToken cancellationToken = default
        ) => inner.ReadStreamAsync(stream, afterVersion, cancellationToken);

        public IAsyncEnumerable<StoredEvent> ReadAllAsync(
            long afterPosition = 0,
            long? toPosition = null,
            CancellationToken cancellationToken = default
        ) => inner.ReadAllAsync(afterPosition, toPosition, cancellationToken);

        public IAsyncEnumerable<Seal> ReadSealsAsync(CancellationToken cancellationToken = default) =>
            inner.ReadSealsAsync(cancellationToken);

        public Task<long> HeadAsync(CancellationToken cancellationToken = default) =>
            inner.HeadAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
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
