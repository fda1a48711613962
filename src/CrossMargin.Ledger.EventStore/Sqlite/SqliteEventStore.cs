using System.Globalization;
using System.Runtime.CompilerServices;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Schemas;
using Microsoft.Data.Sqlite;

namespace CrossMargin.Ledger.EventStore.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode with <c>synchronous=FULL</c> (a commit is on
/// disk when the append returns). Each append is one <c>BEGIN IMMEDIATE</c> transaction holding the
/// events, their seals, the stream heads and the command record, so a crash leaves all of a command or
/// none of it. Several processes may open the same file: SQLite's write lock orders them, and the
/// expected-version check turns a lost race into <see cref="WrongExpectedVersionException"/>.
/// </summary>
public sealed class SqliteEventStore : IEventStore
{
    private const int PageSize = 4096;
    private readonly SqliteConnection connection;
    private readonly SemaphoreSlim gate = new(1, 1);

    private SqliteEventStore(SqliteConnection connection) => this.connection = connection;

    /// <summary>The file this store writes.</summary>
    public string Path => connection.DataSource;

    /// <summary>Deletes a ledger file with its write-ahead log and shared-memory files; a missing file is no error.</summary>
    public static void Delete(string path)
    {
        foreach (var suffix in (string[])["", "-wal", "-shm"]) File.Delete(path + suffix);
    }

    /// <summary>Opens (creating when missing) a ledger file.</summary>
    /// <exception cref="InvalidOperationException">the file is not a ledger, or one of another schema version.</exception>
    public static async Task<SqliteEventStore> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = System.IO.Path.GetFullPath(path);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, SqliteSchema.Create, cancellationToken).ConfigureAwait(false);
            await using var check = connection.CreateCommand();
            check.CommandText = "SELECT value FROM ledger_meta WHERE key = 'schema_version'";
            var version = Convert.ToString(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            if (version != SqliteSchema.Version.ToString(CultureInfo.InvariantCulture))
                throw new InvalidOperationException($"{full} holds ledger schema version {version}; this build reads version {SqliteSchema.Version}");
            return new SqliteEventStore(connection);
        }
        catch (SqliteException e)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"{full} cannot be opened as a ledger file: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public async Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken = default)
    {
        EventSchemas.Validate(request.Events);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var tx = connection.BeginTransaction(deferred: false);
            var seen = await FindCommandAsync(request.Metadata.CommandId, cancellationToken).ConfigureAwait(false);
            if (seen is { } s)
            {
                if (s.PayloadHash != request.PayloadHash) throw new IdempotencyConflictException(request.Metadata.CommandId);
                var first = await ReadRangeAsync(s.First - 1, s.Last, cancellationToken).ConfigureAwait(false);
                return new AppendResult(first, Duplicate: true);
            }
            var heads = new Dictionary<string, StreamHead>(StringComparer.Ordinal);
            foreach (var stream in request.Events.Select(e => e.Stream).Distinct())
                heads[stream] = await StreamHeadAsync(stream, cancellationToken).ConfigureAwait(false);
            var (globalHead, lastSeal) = await LogHeadAsync(cancellationToken).ConfigureAwait(false);
            var (events, seals) = AppendPlan.Build(request, stream => heads[stream], globalHead, lastSeal);

            for (var i = 0; i < events.Length; i++)
                await InsertAsync(events[i], seals[i], cancellationToken).ConfigureAwait(false);
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "INSERT INTO commands (command_id, payload_hash, first_position, last_position) VALUES ($id, $hash, $first, $last)";
                command.Parameters.AddWithValue("$id", request.Metadata.CommandId);
                command.Parameters.AddWithValue("$hash", request.PayloadHash);
                command.Parameters.AddWithValue("$first", globalHead + 1);
                command.Parameters.AddWithValue("$last", globalHead + events.Length);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            tx.Commit();
            return new AppendResult(events, Duplicate: false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredEvent>?> FindCommandAsync(string commandId, string payloadHash, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await FindCommandAsync(commandId, cancellationToken).ConfigureAwait(false) is not { } seen) return null;
            if (seen.PayloadHash != payloadHash) throw new IdempotencyConflictException(commandId);
            return await ReadRangeAsync(seen.First - 1, seen.Last, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task InsertAsync(StoredEvent e, Seal seal, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO events ({SqliteSchema.EventColumns})
            VALUES ($pos, $id, $stream, $version, $type, $data, $cmd, $corr, $cause, $actor, $at, $prev, $hash);
            INSERT INTO seals (global_position, seal) VALUES ($pos, $seal);
            INSERT INTO streams (stream, version, last_hash) VALUES ($stream, $version, $hash)
                ON CONFLICT (stream) DO UPDATE SET version = excluded.version, last_hash = excluded.last_hash;
            """;
        var p = command.Parameters;
        p.AddWithValue("$pos", e.GlobalPosition);
        p.AddWithValue("$id", e.EventId.ToString("D"));
        p.AddWithValue("$stream", e.Stream);
        p.AddWithValue("$version", e.StreamVersion);
        p.AddWithValue("$type", e.Type);
        p.AddWithValue("$data", e.Data);
        p.AddWithValue("$cmd", e.Metadata.CommandId);
        p.AddWithValue("$corr", e.Metadata.CorrelationId);
        p.AddWithValue("$cause", e.Metadata.CausationId);
        p.AddWithValue("$actor", e.Metadata.Actor);
        p.AddWithValue("$at", e.Metadata.RecordedAt);
        p.AddWithValue("$prev", e.PrevHash);
        p.AddWithValue("$hash", e.Hash);
        p.AddWithValue("$seal", seal.Value);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private async Task<(string PayloadHash, long First, long Last)?> FindCommandAsync(string commandId, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload_hash, first_position, last_position FROM commands WHERE command_id = $id";
        command.Parameters.AddWithValue("$id", commandId);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)) : null;
    }

    private async Task<StreamHead> StreamHeadAsync(string stream, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, last_hash FROM streams WHERE stream = $stream";
        command.Parameters.AddWithValue("$stream", stream);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? new StreamHead(reader.GetInt64(0), reader.GetString(1)) : StreamHead.New;
    }

    private async Task<(long Head, string LastSeal)> LogHeadAsync(CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT global_position, seal FROM seals ORDER BY global_position DESC LIMIT 1";
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? (reader.GetInt64(0), reader.GetString(1)) : (0, EventHash.Genesis);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string stream, long afterVersion = 0, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {SqliteSchema.EventColumns} FROM events WHERE stream = $stream AND stream_version > $after ORDER BY stream_version";
            command.Parameters.AddWithValue("$stream", stream);
            command.Parameters.AddWithValue("$after", afterVersion);
            return await ReadEventsAsync(command, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredEvent> ReadAllAsync(long afterPosition = 0, long? toPosition = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = afterPosition;
        var end = toPosition ?? long.MaxValue;
        while (after < end)
        {
            IReadOnlyList<StoredEvent> page;
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                page = await ReadRangeAsync(after, Math.Min(end, after + PageSize), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
            foreach (var e in page) yield return e;
            if (page.Count < PageSize) yield break;
            after = page[^1].GlobalPosition;
        }
    }

    private async Task<IReadOnlyList<StoredEvent>> ReadRangeAsync(long after, long to, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SqliteSchema.EventColumns} FROM events WHERE global_position > $after AND global_position <= $to ORDER BY global_position";
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$to", to);
        return await ReadEventsAsync(command, ct).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(SqliteCommand command, CancellationToken ct)
    {
        var events = new List<StoredEvent>();
        await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            events.Add(new StoredEvent(
                Guid.Parse(r.GetString(1)), r.GetString(2), r.GetInt64(3), r.GetInt64(0), r.GetString(4), r.GetString(5),
                new EventMetadata(r.GetString(6), r.GetString(7), r.GetString(8), r.GetString(9), r.GetString(10)),
                r.GetString(11), r.GetString(12)));
        return events;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Seal> ReadSealsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var seals = new List<Seal>();
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT global_position, seal FROM seals ORDER BY global_position";
            await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) seals.Add(new Seal(r.GetInt64(0), r.GetString(1)));
        }
        finally
        {
            gate.Release();
        }
        foreach (var s in seals) yield return s;
    }

    /// <inheritdoc />
    public async Task<long> HeadAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COALESCE(MAX(global_position), 0) FROM events";
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await connection.DisposeAsync().ConfigureAwait(false);
        gate.Dispose();
    }
}
