using System.Runtime.CompilerServices;
using System.Text.Json;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Schemas;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Services;
using Npgsql;
using Weasel.Core;

namespace CrossMargin.Ledger.EventStore.Postgres;

/// <summary>
/// The production store: PostgreSQL through Marten. Events live in Marten's <c>mt_events</c> (schema
/// <see cref="Schema"/>), one string-keyed Marten stream per ledger stream, with our metadata in Marten's
/// correlation/causation columns and headers, and the wire name as Marten's event type alias.
/// <para>
/// Appends use Marten's <b>Rich</b> append mode on purpose: the hash chain needs each event's stream
/// version before the insert and the result needs its sequence number, and Rich mode assigns both on the
/// client (Quick mode assigns them inside the database and is faster, but the hash could then not be
/// computed in the same transaction). Each append checks the expected versions against the stream heads,
/// then appends with Marten's own expected-version check, so a concurrent writer that moves a stream in
/// between makes the commit fail rather than fork the chain; streams appended with
/// <see cref="ExpectedVersion.Any"/> are retried internally with the new head.
/// </para>
/// <para>
/// Global positions are Marten's sequence numbers. They increase but may skip a number (a killed or
/// rolled-back append consumed it). Every append runs in a writer's turn holding the turn lock
/// (<see cref="BeginWriteAsync"/>), so numbers are taken and committed one turn at a time. A reader of the
/// global order stops at the <b>high-water mark</b> <see cref="HighWaterMarkAsync"/> reads under the same lock
/// taken shared for an instant: with no turn in flight, every number at or below the highest committed one is
/// committed or abandoned for good, so a reader never skips an event that commits later and never waits at a
/// gap. The seal chain and the projections are followers run by Marten's async daemon (<see cref="CatchUpAsync"/>).
/// </para>
/// </summary>
public sealed class MartenEventStore : Port.IEventStore, IBatchAppender, IStoreRecords, IAnchorTable, ISnapshotReads
{
    /// <summary>The PostgreSQL schema of the event tables, the seal chain and the projection tables.</summary>
    public const string Schema = EventStore.Projections.PostgresTables.Schema;

    private const int PageSize = 2000;

    /// <summary>
    /// The table whose lock orders writers: a turn holds it <c>EXCLUSIVE</c>, a high-water read or a snapshot
    /// <c>ROW EXCLUSIVE</c> (which readers share, and which a read-only transaction may take). Unlike an advisory
    /// lock, which any role may take, only the ledger's own role holds a right to lock it: the regulator cannot.
    /// </summary>
    internal const string TurnTable = Schema + ".writer_turn";

    /// <summary>How long a writer or reader waits for another writer's turn before <see
    /// cref="StoreBusyException"/>.</summary>
    private const int TurnWaitSeconds = 60;

    private bool hasTurnTable = true;
    private NpgsqlConnection? snapshotConnection;
    private NpgsqlTransaction? snapshotTx;

    /// <summary>A command on the read snapshot when one is open (<see cref="BeginSnapshotAsync"/>), else on a pooled
    /// connection.</summary>
    private NpgsqlCommand Read(string sql) =>
        snapshotConnection is { } c ? new NpgsqlCommand(sql, c, snapshotTx) : dataSource.CreateCommand(sql);

    /// <summary>Waits for the turn lock in <paramref name="mode"/> inside <paramref name="tx"/>, at most <see
    /// cref="TurnWaitSeconds"/>.</summary>
    private async Task LockTurnAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction tx,
        string mode,
        CancellationToken ct
    )
    {
        // a database no writer of this release has opened has no turn table, and so no turn to wait for
        if (!hasTurnTable)
            return;
        await using var command = new NpgsqlCommand(
            $"SET LOCAL lock_timeout = '{TurnWaitSeconds}s'; LOCK TABLE {TurnTable} IN {mode} MODE",
            connection,
            tx
        )
        {
            CommandTimeout = 0,
        };
        try
        {
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            throw new StoreBusyException(
                $"{PostgresConnection.Describe(ConnectionString)} stayed locked by a writer for more than "
                    + $"{TurnWaitSeconds} s",
                e
            );
        }
    }

    /// <summary>
    /// Opens a consistent read snapshot for the reads that follow (until disposed): taken while no writer's turn is
    /// in flight (the turn lock held <c>ROW EXCLUSIVE</c> for an instant, the snapshot exported and imported into a
    /// read-only repeatable-read transaction, then the lock let go), so events, seals, records and heads all describe
    /// one committed state and writers are held up only for that instant. <c>verify</c> reads inside one.
    /// </summary>
    public async Task<IAsyncDisposable> BeginSnapshotAsync(CancellationToken cancellationToken = default)
    {
        if (snapshotConnection is not null)
            throw new InvalidOperationException("a read snapshot is already open");
        await using var locker = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var lockTx = await locker
            .BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken)
            .ConfigureAwait(false);
        await LockTurnAsync(locker, lockTx, "ROW EXCLUSIVE", cancellationToken).ConfigureAwait(false);
        string id;
        await using (var export = new NpgsqlCommand("SELECT pg_export_snapshot()", locker, lockTx))
            id = (string)(await export.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var tx = await connection
                .BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken)
                .ConfigureAwait(false);
            await using (
                var import = new NpgsqlCommand(
                    $"SET TRANSACTION READ ONLY; SET TRANSACTION SNAPSHOT '{id}'",
                    connection,
                    tx
                )
            )
                await import.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            (snapshotConnection, snapshotTx) = (connection, tx);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        await lockTx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new Snapshot(this);
    }

    private sealed class Snapshot(MartenEventStore owner) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (owner.snapshotTx is { } tx)
                await tx.DisposeAsync().ConfigureAwait(false);
            if (owner.snapshotConnection is { } c)
                await c.DisposeAsync().ConfigureAwait(false);
            (owner.snapshotConnection, owner.snapshotTx) = (null, null);
        }
    }

    /// <summary>
    /// The stream under which Marten fills the sequence numbers of a failed Rich append with tombstone
    /// events; they are not ledger events, and every reader of the global order leaves them out.
    /// </summary>
    internal const string Tombstones = "mt_tombstone";
    private static readonly TimeSpan StaleGap = TimeSpan.FromMilliseconds(500);
    private readonly DocumentStore store;
    private readonly NpgsqlDataSource dataSource;
    private readonly SemaphoreSlim daemonGate = new(1, 1);
    private IProjectionDaemon? daemon;

    private MartenEventStore(
        DocumentStore store,
        NpgsqlDataSource dataSource,
        string connectionString,
        bool readOnly = false
    )
    {
        this.store = store;
        this.dataSource = dataSource;
        ConnectionString = connectionString;
        ReadOnly = readOnly;
    }

    /// <summary>The Npgsql connection string of the server.</summary>
    public string ConnectionString { get; }

    /// <summary>A data source on the same database, for plain SQL.</summary>
    public NpgsqlDataSource DataSource => dataSource;

    /// <inheritdoc />
    public bool SealsFollowAppends => true;

    /// <inheritdoc />
    public bool PositionsAreGapFree => false;

    /// <inheritdoc />
    public async IAsyncEnumerable<CommandRecordRow> ReadCommandRecordsAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        var rows = new List<(string Id, string Json)>();
        await using (var command = Read($"SELECT id, data::text FROM {CommandTable} ORDER BY id"))
        await using (var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
                rows.Add((r.GetString(0), r.GetString(1)));
        foreach (var (id, json) in rows)
        {
            var record = ReadRecord(id, json, problem => new MalformedRecordException(problem));
            var hash = Digest.TryParse(record.PayloadHash, out var digest)
                ? digest
                : throw new MalformedRecordException(
                    $"the record of command '{id}' holds payload hash '{record.PayloadHash}'"
                        + $", which is not {Digest.Rule}"
                );
            yield return new CommandRecordRow(
                id,
                hash,
                null,
                null,
                record.EventCount,
                record.RejectionCode is { } code
                    ? new CommandRejection(
                        id,
                        hash,
                        record.Payload ?? "",
                        code,
                        record.RejectionMessage ?? "",
                        record.DecidedAt ?? -1
                    )
                    : null
            );
        }
    }

    /// <inheritdoc />
    /// <remarks>Marten's <c>mt_streams</c> keeps the version only.</remarks>
    public async IAsyncEnumerable<StreamHeadRow> ReadStreamHeadsAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        var rows = new List<StreamHeadRow>();
        await using (
            var command = Read($"SELECT id, version FROM {Schema}.mt_streams WHERE id <> '{Tombstones}' ORDER BY id")
        )
        await using (var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
                rows.Add(new StreamHeadRow(r.GetString(0), r.GetInt64(1), null));
        foreach (var row in rows)
            yield return row;
    }

    /// <summary>Marten-managed table of the anchors' copies.</summary>
    internal const string AnchorTable = EventStore.Projections.PostgresTables.Anchors;

    /// <inheritdoc />
    public async Task RecordAnchorAsync(
        long globalPosition,
        Digest seal,
        string anchoredAt,
        string publicKey,
        string signature,
        string line,
        CancellationToken cancellationToken = default
    )
    {
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO {AnchorTable} (signature, global_position, seal, anchored_at, public_key, line)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (signature) DO NOTHING
            """
        );
        foreach (var value in (object[])[signature, globalPosition, seal.Hex, anchoredAt, publicKey, line])
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>The seal subscription's progress row in <c>mt_event_progression</c>.</remarks>
    public async Task<long?> SealedThroughAsync(CancellationToken cancellationToken = default)
    {
        await using var command = Read(
            $"SELECT last_seq_id FROM {Schema}.mt_event_progression WHERE name = '{SealChain.ShardName}:All'"
        );
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long position
            ? position
            : 0;
    }

    /// <inheritdoc />
    /// <remarks>Events Marten has archived: its daemon, and so the projections, skip them.</remarks>
    public async IAsyncEnumerable<long> ReadHiddenEventsAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        var rows = new List<long>();
        await using (
            var command = Read(
                $"SELECT seq_id FROM {Schema}.mt_events WHERE is_archived AND stream_id <> '{Tombstones}' ORDER BY "
                    + $"seq_id"
            )
        )
        await using (var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
                rows.Add(r.GetInt64(0));
        foreach (var row in rows)
            yield return row;
    }

    /// <summary>
    /// Connects and creates or migrates the schema with Marten/Weasel (never dropping anything).
    /// <paramref name="configure"/> adds followers (projections, subscriptions) to the Marten options.
    /// </summary>
    /// <exception cref="InvalidOperationException">the server cannot be reached or the schema cannot be
    /// migrated.</exception>
    public static async Task<MartenEventStore> OpenAsync(
        string connection,
        Action<StoreOptions, NpgsqlDataSource>? configure = null,
        CancellationToken cancellationToken = default
    )
    {
        var connectionString = PostgresConnection.Normalize(connection);
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new DocumentStore(Options(dataSource, configure));
        try
        {
            await store
                .Storage.ApplyAllConfiguredChangesToDatabaseAsync()
                .WaitAsync(cancellationToken)
                .ConfigureAwait(false);
            return new MartenEventStore(store, dataSource, connectionString);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            store.Dispose();
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException(
                $"{PostgresConnection.Describe(connectionString)} cannot be opened as a ledger: {e.Message}",
                e
            );
        }
    }

    /// <summary>
    /// Connects for reading only: nothing is created or migrated, the session is read-only on the server
    /// (<c>default_transaction_read_only</c>), the high-water mark is read but not recorded and no follower runs,
    /// so <c>verify</c> reports the seals as they are instead of writing the missing ones itself.
    /// </summary>
    /// <exception cref="InvalidOperationException">the server cannot be reached or the database holds no
    /// ledger.</exception>
    public static async Task<MartenEventStore> OpenReadOnlyAsync(
        string connection,
        CancellationToken cancellationToken = default
    )
    {
        var connectionString = new NpgsqlConnectionStringBuilder(PostgresConnection.Normalize(connection))
        {
            Options = "-c default_transaction_read_only=on",
        }.ConnectionString;
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var options = Options(dataSource, null);
        options.AutoCreateSchemaObjects = AutoCreate.None;
        var store = new DocumentStore(options);
        try
        {
            await using var command = dataSource.CreateCommand(
                $"SELECT to_regclass('{Schema}.mt_events') IS NOT NULL AND to_regclass('{CommandTable}') IS NOT NULL"
            );
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
                throw new InvalidOperationException(
                    $"{PostgresConnection.Describe(connectionString)} holds no ledger (no {Schema}.mt_events; "
                        + $"reading never creates one)"
                );
            await using var turns = dataSource.CreateCommand($"SELECT to_regclass('{TurnTable}') IS NOT NULL");
            var opened = new MartenEventStore(store, dataSource, connectionString, readOnly: true);
            opened.hasTurnTable = await turns.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
            return opened;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            store.Dispose();
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw e as InvalidOperationException
                ?? new InvalidOperationException(
                    $"{PostgresConnection.Describe(connectionString)} cannot be opened as a ledger: {e.Message}",
                    e
                );
        }
    }

    /// <summary>Whether this store was opened by <see cref="OpenReadOnlyAsync"/>.</summary>
    public bool ReadOnly { get; }

    private static StoreOptions Options(NpgsqlDataSource dataSource, Action<StoreOptions, NpgsqlDataSource>? configure)
    {
        var opts = new StoreOptions();
        opts.Connection(dataSource); // one connection pool for Marten and our plain SQL
        opts.DatabaseSchemaName = Schema;
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        opts.DisableNpgsqlLogging = true;
        opts.UseSystemTextJsonForSerialization(
            EnumStorage.AsString,
            Casing.CamelCase,
            json => json.Converters.Add(new LedgerEventJsonConverter())
        );
        opts.Events.StreamIdentity = StreamIdentity.AsString;
        opts.Events.AppendMode = EventAppendMode.Rich;
        opts.Events.MetadataConfig.HeadersEnabled = true;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Events.EnableUniqueIndexOnEventId = true;
        foreach (var name in EventTypeRegistry.Names)
            opts.Events.MapEventType(EventTypeRegistry.TypeOf(name), name);
        opts.Schema.For<CommandRecord>().DocumentAlias("ledger_command");
        // a gap older than this is probed: skipped only when no live transaction can still fill it
        opts.Projections.StaleSequenceThreshold = StaleGap;
        // this process runs the daemon itself (CatchUpAsync), as the only node: no leader election
        opts.Projections.AsyncMode = DaemonMode.Solo;
        SealChain.Register(opts, dataSource);
        var turns = new Weasel.Postgresql.Tables.Table(
            new Weasel.Postgresql.PostgresqlObjectName(
                Schema,
                "writer_turn",
                Weasel.Postgresql.SchemaUtils.IdentifierUsage.General
            )
        );
        turns.AddColumn<int>("id").AsPrimaryKey();
        opts.Storage.ExtendedSchemaObjects.Add(turns);
        var anchors = new Weasel.Postgresql.Tables.Table(
            new Weasel.Postgresql.PostgresqlObjectName(
                Schema,
                "anchors",
                Weasel.Postgresql.SchemaUtils.IdentifierUsage.General
            )
        );
        anchors.AddColumn<string>("signature").AsPrimaryKey();
        anchors.AddColumn<long>("global_position").NotNull();
        anchors.AddColumn<string>("seal").NotNull();
        anchors.AddColumn<string>("anchored_at").NotNull();
        anchors.AddColumn<string>("public_key").NotNull();
        anchors.AddColumn<string>("line").NotNull();
        opts.Storage.ExtendedSchemaObjects.Add(anchors);
        configure?.Invoke(opts, dataSource);
        return opts;
    }

    /// <inheritdoc />
    public Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken = default) =>
        Port.PlainAppends.AppendAloneAsync(this, request, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<AppendResult>> AppendBatchAsync(
        IReadOnlyList<AppendRequest> requests,
        CancellationToken cancellationToken = default
    )
    {
        await using var turn = await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var results = await turn.AppendAsync(requests, cancellationToken).ConfigureAwait(false);
        await turn.CommitAsync(cancellationToken).ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// Opens a transaction and takes the turn lock in it (<see cref="TurnTable"/> in <c>EXCLUSIVE</c> mode, released
    /// at commit or rollback; waiting at most 60 s for another writer). Every append of every process runs inside such
    /// a turn, so while one is held no
    /// other ledger transaction is in flight: the turn reads the log straight from <c>mt_events</c>, past
    /// Marten's high-water mark, and sees every committed event, its own included.
    /// </summary>
    public async Task<IWriteTurn> BeginWriteAsync(CancellationToken cancellationToken = default)
    {
        if (ReadOnly)
            throw new InvalidOperationException(
                $"{PostgresConnection.Describe(ConnectionString)} was opened for reading only"
            );
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlTransaction? tx = null;
        try
        {
            tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await LockTurnAsync(connection, tx, "EXCLUSIVE", cancellationToken).ConfigureAwait(false);
            return new Turn(this, connection, tx);
        }
        catch
        {
            if (tx is not null)
                await tx.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A transaction holding the turn lock; appends go through a Marten session enlisted in it.</summary>
    private sealed class Turn(MartenEventStore owner, NpgsqlConnection connection, NpgsqlTransaction tx) : IWriteTurn
    {
        private IDocumentSession? session;
        private bool ended;

        private IDocumentSession Session =>
            session ??= owner.store.LightweightSession(SessionOptions.ForTransaction(tx, shouldAutoCommit: false));

        public async IAsyncEnumerable<StoredEvent> ReadAfterAsync(
            long afterPosition,
            [EnumeratorCancellation] CancellationToken cancellationToken = default
        )
        {
            var after = afterPosition;
            while (true)
            {
                await using var command = new NpgsqlCommand(
                    $"SELECT {EventColumns} FROM {Schema}.mt_events WHERE seq_id > $1 AND stream_id <> "
                        + $"'{Tombstones}' ORDER BY seq_id LIMIT {PageSize}",
                    connection,
                    tx
                );
                command.Parameters.Add(new NpgsqlParameter { Value = after });
                var page = await ReadEventsAsync(command, cancellationToken).ConfigureAwait(false);
                foreach (var e in page)
                    yield return e;
                if (page.Count < PageSize)
                    yield break;
                after = page[^1].GlobalPosition;
            }
        }

        public Task<RecordedCommand?> FindCommandAsync(
            string commandId,
            CancellationToken cancellationToken = default
        ) => FindRecordAsync(commandId, connection, tx, cancellationToken);

        public async Task<IReadOnlyList<AppendResult>> AppendAsync(
            IReadOnlyList<AppendRequest> requests,
            CancellationToken cancellationToken = default
        )
        {
            foreach (var request in requests)
                EventSchemas.Validate(request.Events);
            var ids = requests.Select(r => r.Metadata.CommandId).ToArray();
            if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Length)
                throw new CommandAlreadyRecordedException(
                    ids.GroupBy(i => i, StringComparer.Ordinal).First(g => g.Count() > 1).Key
                );
            // one round trip for the group: a recorded id, or one whose first event exists without a record
            await using (
                var known = new NpgsqlCommand(
                    $"""
                    SELECT id FROM {CommandTable} WHERE id = ANY($1)
                    UNION ALL SELECT NULL FROM {Schema}.mt_events WHERE id = ANY($2)
                    LIMIT 1
                    """,
                    connection,
                    tx
                )
            )
            {
                known.Parameters.Add(new NpgsqlParameter { Value = ids });
                known.Parameters.Add(
                    new NpgsqlParameter { Value = ids.Select(i => EventHash.EventId(i, 0)).ToArray() }
                );
                await using var reader = await known.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    throw reader.IsDBNull(0)
                        ? new StoreDamagedException("a command of the group has events but no command record")
                        : new CommandAlreadyRecordedException(reader.GetString(0));
            }
            return await AppendInTurnAsync(Session, connection, tx, requests, cancellationToken).ConfigureAwait(false);
        }

        public async Task RecordRejectionAsync(
            CommandRejection rejection,
            CancellationToken cancellationToken = default
        )
        {
            if (
                await FindRecordAsync(rejection.CommandId, connection, tx, cancellationToken).ConfigureAwait(false)
                is not null
            )
                throw new CommandAlreadyRecordedException(rejection.CommandId);
            Session.Insert(
                new CommandRecord
                {
                    Id = rejection.CommandId,
                    PayloadHash = rejection.PayloadHash.Hex,
                    RejectionCode = rejection.Code,
                    RejectionMessage = rejection.Message,
                    Payload = rejection.Payload,
                    DecidedAt = rejection.DecidedAt,
                }
            );
            await Session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        public async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            if (ended)
                throw new InvalidOperationException("the write turn has ended");
            try
            {
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await EndAsync().ConfigureAwait(false);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (ended)
                return;
            try
            {
                await tx.RollbackAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // the connection is gone or the transaction already ended: the server rolls the transaction back and
                // releases the lock itself
            }
            finally
            {
                await EndAsync().ConfigureAwait(false);
            }
        }

        private async Task EndAsync()
        {
            ended = true;
            if (session is not null)
                await session.DisposeAsync().ConfigureAwait(false);
            await tx.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Appends the requests through <paramref name="session"/> (enlisted in the turn's transaction): heads read
    /// from the events, both chains linked, the session's sequence numbers handed out in decision order.
    /// </summary>
    private static async Task<IReadOnlyList<AppendResult>> AppendInTurnAsync(
        IDocumentSession session,
        NpgsqlConnection connection,
        NpgsqlTransaction tx,
        IReadOnlyList<AppendRequest> requests,
        CancellationToken cancellationToken
    )
    {
        var streams = requests
            .SelectMany(r => r.Events)
            .Select(e => e.Stream)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var heads = await StreamHeadsAsync(streams, connection, tx, cancellationToken).ConfigureAwait(false);
        var running = new Dictionary<string, StreamHead>(heads, StringComparer.Ordinal);
        var planned = new List<StoredEvent[]>(requests.Count);
        foreach (var request in requests)
        {
            var (events, _) = AppendPlan.Build(request, s => running[s], 0, Digest.Genesis);
            foreach (var e in events)
                running[e.Stream] = new StreamHead(e.StreamVersion, e.Hash);
            planned.Add([.. events]);
        }
        var decided = planned.SelectMany(p => p).ToArray();

        var marten = new List<IEvent>(decided.Length);
        foreach (var group in decided.GroupBy(e => e.Stream, StringComparer.Ordinal))
        {
            var items = group.ToArray();
            var action = session.Events.Append(
                group.Key,
                heads[group.Key].Version + items.Length,
                items.Select(e => (object)EventTypeRegistry.Deserialize(e.Type, e.Data)).ToArray()
            );
            for (var i = 0; i < items.Length; i++)
                marten.Add(Stamp(action.Events[i], items[i]));
        }
        var ids = decided.Select(e => e.EventId).ToArray();
        if (!marten.Select(e => e.Id).SequenceEqual(ids))
        {
            // Marten numbers a session's events stream by stream; the ledger's order is the order the events
            // were decided in (a trigger, then each liquidation step, fund movement, ADL…). Within the same
            // transaction, hand the session's sequence numbers back out in that order.
            session.QueueSqlCommand($"UPDATE {Schema}.mt_events SET seq_id = -seq_id WHERE id = ANY(?)", [ids]);
            session.QueueSqlCommand(
                $"""
                UPDATE {Schema}.mt_events e SET seq_id = r.seq_id
                FROM (SELECT w.id, s.seq_id FROM unnest(?::uuid[]) WITH ORDINALITY AS w(id, n)
                      JOIN (SELECT -seq_id AS seq_id, row_number() OVER (ORDER BY -seq_id) AS n FROM {Schema}.mt_events
                          WHERE id = ANY(?)) s ON s.n = w.n) r
                WHERE e.id = r.id
                """,
                [ids, ids]
            );
        }
        foreach (var request in requests)
            session.Insert(
                new CommandRecord
                {
                    Id = request.Metadata.CommandId,
                    PayloadHash = request.PayloadHash.Hex,
                    EventCount = request.Events.Length,
                }
            );
        try
        {
            await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsRace(e))
        {
            // under the writers' lock nothing else appends: a stream that moved is a writer that skipped the lock
            // (a release before serialisable turns) or a stream head that disagrees with its events
            throw new StoreDamagedException(
                $"the append of command '{requests[0].Metadata.CommandId}' found a stream moved under the writers' "
                    + $"lock ({e.Message})"
            );
        }
        var sequences = marten.Select(e => e.Sequence).Order().ToArray();
        var results = new List<AppendResult>(requests.Count);
        var next = 0;
        foreach (var events in planned)
            results.Add(
                new AppendResult(
                    [.. events.Select(e => e with { GlobalPosition = sequences[next++] })],
                    Duplicate: false
                )
            );
        return results;
    }

    private static IEvent Stamp(IEvent e, StoredEvent planned)
    {
        e.Id = planned.EventId;
        e.CorrelationId = planned.Metadata.CorrelationId;
        e.CausationId = planned.Metadata.CausationId;
        e.SetHeader(Headers.CommandId, planned.Metadata.CommandId);
        e.SetHeader(Headers.Actor, planned.Metadata.Actor);
        e.SetHeader(Headers.RecordedAt, planned.Metadata.RecordedAt);
        e.SetHeader(Headers.PrevHash, planned.PrevHash.Hex);
        e.SetHeader(Headers.Hash, planned.Hash.Hex);
        return e;
    }

    private static bool IsRace(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (
                x is PostgresException
                {
                    SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure
                }
            )
                return true;
            var name = x.GetType().Name;
            if (
                name.Contains("Concurrency", StringComparison.Ordinal)
                || name.Contains("UnexpectedMaxEventId", StringComparison.Ordinal)
                || name.Contains("StreamIdCollision", StringComparison.Ordinal)
                || name.Contains("AlreadyExists", StringComparison.Ordinal)
            )
                return true;
        }
        return false;
    }

    /// <summary>The header names under which our metadata and hashes sit in <c>mt_events.headers</c>.</summary>
    public static class Headers
    {
        /// <summary>The command that produced the event.</summary>
        public const string CommandId = "commandId";

        /// <summary>Who sent the command.</summary>
        public const string Actor = "actor";

        /// <summary>When the command was recorded (ISO-8601 UTC, as hashed).</summary>
        public const string RecordedAt = "recordedAt";

        /// <summary>The hash of the previous event of the stream.</summary>
        public const string PrevHash = "prevHash";

        /// <summary>The event's own hash.</summary>
        public const string Hash = "hash";
    }

    /// <summary>
    /// Each stream's head read from its last event, and checked against Marten's <c>mt_streams</c>, whose version
    /// Marten's own append checks: a head that disagrees with the events is damage, reported as such.
    /// </summary>
    private static async Task<Dictionary<string, StreamHead>> StreamHeadsAsync(
        string[] streams,
        NpgsqlConnection connection,
        NpgsqlTransaction tx,
        CancellationToken ct
    )
    {
        var heads = streams.ToDictionary(s => s, _ => StreamHead.New, StringComparer.Ordinal);
        if (streams.Length == 0)
            return heads;
        await using var command = new NpgsqlCommand(
            $"""
            SELECT w.id, s.version, e.version, e.headers ->> '{Headers.Hash}'
            FROM unnest($1::text[]) AS w(id)
            LEFT JOIN {Schema}.mt_streams s ON s.id = w.id
            LEFT JOIN LATERAL (SELECT version, headers FROM {Schema}.mt_events WHERE stream_id = w.id ORDER BY version
                DESC LIMIT 1) e ON true
            """,
            connection,
            tx
        );
        command.Parameters.Add(new NpgsqlParameter { Value = streams });
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var stream = reader.GetString(0);
            var recorded = reader.IsDBNull(1) ? 0L : reader.GetInt64(1);
            var last = reader.IsDBNull(2) ? 0L : reader.GetInt64(2);
            if (recorded != last)
                throw new StoreDamagedException(
                    $"stream {stream} is recorded at version {recorded} but its last event is version {last}"
                );
            if (last == 0)
                continue;
            var text = reader.IsDBNull(3) ? null : reader.GetString(3);
            heads[stream] = Digest.TryParse(text, out var hash)
                ? new StreamHead(last, hash)
                : throw new StoreDamagedException(
                    $"the last event of stream {stream} carries hash '{text}', which is not {Digest.Rule}"
                );
        }
        return heads;
    }

    /// <inheritdoc />
    public async Task<RecordedCommand?> FindCommandAsync(
        string commandId,
        Digest payloadHash,
        CancellationToken cancellationToken = default
    )
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var seen = await FindRecordAsync(commandId, connection, null, cancellationToken).ConfigureAwait(false);
        if (seen is not null && seen.PayloadHash != payloadHash)
            throw new IdempotencyConflictException(commandId);
        return seen;
    }

    /// <summary>
    /// The record of <paramref name="commandId"/> with its events. An id whose first event exists without a
    /// record is damage, never a new command: appending it again would collide with its own events.
    /// </summary>
    private static async Task<RecordedCommand?> FindRecordAsync(
        string commandId,
        NpgsqlConnection connection,
        NpgsqlTransaction? tx,
        CancellationToken ct
    )
    {
        CommandRecord? record = null;
        await using (
            var load = new NpgsqlCommand($"SELECT data::text FROM {CommandTable} WHERE id = $1", connection, tx)
        )
        {
            load.Parameters.Add(new NpgsqlParameter { Value = commandId });
            if (await load.ExecuteScalarAsync(ct).ConfigureAwait(false) is string json)
                record = ReadRecord(commandId, json, problem => new StoreDamagedException(problem));
        }
        if (record is null)
        {
            await using var orphan = new NpgsqlCommand(
                $"SELECT seq_id FROM {Schema}.mt_events WHERE id = $1",
                connection,
                tx
            );
            orphan.Parameters.Add(new NpgsqlParameter { Value = EventHash.EventId(commandId, 0) });
            if (await orphan.ExecuteScalarAsync(ct).ConfigureAwait(false) is long position)
                throw new StoreDamagedException(
                    $"command id '{commandId}' has events from position {position} but no command record"
                );
            return null;
        }
        var payloadHash = Digest.TryParse(record.PayloadHash, out var digest)
            ? digest
            : throw new StoreDamagedException(
                $"command id '{commandId}' is recorded with payload hash '{record.PayloadHash}'"
                    + $", which is not {Digest.Rule}"
            );
        if (record.RejectionCode is { } code)
            return new RecordedCommand(
                commandId,
                payloadHash,
                [],
                new CommandRejection(
                    commandId,
                    payloadHash,
                    record.Payload ?? "",
                    code,
                    record.RejectionMessage ?? "",
                    record.DecidedAt ?? 0
                )
            );
        if (record.EventCount == 0)
            return new RecordedCommand(commandId, payloadHash, [], null);
        var ids = Enumerable.Range(0, record.EventCount).Select(i => EventHash.EventId(commandId, i)).ToArray();
        await using var command = new NpgsqlCommand(
            $"SELECT {EventColumns} FROM {Schema}.mt_events WHERE id = ANY($1) ORDER BY seq_id",
            connection,
            tx
        );
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        var events = await ReadEventsAsync(command, ct).ConfigureAwait(false);
        if (events.Count != record.EventCount)
            throw new StoreDamagedException(
                $"command id '{commandId}' is recorded with {record.EventCount} event(s) but {events.Count} exist"
            );
        return new RecordedCommand(commandId, payloadHash, events, null);
    }

    /// <summary>A command document as stored; one that does not read is damage, reported as such.</summary>
    private static CommandRecord ReadRecord(string id, string json, Func<string, Exception> damaged)
    {
        try
        {
            return JsonSerializer.Deserialize<CommandRecord>(json, RecordJson)
                ?? throw new JsonException("the document is null");
        }
        catch (JsonException e)
        {
            throw damaged($"the record of command '{id}' is not a command document ({e.Message})");
        }
    }

    /// <summary>Marten's table of <see cref="CommandRecord"/> documents.</summary>
    internal const string CommandTable = Schema + ".mt_doc_ledger_command";

    private static readonly JsonSerializerOptions RecordJson = new(JsonSerializerDefaults.Web);

    private const string EventColumns =
        "seq_id, id, stream_id, version, type, data::text, headers::text, correlation_id, causation_id";

    private static async Task<List<StoredEvent>> ReadEventsAsync(
        NpgsqlCommand command,
        CancellationToken ct,
        bool strictKeys = false
    )
    {
        var events = new List<StoredEvent>();
        await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var type = r.GetString(4);
            using var headers = JsonDocument.Parse(r.IsDBNull(6) ? "{}" : r.GetString(6));
            string H(string name) =>
                headers.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                    ? v.GetString()!
                    : "";
            Digest Hash(string name) =>
                Digest.TryParse(H(name), out var digest)
                    ? digest
                    : throw new MalformedEventException(
                        r.GetInt64(0),
                        $"header {name} '{H(name)}' is not {Digest.Rule}"
                    );
            events.Add(
                new StoredEvent(
                    r.GetGuid(1),
                    r.GetString(2),
                    r.GetInt64(3),
                    r.GetInt64(0),
                    type,
                    WireData(type, r.GetString(5), strictKeys),
                    new EventMetadata(
                        H(Headers.CommandId),
                        r.IsDBNull(7) ? "" : r.GetString(7),
                        r.IsDBNull(8) ? "" : r.GetString(8),
                        H(Headers.Actor),
                        H(Headers.RecordedAt)
                    ),
                    Hash(Headers.PrevHash),
                    Hash(Headers.Hash)
                )
            );
        }
        return events;
    }

    /// <summary>
    /// The event data in the ledger's wire form. jsonb keeps neither key order nor spacing, so the stored
    /// document is read into its event and written back in the one canonical dialect; data that no longer
    /// reads as its type (an edited or added field) is returned as stored, so its hash no longer matches.
    /// </summary>
    /// <remarks>
    /// With <paramref name="strictKeys"/> (a store opened read-only: <c>verify</c> and the other read verbs) the stored
    /// document must also be exactly the wire form, key for key: the typed read matches field names without regard
    /// to case, so a renamed key ("Amount") would otherwise read as the original and verify. Writers skip the
    /// comparison (about a fifth of a replay's time): they fold what the typed read gives, and a renamed key changes
    /// no value.
    /// </remarks>
    private static string WireData(string type, string json, bool strictKeys)
    {
        try
        {
            var wire = EventTypeRegistry.CanonicalStored(type, json);
            if (!strictKeys)
                return wire;
            return Newtonsoft.Json.Linq.JToken.DeepEquals(
                Newtonsoft.Json.Linq.JToken.Parse(json),
                Newtonsoft.Json.Linq.JToken.Parse(wire)
            )
                ? wire
                : json;
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return json;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(
        string stream,
        long afterVersion = 0,
        CancellationToken cancellationToken = default
    )
    {
        await using var command = Read(
            $"SELECT {EventColumns} FROM {Schema}.mt_events WHERE stream_id = $1 AND version > $2 ORDER BY version"
        );
        command.Parameters.Add(new NpgsqlParameter { Value = stream });
        command.Parameters.Add(new NpgsqlParameter { Value = afterVersion });
        return await ReadEventsAsync(command, cancellationToken, strictKeys: ReadOnly).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Stops at the high-water mark read when the enumeration starts.</remarks>
    public async IAsyncEnumerable<StoredEvent> ReadAllAsync(
        long afterPosition = 0,
        long? toPosition = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        var mark = await HighWaterMarkAsync(cancellationToken).ConfigureAwait(false);
        var end = Math.Min(toPosition ?? long.MaxValue, mark);
        var after = afterPosition;
        while (after < end)
        {
            await using var command = Read(
                $"SELECT {EventColumns} FROM {Schema}.mt_events WHERE seq_id > $1 AND seq_id <= $2 AND stream_id <> "
                    + $"'{Tombstones}' ORDER BY seq_id LIMIT {PageSize}"
            );
            command.Parameters.Add(new NpgsqlParameter { Value = after });
            command.Parameters.Add(new NpgsqlParameter { Value = end });
            var page = await ReadEventsAsync(command, cancellationToken, strictKeys: ReadOnly).ConfigureAwait(false);
            foreach (var e in page)
                yield return e;
            if (page.Count < PageSize)
                yield break;
            after = page[^1].GlobalPosition;
        }
    }

    /// <summary>
    /// The highest committed sequence number, read while holding the turn lock shared for an instant: no
    /// writer's turn is in flight then, so every number at or below it is committed or abandoned for good and a
    /// reader that stops there never skips an event that commits later. Waits at most for one turn to end.
    /// </summary>
    public async Task<long> HighWaterMarkAsync(CancellationToken cancellationToken = default)
    {
        if (snapshotConnection is not null)
        {
            // the snapshot was taken with no turn in flight: everything in it is committed
            await using var inSnapshot = Read($"SELECT COALESCE(max(seq_id), 0) FROM {Schema}.mt_events");
            return (long)(await inSnapshot.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await LockTurnAsync(connection, tx, "ROW EXCLUSIVE", cancellationToken).ConfigureAwait(false);
        // a new statement, so a new snapshot: it sees every turn that committed before the lock was granted
        await using var head = new NpgsqlCommand(
            $"SELECT COALESCE(max(seq_id), 0) FROM {Schema}.mt_events",
            connection,
            tx
        );
        var mark = (long)(await head.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return mark;
    }

    /// <inheritdoc />
    /// <remarks>Runs the seal follower up to the high-water mark first, unless the store was opened read-only (then the
    /// seals are read as they are).</remarks>
    public async IAsyncEnumerable<Seal> ReadSealsAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        if (!ReadOnly)
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        var after = 0L;
        while (true)
        {
            await using var command = Read(
                $"SELECT global_position, seal FROM {SealChain.Table} WHERE global_position > $1 ORDER BY "
                    + $"global_position LIMIT {PageSize}"
            );
            command.Parameters.Add(new NpgsqlParameter { Value = after });
            var page = new List<Seal>(PageSize);
            await using (var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var (position, text) = (r.GetInt64(0), r.GetString(1));
                    page.Add(
                        Digest.TryParse(text, out var seal)
                            ? new Seal(position, seal)
                            : throw new MalformedEventException(position, $"its seal '{text}' is not {Digest.Rule}")
                    );
                }
            foreach (var s in page)
                yield return s;
            if (page.Count < PageSize)
                yield break;
            after = page[^1].GlobalPosition;
        }
    }

    /// <inheritdoc />
    public async Task<long> HeadAsync(CancellationToken cancellationToken = default)
    {
        var mark = await HighWaterMarkAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Read(
            $"SELECT COALESCE(MAX(seq_id), 0) FROM {Schema}.mt_events WHERE seq_id <= $1 AND stream_id <> "
                + $"'{Tombstones}'"
        );
        command.Parameters.Add(new NpgsqlParameter { Value = mark });
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Runs every follower registered with Marten's async daemon — the seal chain and the projections —
    /// up to the current high-water mark, then returns. A long-running process keeps the daemon running instead.
    /// </summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken = default)
    {
        if (ReadOnly)
            throw new InvalidOperationException(
                $"{PostgresConnection.Describe(ConnectionString)} was opened for reading only: its followers are not "
                    + $"run"
            );
        await daemonGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            daemon ??= await store.BuildProjectionDaemonAsync().ConfigureAwait(false);
            await daemon.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            daemonGate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (daemon is not null)
        {
            await daemon.StopAllAsync().ConfigureAwait(false);
            daemon.Dispose();
        }
        store.Dispose();
        await dataSource.DisposeAsync().ConfigureAwait(false);
        daemonGate.Dispose();
    }
}
