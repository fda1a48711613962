using System.Diagnostics;
using CrossMargin.Ledger.EventStore.Sqlite;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary>
/// What the disk and SQLite allow for the bench's own rows, measured in the same run on the same data, so each
/// ledger figure is printed beside its physical limit: a raw read of the event rows (every column as stored, nothing
/// checked, decoded, hashed or folded) and a raw prepared insert of the same rows into the same table of a fresh
/// ledger file, in one transaction, with the ledger's durability and cache
/// (<see cref="SqliteEventStore.WriterPragmas"/>); and for one command's append, every row it wrote (events, seals,
/// stream heads, its command record) written raw into a page-for-page copy of the file taken just before it.
/// </summary>
internal static class PhysicalLimits
{
    /// <summary>Reads every event row of the ledger at <paramref name="path"/> as stored, stepping one statement as
    /// the ledger's own reader does: each column as its type (an integer, or a text made a string), nothing
    /// checked, decoded, hashed or folded.</summary>
    public static async Task<(List<object[]> Rows, TimeSpan Elapsed)> ReadAsync(string path, CancellationToken ct)
    {
        await using var connection = await OpenAsync(path, ct).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        var rows = Rows(
            connection.Handle!,
            $"SELECT {SqliteEventStore.EventColumns} FROM events ORDER BY global_position"
        );
        return (rows, watch.Elapsed);
    }

    private static List<object[]> Rows(sqlite3 db, string sql)
    {
        var rows = new List<object[]>();
        if (raw.sqlite3_prepare_v2(db, sql, out var statement) is var prepared and not raw.SQLITE_OK)
            SqliteException.ThrowExceptionForRC(prepared, db);
        using (statement)
        {
            var columns = raw.sqlite3_column_count(statement);
            int step;
            while ((step = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                var row = new object[columns];
                for (var i = 0; i < columns; i++)
                    row[i] =
                        raw.sqlite3_column_type(statement, i) == raw.SQLITE_INTEGER
                            ? raw.sqlite3_column_int64(statement, i)
                            : raw.sqlite3_column_text(statement, i).utf8_to_string();
                rows.Add(row);
            }
            if (step != raw.SQLITE_DONE)
                SqliteException.ThrowExceptionForRC(step, db);
        }
        return rows;
    }

    /// <summary>A page-for-page copy of the ledger at <paramref name="path"/> as it stands (SQLite's online backup:
    /// the same pages, indexes and free space), at <paramref name="copy"/>. The file's write-ahead log is folded into
    /// it first, so the file and its copy both start with an empty one.</summary>
    public static async Task CopyAsync(string path, string copy, CancellationToken ct)
    {
        await using var source = await OpenAsync(path, ct).ConfigureAwait(false);
        await using (var checkpoint = source.CreateCommand())
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await checkpoint.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await using var target = await OpenAsync(copy, ct).ConfigureAwait(false);
        source.BackupDatabase(target);
    }

    /// <summary>The rows of the ledger at <paramref name="path"/> that the appends after position
    /// <paramref name="after"/> wrote, as stored: their events, the events' seals, the heads of the streams they moved
    /// and their command records.</summary>
    public static async Task<AppendedRows> ReadAppendedAsync(string path, long after, CancellationToken ct)
    {
        await using var connection = await OpenAsync(path, ct).ConfigureAwait(false);
        var db = connection.Handle!;
        return new(
            Rows(db, $"SELECT {SqliteEventStore.EventColumns} FROM events WHERE global_position > {after} ORDER BY 1"),
            Rows(db, $"SELECT {SealColumns} FROM seals WHERE global_position > {after} ORDER BY 1"),
            Rows(
                db,
                $"SELECT {StreamColumns} FROM streams WHERE stream IN "
                    + $"(SELECT DISTINCT stream FROM events WHERE global_position > {after}) ORDER BY 1"
            ),
            Rows(db, $"SELECT {CommandColumns} FROM commands WHERE first_position > {after} ORDER BY 1")
        );
    }

    private const string SealColumns = "global_position, seal";
    private const string StreamColumns = "stream, version, last_hash";
    private const string CommandColumns = "command_id, payload_hash, first_position, last_position";

    /// <summary>What an append wrote, row by row (<see cref="ReadAppendedAsync"/>).</summary>
    public sealed record AppendedRows(
        List<object[]> Events,
        List<object[]> Seals,
        List<object[]> Streams,
        List<object[]> Commands
    );

    /// <summary>Inserts <paramref name="rows"/> into the events table of a new ledger file at
    /// <paramref name="path"/>: one prepared statement, one transaction, one durable commit, then the checkpoint that
    /// copies them into the file.</summary>
    public static async Task<TimeSpan> InsertAsync(List<object[]> rows, string path, CancellationToken ct)
    {
        // a ledger file with the ledger's schema, indexes and pragmas, and nothing in it
        await (await SqliteEventStore.OpenAsync(path, ct).ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        await using var connection = await OpenWriterAsync(path, ct).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        await InsertRowsAsync(connection, rows, ct).ConfigureAwait(false);
        // the rows copied back into the file, as the ledger's timing counts its last checkpoint at the store's close
        await using (var checkpoint = connection.CreateCommand())
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await checkpoint.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        return watch.Elapsed;
    }

    /// <summary>Writes <paramref name="rows"/> into the existing ledger file at <paramref name="path"/> (a copy made
    /// by <see cref="CopyAsync"/> before the appends that wrote them) as the ledger's append does, each table with one
    /// prepared statement (the stream heads as the same upsert), in one transaction, timed from its start to its
    /// durable commit, as a command's append is.</summary>
    public static async Task<TimeSpan> AppendAsync(AppendedRows rows, string path, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(path, ct).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        await using var transaction = (SqliteTransaction)
            await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await InsertAsync(transaction, "events", SqliteEventStore.EventColumns, rows.Events, "", ct)
            .ConfigureAwait(false);
        await InsertAsync(transaction, "seals", SealColumns, rows.Seals, "", ct).ConfigureAwait(false);
        await InsertAsync(
                transaction,
                "streams",
                StreamColumns,
                rows.Streams,
                " ON CONFLICT (stream) DO UPDATE SET version = excluded.version, last_hash = excluded.last_hash",
                ct
            )
            .ConfigureAwait(false);
        await InsertAsync(transaction, "commands", CommandColumns, rows.Commands, "", ct).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return watch.Elapsed;
    }

    private static async Task<SqliteConnection> OpenWriterAsync(string path, CancellationToken ct)
    {
        var connection = await OpenAsync(path, ct).ConfigureAwait(false);
        await using var pragmas = connection.CreateCommand();
        pragmas.CommandText = SqliteEventStore.WriterPragmas;
        await pragmas.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return connection;
    }

    /// <summary>One prepared insert per event row, in one transaction, committed.</summary>
    private static async Task InsertRowsAsync(SqliteConnection connection, List<object[]> rows, CancellationToken ct)
    {
        await using var transaction = (SqliteTransaction)
            await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await InsertAsync(transaction, "events", SqliteEventStore.EventColumns, rows, "", ct).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Each of <paramref name="rows"/> into <paramref name="table"/>'s <paramref name="columnList"/>, with one
    /// prepared statement ending in <paramref name="conflict"/>.</summary>
    private static async Task InsertAsync(
        SqliteTransaction transaction,
        string table,
        string columnList,
        List<object[]> rows,
        string conflict,
        CancellationToken ct
    )
    {
        var columns = columnList.Split(", ");
        await using var insert = transaction.Connection!.CreateCommand();
        insert.Transaction = transaction;
        var values = string.Join(", ", columns.Select(c => "$" + c));
        insert.CommandText = $"INSERT INTO {table} ({columnList}) VALUES ({values}){conflict}";
        var parameters = columns.Select(c => insert.Parameters.Add("$" + c, SqliteType.Text)).ToArray();
        await insert.PrepareAsync(ct).ConfigureAwait(false);
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Length; i++)
                parameters[i].Value = row[i];
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private static async Task<SqliteConnection> OpenAsync(string path, CancellationToken ct)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync(ct).ConfigureAwait(false);
        return connection;
    }
}
