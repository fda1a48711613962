using System.Diagnostics;
using CrossMargin.Ledger.EventStore.Sqlite;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary>
/// What the disk and SQLite allow for the bench's own rows, measured in the same run on the same data, so each
/// ledger figure is printed beside its physical limit: a raw read of the event rows (every column as stored, nothing
/// checked, decoded, hashed or folded) and a raw prepared insert of the same rows into the same table of a fresh
/// ledger file, or of a copy of the very file the ledger appended them to, in one transaction, with the ledger's
/// durability and cache (<see cref="SqliteEventStore.WriterPragmas"/>).
/// </summary>
internal static class PhysicalLimits
{
    /// <summary>Reads every event row of the ledger at <paramref name="path"/> as stored, stepping one statement as
    /// the ledger's own reader does: each column as its type (an integer, or a text made a string), nothing
    /// checked, decoded, hashed or folded.</summary>
    public static async Task<(List<object[]> Rows, TimeSpan Elapsed)> ReadAsync(
        string path,
        CancellationToken ct,
        long after = 0
    )
    {
        await using var connection = await OpenAsync(path, ct).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        var rows = Rows(
            connection.Handle!,
            $"SELECT {SqliteEventStore.EventColumns} FROM events WHERE global_position > {after} "
                + "ORDER BY global_position"
        );
        return (rows, watch.Elapsed);
    }

    /// <summary>A page-for-page copy of the ledger at <paramref name="path"/> as it stands (SQLite's online backup:
    /// the same pages, indexes and free space), at <paramref name="copy"/>.</summary>
    public static async Task CopyAsync(string path, string copy, CancellationToken ct)
    {
        await using var source = await OpenAsync(path, ct).ConfigureAwait(false);
        await using var target = await OpenAsync(copy, ct).ConfigureAwait(false);
        source.BackupDatabase(target);
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

    /// <summary>Inserts <paramref name="rows"/> into the events table of the existing ledger file at
    /// <paramref name="path"/> (a copy made by <see cref="CopyAsync"/>), timed from the transaction's start to its
    /// durable commit, as a command's append is.</summary>
    public static async Task<TimeSpan> AppendAsync(List<object[]> rows, string path, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(path, ct).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        await InsertRowsAsync(connection, rows, ct).ConfigureAwait(false);
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

    /// <summary>One prepared insert per row, in one transaction, committed.</summary>
    private static async Task InsertRowsAsync(SqliteConnection connection, List<object[]> rows, CancellationToken ct)
    {
        var columns = SqliteEventStore.EventColumns.Split(", ");
        await using var transaction = (SqliteTransaction)
            await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        var values = string.Join(", ", columns.Select(c => "$" + c));
        insert.CommandText = $"INSERT INTO events ({SqliteEventStore.EventColumns}) VALUES ({values})";
        var parameters = columns.Select(c => insert.Parameters.Add("$" + c, SqliteType.Text)).ToArray();
        await insert.PrepareAsync(ct).ConfigureAwait(false);
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Length; i++)
                parameters[i].Value = row[i];
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    private static async Task<SqliteConnection> OpenAsync(string path, CancellationToken ct)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync(ct).ConfigureAwait(false);
        return connection;
    }
}
