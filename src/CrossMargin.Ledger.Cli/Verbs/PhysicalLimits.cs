using System.Diagnostics;
using CrossMargin.Ledger.EventStore.Sqlite;
using Microsoft.Data.Sqlite;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary>
/// What the disk and SQLite allow for the bench's own rows, measured in the same run on the same data, so each
/// ledger figure is printed beside its physical limit: a raw read of the event rows (every column as stored, nothing
/// decoded, hashed or folded) and a raw prepared insert of the same rows into the same table of a fresh ledger file,
/// in one transaction, with the ledger's durability and cache (<see cref="SqliteEventStore.WriterPragmas"/>).
/// </summary>
internal static class PhysicalLimits
{
    /// <summary>Reads every event row of the ledger at <paramref name="path"/> as stored.</summary>
    public static async Task<(List<object[]> Rows, TimeSpan Elapsed)> ReadAsync(string path, CancellationToken ct)
    {
        await using var connection = await OpenAsync(path, ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SqliteEventStore.EventColumns} FROM events ORDER BY global_position";
        var rows = new List<object[]>();
        var watch = Stopwatch.StartNew();
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var row = new object[reader.FieldCount];
                reader.GetValues(row);
                rows.Add(row);
            }
        return (rows, watch.Elapsed);
    }

    /// <summary>Inserts <paramref name="rows"/> into the events table of a new ledger file at
    /// <paramref name="path"/>: one prepared statement, one transaction, one durable commit.</summary>
    public static async Task<TimeSpan> InsertAsync(List<object[]> rows, string path, CancellationToken ct)
    {
        // a ledger file with the ledger's schema, indexes and pragmas, and nothing in it
        await (await SqliteEventStore.OpenAsync(path, ct).ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        await using var connection = await OpenAsync(path, ct).ConfigureAwait(false);
        await using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = SqliteEventStore.WriterPragmas;
            await pragmas.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        var columns = SqliteEventStore.EventColumns.Split(", ");
        var watch = Stopwatch.StartNew();
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
        return watch.Elapsed;
    }

    private static async Task<SqliteConnection> OpenAsync(string path, CancellationToken ct)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync(ct).ConfigureAwait(false);
        return connection;
    }
}
