using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Port;
using CrossMargin.Ledger.EventStore.Schemas;
using CrossMargin.Ledger.EventStore.Snapshots;
using Microsoft.Data.Sqlite;

namespace CrossMargin.Ledger.EventStore.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode with <c>synchronous=FULL</c> (a commit is on
/// disk when the append returns). Each append is one <c>BEGIN IMMEDIATE</c> transaction holding the
/// events, their seals, the stream heads and the command record, so a crash leaves all of a command or
/// none of it. Several processes may open the same file: SQLite's write lock orders them, and the
/// expected-version check turns a lost race into <see cref="WrongExpectedVersionException"/>.
/// </summary>
public sealed class SqliteEventStore : IEventStore, IStoreRecords, IAnchorTable, ISnapshotReads, ISnapshotStore
{
    private const int PageSize = 4096;

    /// <summary>How long a writer waits for another process's turn before it gives up with <see
    /// cref="StoreBusyException"/>.</summary>
    public const int BusyTimeoutSeconds = 60;
    private readonly SqliteConnection connection;
    private readonly SemaphoreSlim gate = new(1, 1);

    // the write turns' statements, each prepared once for the connection and kept from turn to turn
    private Statements? writeStatements;

    // the stream heads as the last committed turn left them, and the log head they hold at: a turn that finds the log
    // there (nothing was appended since, by this connection or another) takes them over instead of reading them again
    private Dictionary<string, StreamHead>? knownHeads;
    private (long Head, Digest LastSeal)? knownLog;

    /// <summary>The most stream heads kept from one turn to the next (about 100 bytes each).</summary>
    private const int MaxKnownHeads = 1 << 18;

    private Statements StatementsIn(SqliteTransaction tx) => (writeStatements ??= new Statements(connection)).In(tx);

    private SqliteEventStore(SqliteConnection connection, bool readOnly)
    {
        this.connection = connection;
        ReadOnly = readOnly;
    }

    /// <summary>The file this store writes.</summary>
    public string Path => connection.DataSource;

    /// <summary>
    /// The settings of a writing connection: the write-ahead log, a sync to disk at every commit, a 64 MiB page cache
    /// (SQLite's default is 2 MiB), which keeps the pages of the indexes an append writes at random (event ids,
    /// command ids, streams) in memory on a venue-sized log, and <see cref="CheckpointPragmas"/>. Public for the
    /// bench's raw insert, which must write as the ledger does.
    /// </summary>
    public const string WriterPragmas =
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536; " + CheckpointPragmas;

    /// <summary>
    /// When a connection that commits checkpoints the write-ahead log: once it holds 64 MiB (16 384 pages of 4 KiB;
    /// SQLite's default is 1 000 pages), and the log file is cut back to 64 MiB after a checkpoint. A checkpoint copies
    /// the latest copy of every page in the log back into the file, on the committing thread; at the default a batch
    /// of the writer set one off nearly every commit, and the index pages each batch touches again were copied every
    /// time. The log grows past 64 MiB while a reader holds an old snapshot of it. Every connection that writes the
    /// file (the writer's, the projection runner's) uses it.
    /// </summary>
    public const string CheckpointPragmas = "PRAGMA wal_autocheckpoint = 16384; PRAGMA journal_size_limit = 67108864;";

    /// <summary>The columns of the <c>events</c> table, in order, for tools that read or write the file directly (the
    /// bench's physical limits).</summary>
    public const string EventColumns = SqliteSchema.EventColumns;

    /// <summary>Deletes a ledger file with its write-ahead log and shared-memory files; a missing file is no
    /// error.</summary>
    public static void Delete(string path)
    {
        foreach (var suffix in (string[])["", "-wal", "-shm"])
            File.Delete(path + suffix);
    }

    /// <summary>Opens (creating when missing) a ledger file for reading and writing.</summary>
    /// <exception cref="InvalidOperationException">the file is not a ledger (it is left as it was), or one of another
    /// schema version.</exception>
    public static async Task<SqliteEventStore> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = System.IO.Path.GetFullPath(path);
        var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder
            {
                DataSource = full,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
            }.ToString()
        );
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000};", cancellationToken)
                .ConfigureAwait(false);
            if (
                await HasTableAsync(connection, "sqlite_master", cancellationToken).ConfigureAwait(false)
                && !await HasTableAsync(connection, "ledger_meta", cancellationToken).ConfigureAwait(false)
            )
                throw new InvalidOperationException(
                    $"{full} is a SQLite file but not a ledger (it has no ledger_meta table); it was left as it was"
                );
            await ExecuteAsync(connection, WriterPragmas, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, SqliteSchema.Create, cancellationToken).ConfigureAwait(false);
            await CheckVersionAsync(connection, full, cancellationToken).ConfigureAwait(false);
            return new SqliteEventStore(connection, readOnly: false);
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw e as InvalidOperationException
                ?? new InvalidOperationException($"{full} cannot be opened as a ledger file: {e.Message}", e);
        }
    }

    /// <summary>
    /// Opens an existing ledger file for reading only: nothing is created, migrated or written, and the file
    /// may be read-only or on a read-only mount (then it is opened as immutable: no other process may write
    /// it meanwhile).
    /// </summary>
    /// <exception cref="InvalidOperationException">there is no file, it is not a ledger, or one of another schema
    /// version.</exception>
    public static async Task<SqliteEventStore> OpenReadOnlyAsync(
        string path,
        CancellationToken cancellationToken = default
    )
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new InvalidOperationException($"there is no ledger file at {full} (reading never creates one)");
        SqliteConnection? connection = null;
        try
        {
            try
            {
                connection = await OpenReadOnlyConnectionAsync(
                        new SqliteConnectionStringBuilder
                        {
                            DataSource = full,
                            Mode = SqliteOpenMode.ReadOnly,
                            Pooling = false,
                        }.ToString(),
                        cancellationToken
                    )
                    .ConfigureAwait(false);
            }
            catch (SqliteException e)
            {
                // a write-ahead log needs its shared-memory file, which a read-only directory cannot hold; the file
                // can then be read as immutable, but only if no write-ahead log holds commits it does not (immutable
                // mode never reads one)
                if (new FileInfo(full + "-wal") is { Exists: true, Length: > 0 })
                    throw new InvalidOperationException(
                        $"{full} cannot be opened for reading ({e.Message}) and its write-ahead log {full}-wal holds "
                            + "commits not yet in the file; open it once where it can be written (any writer verb "
                            + "folds the log in), or copy the three files to a writable place",
                        e
                    );
                var uri = Uri.EscapeDataString(full).Replace("%2F", "/", StringComparison.Ordinal);
                connection = await OpenReadOnlyConnectionAsync(
                        $"Data Source=file:{uri}?immutable=1;Mode=ReadOnly;Pooling=False",
                        cancellationToken
                    )
                    .ConfigureAwait(false);
            }
            if (!await HasTableAsync(connection, "ledger_meta", cancellationToken).ConfigureAwait(false))
                throw new InvalidOperationException($"{full} is not a ledger file (it has no ledger_meta table)");
            await CheckVersionAsync(connection, full, cancellationToken).ConfigureAwait(false);
            return new SqliteEventStore(connection, readOnly: true);
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException)
        {
            if (connection is not null)
                await connection.DisposeAsync().ConfigureAwait(false);
            throw e as InvalidOperationException
                ?? new InvalidOperationException($"{full} cannot be opened as a ledger file: {e.Message}", e);
        }
    }

    private static async Task<SqliteConnection> OpenReadOnlyConnectionAsync(
        string connectionString,
        CancellationToken ct
    )
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await ExecuteAsync(
                    connection,
                    $"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000}; PRAGMA query_only = ON;",
                    ct
                )
                .ConfigureAwait(false);
            // the first read is where a missing shared-memory file shows
            await HasTableAsync(connection, "ledger_meta", ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Whether the file has the table; for <c>sqlite_master</c>, whether it has any table at all.</summary>
    private static async Task<bool> HasTableAsync(SqliteConnection connection, string table, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText =
            table == "sqlite_master"
                ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
                : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", table);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture)
            > 0;
    }

    // whether the file stores text as UTF-8 (SQLite's default, and every file this store creates); a file made with
    // PRAGMA encoding = 'UTF-16le' or 'UTF-16be' stores it so, and a file's encoding never changes once made
    private bool? textIsUtf8;

    /// <summary>Whether the file stores its text as UTF-8: then a text column's bytes are its UTF-8 as they are, and
    /// bytes bound as text are stored as they are. Asked once per store, under its gate.</summary>
    private async Task<bool> TextIsUtf8Async(CancellationToken ct)
    {
        if (textIsUtf8 is { } known)
            return known;
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA encoding";
        var encoding = Convert.ToString(
            await command.ExecuteScalarAsync(ct).ConfigureAwait(false),
            CultureInfo.InvariantCulture
        );
        return (textIsUtf8 = encoding == "UTF-8").Value;
    }

    private static async Task CheckVersionAsync(SqliteConnection connection, string full, CancellationToken ct)
    {
        await using var check = connection.CreateCommand();
        check.CommandText = "SELECT value FROM ledger_meta WHERE key = 'schema_version'";
        var version = Convert.ToString(
            await check.ExecuteScalarAsync(ct).ConfigureAwait(false),
            CultureInfo.InvariantCulture
        );
        if (version != SqliteSchema.Version.ToString(CultureInfo.InvariantCulture))
            throw new InvalidOperationException(
                $"{full} holds ledger schema version {version}; this build reads version {SqliteSchema.Version}"
            );
    }

    /// <summary>
    /// Opens a read transaction on the store's connection: in WAL mode it reads one snapshot of the file until it
    /// ends, whatever other processes commit meanwhile, and it blocks no writer.
    /// </summary>
    public async Task<IAsyncDisposable> BeginSnapshotAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var tx = connection.BeginTransaction(deferred: true);
            // the snapshot starts at the first read
            await HasTableAsync(connection, "ledger_meta", cancellationToken).ConfigureAwait(false);
            return new Snapshot(tx);
        }
        finally
        {
            gate.Release();
        }
    }

    private sealed class Snapshot(SqliteTransaction tx) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            tx.Rollback();
            tx.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Whether this store was opened by <see cref="OpenReadOnlyAsync"/>.</summary>
    public bool ReadOnly { get; }

    /// <inheritdoc />
    public Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken = default) =>
        Port.PlainAppends.AppendAloneAsync(this, request, cancellationToken);

    /// <inheritdoc />
    public async Task<RecordedCommand?> FindCommandAsync(
        string commandId,
        Digest payloadHash,
        CancellationToken cancellationToken = default
    )
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var seen = await FindRecordAsync(commandId, null, cancellationToken).ConfigureAwait(false);
            if (seen is not null && seen.PayloadHash != payloadHash)
                throw new IdempotencyConflictException(commandId);
            return seen;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Takes SQLite's write lock (<c>BEGIN IMMEDIATE</c>) for the turn, waiting up to the busy timeout
    /// for another process's turn to end.
    /// </summary>
    /// <exception cref="StoreBusyException">another process held the lock for longer than the busy timeout.</exception>
    public async Task<IWriteTurn> BeginWriteAsync(CancellationToken cancellationToken = default)
    {
        if (ReadOnly)
            throw new InvalidOperationException($"{Path} was opened for reading only");
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return new Turn(this, connection.BeginTransaction(deferred: false));
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            gate.Release();
            throw new StoreBusyException(
                $"{Path} stayed locked by another writer for more than {BusyTimeoutSeconds} s",
                e
            );
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    /// <summary>One <c>BEGIN IMMEDIATE</c> transaction on the store's connection, holding the connection's gate until
    /// it ends.</summary>
    private sealed class Turn(SqliteEventStore store, SqliteTransaction tx) : IWriteTurn
    {
        private readonly Statements statements = store.StatementsIn(tx);

        // what the turn has read or written of the heads: nobody else can move them while it holds the lock
        private Dictionary<string, StreamHead> heads = new(StringComparer.Ordinal);
        private (long Head, Digest LastSeal)? log;
        private bool ended;

        public async IAsyncEnumerable<StoredEvent> ReadAfterAsync(
            long afterPosition,
            [EnumeratorCancellation] CancellationToken cancellationToken = default
        )
        {
            var after = afterPosition;
            while (true)
            {
                var page = await store.ReadRangeAsync(after, after + PageSize, cancellationToken).ConfigureAwait(false);
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
        ) => store.FindRecordAsync(commandId, statements, cancellationToken);

        public async Task<IReadOnlyList<AppendResult>> AppendAsync(
            IReadOnlyList<AppendRequest> requests,
            CancellationToken cancellationToken = default
        )
        {
            foreach (var request in requests)
                EventSchemas.Validate(request.Events);
            // the group's command ids and unseen stream heads are read a chunk at a time, not one query per command
            var recorded = await FirstRecordedAsync(requests, cancellationToken).ConfigureAwait(false);
            await LogAsync(cancellationToken).ConfigureAwait(false);
            await ReadHeadsAsync(requests, cancellationToken).ConfigureAwait(false);
            var results = new List<AppendResult>(requests.Count);
            // the streams the group moved: each one's row in the streams table is written once, after its last event
            var moved = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                for (var r = 0; r < requests.Count; r++)
                {
                    var request = requests[r];
                    if (r == recorded)
                    {
                        // named by the record itself, which also refuses a damaged one as a single append does
                        await store
                            .FindRecordAsync(request.Metadata.CommandId, statements, cancellationToken)
                            .ConfigureAwait(false);
                        throw new CommandAlreadyRecordedException(request.Metadata.CommandId);
                    }
                    var (globalHead, lastSeal) = await LogAsync(cancellationToken).ConfigureAwait(false);
                    var (events, seals) = AppendPlan.Build(request, stream => heads[stream], globalHead, lastSeal);
                    for (var i = 0; i < events.Length; i++)
                        InsertEvent(events[i], seals[i]);
                    var command = statements.For(
                        "INSERT INTO commands (command_id, payload_hash, first_position, last_position) VALUES ($id, "
                            + "$hash, $first, $last)",
                        "$id",
                        "$hash",
                        "$first",
                        "$last"
                    );
                    command.Parameters[0].Value = request.Metadata.CommandId;
                    command.Parameters[1].Value = request.PayloadHash.Hex;
                    command.Parameters[2].Value = globalHead + 1;
                    command.Parameters[3].Value = globalHead + events.Length;
                    command.ExecuteNonQuery();
                    foreach (var e in events)
                    {
                        heads[e.Stream] = new StreamHead(e.StreamVersion, e.Hash);
                        moved.Add(e.Stream);
                    }
                    if (events.Length > 0)
                        log = (events[^1].GlobalPosition, seals[^1].Value);
                    results.Add(new AppendResult(events, Duplicate: false));
                }
            }
            catch (Exception e) when (e is CommandAlreadyRecordedException or WrongExpectedVersionException)
            {
                // a refusal before a request's first row: the requests before it stand as appended, heads included
                WriteHeads(moved);
                throw;
            }
            WriteHeads(moved);
            return results;
        }

        /// <summary>
        /// The log's head (its last position and seal), read once per turn. When it is where the last committed turn
        /// left it, the turn takes over the stream heads that turn kept (the log is append-only: the same head, the
        /// same heads); until the turn commits, the store keeps none, so a turn rolled back leaves nothing behind.
        /// </summary>
        private async Task<(long Head, Digest LastSeal)> LogAsync(CancellationToken ct)
        {
            if (log is { } known)
                return known;
            var head = await store.LogHeadAsync(statements, ct).ConfigureAwait(false);
            log = head;
            if (store.knownHeads is { } kept && store.knownLog == head && heads.Count == 0)
                heads = kept;
            store.knownHeads = null;
            store.knownLog = null;
            return head;
        }

        /// <summary>The most values one lookup statement binds.</summary>
        private const int LookupChunk = 128;

        /// <summary>
        /// <c>WITH v(i, x) AS (VALUES (0, $v0), (1, $v1), …)</c> over <see cref="LookupChunk"/> values followed by
        /// <paramref name="query"/>, which answers with the positions <c>i</c> of the values it finds; the caller binds
        /// the first <paramref name="count"/>, the rest are null and find nothing, so each query is one statement,
        /// prepared once. Each value is bound as it is (never re-encoded on the way), so it compares with the stored
        /// text exactly as the text stored from it does.
        /// </summary>
        private SqliteCommand Lookup(string query, int count)
        {
            var command = statements.For(LookupValues + query, LookupNames);
            // always LookupChunk values, the unused ones null (which equals nothing): one statement per query
            for (var i = count; i < LookupChunk; i++)
                command.Parameters[i].Value = DBNull.Value;
            return command;
        }

        private static readonly string[] LookupNames =
        [
            .. Enumerable.Range(0, LookupChunk).Select(i => "$v" + i.ToString(CultureInfo.InvariantCulture)),
        ];

        private static readonly string LookupValues =
            "WITH v(i, x) AS (VALUES " + string.Join(", ", LookupNames.Select((name, i) => $"({i}, {name})")) + ") ";

        /// <summary>
        /// The index of the first request whose command id is already recorded (or carried by an event) or repeats
        /// an earlier request's, else -1. The ids are asked for a chunk at a time; they are almost always new.
        /// </summary>
        private async Task<int> FirstRecordedAsync(IReadOnlyList<AppendRequest> requests, CancellationToken ct)
        {
            var first = -1;
            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (var r = 0; r < requests.Count && first < 0; r++)
                if (!ids.Add(requests[r].Metadata.CommandId))
                    first = r;
            for (var start = 0; start < requests.Count && (first < 0 || start < first); start += LookupChunk)
            {
                var count = Math.Min(LookupChunk, requests.Count - start);
                var command = Lookup(
                    """
                    SELECT i FROM v WHERE EXISTS (SELECT 1 FROM commands WHERE command_id = v.x)
                        OR EXISTS (SELECT 1 FROM rejected_commands WHERE command_id = v.x)
                        OR EXISTS (SELECT 1 FROM events WHERE command_id = v.x)
                    ORDER BY i LIMIT 1
                    """,
                    count
                );
                for (var i = 0; i < count; i++)
                    command.Parameters[i].Value = requests[start + i].Metadata.CommandId;
                if (await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is long found)
                    return first < 0 ? start + (int)found : Math.Min(first, start + (int)found);
            }
            return first;
        }

        /// <summary>The heads of the streams the group writes that the turn has not read or written yet, read from
        /// each stream's last event (the <c>streams</c> table is a copy <c>verify</c> checks).</summary>
        private async Task ReadHeadsAsync(IReadOnlyList<AppendRequest> requests, CancellationToken ct)
        {
            var unseen = new List<string>();
            var listed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var request in requests)
                foreach (var e in request.Events)
                    if (!heads.ContainsKey(e.Stream) && listed.Add(e.Stream))
                        unseen.Add(e.Stream);
            for (var start = 0; start < unseen.Count; start += LookupChunk)
            {
                var count = Math.Min(LookupChunk, unseen.Count - start);
                var command = Lookup(
                    """
                    SELECT v.i, e.stream_version, e.hash FROM v JOIN events e ON e.stream = v.x
                        AND e.stream_version = (SELECT MAX(stream_version) FROM events WHERE stream = v.x)
                    """,
                    count
                );
                for (var i = 0; i < count; i++)
                    command.Parameters[i].Value = unseen[start + i];
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var stream = unseen[start + (int)reader.GetInt64(0)];
                    heads[stream] = new StreamHead(reader.GetInt64(1), Head(reader.GetString(2), stream));
                }
            }
            foreach (var stream in unseen)
                heads.TryAdd(stream, StreamHead.New);
        }

        private static readonly string[] EventParameters =
        [
            .. SqliteSchema.EventColumns.Split(", ").Select(c => "$" + c),
        ];

        private static readonly string InsertEventSql =
            $"INSERT INTO events ({SqliteSchema.EventColumns}) VALUES ({string.Join(", ", EventParameters)})";

        /// <summary>An event row and its seal.</summary>
        private void InsertEvent(StoredEvent e, Seal seal)
        {
            // the values in the order of the columns (parameter i names column i)
            var insert = statements.For(InsertEventSql, EventParameters);
            var p = insert.Parameters;
            p[0].Value = e.GlobalPosition;
            p[1].Value = e.EventId.ToString("D");
            p[2].Value = e.Stream;
            p[3].Value = e.StreamVersion;
            p[4].Value = e.Type;
            p[5].Value = e.Data;
            p[6].Value = e.Metadata.CommandId;
            p[7].Value = e.Metadata.CorrelationId;
            p[8].Value = e.Metadata.CausationId;
            p[9].Value = e.Metadata.Actor;
            p[10].Value = e.Metadata.RecordedAt;
            p[11].Value = e.PrevHash.Hex;
            p[12].Value = e.Hash.Hex;
            insert.ExecuteNonQuery();
            var sealed_ = statements.For(
                "INSERT INTO seals (global_position, seal) VALUES ($pos, $seal)",
                "$pos",
                "$seal"
            );
            sealed_.Parameters[0].Value = seal.GlobalPosition;
            sealed_.Parameters[1].Value = seal.Value.Hex;
            sealed_.ExecuteNonQuery();
        }

        /// <summary>The <c>streams</c> copy of each head in <paramref name="moved"/>, once per stream.</summary>
        private void WriteHeads(HashSet<string> moved)
        {
            if (moved.Count == 0)
                return;
            var upsert = statements.For(
                """
                INSERT INTO streams (stream, version, last_hash) VALUES ($stream, $version, $hash)
                    ON CONFLICT (stream) DO UPDATE SET version = excluded.version, last_hash = excluded.last_hash
                """,
                "$stream",
                "$version",
                "$hash"
            );
            foreach (var stream in moved)
            {
                var head = heads[stream];
                upsert.Parameters[0].Value = stream;
                upsert.Parameters[1].Value = head.Version;
                upsert.Parameters[2].Value = head.LastHash.Hex;
                upsert.ExecuteNonQuery();
            }
        }

        public async Task RecordRejectionAsync(
            CommandRejection rejection,
            CancellationToken cancellationToken = default
        )
        {
            if (
                await store.FindRecordAsync(rejection.CommandId, statements, cancellationToken).ConfigureAwait(false)
                is not null
            )
                throw new CommandAlreadyRecordedException(rejection.CommandId);
            var command = statements.For(
                """
                INSERT INTO rejected_commands (command_id, payload_hash, payload, code, message, decided_at)
                VALUES ($id, $hash, $payload, $code, $message, $at)
                """
            );
            Bind(command, "$id", rejection.CommandId);
            Bind(command, "$hash", rejection.PayloadHash.Hex);
            Bind(command, "$payload", rejection.Payload);
            Bind(command, "$code", rejection.Code);
            Bind(command, "$message", rejection.Message);
            Bind(command, "$at", rejection.DecidedAt);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        public Task CommitAsync(CancellationToken cancellationToken = default)
        {
            if (ended)
                throw new InvalidOperationException("the write turn has ended");
            try
            {
                tx.Commit();
                // committed: the heads hold at the log head the turn leaves
                if (log is { } head && heads.Count <= MaxKnownHeads)
                    (store.knownHeads, store.knownLog) = (heads, head);
            }
            finally
            {
                End();
            }
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            if (!ended)
            {
                try
                {
                    tx.Rollback();
                }
                finally
                {
                    End();
                }
            }
            return ValueTask.CompletedTask;
        }

        private void End()
        {
            ended = true;
            statements.Release();
            tx.Dispose();
            store.gate.Release();
        }
    }

    /// <summary>Sets a parameter of a statement that may have run before (then it is re-bound, not
    /// re-added).</summary>
    private static void Bind(SqliteCommand command, string name, object value)
    {
        var index = command.Parameters.IndexOf(name);
        if (index >= 0)
            command.Parameters[index].Value = value;
        else
            command.Parameters.AddWithValue(name, value);
    }

    /// <summary>
    /// The write turns' statements, each SQL text prepared once for the connection and re-bound for every row, turn
    /// after turn (each turn sets its transaction on them): SQLite compiles a statement in tens of microseconds, which
    /// was most of an append's cost when every row compiled its own, and a lookup of 128 values in about a
    /// millisecond, which was most of a turn's lookups when every turn compiled its own.
    /// </summary>
    private sealed class Statements(SqliteConnection connection) : IDisposable
    {
        private readonly Dictionary<string, SqliteCommand> bySql = new(StringComparer.Ordinal);
        private SqliteTransaction? tx;

        /// <summary>The statements, for the turn of <paramref name="transaction"/>.</summary>
        public Statements In(SqliteTransaction transaction)
        {
            tx = transaction;
            return this;
        }

        /// <summary>The turn has ended; a statement is not used again until the next one.</summary>
        public void Release() => tx = null;

        public SqliteCommand For(string sql) => For(sql, []);

        /// <summary>The statement, its parameters created once in the order of <paramref name="parameters"/>, so a
        /// caller sets them by position.</summary>
        public SqliteCommand For(string sql, params ReadOnlySpan<string> parameters)
        {
            if (!bySql.TryGetValue(sql, out var command))
            {
                command = connection.CreateCommand();
                command.CommandText = sql;
                foreach (var name in parameters)
                    command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
                bySql[sql] = command;
            }
            command.Transaction = tx ?? throw new InvalidOperationException("the write turn has ended");
            return command;
        }

        public void Dispose()
        {
            foreach (var command in bySql.Values)
                command.Dispose();
            bySql.Clear();
        }
    }

    /// <summary>A statement of the turn (kept) or, outside a turn, a command of its own (disposed after use).</summary>
    private readonly struct Lease(SqliteCommand command, bool owned) : IAsyncDisposable
    {
        public SqliteCommand Command => command;

        public ValueTask DisposeAsync() => owned ? command.DisposeAsync() : ValueTask.CompletedTask;
    }

    private Lease Command(string sql, Statements? statements)
    {
        if (statements is not null)
            return new Lease(statements.For(sql), owned: false);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return new Lease(command, owned: true);
    }

    /// <summary>One round trip: the accepted record, the rejected one, and the first event carrying the id.</summary>
    private const string FindRecord = """
        SELECT 1, payload_hash, first_position, last_position, NULL, NULL, NULL, NULL FROM commands WHERE command_id
            = $id
        UNION ALL
        SELECT 2, payload_hash, 0, 0, payload, code, message, decided_at FROM rejected_commands WHERE command_id =
            $id
        UNION ALL
        SELECT 3, NULL, MIN(global_position), 0, NULL, NULL, NULL, NULL FROM events WHERE command_id = $id HAVING
            COUNT(*) > 0
        """;

    /// <summary>
    /// The record of <paramref name="commandId"/>, accepted or rejected. An id that events carry but no record
    /// names is damage, never a new command: appending it again would collide with its own events.
    /// </summary>
    private async Task<RecordedCommand?> FindRecordAsync(string commandId, Statements? statements, CancellationToken ct)
    {
        await using var lease = Command(FindRecord, statements);
        var command = lease.Command;
        Bind(command, "$id", commandId);
        var records = new List<(Digest Hash, long First, long Last, CommandRejection? Rejection)>(1);
        long? firstEvent = null;
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                if (reader.GetInt64(0) == 3)
                    firstEvent = reader.GetInt64(2);
                else
                {
                    var text = reader.GetString(1);
                    var hash = Digest.TryParse(text, out var digest)
                        ? digest
                        : throw new StoreDamagedException(
                            $"command id '{commandId}' is recorded with payload hash '{text}'"
                                + $", which is not {Digest.Rule}"
                        );
                    records.Add(
                        (
                            hash,
                            reader.GetInt64(2),
                            reader.GetInt64(3),
                            reader.IsDBNull(4)
                                ? null
                                : new CommandRejection(
                                    commandId,
                                    hash,
                                    reader.GetString(4),
                                    reader.GetString(5),
                                    reader.GetString(6),
                                    reader.GetInt64(7)
                                )
                        )
                    );
                }
            }
        if (records.Count > 1)
            throw new StoreDamagedException($"command id '{commandId}' is recorded both as accepted and as rejected");
        if (records.Count == 0)
            return firstEvent is { } position
                ? throw new StoreDamagedException(
                    $"command id '{commandId}' has events from position {position} but no command record"
                )
                : null;
        var s = records[0];
        if (s.Rejection is not null)
            return new RecordedCommand(commandId, s.Hash, [], s.Rejection);
        var events = await ReadRangeAsync(s.First - 1, s.Last, ct).ConfigureAwait(false);
        // a record is only an answer if it names exactly the events of its own command
        if (
            events.Count != s.Last - s.First + 1
            || events.Any(e => e.Metadata.CommandId != commandId)
            || (firstEvent is { } f ? f != s.First : events.Count > 0)
        )
            throw new StoreDamagedException(
                $"command id '{commandId}' is recorded at positions {s.First}–{s.Last}, which do not hold exactly "
                    + $"its events"
            );
        return new RecordedCommand(commandId, s.Hash, events, null);
    }

    /// <summary>The last position and seal; the events and the seal chain must end at the same position.</summary>
    private static Digest Head(string text, string stream) =>
        Digest.TryParse(text, out var digest)
            ? digest
            : throw new StoreDamagedException(
                $"the last event of stream {stream} carries hash '{text}', which is not {Digest.Rule}"
            );

    private async Task<(long Head, Digest LastSeal)> LogHeadAsync(Statements? statements, CancellationToken ct)
    {
        await using var lease = Command(
            """
            SELECT (SELECT COALESCE(MAX(global_position), 0) FROM events),
                   (SELECT global_position FROM seals ORDER BY global_position DESC LIMIT 1),
                   (SELECT seal FROM seals ORDER BY global_position DESC LIMIT 1)
            """,
            statements
        );
        var command = lease.Command;
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        var events = reader.GetInt64(0);
        var sealed_ = reader.IsDBNull(1) ? 0L : reader.GetInt64(1);
        if (events != sealed_)
            throw new StoreDamagedException($"the log ends at position {events} but its seal chain at {sealed_}");
        if (reader.IsDBNull(2))
            return (events, Digest.Genesis);
        var text = reader.GetString(2);
        return Digest.TryParse(text, out var seal)
            ? (events, seal)
            : throw new StoreDamagedException(
                $"the seal at position {sealed_} is '{text}', which is not {Digest.Rule}"
            );
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(
        string stream,
        long afterVersion = 0,
        CancellationToken cancellationToken = default
    )
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText =
                $"SELECT {SqliteSchema.EventColumns} FROM events WHERE stream = $stream AND stream_version > $after "
                + $"ORDER BY stream_version";
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
    public IAsyncEnumerable<StoredEvent> ReadAllAsync(
        long afterPosition = 0,
        long? toPosition = null,
        CancellationToken cancellationToken = default
    ) => PagedAsync(afterPosition, toPosition, ReadRangeAsync, e => e.GlobalPosition, cancellationToken);

    /// <summary>The log after <paramref name="afterPosition"/> up to <paramref name="toPosition"/>, a page at a time,
    /// holding the store's gate only while a page is read.</summary>
    private async IAsyncEnumerable<T> PagedAsync<T>(
        long afterPosition,
        long? toPosition,
        Func<long, long, CancellationToken, Task<IReadOnlyList<T>>> readPage,
        Func<T, long> positionOf,
        [EnumeratorCancellation] CancellationToken cancellationToken
    )
    {
        var after = afterPosition;
        var end = toPosition ?? long.MaxValue;
        while (after < end)
        {
            IReadOnlyList<T> page;
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                page = await readPage(after, Math.Min(end, after + PageSize), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
            foreach (var e in page)
                yield return e;
            if (page.Count < PageSize)
                yield break;
            after = positionOf(page[^1]);
        }
    }

    /// <inheritdoc />
    /// <remarks>Builds only what a fold needs from each row. The other columns are checked as a whole read checks
    /// them (an event id, two digests, text metadata) and a row that fails is read whole, so a damaged row is
    /// refused as before, naming the column and the rule.</remarks>
    public IAsyncEnumerable<EventText> ReadTextsAsync(
        long afterPosition = 0,
        long? toPosition = null,
        CancellationToken cancellationToken = default
    ) => PagedAsync(afterPosition, toPosition, ReadTextRangeAsync, e => e.GlobalPosition, cancellationToken);

    private async Task<IReadOnlyList<EventText>> ReadTextRangeAsync(long after, long to, CancellationToken ct)
    {
        var page = new List<EventText>(PageSize);
        // the connection's handle is null once the store is disposed
        var db = connection.Handle ?? throw new ObjectDisposedException(nameof(SqliteEventStore));
        // the fold's rows hand over their data as the stored bytes, UTF-8 only in a UTF-8 file; a file of another
        // encoding is read whole, its texts converted (TextRows would find none of its rows sound and have each read
        // whole on its own, one query a row)
        if (!await TextIsUtf8Async(ct).ConfigureAwait(false))
        {
            foreach (var e in await ReadRangeAsync(after, to, ct).ConfigureAwait(false))
                page.Add(EventText.Of(e));
            return page;
        }
        while (TextRows.Read(db, after, to, page, ct) is { } odd)
        {
            // a row whose columns do not look right is read whole, which refuses it (naming the column and the rule)
            // or finds it sound after all; rows are read in order, so the first damaged row is the one named
            foreach (var e in await ReadRangeAsync(odd - 1, odd, ct).ConfigureAwait(false))
                page.Add(
                    new EventText(e.GlobalPosition, e.Stream, e.StreamVersion, e.Metadata.CommandId, e.Type, e.Data)
                );
            after = odd;
        }
        return page;
    }

    private async Task<IReadOnlyList<StoredEvent>> ReadRangeAsync(long after, long to, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {SqliteSchema.EventColumns} FROM events WHERE global_position > $after AND global_position <= "
            + $"$to ORDER BY global_position";
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$to", to);
        return await ReadEventsAsync(command, ct).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(SqliteCommand command, CancellationToken ct)
    {
        var events = new List<StoredEvent>();
        await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var position = r.GetInt64(0);
            try
            {
                if (!Guid.TryParseExact(r.GetString(1), "D", out var id))
                    throw new FormatException($"event id '{r.GetString(1)}' is not a GUID");
                for (var column = 2; column < r.FieldCount; column++)
                    if (column != 3 && r.GetFieldType(column) != typeof(string))
                        throw new FormatException(
                            $"column {r.GetName(column)} holds a {r.GetDataTypeName(column)}, not text"
                        );
                events.Add(
                    new StoredEvent(
                        id,
                        r.GetString(2),
                        r.GetInt64(3),
                        position,
                        r.GetString(4),
                        r.GetString(5),
                        new EventMetadata(
                            r.GetString(6),
                            r.GetString(7),
                            r.GetString(8),
                            r.GetString(9),
                            r.GetString(10)
                        ),
                        StoredDigest.Read(r.GetString(11), "prev_hash"),
                        StoredDigest.Read(r.GetString(12), "hash")
                    )
                );
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or InvalidOperationException)
            {
                throw new MalformedEventException(position, e.Message, e);
            }
        }
        return events;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<CommandRecordRow> ReadCommandRecordsAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        var rows = new List<CommandRecordRow>();
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = connection.CreateCommand();
            var rejected = await HasTableAsync(connection, "rejected_commands", cancellationToken)
                .ConfigureAwait(false);
            command.CommandText =
                "SELECT command_id, payload_hash, first_position, last_position, NULL, NULL, NULL, NULL FROM commands"
                + (
                    rejected
                        ? " UNION ALL SELECT command_id, payload_hash, NULL, NULL, payload, code, message, "
                            + "decided_at FROM rejected_commands"
                        : ""
                );
            await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = r.GetString(0);
                var text = r.GetString(1);
                var hash = Digest.TryParse(text, out var digest)
                    ? digest
                    : throw new MalformedRecordException(
                        $"the record of command '{id}' holds payload hash '{text}', which is not {Digest.Rule}"
                    );
                rows.Add(
                    r.IsDBNull(4)
                        ? new CommandRecordRow(
                            id,
                            hash,
                            r.GetInt64(2),
                            r.GetInt64(3),
                            (int)(r.GetInt64(3) - r.GetInt64(2) + 1),
                            null
                        )
                        : new CommandRecordRow(
                            id,
                            hash,
                            null,
                            null,
                            0,
                            new CommandRejection(
                                id,
                                hash,
                                r.GetString(4),
                                r.GetString(5),
                                r.GetString(6),
                                r.GetInt64(7)
                            )
                        )
                );
            }
        }
        finally
        {
            gate.Release();
        }
        foreach (var row in rows)
            yield return row;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StreamHeadRow> ReadStreamHeadsAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        var rows = new List<StreamHeadRow>();
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT stream, version, last_hash FROM streams";
            await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var (stream, text) = (r.GetString(0), r.GetString(2));
                rows.Add(
                    new StreamHeadRow(
                        stream,
                        r.GetInt64(1),
                        Digest.TryParse(text, out var hash)
                            ? hash
                            : throw new MalformedRecordException(
                                $"stream {stream} is recorded with last hash {text}, which is not {Digest.Rule}"
                            )
                    )
                );
            }
        }
        finally
        {
            gate.Release();
        }
        foreach (var row in rows)
            yield return row;
    }

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
        await using var turn = await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                INSERT OR IGNORE INTO anchors (signature, global_position, seal, anchored_at, public_key, line)
                VALUES ($signature, $position, $seal, $at, $key, $line)
                """;
            command.Parameters.AddWithValue("$signature", signature);
            command.Parameters.AddWithValue("$position", globalPosition);
            command.Parameters.AddWithValue("$seal", seal.Hex);
            command.Parameters.AddWithValue("$at", anchoredAt);
            command.Parameters.AddWithValue("$key", publicKey);
            command.Parameters.AddWithValue("$line", line);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await turn.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>A SQLite ledger hides nothing: every row of <c>events</c> is read.</remarks>
    public IAsyncEnumerable<long> ReadHiddenEventsAsync(CancellationToken cancellationToken = default) =>
        AsyncEnumerable.Empty<long>();

    /// <inheritdoc />
    public async IAsyncEnumerable<Seal> ReadSealsAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        var seals = new List<Seal>();
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT global_position, seal FROM seals ORDER BY global_position";
            await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var (position, text) = (r.GetInt64(0), r.GetString(1));
                seals.Add(
                    Digest.TryParse(text, out var seal)
                        ? new Seal(position, seal)
                        : throw new MalformedEventException(position, $"its seal '{text}' is not {Digest.Rule}")
                );
            }
        }
        finally
        {
            gate.Release();
        }
        foreach (var s in seals)
            yield return s;
    }

    /// <inheritdoc />
    public async Task<long> HeadAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COALESCE(MAX(global_position), 0) FROM events";
            return Convert.ToInt64(
                await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
                CultureInfo.InvariantCulture
            );
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
    public async Task<StateSnapshot?> LatestSnapshotAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // a file written before snapshots existed, opened for reading only, has no table: no snapshot
            if (!await HasTableAsync(connection, "snapshots", cancellationToken).ConfigureAwait(false))
                return null;
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT global_position, seal, state_hash, state FROM snapshots WHERE format = {StateSnapshot.Format}
                ORDER BY global_position DESC LIMIT 1
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                return null;
            return new StateSnapshot(
                reader.GetInt64(0),
                StoredDigest.Read(reader.GetString(1), "snapshots.seal"),
                StoredDigest.Read(reader.GetString(2), "snapshots.state_hash"),
                // a blob: the bytes as written, whatever the file's text encoding
                reader.GetFieldValue<byte[]>(3)
            );
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The bytes as one array: the array they are when they span a whole one, else a copy.</summary>
    private static byte[] Bytes(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment)
        && segment.Array is { } array
        && segment.Offset == 0
        && segment.Count == array.Length
            ? array
            : bytes.ToArray();

    /// <inheritdoc />
    public async Task SaveSnapshotAsync(StateSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        if (ReadOnly)
            throw new InvalidOperationException($"{Path} was opened for reading only");
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var tx = connection.BeginTransaction(deferred: false);
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = $"""
                    INSERT OR REPLACE INTO snapshots (global_position, format, seal, state_hash, state)
                    VALUES ($pos, {StateSnapshot.Format}, $seal, $hash, $state);
                    DELETE FROM snapshots WHERE global_position > $pos;
                    DELETE FROM snapshots WHERE global_position NOT IN
                        (SELECT global_position FROM snapshots ORDER BY global_position DESC
                         LIMIT {ISnapshotStore.SnapshotsKept});
                    """;
                command.Parameters.AddWithValue("$pos", snapshot.Position);
                command.Parameters.AddWithValue("$seal", snapshot.Seal.Hex);
                command.Parameters.AddWithValue("$hash", snapshot.StateHash.Hex);
                // bound as bytes, stored as a blob (the column's declared TEXT affinity leaves a blob as it is)
                command.Parameters.Add("$state", SqliteType.Blob).Value = Bytes(snapshot.Bytes);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            throw new StoreBusyException(
                $"{Path} stayed locked by another writer for more than {BusyTimeoutSeconds} s",
                e
            );
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<int> DeleteSnapshotsAsync(CancellationToken cancellationToken = default)
    {
        if (ReadOnly)
            throw new InvalidOperationException($"{Path} was opened for reading only");
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM snapshots";
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<Digest?> SealAtAsync(long position, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT seal FROM seals WHERE global_position = $pos";
            command.Parameters.AddWithValue("$pos", position);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string text
                ? StoredDigest.Read(text, "seals.seal")
                : null;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        writeStatements?.Dispose();
        await connection.DisposeAsync().ConfigureAwait(false);
        gate.Dispose();
    }
}
