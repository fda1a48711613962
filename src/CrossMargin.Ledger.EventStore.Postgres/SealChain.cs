using CrossMargin.Ledger.EventStore.Hashing;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Npgsql;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace CrossMargin.Ledger.EventStore.Postgres;

/// <summary>
/// The seal chain of design §6 on PostgreSQL: a Marten subscription, run by the async daemon over the
/// events in sequence order past the high-water mark, that writes <c>seal_n = SHA-256(seal_{n−1} ‖ hash_n)</c>
/// into <c>ledger.ledger_seals</c> in the same transaction as its progress. Concurrent writers therefore
/// never race on the chain, and an event that commits late with a lower sequence is sealed in its place,
/// because the daemon does not pass a gap a live transaction may still fill.
/// </summary>
internal sealed class SealChain : SubscriptionBase
{
    public const string ShardName = "seal-chain";
    public const string Table = EventStore.Projections.PostgresTables.Seals;
    private readonly NpgsqlDataSource dataSource;
    private (long Position, Digest Seal) last = (-1, Digest.Genesis);

    private SealChain(NpgsqlDataSource dataSource)
    {
        this.dataSource = dataSource;
        Name = ShardName;
    }

    public static void Register(StoreOptions opts, NpgsqlDataSource dataSource)
    {
        var table = new Table(
            new PostgresqlObjectName(MartenEventStore.Schema, "ledger_seals", SchemaUtils.IdentifierUsage.General)
        );
        table.AddColumn<long>("global_position").AsPrimaryKey();
        table.AddColumn<string>("seal").NotNull();
        opts.Storage.ExtendedSchemaObjects.Add(table);
        opts.Events.Subscribe(new SealChain(dataSource));
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page,
        ISubscriptionController controller,
        IDocumentOperations operations,
        CancellationToken cancellationToken
    )
    {
        // the chain continues from the last seal at or below the page's floor; it is in memory unless the
        // daemon restarted or rewound this subscription
        var (position, seal) =
            last.Position == page.SequenceFloor
                ? last
                : await SealAtAsync(page.SequenceFloor, cancellationToken).ConfigureAwait(false);
        foreach (var e in page.Events)
        {
            if (e.StreamKey == MartenEventStore.Tombstones)
                continue;
            var header = e.GetHeader(MartenEventStore.Headers.Hash)?.ToString();
            if (!Digest.TryParse(header, out var hash))
                throw new InvalidOperationException(
                    header is null
                        ? $"event at sequence {e.Sequence} ({e.StreamKey} v{e.Version}) has no ledger hash header: it "
                            + $"was not appended by the ledger"
                        : $"event at sequence {e.Sequence} ({e.StreamKey} v{e.Version}) carries hash header "
                            + $"'{header}', which is not {Digest.Rule}: it was altered"
                );
            seal = EventHash.Seal(seal, hash);
            position = e.Sequence;
            operations.QueueSqlCommand(
                $"INSERT INTO {Table} (global_position, seal) VALUES (?, ?) ON CONFLICT (global_position) DO UPDATE "
                    + $"SET seal = excluded.seal",
                position,
                seal.Hex
            );
        }
        last = (page.SequenceCeiling, seal);
        return NullChangeListener.Instance;
    }

    private async Task<(long, Digest)> SealAtAsync(long floor, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT global_position, seal FROM {Table} WHERE global_position <= $1 ORDER BY global_position DESC "
                + $"LIMIT 1"
        );
        command.Parameters.Add(new NpgsqlParameter { Value = floor });
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            return (0, Digest.Genesis);
        var (position, text) = (reader.GetInt64(0), reader.GetString(1));
        return Digest.TryParse(text, out var seal)
            ? (position, seal)
            : throw new InvalidOperationException(
                $"the seal at global position {position} is '{text}', not {Digest.Rule}"
            );
    }
}
