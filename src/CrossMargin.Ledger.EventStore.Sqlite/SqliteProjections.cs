using System.Globalization;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.EventStore.Projections;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Projections;
using Microsoft.Data.Sqlite;

namespace CrossMargin.Ledger.EventStore.Sqlite;

/// <summary>
/// The projection runner of the SQLite store: folds the log with <see cref="ProjectionFold"/> and writes
/// each batch's rows with its checkpoint (<c>projection_progress</c>) in one transaction, so the tables
/// always stand at exactly one global position. The fold's state lives in memory: a new runner first
/// folds the events up to the checkpoint without writing, then continues.
/// </summary>
public sealed class SqliteProjections(SqliteEventStore store) : IProjectionStore
{
    private readonly string path = store.Path;
    private const string Checkpoint = "read-models";
    private const int BatchSize = 2000;
    private ProjectionFold fold = new();

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(path), Pooling = false }.ToString()
        );
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "PRAGMA busy_timeout = 10000; "
            + SqliteEventStore.CheckpointPragmas
            + "CREATE TABLE IF NOT EXISTS projection_progress (name TEXT PRIMARY KEY, "
            + "position INTEGER NOT NULL);"
            + string.Concat(ProjectionTables.All.Select(t => ProjectionSql.Create(t, SqlDialect.Sqlite) + ";"))
            + string.Concat(ProjectionSql.RegulatorViews(SqlDialect.Sqlite).Select(v => v + ";"));
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return connection;
    }

    /// <inheritdoc />
    public async Task<long> PositionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadCheckpointAsync(connection, null, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<long> ReadCheckpointAsync(
        SqliteConnection connection,
        SqliteTransaction? tx,
        CancellationToken ct
    )
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"SELECT position FROM projection_progress WHERE name = '{Checkpoint}'";
        return Convert.ToInt64(
            await command.ExecuteScalarAsync(ct).ConfigureAwait(false) ?? 0L,
            CultureInfo.InvariantCulture
        );
    }

    /// <inheritdoc />
    /// <remarks>
    /// Several processes may catch the same file up at once: each batch is written only if the checkpoint is
    /// still where this runner's fold stands; when another process moved it, the runner folds up to the new
    /// checkpoint without writing and goes on from there.
    /// </remarks>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var checkpoint = await ReadCheckpointAsync(connection, null, cancellationToken).ConfigureAwait(false);
            if (fold.Position > checkpoint)
                fold = new ProjectionFold(); // rebuilt behind us: start over
            await FoldAsync(fold, checkpoint, cancellationToken).ConfigureAwait(false);
            if (fold.Position != checkpoint)
                throw new EventStore.Port.StoreDamagedException(
                    $"the projection tables stand at global position {checkpoint}, but the log has no event there "
                        + $"(it ends at {fold.Position}); "
                        + "run `ledger projections rebuild`"
                );
            fold.Flush();
            var batch = new List<LoggedEvent>(BatchSize);
            var moved = false;
            await foreach (var e in ReadAsync(checkpoint, null, cancellationToken).ConfigureAwait(false))
            {
                batch.Add(e);
                if (batch.Count < BatchSize)
                    continue;
                if (moved = !await WriteBatchAsync(connection, batch, cancellationToken).ConfigureAwait(false))
                    break;
            }
            if (!moved && batch.Count > 0)
                moved = !await WriteBatchAsync(connection, batch, cancellationToken).ConfigureAwait(false);
            if (!moved)
                return fold.Position;
        }
    }

    /// <summary>Writes the batch and the checkpoint after it; false (nothing written) when another process moved the
    /// checkpoint.</summary>
    private async Task<bool> WriteBatchAsync(SqliteConnection connection, List<LoggedEvent> batch, CancellationToken ct)
    {
        using var tx = connection.BeginTransaction(deferred: false);
        if (await ReadCheckpointAsync(connection, tx, ct).ConfigureAwait(false) != fold.Position)
        {
            batch.Clear();
            return false;
        }
        foreach (var e in batch)
            fold.Apply(e);
        await WriteAsync(connection, tx, fold.Flush(), "", ct).ConfigureAwait(false);
        await SetCheckpointAsync(connection, tx, batch[^1].GlobalPosition, ct).ConfigureAwait(false);
        tx.Commit();
        batch.Clear();
        return true;
    }

    private static async Task SetCheckpointAsync(
        SqliteConnection connection,
        SqliteTransaction tx,
        long position,
        CancellationToken ct
    )
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText =
            $"INSERT INTO projection_progress (name, position) VALUES ('{Checkpoint}', $p) ON CONFLICT (name) DO "
            + $"UPDATE SET position = excluded.position";
        command.Parameters.AddWithValue("$p", position);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task WriteAsync(
        SqliteConnection connection,
        SqliteTransaction tx,
        IEnumerable<TableChange> changes,
        string suffix,
        CancellationToken ct
    )
    {
        // one prepared command per statement text for the whole batch: a few texts, thousands of rows
        var commands = new Dictionary<string, SqliteCommand>(StringComparer.Ordinal);
        try
        {
            foreach (var change in changes)
                foreach (var (sql, values) in ProjectionSql.Apply(change, SqlDialect.Sqlite, suffix))
                {
                    if (!commands.TryGetValue(sql, out var command))
                    {
                        command = connection.CreateCommand();
                        command.Transaction = tx;
                        command.CommandText = ProjectionSql.Numbered(sql);
                        commands[sql] = command;
                    }
                    if (command.Parameters.Count != values.Length)
                    {
                        command.Parameters.Clear();
                        for (var i = 0; i < values.Length; i++)
                            command.Parameters.Add(
                                new SqliteParameter("$" + (i + 1).ToString(CultureInfo.InvariantCulture), null)
                            );
                    }
                    for (var i = 0; i < values.Length; i++)
                        command.Parameters[i].Value = values[i] ?? DBNull.Value;
                    await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
        }
        finally
        {
            foreach (var command in commands.Values)
                await command.DisposeAsync().ConfigureAwait(false);
        }
    }

    private IAsyncEnumerable<LoggedEvent> ReadAsync(long after, long? to, CancellationToken ct) =>
        EventTypeRegistry.ReadLoggedAsync(store, after, to, ct);

    private async Task FoldAsync(ProjectionFold target, long to, CancellationToken ct)
    {
        await foreach (var e in ReadAsync(target.Position, to, ct).ConfigureAwait(false))
            target.Apply(e);
    }

    /// <inheritdoc />
    public async Task<RebuildResult> RebuildAsync(string? projection, CancellationToken cancellationToken = default)
    {
        var tables = projection is null ? [.. ProjectionTables.All] : new[] { ProjectionTables.Of(projection) };
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            // a single projection is rebuilt to where the others stand; all of them to the head
            var target = projection is null
                ? await store.HeadAsync(cancellationToken).ConfigureAwait(false)
                : await ReadCheckpointAsync(connection, null, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(
                    connection,
                    null,
                    tables.SelectMany(t => ProjectionSql.FreshShadow(t, SqlDialect.Sqlite)),
                    cancellationToken
                )
                .ConfigureAwait(false);
            var rebuilt = new ProjectionFold();
            var events = 0L;
            using (var tx = connection.BeginTransaction())
            {
                var count = 0;
                await foreach (var e in ReadAsync(0, target, cancellationToken).ConfigureAwait(false))
                {
                    rebuilt.Apply(e);
                    events++;
                    if (++count % BatchSize == 0)
                        await WriteAsync(
                                connection,
                                tx,
                                rebuilt.Flush().Where(c => tables.Contains(c.Table)),
                                ProjectionSql.ShadowSuffix,
                                cancellationToken
                            )
                            .ConfigureAwait(false);
                }
                await WriteAsync(
                        connection,
                        tx,
                        rebuilt.Flush().Where(c => tables.Contains(c.Table)),
                        ProjectionSql.ShadowSuffix,
                        cancellationToken
                    )
                    .ConfigureAwait(false);
                tx.Commit();
            }
            using (var swap = connection.BeginTransaction(deferred: false))
            {
                if (
                    projection is not null
                    && await ReadCheckpointAsync(connection, swap, cancellationToken).ConfigureAwait(false) != target
                )
                    continue; // the others moved on: again
                await ExecuteAsync(
                        connection,
                        swap,
                        tables.SelectMany(t => ProjectionSql.Swap(t, SqlDialect.Sqlite)),
                        cancellationToken
                    )
                    .ConfigureAwait(false);
                if (projection is null)
                    await SetCheckpointAsync(connection, swap, rebuilt.Position, cancellationToken)
                        .ConfigureAwait(false);
                swap.Commit();
            }
            if (projection is null)
                fold = rebuilt;
            return new RebuildResult(
                [.. tables.Select(t => ProjectionSql.Name(t, SqlDialect.Sqlite))],
                rebuilt.Position,
                events
            );
        }
    }

    private static async Task ExecuteAsync(
        SqliteConnection connection,
        SqliteTransaction? tx,
        IEnumerable<string> statements,
        CancellationToken ct
    )
    {
        foreach (var sql in statements)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(ProjectionTable table, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {ProjectionSql.Name(table, SqlDialect.Sqlite)}";
        return Convert.ToInt64(
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
            CultureInfo.InvariantCulture
        );
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string?[]>> ReadAsync(
        ProjectionTable table,
        CancellationToken cancellationToken = default
    )
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = ProjectionSql.SelectText(table, SqlDialect.Sqlite);
        var rows = new List<string?[]>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add([.. Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? null : r.GetString(i))]);
        return rows;
    }
}
