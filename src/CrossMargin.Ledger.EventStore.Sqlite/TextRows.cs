using System.Buffers;
using System.Buffers.Text;
using CrossMargin.Ledger.EventStore.Port;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CrossMargin.Ledger.EventStore.Sqlite;

/// <summary>
/// The rows a fold reads (<see cref="SqliteEventStore.ReadTextsAsync"/>), stepped straight off one SQLite statement on
/// the store's connection: every column's type asked once, the stream, command id and type made strings as
/// <see cref="SqliteDataReader.GetString"/> makes them, the data kept as the UTF-8 bytes the decoder reads (see
/// <see cref="EventText.DataUtf8"/>), and the columns it only checks (an event id, two digests, text metadata)
/// checked in their UTF-8 bytes without becoming strings. Only for a file that stores its text as UTF-8 (the store
/// reads any other whole): the bytes it hands over and checks are the file's own. A replay spends most of its reading
/// in the calls between .NET and SQLite, and a data reader makes several per column; this makes one or two.
/// <para>
/// A row whose columns do not look right stops the reading and is named, for the store to read it whole: the whole
/// read refuses it (naming the column and the rule) or finds it sound after all. The checks here are never more
/// lenient than the whole read's.
/// </para>
/// </summary>
internal static class TextRows
{
    private const string Sql =
        "SELECT global_position, stream, stream_version, command_id, type, data, event_id, prev_hash, hash, "
        + "correlation_id, causation_id, actor, recorded_at FROM events "
        + "WHERE global_position > ?1 AND global_position <= ?2 ORDER BY global_position";

    private const int Columns = 13;
    private const int DigestLength = 64;

    private static readonly SearchValues<byte> LowerHex = SearchValues.Create("0123456789abcdef"u8);

    /// <summary>
    /// Adds to <paramref name="page"/> the rows after <paramref name="after"/> up to <paramref name="to"/>, in order,
    /// up to the first that does not look right, whose position it returns (null when every row was read).
    /// </summary>
    /// <exception cref="SqliteException">SQLite refused the statement or a step.</exception>
    public static long? Read(sqlite3 db, long after, long to, List<EventText> page, CancellationToken cancellationToken)
    {
        Check(db, raw.sqlite3_prepare_v2(db, Sql, out var statement));
        using (statement)
        {
            Check(db, raw.sqlite3_bind_int64(statement, 1, after));
            Check(db, raw.sqlite3_bind_int64(statement, 2, to));
            for (var rows = 0; ; rows++)
            {
                if (rows % 256 == 0)
                    cancellationToken.ThrowIfCancellationRequested();
                var step = raw.sqlite3_step(statement);
                if (step == raw.SQLITE_DONE)
                    return null;
                if (step != raw.SQLITE_ROW)
                    Check(db, step);
                var position = raw.sqlite3_column_int64(statement, 0);
                if (!Sound(statement))
                    return position;
                page.Add(
                    new EventText(
                        position,
                        Text(statement, 1),
                        raw.sqlite3_column_int64(statement, 2),
                        Text(statement, 3),
                        Text(statement, 4),
                        // the data as the bytes it is stored as, which the decoder reads: the store reads a file
                        // this way only when it stores its text as UTF-8
                        raw.sqlite3_column_blob(statement, 5).ToArray()
                    )
                );
            }
        }
    }

    /// <summary>Whether the row holds what a whole read requires: an integer version, text in every other column, an
    /// event id in GUID form (hyphenated, 36 characters) and two digests of 64 lower-case hex digits.</summary>
    private static bool Sound(sqlite3_stmt statement)
    {
        // a version of another type reads as the data reader reads it, but a NULL would read as 0 here where the
        // whole read refuses it
        if (raw.sqlite3_column_type(statement, 2) != raw.SQLITE_INTEGER)
            return false;
        for (var column = 1; column < Columns; column++)
            if (column != 2 && raw.sqlite3_column_type(statement, column) != raw.SQLITE_TEXT)
                return false;
        var id = raw.sqlite3_column_blob(statement, 6);
        return Utf8Parser.TryParse(id, out Guid _, out var used, 'D')
            && used == id.Length
            && IsDigest(raw.sqlite3_column_blob(statement, 7))
            && IsDigest(raw.sqlite3_column_blob(statement, 8));
    }

    private static bool IsDigest(ReadOnlySpan<byte> text) =>
        text.Length == DigestLength && !text.ContainsAnyExcept(LowerHex);

    /// <summary>The column's text, converted as the data reader converts it.</summary>
    private static string Text(sqlite3_stmt statement, int column) =>
        raw.sqlite3_column_text(statement, column).utf8_to_string();

    private static void Check(sqlite3 db, int code)
    {
        if (code != raw.SQLITE_OK)
            SqliteException.ThrowExceptionForRC(code, db);
    }
}
