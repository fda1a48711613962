namespace CrossMargin.Ledger.EventStore.Sqlite;

/// <summary>
/// The tables of a ledger file. Metadata sits in columns, not a JSON blob, so plain SQL can filter by
/// command, correlation or actor. Global positions are the rowid: gap-free because every append runs
/// under SQLite's single write lock (<c>BEGIN IMMEDIATE</c>) and takes <c>max + 1</c>. <c>commands</c> records
/// each accepted command id with the positions of its events; <c>rejected_commands</c> each rejected one
/// with its content, its rule and the position it was decided at; <c>snapshots</c> the latest checkpoints of the
/// folded state (both added without a schema version: files written before them get the empty table on their next
/// write, and a reader treats a missing <c>snapshots</c> table as no snapshot).
/// </summary>
internal static class SqliteSchema
{
    public const int Version = 1;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS events (
            global_position INTEGER PRIMARY KEY,
            event_id        TEXT    NOT NULL UNIQUE,
            stream          TEXT    NOT NULL,
            stream_version  INTEGER NOT NULL,
            type            TEXT    NOT NULL,
            data            TEXT    NOT NULL,
            command_id      TEXT    NOT NULL,
            correlation_id  TEXT    NOT NULL,
            causation_id    TEXT    NOT NULL,
            actor           TEXT    NOT NULL,
            recorded_at     TEXT    NOT NULL,
            prev_hash       TEXT    NOT NULL,
            hash            TEXT    NOT NULL,
            UNIQUE (stream, stream_version));
        CREATE INDEX IF NOT EXISTS events_by_command ON events (command_id);
        CREATE TABLE IF NOT EXISTS streams (stream TEXT PRIMARY KEY, version INTEGER NOT NULL, last_hash TEXT NOT NULL)
            WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS commands (
            command_id     TEXT PRIMARY KEY,
            payload_hash   TEXT NOT NULL,
            first_position INTEGER NOT NULL,
            last_position  INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS seals (global_position INTEGER PRIMARY KEY, seal TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS rejected_commands (
            command_id   TEXT PRIMARY KEY,
            payload_hash TEXT NOT NULL,
            payload      TEXT NOT NULL,
            code         TEXT NOT NULL,
            message      TEXT NOT NULL,
            decided_at   INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS anchors (
            signature       TEXT PRIMARY KEY,
            global_position INTEGER NOT NULL,
            seal            TEXT NOT NULL,
            anchored_at     TEXT NOT NULL,
            public_key      TEXT NOT NULL,
            line            TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS snapshots (
            global_position INTEGER PRIMARY KEY,
            format          INTEGER NOT NULL,
            seal            TEXT    NOT NULL,
            state_hash      TEXT    NOT NULL,
            state           TEXT    NOT NULL);
        INSERT OR IGNORE INTO ledger_meta (key, value) VALUES ('schema_version', '1');
        """;

    public const string EventColumns =
        "global_position, event_id, stream, stream_version, type, data, command_id, correlation_id, causation_id, "
        + "actor, recorded_at, prev_hash, hash";
}
