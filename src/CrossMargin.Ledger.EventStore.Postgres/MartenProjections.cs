using System.Runtime.CompilerServices;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Projections;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Projections;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Npgsql;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace CrossMargin.Ledger.EventStore.Postgres;

/// <summary>
/// The projection tables on PostgreSQL. <see cref="Register"/> adds them to Marten: the tables as Weasel
/// schema objects (created and migrated with the event store), and one asynchronous Marten projection,
/// <c>read-models</c>, that the async daemon feeds in sequence order past the high-water mark. It folds
/// each batch with <see cref="ProjectionFold"/> and queues the changed rows on the daemon's session, so
/// rows and progress (<c>mt_event_progression</c>) commit together. Async rather than inline: the fold
/// needs the global order, which an inline projection (run inside each writer's transaction) does not have.
/// </summary>
public sealed class MartenProjections : IProjectionStore
{
    /// <summary>The Marten projection name (its shard is <c>read-models:All</c>).</summary>
    public const string Name = "read-models";

    private const string Shard = Name + ":All";
    private const int BatchSize = 2000;
    private readonly MartenEventStore store;

    /// <summary>The projection tables of an open store (which must have been opened with <see
    /// cref="Register"/>).</summary>
    public MartenProjections(MartenEventStore store) => this.store = store;

    /// <summary>Opens a store with the projection tables, the Marten projection and the regulator views.</summary>
    public static async Task<MartenEventStore> OpenAsync(
        string connection,
        CancellationToken cancellationToken = default
    )
    {
        var store = await MartenEventStore.OpenAsync(connection, Register, cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureViewsAsync(store.DataSource, cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch (PostgresException e)
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw e.SqlState == PostgresErrorCodes.LockNotAvailable
                ? new StoreBusyException(
                    $"{PostgresConnection.Describe(store.ConnectionString)}: the regulator views need updating, but "
                        + $"a reader has held them for more than {ViewLockTimeout}",
                    e
                )
                : new InvalidOperationException(
                    $"{PostgresConnection.Describe(store.ConnectionString)}: the regulator views cannot be created: "
                        + $"{e.MessageText}",
                    e
                );
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>How long opening a store waits to replace views a reader holds.</summary>
    private const string ViewLockTimeout = "5s";

    /// <summary>
    /// Creates or replaces the regulator views only when their definitions changed: the schema's comment
    /// records a digest of the SQL that made them. Replacing a view takes a lock that waits for every reader of
    /// it, and every later reader and writer then queues behind that request, so a store opened with views
    /// already current takes no lock at all, and one that must replace them waits at most
    /// <see cref="ViewLockTimeout"/>.
    /// </summary>
    private static async Task EnsureViewsAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var views = ProjectionSql.RegulatorViews(SqlDialect.Postgres).ToArray();
        var digest =
            "ledger regulator views "
            + Convert.ToHexStringLower(
                System.Security.Cryptography.SHA256.HashData(
                    System.Text.Encoding.UTF8.GetBytes(string.Join(";\n", views))
                )
            );
        await using (
            var current = dataSource.CreateCommand(
                "SELECT obj_description(to_regnamespace('regulator'), 'pg_namespace')"
            )
        )
            if (await current.ExecuteScalarAsync(ct).ConfigureAwait(false) as string == digest)
                return;
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, tx);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SET LOCAL lock_timeout = '{ViewLockTimeout}'"));
        foreach (var sql in views)
            batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"COMMENT ON SCHEMA regulator IS '{digest}'"));
        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Adds the tables and the projection to Marten's options.</summary>
    public static void Register(StoreOptions opts, NpgsqlDataSource dataSource)
    {
        foreach (var t in ProjectionTables.All)
            opts.Storage.ExtendedSchemaObjects.Add(TableOf(t));
        opts.Projections.Add(
            new ReadModelProjection(dataSource),
            ProjectionLifecycle.Async,
            Name,
            o => o.BatchSize = BatchSize
        );
    }

    private static Table TableOf(ProjectionTable t)
    {
        var table = new Table(
            new PostgresqlObjectName(MartenEventStore.Schema, t.Name, SchemaUtils.IdentifierUsage.General)
        );
        for (var i = 0; i < t.Columns.Length; i++)
        {
            var c = t.Columns[i];
            var column = table.AddColumn(
                c.Name,
                c.Kind switch
                {
                    ColumnKind.Whole => "bigint",
                    ColumnKind.Exact => "numeric",
                    _ => "text",
                }
            );
            if (i < t.KeyLength)
                column.AsPrimaryKey();
            else if (!c.Nullable)
                column.NotNull();
        }
        return table;
    }

    /// <inheritdoc />
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        await store.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        return await PositionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> PositionAsync(CancellationToken cancellationToken = default)
    {
        await using var command = store.DataSource.CreateCommand(
            $"SELECT last_seq_id FROM {MartenEventStore.Schema}.mt_event_progression WHERE name = $1"
        );
        command.Parameters.Add(new NpgsqlParameter { Value = Shard });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long position
            ? position
            : 0;
    }

    /// <inheritdoc />
    public async Task<RebuildResult> RebuildAsync(string? projection, CancellationToken cancellationToken = default)
    {
        var tables = projection is null ? [.. ProjectionTables.All] : new[] { ProjectionTables.Of(projection) };
        await using var connection = await store
            .DataSource.OpenConnectionAsync(cancellationToken)
            .ConfigureAwait(false);
        while (true)
        {
            // a single projection is rebuilt to where the others stand; all of them to the high-water mark
            var target = projection is null
                ? await store.HeadAsync(cancellationToken).ConfigureAwait(false)
                : await PositionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(
                    connection,
                    null,
                    tables.SelectMany(t => ProjectionSql.FreshShadow(t, SqlDialect.Postgres)),
                    cancellationToken
                )
                .ConfigureAwait(false);
            var rebuilt = new ProjectionFold();
            var events = 0L;
            await using (var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                await foreach (
                    var e in EventTypeRegistry
                        .ReadLoggedAsync(store, 0, target, cancellationToken)
                        .ConfigureAwait(false)
                )
                {
                    rebuilt.Apply(e);
                    if (++events % BatchSize == 0)
                        await WriteAsync(
                                connection,
                                tx,
                                rebuilt.Flush().Where(c => tables.Contains(c.Table)),
                                cancellationToken
                            )
                            .ConfigureAwait(false);
                }
                await WriteAsync(
                        connection,
                        tx,
                        rebuilt.Flush().Where(c => tables.Contains(c.Table)),
                        cancellationToken
                    )
                    .ConfigureAwait(false);
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            if (
                !await SwapWithRetriesAsync(connection, projection, tables, target, cancellationToken)
                    .ConfigureAwait(false)
            )
                continue; // the others moved on: again
            return new RebuildResult(
                [.. tables.Select(t => ProjectionSql.Name(t, SqlDialect.Postgres))],
                target,
                events
            );
        }
    }

    /// <summary>
    /// Swaps the shadow tables in. A reader holding a live table makes the swap wait, and every writer queued behind
    /// the swap's lock request waits with it: so the swap gives up after the lock timeout, tries again, and after
    /// <see cref="SwapAttempts"/> tries says who holds the table.
    /// </summary>
    /// <exception cref="StoreBusyException">a reader held a live table through every try.</exception>
    private async Task<bool> SwapWithRetriesAsync(
        NpgsqlConnection connection,
        string? projection,
        ProjectionTable[] tables,
        long target,
        CancellationToken cancellationToken
    )
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SwapAsync(connection, projection, tables, target, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException e)
                when (e.SqlState == PostgresErrorCodes.LockNotAvailable && attempt < SwapAttempts)
            {
                // try again: the reader may finish
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                throw new StoreBusyException(
                    "the projection tables could not be swapped in: "
                        + $"{await HoldersAsync(tables, cancellationToken).ConfigureAwait(false)}; "
                        + "the rebuilt rows stay in the shadow tables until the next rebuild",
                    e
                );
            }
        }
    }

    /// <summary>How often the swap asks for its locks (each time for at most <see cref="SwapLockTimeout"/>).</summary>
    private const int SwapAttempts = 3;

    /// <summary>How long the swap waits for a live table's lock; writers queued behind it wait at most this
    /// long.</summary>
    private const string SwapLockTimeout = "2s";

    /// <summary>Who holds a lock on one of the live tables, for the message when the swap cannot take them.</summary>
    private async Task<string> HoldersAsync(ProjectionTable[] tables, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand(
            """
            SELECT DISTINCT a.pid, a.usename, a.state, a.xact_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid =
                l.pid
            WHERE l.relation = ANY($1::regclass[]) AND a.pid <> pg_backend_pid() ORDER BY a.pid
            """
        );
        command.Parameters.Add(
            new NpgsqlParameter { Value = tables.Select(t => ProjectionSql.Name(t, SqlDialect.Postgres)).ToArray() }
        );
        var holders = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var role = reader.IsDBNull(1) ? "?" : reader.GetString(1);
            var state = reader.IsDBNull(2) ? "?" : reader.GetString(2);
            var since = reader.IsDBNull(3)
                ? ""
                : ", in a transaction since "
                    + reader.GetDateTime(3).ToString("u", System.Globalization.CultureInfo.InvariantCulture);
            holders.Add($"session {reader.GetInt32(0)} of role {role} ({state}{since})");
        }
        return holders.Count == 0
            ? "another session held a live table for longer than the lock timeout"
            : $"held by {string.Join("; ", holders)}: wait for it, or end it with SELECT pg_terminate_backend(pid)";
    }

    /// <summary>Swaps the shadow tables in, unless a single projection's target fell behind the others
    /// (false).</summary>
    private static async Task<bool> SwapAsync(
        NpgsqlConnection connection,
        string? projection,
        ProjectionTable[] tables,
        long target,
        CancellationToken cancellationToken
    )
    {
        await using (var swap = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            await using (
                var timeout = new NpgsqlCommand($"SET LOCAL lock_timeout = '{SwapLockTimeout}'", connection, swap)
            )
                await timeout.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            // holding the progress row keeps the daemon from committing a batch while the tables swap
            await using var progress = new NpgsqlCommand(
                $"SELECT last_seq_id FROM {MartenEventStore.Schema}.mt_event_progression WHERE name = $1 FOR UPDATE",
                connection,
                swap
            );
            progress.Parameters.Add(new NpgsqlParameter { Value = Shard });
            var current = await progress.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long p ? p : 0;
            if (projection is not null && current != target)
                return false;
            await ExecuteAsync(
                    connection,
                    swap,
                    tables.SelectMany(t => ProjectionSql.Swap(t, SqlDialect.Postgres)),
                    cancellationToken
                )
                .ConfigureAwait(false);
            if (projection is null)
            {
                await using var set = new NpgsqlCommand(
                    $"""
                    INSERT INTO {MartenEventStore.Schema}.mt_event_progression (name, last_seq_id, last_updated) VALUES
                        ($1, $2, transaction_timestamp())
                    ON CONFLICT (name) DO UPDATE SET last_seq_id = excluded.last_seq_id, last_updated =
                        excluded.last_updated
                    """,
                    connection,
                    swap
                );
                set.Parameters.Add(new NpgsqlParameter { Value = Shard });
                set.Parameters.Add(new NpgsqlParameter { Value = target });
                await set.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await swap.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    private static async Task WriteAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction tx,
        IEnumerable<TableChange> changes,
        CancellationToken ct
    )
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var change in changes)
            foreach (var (sql, values) in ProjectionSql.Apply(change, SqlDialect.Postgres, ProjectionSql.ShadowSuffix))
            {
                var command = new NpgsqlBatchCommand(ProjectionSql.Numbered(sql));
                foreach (var v in values)
                    command.Parameters.Add(new NpgsqlParameter { Value = v });
                batch.BatchCommands.Add(command);
            }
        if (batch.BatchCommands.Count > 0)
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? tx,
        IEnumerable<string> statements,
        CancellationToken ct
    )
    {
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection, tx);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(ProjectionTable table, CancellationToken cancellationToken = default)
    {
        await using var command = store.DataSource.CreateCommand(
            $"SELECT count(*) FROM {ProjectionSql.Name(table, SqlDialect.Postgres)}"
        );
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string?[]>> ReadAsync(
        ProjectionTable table,
        CancellationToken cancellationToken = default
    )
    {
        await using var command = store.DataSource.CreateCommand(ProjectionSql.SelectText(table, SqlDialect.Postgres));
        var rows = new List<string?[]>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add([.. Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? null : r.GetString(i))]);
        return rows;
    }

    /// <summary>
    /// The Marten projection: the fold's state stays in memory between batches; when the daemon starts
    /// mid-log (a new process) or rewinds, the fold first replays the events before the batch.
    /// </summary>
    private sealed class ReadModelProjection(NpgsqlDataSource dataSource) : IProjection
    {
        private ProjectionFold fold = new();

        /// <summary>Marten reads a retired shape (an old log's <c>.v1</c>) as stored; the fold sees the current
        /// event.</summary>
        private static ILedgerEvent Current(object data) =>
            data is IRetiredEvent retired ? retired.Upcast() : (ILedgerEvent)data;

        public async Task ApplyAsync(
            IDocumentOperations operations,
            IReadOnlyList<IEvent> events,
            CancellationToken cancellation
        )
        {
            var ledger = events.Where(e => e.StreamKey != MartenEventStore.Tombstones).ToArray();
            if (ledger.Length == 0)
                return;
            if (fold.Position >= ledger[0].Sequence)
                fold = new ProjectionFold();
            await foreach (
                var e in ReadBeforeAsync(fold.Position, ledger[0].Sequence, cancellation).ConfigureAwait(false)
            )
                fold.Apply(e);
            fold.Flush();
            foreach (var e in ledger)
                fold.Apply(
                    new LoggedEvent(
                        e.Sequence,
                        e.StreamKey!,
                        e.GetHeader(MartenEventStore.Headers.CommandId)?.ToString() ?? "",
                        Current(e.Data)
                    )
                );
            foreach (var change in fold.Flush())
                foreach (var (sql, values) in ProjectionSql.Apply(change, SqlDialect.Postgres))
                    operations.QueueSqlCommand(sql, values);
        }

        // the committed events between the fold and the batch (none when the fold is already in step)
        private async IAsyncEnumerable<LoggedEvent> ReadBeforeAsync(
            long after,
            long before,
            [EnumeratorCancellation] CancellationToken ct
        )
        {
            await using var command = dataSource.CreateCommand(
                $"""
                SELECT seq_id, stream_id, type, data::text, headers ->> '{MartenEventStore.Headers.CommandId}' FROM
                    {MartenEventStore.Schema}.mt_events
                WHERE seq_id > $1 AND seq_id < $2 AND stream_id <> '{MartenEventStore.Tombstones}' ORDER BY seq_id
                """
            );
            command.Parameters.Add(new NpgsqlParameter { Value = after });
            command.Parameters.Add(new NpgsqlParameter { Value = before });
            await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
                yield return new LoggedEvent(
                    r.GetInt64(0),
                    r.GetString(1),
                    r.IsDBNull(4) ? "" : r.GetString(4),
                    EventTypeRegistry.Deserialize(r.GetString(2), r.GetString(3))
                );
        }
    }
}
